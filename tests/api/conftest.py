"""Fixtures for the client tests: the simulator and a scripted fake cloud, both on loopback."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp import web
from aiohttp.test_utils import TestServer
import pytest

from custom_components.atess.api import AtessClient

TOKEN = "demo-token"
# The route book's documented rules (docs/cloud-contract.md), written out rather than read from
# api/routes.py: a test that reads the constant would follow it wherever it went.
TWELVE_HOURS = 12 * 3600.0  # a candidate found missing is not asked again for 12 hours
STRIKES = 3  # a path that answered is dropped after 3 "no such route" answers in a row


@pytest.fixture(autouse=True)
def _loopback_sockets(socket_enabled: None) -> None:
    """Let the tests talk HTTP over loopback (the HA test plugin blocks sockets)."""


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    """Return a real aiohttp session, closed after the test."""
    async with aiohttp.ClientSession() as client_session:
        yield client_session


@dataclass
class Simulator:
    """The running simulator and a few helpers to steer it."""

    server: TestServer
    session: aiohttp.ClientSession
    in_flight: int = 0
    max_in_flight: int = 0
    seen: set[tuple[str, str]] = field(default_factory=set)

    @property
    def base_url(self) -> str:
        """Return the simulator's base URL."""
        return str(self.server.make_url("")).rstrip("/")

    async def faults(self, **knobs: float) -> None:
        """Set fault knobs."""
        url = self.server.make_url("/_simulator/faults")
        async with self.session.post(url, json=knobs) as response:
            assert response.status == 200, await response.text()

    async def inventory(self) -> dict[str, Any]:
        """Return the simulator's inventory."""
        async with self.session.get(self.server.make_url("/_simulator/inventory")) as response:
            assert response.status == 200
            result: dict[str, Any] = await response.json()
            return result

    async def stats(self) -> dict[str, Any]:
        """Return the simulator's request statistics."""
        async with self.session.get(self.server.make_url("/_simulator/stats")) as response:
            assert response.status == 200
            result: dict[str, Any] = await response.json()
            return result

    async def devices(self) -> list[dict[str, Any]]:
        """Return every device of the inventory with its plant and datalog."""
        found: list[dict[str, Any]] = []
        for plant in (await self.inventory())["plants"]:
            for datalog in plant["datalogs"]:
                found.extend(
                    {**device, "plantId": plant["plantId"], "dataLogSn": datalog["dataLogSn"]}
                    for device in datalog["devices"]
                )
        return found

    async def device(self, kind: str) -> dict[str, Any]:
        """Return the first device of a kind."""
        return next(device for device in await self.devices() if device["kind"] == kind)


@pytest.fixture
async def simulator(session: aiohttp.ClientSession) -> AsyncIterator[Simulator]:
    """Run the simulator on loopback, counting requests in flight."""
    from simulator import SimulatorConfig, build_app  # noqa: PLC0415 - written concurrently

    app = build_app(SimulatorConfig(token=TOKEN, seed=1))
    sim: Simulator | None = None

    @web.middleware
    async def count_in_flight(
        request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        assert sim is not None
        if request.path.startswith("/_simulator"):
            return await handler(request)
        sim.seen.add((request.method, request.path))
        sim.in_flight += 1
        sim.max_in_flight = max(sim.max_in_flight, sim.in_flight)
        try:
            return await handler(request)
        finally:
            sim.in_flight -= 1

    app.middlewares.insert(0, count_in_flight)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    sim = Simulator(server=server, session=session)
    try:
        yield sim
    finally:
        await server.close()


@pytest.fixture
def make_client(session: aiohttp.ClientSession) -> Callable[..., AtessClient]:
    """Return a factory of clients on the test session."""

    def make(base_url: str, token: str = TOKEN, **options: Any) -> AtessClient:
        return AtessClient(session, token, base_url=base_url, **options)

    return make


@pytest.fixture
def client(simulator: Simulator, make_client: Callable[..., AtessClient]) -> AtessClient:
    """Return a client of the simulator."""
    return make_client(simulator.base_url)


@dataclass
class FakeCloud:
    """A scripted cloud: every request gets the next canned answer (the last one repeats)."""

    server: TestServer
    answers: list[tuple[int, dict[str, str], bytes]] = field(default_factory=list)
    requests: list[dict[str, Any]] = field(default_factory=list)

    @property
    def base_url(self) -> str:
        """Return the fake cloud's base URL."""
        return str(self.server.make_url("")).rstrip("/")

    def answer(self, body: Any, status: int = 200, headers: dict[str, str] | None = None) -> None:
        """Queue an answer; bytes are sent as they are, anything else as JSON."""
        import json  # noqa: PLC0415

        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.answers.append((status, headers or {}, raw))


@pytest.fixture
async def fake_cloud() -> AsyncIterator[FakeCloud]:
    """Run a scripted cloud on loopback."""
    app = web.Application()
    cloud: FakeCloud | None = None

    async def handle(request: web.Request) -> web.Response:
        assert cloud is not None
        body = await request.read()
        cloud.requests.append(
            {
                "method": request.method,
                "path": request.path,
                "query": dict(request.query),
                "headers": dict(request.headers),
                "body": body,
            }
        )
        status, headers, raw = cloud.answers.pop(0) if len(cloud.answers) > 1 else cloud.answers[0]
        return web.Response(
            status=status, headers=headers, body=raw, content_type="application/json"
        )

    app.router.add_route("*", "/{tail:.*}", handle)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    cloud = FakeCloud(server=server)
    try:
        yield cloud
    finally:
        await server.close()


def spring_404(path: str) -> dict[str, Any]:
    """Spring's body for a path it has no route for."""
    return {
        "timestamp": "2026-12-03T08:00:00.000+00:00",
        "status": 404,
        "error": "Not Found",
        "path": path,
    }


@dataclass
class RouteProxy:
    """A cloud whose routes differ from the table: a proxy in front of the simulator.

    ``moved`` maps (method, path asked) to the path the simulator serves it at; ``missing``
    holds (method, path) pairs answered with Spring's 404 body (``missing_status`` is the HTTP
    status it comes with: some servers say 200). Every request is counted in ``hits``.
    """

    server: TestServer
    simulator: Simulator
    moved: dict[tuple[str, str], str] = field(default_factory=dict)
    missing: set[tuple[str, str]] = field(default_factory=set)
    missing_status: int = 404
    hits: dict[tuple[str, str], int] = field(default_factory=dict)

    @property
    def base_url(self) -> str:
        """Return the proxy's base URL."""
        return str(self.server.make_url("")).rstrip("/")

    def move(self, method: str, served_at: str, asked_at: str) -> None:
        """Serve what the simulator has at served_at only at asked_at (served_at goes missing)."""
        self.moved[(method, asked_at)] = served_at
        self.missing.add((method, served_at))
        self.missing.discard((method, asked_at))

    def asked(self, method: str, path: str) -> int:
        """Return how many requests reached (method, path)."""
        return self.hits.get((method, path), 0)


@pytest.fixture
async def route_proxy(
    simulator: Simulator, session: aiohttp.ClientSession
) -> AsyncIterator[RouteProxy]:
    """Run a proxy of the simulator whose routes the test rearranges."""
    app = web.Application()
    proxy: RouteProxy | None = None

    async def handle(request: web.Request) -> web.Response:
        assert proxy is not None
        key = (request.method, request.path)
        proxy.hits[key] = proxy.hits.get(key, 0) + 1
        if key in proxy.missing:
            return web.json_response(spring_404(request.path), status=proxy.missing_status)
        target = simulator.server.make_url(proxy.moved.get(key, request.path))
        headers = {
            name: value
            for name, value in request.headers.items()
            if name in ("Authorization", "Accept-Language", "Content-Type")
        }
        async with session.request(
            request.method,
            target.with_query(request.query),
            data=await request.read(),
            headers=headers,
        ) as answer:
            return web.Response(
                status=answer.status, body=await answer.read(), content_type=answer.content_type
            )

    app.router.add_route("*", "/{tail:.*}", handle)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    proxy = RouteProxy(server=server, simulator=simulator)
    try:
        yield proxy
    finally:
        await server.close()
