"""Fixtures for the simulator tests: an in-process simulator on loopback."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from aiohttp.test_utils import TestClient, TestServer
import pytest
import pytest_socket

from simulator import SimulatorConfig, build_app
from tests.simulator.helpers import TOKEN, MakeClient


@pytest.fixture(autouse=True)
def _loopback_only() -> None:
    """The simulator tests talk to 127.0.0.1 only."""
    pytest_socket.socket_allow_hosts(["127.0.0.1"])
    pytest_socket.enable_socket()


@pytest.fixture
async def make_client() -> AsyncIterator[MakeClient]:
    """Start simulators with custom configuration; all are closed after the test."""
    clients: list[TestClient[Any, Any]] = []

    async def start(**overrides: Any) -> TestClient[Any, Any]:
        config = SimulatorConfig(**{"token": TOKEN, **overrides})
        client = TestClient(TestServer(build_app(config), host="127.0.0.1"))
        await client.start_server()
        clients.append(client)
        return client

    yield start
    for client in clients:
        await client.close()


@pytest.fixture
async def client(make_client: MakeClient) -> TestClient[Any, Any]:
    """A default demo simulator."""
    return await make_client()
