"""The plant totals' hourly statistics: each hour the sum of the devices' own rows, no doubling."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import partial
import itertools
from typing import Any

from aiohttp import web
from aiohttp.typedefs import Handler
from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.recorder import Recorder
from homeassistant.components.recorder.statistics import get_metadata
from homeassistant.core import HomeAssistant
from homeassistant.helpers.recorder import get_instance
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.atess.history import floor_hour, statistic_id
from custom_components.atess.history_rows import plant_statistic_id
from custom_components.atess.plant_history import async_catch_up_plant

from .conftest import SimulatorFactory, add_entry_for, advance
from .test_history import rows_of
from .test_plant_totals import SUMS

pytestmark = pytest.mark.freeze_time("2026-06-21 10:02:00+00:00")

FLOWS = (
    "pv_energy",
    "battery_charge_energy",
    "battery_discharge_energy",
    "grid_import_energy",
    "grid_export_energy",
    "load_energy",
)


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(
    recorder_mock: Recorder, enable_custom_integrations: None
) -> None:
    """The recorder must be prepared before Home Assistant starts (it is, when asked first)."""


async def device_rows(
    hass: HomeAssistant, entry: MockConfigEntry, flow: str, start: datetime
) -> list[dict[float, float]]:
    """Per part of the flow (the test's own table), its hourly states by row start."""
    parts = []
    for device in entry.runtime_data.devices.values():
        if (found := SUMS[flow].get(str(device.ref.kind))) is not None:
            rows = await rows_of(hass, statistic_id(device.sn, found[0]), start)
            assert rows, (device.sn, found[0])
            parts.append({r["start"]: r["state"] for r in rows})
    return parts


def assert_sum_of_parts(
    plant: list[dict[str, Any]], parts: list[dict[float, float]], hours: int
) -> None:
    """Contiguous hours; each state the parts' sum; each sum grows as the state does."""
    assert len(plant) == hours
    for row in plant:
        assert row["state"] == pytest.approx(sum(p[row["start"]] for p in parts))
    for before, after in itertools.pairwise(plant):
        assert after["start"] - before["start"] == 3600
        assert after["sum"] - before["sum"] == pytest.approx(after["state"] - before["state"])


async def test_seven_days_of_plant_rows_are_the_sum_of_the_devices_rows(
    hass: HomeAssistant, setup_entry: MockConfigEntry
) -> None:
    """Every lifetime flow: 7 x 24 rows, each the hour's sum over the devices that feed it."""
    await hass.async_block_till_done(wait_background_tasks=True)
    start = floor_hour(dt_util.utcnow()) - timedelta(days=7)
    for flow in FLOWS:
        plant = await rows_of(hass, plant_statistic_id("1001", flow), start)
        assert_sum_of_parts(plant, await device_rows(hass, setup_entry, flow, start), 7 * 24)
        assert plant[-1]["sum"] > 0, flow
    # readable names, like the sensors'
    stat_id = plant_statistic_id("1001", "grid_export_energy")
    metadata = await get_instance(hass).async_add_executor_job(
        partial(get_metadata, hass, statistic_ids={stat_id})
    )
    [(_, meta)] = metadata.values()
    assert meta["name"] == "Demo Plant Grid export total"
    assert meta["unit_of_measurement"] == "kWh"
    assert meta["has_sum"] is True
    # run again: nothing new, nothing changed
    before = await rows_of(hass, plant_statistic_id("1001", "pv_energy"), start)
    assert await async_catch_up_plant(hass, setup_entry, "1001") == 0
    assert await rows_of(hass, plant_statistic_id("1001", "pv_energy"), start) == before


async def test_an_interrupted_import_resumes_without_doubling(
    hass: HomeAssistant, start_simulator: SimulatorFactory, freezer: FrozenDateTimeFactory
) -> None:
    """The PBD's history fails after two days: PV waits for it, the grid goes on; then both
    continue from where they stopped, an hour later, with every sum counted once."""
    requests = {"pbd": 0}
    failing = {"on": True}

    @web.middleware
    async def flaky_pbd(request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.path == "/api/v1/pbd/data-list":
            requests["pbd"] += 1
            if failing["on"] and requests["pbd"] > 6:
                return web.json_response({"code": 500, "msg": "busy", "data": None})
        return await handler(request)

    simulator = await start_simulator(middlewares=[flaky_pbd])
    entry = add_entry_for(hass, simulator)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    start = floor_hour(dt_util.utcnow()) - timedelta(days=7)
    assert requests["pbd"] > 6
    assert await rows_of(hass, plant_statistic_id("1001", "pv_energy"), start) == []
    grid = await rows_of(hass, plant_statistic_id("1001", "grid_import_energy"), start)
    assert len(grid) == 7 * 24

    failing["on"] = False
    for _ in range(12):  # one hour of uploads: the hour completes, every device catches up
        await advance(hass, freezer, timedelta(minutes=5))
    await advance(hass, freezer, timedelta(seconds=30))
    await hass.async_block_till_done(wait_background_tasks=True)
    for flow in ("pv_energy", "grid_import_energy"):
        plant = await rows_of(hass, plant_statistic_id("1001", flow), start)
        assert_sum_of_parts(plant, await device_rows(hass, entry, flow, start), 7 * 24 + 1)
