"""End to end: a real `hass` process and the simulator, driven over REST like a user would.

Onboarding, the config flow, entity states with units, and the write path of a setting: one PUT
per change, none for a repeat, ten a day and the eleventh refused by the integration itself (the
cloud never sees it), and that budget kept across a restart of Home Assistant. Everything runs on
127.0.0.1; every wait has a deadline; the processes are stopped by PID whatever happens.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
import time
from typing import Any

from aiohttp import ClientSession
import pytest

from scripts.e2e_support import (
    DEMO_TOKEN,
    Child,
    DemoUser,
    HassApi,
    SimulatorApi,
    free_port,
    is_number,
    start_hass,
    start_simulator,
    write_minimal_config,
)

pytestmark = pytest.mark.e2e

START_TIMEOUT = 60.0  # a Home Assistant start takes ~3 s here; generous for a loaded CI runner
SETTING_PUT = "PUT /api/v1/hps/big-setting"


@pytest.fixture
def children(socket_enabled: None) -> Iterator[list[Child]]:
    """Processes the test starts; stopped by PID (SIGTERM, then SIGKILL) in any case."""
    started: list[Child] = []
    yield started
    for child in reversed(started):
        child.stop(timeout=20)


def _puts(stats: dict[str, Any]) -> int:
    return int(stats["requests"].get(SETTING_PUT, 0))


async def _wait_available(api: HassApi, entity_id: str, within: float) -> dict[str, Any]:
    """The entity's state once it holds a number."""
    deadline = time.monotonic() + within
    while True:
        state = await api.state(entity_id)
        if state is not None and is_number(state["state"]):
            return state
        assert time.monotonic() < deadline, f"{entity_id} has no value: {state}"
        await asyncio.sleep(0.25)


async def test_real_hass(children: list[Child], tmp_path: Path) -> None:
    """Set up through the UI's APIs, read values, spend the write budget, restart, still spent."""
    sim_port, hass_port = free_port(), free_port()
    sim = start_simulator(sim_port, log_path=tmp_path / "simulator.log")
    children.append(sim)
    config_dir = tmp_path / "config"
    write_minimal_config(config_dir, hass_port)
    sim_url = f"http://127.0.0.1:{sim_port}"

    async with ClientSession() as http:
        cloud = SimulatorApi(http, sim_url)
        await cloud.wait_up(30, sim.running)
        devices = await cloud.devices()
        hps = next(d for d in devices if d.kind == "hps_big")

        hass = start_hass(config_dir, log_path=tmp_path / "hass.log")
        children.append(hass)
        api = HassApi(http, f"http://127.0.0.1:{hass_port}")
        steps = await api.wait_up(START_TIMEOUT, hass.running)
        assert steps is not None, "a fresh config directory must ask for onboarding"
        assert await api.onboard(DemoUser(), steps)
        assert await api.wait_up(5) is None  # onboarding finished
        # confirm the http: trial now, so the restart below cannot fall back to 0.0.0.0:8123
        assert await api.keep_loopback_http(DemoUser(), within=START_TIMEOUT) == "promoted"

        entry = await api.add_atess_entry(DEMO_TOKEN, sim_url)
        assert entry["domain"] == "atess"
        assert entry["state"] == "loaded"

        # every device shows numbers with units; the PV lifetime counter in kWh
        await api.wait_for_values([d.serial for d in devices], START_TIMEOUT, hass.running)
        ids = await api.atess_entity_ids()
        pv_total = await _wait_available(api, ids[f"{hps.serial}_epvtotal"], 10)
        assert pv_total["attributes"]["unit_of_measurement"] == "kWh"
        assert pv_total["attributes"]["device_class"] == "energy"
        assert float(pv_total["state"]) > 0

        number = ids[f"{hps.serial}_setting_chargecutoffsoc"]
        writes_left = ids[f"{hps.serial}_writes_left"]
        current = float((await _wait_available(api, number, 10))["state"])
        assert _puts(await cloud.stats()) == 0  # setting up reads, never writes

        async def set_soc(value: int) -> tuple[int, Any]:
            return await api.call_service(
                "number", "set_value", {"entity_id": number, "value": value}
            )

        # one change: exactly one PUT, with the cloud's key and the value as a string
        first = 90 if current != 90 else 80
        assert (await set_soc(first))[0] == 200
        stats = await cloud.stats()
        assert _puts(stats) == 1
        assert stats["writes_applied"] == {hps.serial: 1}
        assert stats["writes"][-1]["key"] == "chargeCutoffSoc"
        assert float(stats["writes"][-1]["value"]) == first

        # the same value again changes nothing: nothing is sent, nothing is spent
        assert (await set_soc(first))[0] == 200
        assert _puts(await cloud.stats()) == 1

        # nine more changes spend the budget of ten
        for value in range(first + 1, first + 10):
            status, body = await set_soc(value)
            assert status == 200, body
        stats = await cloud.stats()
        assert _puts(stats) == 10
        assert stats["writes_applied"] == {hps.serial: 10}
        assert (await _wait_available(api, writes_left, 5))["state"] == "0"

        # the eleventh is refused by the integration, with its translated message; no PUT
        status, body = await set_soc(50)
        assert status == 400
        assert "10 setting writes" in body["message"]
        stats = await cloud.stats()
        assert _puts(stats) == 10
        assert stats["writes_applied"] == {hps.serial: 10}
        assert stats.get("writes_refused", {}).get(hps.serial, 0) == 0  # the cloud never saw it

        # restart Home Assistant: the budget is persisted, so the next write is still refused
        assert hass.stop(timeout=30) == 0
        hass = start_hass(config_dir, log_path=tmp_path / "hass-restarted.log")
        children.append(hass)
        assert await api.wait_up(START_TIMEOUT, hass.running) is None
        await api.login(DemoUser())
        await _wait_available(api, number, START_TIMEOUT)
        assert (await _wait_available(api, writes_left, 10))["state"] == "0"
        status, body = await set_soc(40)
        assert status == 400
        assert "10 setting writes" in body["message"]
        assert _puts(await cloud.stats()) == 10
