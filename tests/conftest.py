"""Shared fixtures: custom integrations enabled, and a simulated ATESS cloud on loopback.

The simulator runs in the test's event loop as a real aiohttp server on 127.0.0.1, and the
integration talks real HTTP to it through Home Assistant's own client session.
"""

from __future__ import annotations

from asyncio import constants as asyncio_constants
from collections.abc import AsyncIterator, Callable, Coroutine, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
import json
import logging
from typing import Any

from aiohttp import ClientSession, web
from aiohttp.typedefs import Middleware
from homeassistant.const import CONF_TOKEN, CONF_URL
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
    get_scheduled_timer_handles,
)
from pytest_homeassistant_custom_component.syrupy import HomeAssistantSnapshotExtension
from syrupy.assertion import SnapshotAssertion

from custom_components.atess.const import CONF_HISTORY_DAYS, CONF_PLANTS, DOMAIN
from scripts.e2e_support.hass_log import names_a_deprecation
from simulator import STATE_KEY, SimulatorConfig, SimulatorState, build_app

TOKEN = "demo-token"


def pytest_addoption(parser: pytest.Parser) -> None:
    """`--unit`: the quick path's selection (scripts/test --quick)."""
    parser.addoption(
        "--unit",
        action="store_true",
        help="run only the unit tests: none that builds a Home Assistant (`hass`), none marked "
        "e2e or bench",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """With `--unit`, deselect every test that runs Home Assistant, end to end or in-process."""
    if not config.getoption("--unit"):
        return
    keep: list[pytest.Item] = []
    drop: list[pytest.Item] = []
    for item in items:
        heavy = "hass" in getattr(item, "fixturenames", ()) or any(
            item.get_closest_marker(name) for name in ("e2e", "bench")
        )
        (drop if heavy else keep).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(request: pytest.FixtureRequest) -> None:
    """Enable custom integrations (a fixture of pytest-homeassistant-custom-component) in every
    test that runs Home Assistant.

    Only there: the fixture builds a `hass`, and a test of plain code (the catalogue's two
    thousand cases) would pay a whole Home Assistant start and stop for nothing.
    """
    if "hass" in request.fixturenames:
        request.getfixturevalue("enable_custom_integrations")


def deprecations_of_the_integration(messages: Iterable[tuple[int, str]]) -> list[str]:
    """Home Assistant's warnings that the integration uses something deprecated."""
    return [
        text for level, text in messages if level >= logging.WARNING and names_a_deprecation(text)
    ]


@pytest.fixture(autouse=True)
def no_deprecation_warnings(request: pytest.FixtureRequest) -> Iterator[None]:
    """Fail a test when Home Assistant reports a deprecated use by the integration.

    Not where pytest's logging plugin is off (scripts/bench and scripts/soak turn it off).
    """
    if not request.config.pluginmanager.has_plugin("logging"):
        yield
        return
    caplog: pytest.LogCaptureFixture = request.getfixturevalue("caplog")
    yield
    records = [*caplog.get_records("setup"), *caplog.get_records("call")]
    found = deprecations_of_the_integration((r.levelno, r.getMessage()) for r in records)
    assert not found, f"Home Assistant reports deprecated use by the integration: {found}"


@dataclass
class Simulator:
    """A running simulator: its URL, its in-process state, and its introspection over HTTP."""

    url: str
    state: SimulatorState
    app: web.Application
    # path -> (HTTP status, JSON body): what the cloud answers there instead, while set
    answers: dict[str, tuple[int, Any]]

    async def get(self, path: str) -> Any:
        """GET an introspection endpoint."""
        async with ClientSession() as session, session.get(f"{self.url}{path}") as resp:
            return await resp.json()

    async def post(self, path: str, body: dict[str, Any]) -> Any:
        """POST to an introspection endpoint."""
        async with (
            ClientSession() as session,
            session.post(f"{self.url}{path}", json=body) as resp,
        ):
            return await resp.json()

    def devices(self) -> list[dict[str, Any]]:
        """Every device of the account: deviceSn, kind, model."""
        inventory = self.state.inventory()
        return [
            device
            for plant in inventory["plants"]
            for datalog in plant["datalogs"]
            for device in datalog["devices"]
        ]

    def plant_ids(self) -> list[str]:
        """The account's plant ids."""
        return [str(p["plantId"]) for p in self.state.inventory()["plants"]]


type SimulatorFactory = Callable[..., Coroutine[Any, Any, Simulator]]


@pytest.fixture
async def start_simulator(socket_enabled: None) -> AsyncIterator[SimulatorFactory]:
    """Start simulators with any configuration; all are stopped after the test."""
    runners: list[web.AppRunner] = []

    async def start(
        *,
        missing_paths: tuple[str, ...] = (),
        rewrite: Callable[[str, Any], Any] | None = None,
        middlewares: Sequence[Middleware] = (),
        **config: Any,
    ) -> Simulator:
        config.setdefault("token", TOKEN)
        config.setdefault("seed", 1)
        app = build_app(SimulatorConfig(**config))
        answers: dict[str, tuple[int, Any]] = {}

        @web.middleware
        async def answer(request: web.Request, handler: Any) -> web.StreamResponse:
            if request.path in answers:
                status, body = answers[request.path]
                return web.json_response(body, status=status)
            return await handler(request)

        # right after the simulator's request counter: before its routing and dialects
        app.middlewares.insert(1, answer)
        app.middlewares.extend(middlewares)  # a test's own view of the traffic, or its faults
        if missing_paths:
            # a cloud that lacks some (inferred) paths answers them with HTTP 404
            @web.middleware
            async def not_there(request: web.Request, handler: Any) -> web.StreamResponse:
                if request.path in missing_paths:
                    raise web.HTTPNotFound
                return await handler(request)

            app.middlewares.append(not_there)
        if rewrite is not None:
            # another cloud's dialect: every JSON answer of the API passes through `rewrite`
            @web.middleware
            async def dialect(request: web.Request, handler: Any) -> web.StreamResponse:
                response = await handler(request)
                if (
                    not request.path.startswith("/api/")
                    or not isinstance(response, web.Response)
                    or response.content_type != "application/json"  # throttling, error pages
                ):
                    return response
                body = json.loads(response.body)  # type: ignore[arg-type]
                return web.json_response(rewrite(request.path, body), status=response.status)

            app.middlewares.append(dialect)
        runner = web.AppRunner(app, handle_signals=False, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        runners.append(runner)
        host, port = runner.addresses[0][:2]
        return Simulator(
            url=f"http://{host}:{port}", state=app[STATE_KEY], app=app, answers=answers
        )

    yield start
    for runner in runners:
        await runner.cleanup()


@pytest.fixture
async def simulator(start_simulator: SimulatorFactory) -> Simulator:
    """The demo account: one plant, two datalogs, one device of every kind."""
    return await start_simulator()


def add_entry_for(
    hass: HomeAssistant, simulator: Simulator, *, history_days: int | None = None
) -> MockConfigEntry:
    """A config entry for a simulator's account with all its plants (not yet set up).

    `history_days`: the days of history its first setup imports (None: the default, 7).
    """
    plant_ids = simulator.plant_ids()
    options: dict[str, Any] = {CONF_PLANTS: plant_ids}
    if history_days is not None:
        options[CONF_HISTORY_DAYS] = history_days
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="ATESS Demo Plant",
        data={CONF_TOKEN: TOKEN, CONF_URL: simulator.url},
        options=options,
        unique_id=min(plant_ids),
    )
    entry.add_to_hass(hass)
    return entry


@pytest.fixture
def history_days() -> int | None:
    """Days of history the demo entry imports on its first setup; None: the default (7).

    With the recorder on, each day is about 1,100 hourly rows of the six devices, written one
    by one: a test whose subject is not the week's import overrides this (parametrize, or a
    fixture of its module) with the fewest days it needs.
    """
    return None


@pytest.fixture
def config_entry(
    hass: HomeAssistant, simulator: Simulator, history_days: int | None
) -> MockConfigEntry:
    """A config entry for the demo account (not yet set up)."""
    return add_entry_for(hass, simulator, history_days=history_days)


@pytest.fixture
async def setup_entry(
    hass: HomeAssistant, config_entry: MockConfigEntry, freezer: Any
) -> MockConfigEntry:
    """The demo account's entry, loaded.

    Time is frozen first (`freezer`): timers scheduled before freezing would all look overdue
    once the test moves the frozen clock.
    """
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    return config_entry


async def advance(hass: HomeAssistant, freezer: Any, delta: timedelta) -> None:
    """Move time forward and let every timer and background task that became due finish."""
    freezer.tick(delta)
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)


async def run_until(hass: HomeAssistant, freezer: Any, end: datetime) -> None:
    """Move time from one due timer to the next until `end`, letting each one run on time."""
    while (left := (end - dt_util.utcnow()).total_seconds()) > 0:
        due = [h.when() for h in get_scheduled_timer_handles(hass.loop) if not h.cancelled()]
        step = min(due, default=hass.loop.time() + left) - hass.loop.time()
        freezer.tick(timedelta(seconds=min(max(step, 0.01), left)))
        async_fire_time_changed(hass)
        await hass.async_block_till_done(wait_background_tasks=True)


@pytest.fixture
def snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    """Snapshots with Home Assistant's serializer (registry ids and times become placeholders)."""
    return snapshot.use_extension(HomeAssistantSnapshotExtension)


@pytest.fixture(autouse=True, scope="session")
def handles_without_source_tracebacks() -> Iterator[None]:
    """Keep asyncio's debug mode (the harness turns it on in every test: thread checks, slow
    callbacks, unawaited coroutines) but let callback handles skip recording where they were
    created: walking the stack for each of them was about a fifth of a typical test's CPU
    time (docs/benchmarks.md, Test suite). Futures and tasks still record theirs."""
    depth = asyncio_constants.DEBUG_STACK_DEPTH
    asyncio_constants.DEBUG_STACK_DEPTH = 0
    yield
    asyncio_constants.DEBUG_STACK_DEPTH = depth


@pytest.fixture(autouse=True, scope="session")
def quiet_sqlalchemy() -> None:
    """pytest-homeassistant-custom-component logs every SQL statement at INFO; the recorder's
    thread then floods the test output. Warnings and errors still show."""
    logging.getLogger("sqlalchemy.engine").setLevel(logging.WARNING)
