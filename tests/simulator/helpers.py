"""Helpers shared by the simulator tests."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp.test_utils import TestClient

from simulator import STATE_KEY, SimulatorState

TOKEN = "demo-token"
AUTH = {"Authorization": TOKEN}

MakeClient = Callable[..., Awaitable[TestClient[Any, Any]]]


def state_of(client: TestClient[Any, Any]) -> SimulatorState:
    """Return the state behind a test client."""
    return client.server.app[STATE_KEY]


def serials(state: SimulatorState) -> dict[str, str]:
    """Return the first serial of every kind."""
    found: dict[str, str] = {}
    for device in state.account.devices.values():
        found.setdefault(device.kind.value, device.sn)
    return found
