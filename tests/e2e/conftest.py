"""End-to-end tests run Home Assistant as a separate process, so they need no `hass` fixture.

One simulator and one Home Assistant serve every end-to-end test of a run (`shared_stack`, session
scope: starting, onboarding and setting up a Home Assistant costs seconds of CPU each time). It
starts on free loopback ports, onboards the demo owner, sets the integration up through the
config flow's REST API and waits until every device shows values: the state a person finds after
clicking through the UI. The Home Assistant started is .venv's, or the one $ATESS_E2E_HASS names
(scripts/test-range: another release).

A test asks for `stack`: its own HTTP session and login on the shared processes, and the
simulator's counters set to zero, so `stack.cloud.stats()` counts what this test caused; the
Energy dashboard's preferences are put back as the test found them, and the test fails on what
Home Assistant logged meanwhile about the integration (a deprecation, an error, a traceback; its
shutdown is checked when the run ends). Tests sharing the stack leave it usable for the next
one, in any order: they may write settings (a few of a device's ten writes a day; read the
current value first), never stop Home Assistant or spend a device's whole budget, and undo any
other change they make to Home Assistant's configuration. A test that must (a restart, a budget
spent) is marked `e2e_last`: it runs after every other end-to-end test, on the same stack,
through `stack.restart()`. Every end-to-end test runs in one pytest-xdist group, so that a
parallel run starts the stack once. A test that needs processes of its own starts them into
`children`.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiohttp import ClientSession
from awesomeversion import AwesomeVersion
import pytest
import pytest_socket

from scripts.e2e_support import (
    DEMO_TOKEN,
    Child,
    DemoUser,
    HassApi,
    SimDevice,
    SimulatorApi,
    free_port,
    start_hass,
    start_simulator,
    write_minimal_config,
)
from scripts.e2e_support.hass_log import integration_problems

START_TIMEOUT = 60.0  # a Home Assistant start takes ~3 s here; generous for a loaded CI runner
# The first release that keeps `http:` settings in its storage, as a trial to confirm
HTTP_IN_STORAGE = AwesomeVersion("2026.8.0")
HERE = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every end-to-end test in one xdist group; the `e2e_last` ones after all the others."""
    mine = [item for item in items if HERE in item.path.parents]
    for item in mine:
        item.add_marker(pytest.mark.xdist_group("e2e"))
    last = [item for item in mine if item.get_closest_marker("e2e_last")]
    if last:
        keep = [item for item in items if item not in last]
        items[:] = keep + last


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations() -> None:
    """Override the suite's autouse fixture: it would build an in-process `hass` for nothing."""


def _log_problems(child: Child, start: int = 0) -> tuple[list[str], int]:
    """What a Home Assistant's log says from `start` on that a test must fail on; its length."""
    if child.log_path is None or not child.log_path.exists():
        return [], start
    text = child.log_path.read_text(encoding="utf-8")
    return [f"{child.log_path.name}: {r}" for r in integration_problems(text[start:])], len(text)


@pytest.fixture
def children(socket_enabled: None) -> Iterator[list[Child]]:
    """Processes the test starts itself; stopped by PID (SIGTERM, then SIGKILL) in any case.

    Then the log of every Home Assistant started is read, its shutdown included: the test fails
    on a deprecation naming the integration, or an error or traceback of the integration.
    """
    started: list[Child] = []
    yield started
    for child in reversed(started):
        child.stop(timeout=20)
    problems = [p for c in started if c.name == "hass" for p in _log_problems(c)[0]]
    assert not problems, "Home Assistant's log:\n" + "\n".join(problems)


@dataclass
class SharedStack:
    """The processes of the run's stack and what every test needs to reach them."""

    sim: Child
    hass: Child
    sim_url: str
    hass_url: str
    config_dir: Path
    devices: list[SimDevice]
    version: AwesomeVersion
    access_token: str
    # the simulator's counters when the stack was ready, before any test ran
    setup_stats: dict[str, Any]
    restarts: int = 0
    stopped: list[Child] = field(default_factory=list)  # earlier Home Assistant processes
    read: dict[str, int] = field(default_factory=dict)  # how far each hass's log was checked

    def log_problems(self) -> list[str]:
        """What every Home Assistant of the stack logged since the last look, to fail on."""
        problems: list[str] = []
        for child in [*self.stopped, self.hass]:
            key = str(child.log_path)
            found, self.read[key] = _log_problems(child, self.read.get(key, 0))
            problems += found
        return problems


async def _bring_up(sim: Child, config_dir: Path, sim_port: int, hass_port: int) -> SharedStack:
    """Start Home Assistant, onboard, add the ATESS entry and wait for every device's values."""
    sim_url, hass_url = f"http://127.0.0.1:{sim_port}", f"http://127.0.0.1:{hass_port}"
    async with ClientSession() as http:
        cloud = SimulatorApi(http, sim_url)
        await cloud.wait_up(30, sim.running)
        devices = await cloud.devices()

        hass = start_hass(config_dir, log_path=config_dir.parent / "hass.log")
        try:
            api = HassApi(http, hass_url)
            steps = await api.wait_up(START_TIMEOUT, hass.running)
            assert steps is not None, "a fresh config directory must ask for onboarding"
            assert await api.onboard(DemoUser(), steps)
            assert await api.wait_up(5) is None  # onboarding finished
            version = AwesomeVersion((await api.expect("GET", "/api/config"))["version"])
            # confirm the http: trial now, so a restart cannot fall back to 0.0.0.0:8123
            kept = await api.keep_loopback_http(DemoUser(), within=START_TIMEOUT)
            assert kept == ("promoted" if version >= HTTP_IN_STORAGE else "yaml")

            entry = await api.add_atess_entry(DEMO_TOKEN, sim_url)
            assert entry["domain"] == "atess"
            assert entry["state"] == "loaded"
            await api.wait_for_values([d.serial for d in devices], START_TIMEOUT, hass.running)
            assert api.access_token is not None
            return SharedStack(
                sim=sim,
                hass=hass,
                sim_url=sim_url,
                hass_url=hass_url,
                config_dir=config_dir,
                devices=devices,
                version=version,
                access_token=api.access_token,
                setup_stats=await cloud.stats(),
            )
        except BaseException:
            hass.stop(timeout=20)
            raise


@pytest.fixture(scope="session")
def shared_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SharedStack]:
    """The simulator and Home Assistant of the run, started by the first test that needs them.

    Synchronous on purpose: it brings the stack up on an event loop of its own, and each test
    talks to it from its own loop through `stack`.
    """
    pytest_socket.enable_socket()  # loopback only; the test's own `socket_enabled` follows
    base = tmp_path_factory.mktemp("e2e-stack")
    sim_port, hass_port = free_port(), free_port()
    sim = start_simulator(sim_port, log_path=base / "simulator.log")
    try:
        config_dir = base / "config"
        write_minimal_config(config_dir, hass_port, recorder=True)  # as every installation has
        shared = asyncio.run(_bring_up(sim, config_dir, sim_port, hass_port))
        yield shared
        shared.hass.stop(timeout=20)
        problems = shared.log_problems()  # its shutdown
        assert not problems, "Home Assistant's log at shutdown:\n" + "\n".join(problems)
    finally:
        sim.stop(timeout=20)


@dataclass
class Stack:
    """A test's view of the shared simulator and Home Assistant: its own session and login."""

    cloud: SimulatorApi
    api: HassApi
    shared: SharedStack

    @property
    def devices(self) -> list[SimDevice]:
        """Every device of the simulated account."""
        return self.shared.devices

    @property
    def sim_url(self) -> str:
        """The simulator's base URL."""
        return self.shared.sim_url

    @property
    def hass_url(self) -> str:
        """Home Assistant's base URL."""
        return self.shared.hass_url

    @property
    def config_dir(self) -> Path:
        """Home Assistant's configuration directory."""
        return self.shared.config_dir

    @property
    def hass(self) -> Child:
        """The running Home Assistant process."""
        return self.shared.hass

    @property
    def version(self) -> AwesomeVersion:
        """The running Home Assistant's version."""
        return self.shared.version

    def device(self, kind: str) -> SimDevice:
        """The account's first device of a kind."""
        return next(d for d in self.devices if d.kind == kind)

    async def restart(self, while_stopped: Callable[[], object] | None = None) -> None:
        """Stop Home Assistant, run `while_stopped`, start it again on the same configuration
        and log in again.

        Only for tests marked `e2e_last` (the others expect the stack they were given).
        """
        shared = self.shared
        code = shared.hass.stop(timeout=30)
        assert code == 0, f"Home Assistant stopped with {code}: {shared.hass.log_tail()}"
        shared.stopped.append(shared.hass)
        if while_stopped is not None:
            while_stopped()
        shared.restarts += 1
        log = shared.config_dir.parent / f"hass-restart-{shared.restarts}.log"
        shared.hass = start_hass(shared.config_dir, log_path=log)
        assert await self.api.wait_up(START_TIMEOUT, shared.hass.running) is None
        await self.api.login(DemoUser())
        assert self.api.access_token is not None
        shared.access_token = self.api.access_token


@pytest.fixture
async def stack(shared_stack: SharedStack, socket_enabled: None) -> AsyncIterator[Stack]:
    """The shared stack, for this test: a fresh session, logged in, the simulator's counters at 0."""
    hass = shared_stack.hass
    assert hass.running(), f"the shared Home Assistant is not running:\n{hass.log_tail()}"
    async with ClientSession() as http:
        api = HassApi(http, shared_stack.hass_url)
        api.access_token = shared_stack.access_token
        if (await api.request("GET", "/api/"))[0] == 401:  # expired (30 min): log in again
            await api.login(DemoUser())
        cloud = SimulatorApi(http, shared_stack.sim_url)
        async with http.post(f"{shared_stack.sim_url}/_simulator/reset-stats") as resp:
            assert resp.status == 200
        energy = await api.energy_prefs()
        yield Stack(cloud, api, shared_stack)
        # the Energy dashboard as the test found it, for the next one (whatever it did to it)
        if shared_stack.hass.running() and await api.energy_prefs() != energy:
            await api.save_energy_prefs(energy)
    # what Home Assistant logged during this test: a deprecation naming the integration, or an
    # error or traceback of the integration, fails it
    problems = shared_stack.log_problems()
    assert not problems, "Home Assistant's log:\n" + "\n".join(problems)
