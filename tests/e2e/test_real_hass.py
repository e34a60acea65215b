"""End to end: a real `hass` process and the simulator, driven over its APIs like the UI does.

Onboarding, the config flow, entity states with units, and the write path of a setting: one PUT
per change, none for a repeat, ten a day and the eleventh refused by the integration itself (the
cloud never sees it), and that budget kept across a restart of Home Assistant; then the cloud's
history in the hourly statistics. Everything runs on 127.0.0.1; every wait has a deadline; the
processes are stopped by PID whatever happens. `scripts/test-range` runs it against other
Home Assistant releases.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from scripts.e2e_support import HassApiError

from .blueprints import check_blueprints
from .conftest import START_TIMEOUT, Stack

# it spends the central HPS's whole write budget and restarts Home Assistant: after the others
pytestmark = [pytest.mark.e2e, pytest.mark.e2e_last]

SETTING_PUT = "PUT /api/v1/hps/big-setting"


# Home Assistant retries a failed setup after 5 s, well within the simulator's Retry-After of 30 s
THROTTLE_WINDOW = 7.0


def _requests(stats: dict[str, Any]) -> int:
    """Every API request the cloud has seen."""
    return sum(int(n) for path, n in stats["requests"].items() if " /api/" in path)


def _puts(stats: dict[str, Any]) -> int:
    return int(stats["requests"].get(SETTING_PUT, 0))


def _device_statistics(serial: str) -> set[str]:
    """The imported `sum` statistics of a device's PV, grid and battery totals."""
    return {
        f"atess:{serial}_{field}"
        for field in ("epvtotal", "egridtotal", "etogridtotal", "ebatchargetotal")
    }


async def test_real_hass(stack: Stack) -> None:
    """Set up through the UI's APIs, read values, spend the write budget, restart, still spent;
    then a throttling cloud gets no request from the setup retries before its Retry-After."""
    api, cloud = stack.api, stack.cloud
    hps = stack.device("hps_big")
    # every device shows numbers with units; the PV lifetime counter in kWh
    ids = await api.atess_entity_ids()
    pv_total = await api.wait_number(ids[f"{hps.serial}_epvtotal"], 10)
    assert pv_total["attributes"]["unit_of_measurement"] == "kWh"
    assert pv_total["attributes"]["device_class"] == "energy"
    assert float(pv_total["state"]) > 0
    # the plant's totals: its PV energy is the central HPS's and the others' together
    plant_pv = await api.wait_number(ids["plant_1001_pv_energy"], 30)
    assert plant_pv["attributes"]["unit_of_measurement"] == "kWh"
    assert plant_pv["attributes"]["state_class"] == "total_increasing"
    assert float(plant_pv["state"]) > float(pv_total["state"])

    number = ids[f"{hps.serial}_setting_chargecutoffsoc"]
    writes_left = ids[f"{hps.serial}_writes_left"]
    current = float((await api.wait_number(number, 10))["state"])
    assert _puts(stack.shared.setup_stats) == 0  # setting up reads, never writes
    assert _puts(await cloud.stats()) == 0

    async def set_soc(value: int) -> str | None:
        """None when the write is accepted, else Home Assistant's error (code and message)."""
        try:
            await api.perform("number", "set_value", {"entity_id": number, "value": value})
        except HassApiError as err:
            return str(err)
        return None

    # one change: exactly one PUT, with the cloud's key and the value as a string
    first = 90 if current != 90 else 80
    assert await set_soc(first) is None
    stats = await cloud.stats()
    assert _puts(stats) == 1
    assert stats["writes_applied"] == {hps.serial: 1}
    assert stats["writes"][-1]["key"] == "chargeCutoffSoc"
    assert float(stats["writes"][-1]["value"]) == first

    # the same value again changes nothing: nothing is sent, nothing is spent
    assert await set_soc(first) is None
    assert _puts(await cloud.stats()) == 1

    # nine more changes spend the budget of ten
    for value in range(first + 1, first + 10):
        assert await set_soc(value) is None
    stats = await cloud.stats()
    assert _puts(stats) == 10
    assert stats["writes_applied"] == {hps.serial: 10}
    assert (await api.wait_number(writes_left, 5))["state"] == "0"

    # the eleventh is refused by the integration, with its translated message; no PUT
    refusal = await set_soc(50)
    assert refusal is not None
    assert "service_validation_error" in refusal
    assert "10 setting writes" in refusal
    stats = await cloud.stats()
    assert _puts(stats) == 10
    assert stats["writes_applied"] == {hps.serial: 10}
    assert stats.get("writes_refused", {}).get(hps.serial, 0) == 0  # the cloud never saw it

    # restart Home Assistant: the budget is persisted, so the next write is still refused; even
    # when its file was broken meanwhile (an unreadable budget counts as spent)
    budget = stack.config_dir / ".storage" / "atess.write_budget"
    await stack.restart(while_stopped=lambda: budget.write_text("{ not json", "utf-8"))
    await api.wait_number(number, START_TIMEOUT)
    assert (await api.wait_number(writes_left, 10))["state"] == "0"
    refusal = await set_soc(40)
    assert refusal is not None
    assert "10 setting writes" in refusal
    assert _puts(await cloud.stats()) == 10

    # the cloud's history went into the hourly statistics the Energy dashboard offers
    statistics = await api.wait_statistics(_device_statistics(hps.serial.lower()), START_TIMEOUT)
    pv = statistics[f"atess:{hps.serial.lower()}_epvtotal"]
    assert pv["source"] == "atess"
    assert pv["statistics_unit_of_measurement"] == "kWh"
    assert pv["name"]
    # and the plant's, from the devices' rows
    statistics = await api.wait_statistics({"atess:1001_pv_energy"}, START_TIMEOUT)
    assert statistics["atess:1001_pv_energy"]["statistics_unit_of_measurement"] == "kWh"

    # the repository's blueprints: each loads, and an automation saved from each is on
    await check_blueprints(stack, 30)

    # the cloud throttles (429, Retry-After 30 s) and the owner reloads: the setup's request
    # meets it, and neither Home Assistant's setup retry (after 5 s up to 2026.10, 30 s from
    # 2026.11) nor a second reload by the owner sends anything before the Retry-After
    await cloud.set_faults(throttle_rate=1.0)
    asked = _requests(await cloud.stats())
    [entry] = await api.config_entries("atess")
    reload = f"/api/config/config_entries/entry/{entry['entry_id']}/reload"
    await api.expect("POST", reload)
    await asyncio.sleep(THROTTLE_WINDOW)
    assert _requests(await cloud.stats()) - asked == 1
    await api.expect("POST", reload)
    assert _requests(await cloud.stats()) - asked == 1
    [entry] = await api.config_entries("atess")
    assert entry["state"] == "setup_retry"
    assert "quiet until" in (entry.get("reason") or "")
    await cloud.set_faults(throttle_rate=0.0)
