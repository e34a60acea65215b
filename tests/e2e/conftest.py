"""End-to-end tests run Home Assistant as a separate process, so they need no `hass` fixture.

`stack` starts the simulator and a fresh Home Assistant on free loopback ports, onboards the demo
owner, sets the integration up through the config flow's REST API and waits until every device
shows values: the state a person finds after clicking through the UI. The Home Assistant started
is .venv's, or the one $ATESS_E2E_HASS names (scripts/test-range: another release).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

from aiohttp import ClientSession
from awesomeversion import AwesomeVersion
import pytest

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


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations() -> None:
    """Override the suite's autouse fixture: it would build an in-process `hass` for nothing."""


@pytest.fixture
def children(socket_enabled: None) -> Iterator[list[Child]]:
    """Processes the test starts; stopped by PID (SIGTERM, then SIGKILL) in any case.

    Then the log of every Home Assistant started is read, its shutdown included: the test fails
    on a deprecation naming the integration, or an error or traceback of the integration.
    """
    started: list[Child] = []
    yield started
    for child in reversed(started):
        child.stop(timeout=20)
    problems = [
        f"{child.log_path.name}: {record}"
        for child in started
        if child.name == "hass" and child.log_path is not None and child.log_path.exists()
        for record in integration_problems(child.log_path.read_text(encoding="utf-8"))
    ]
    assert not problems, "Home Assistant's log:\n" + "\n".join(problems)


@dataclass
class Stack:
    """A running simulator and Home Assistant with the integration set up against it."""

    cloud: SimulatorApi
    api: HassApi
    devices: list[SimDevice]
    sim_url: str
    hass_url: str
    config_dir: Path
    hass: Child
    version: AwesomeVersion

    def device(self, kind: str) -> SimDevice:
        """The account's first device of a kind."""
        return next(d for d in self.devices if d.kind == kind)


@pytest.fixture
async def stack(children: list[Child], tmp_path: Path) -> AsyncIterator[Stack]:
    """Simulator and Home Assistant started, onboarded, the ATESS entry loaded, values shown."""
    sim_port, hass_port = free_port(), free_port()
    sim = start_simulator(sim_port, log_path=tmp_path / "simulator.log")
    children.append(sim)
    config_dir = tmp_path / "config"
    write_minimal_config(config_dir, hass_port, recorder=True)  # as every installation has
    sim_url, hass_url = f"http://127.0.0.1:{sim_port}", f"http://127.0.0.1:{hass_port}"

    async with ClientSession() as http:
        cloud = SimulatorApi(http, sim_url)
        await cloud.wait_up(30, sim.running)
        devices = await cloud.devices()

        hass = start_hass(config_dir, log_path=tmp_path / "hass.log")
        children.append(hass)
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
        yield Stack(cloud, api, devices, sim_url, hass_url, config_dir, hass, version)
