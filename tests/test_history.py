"""History import into long-term statistics: no holes, no double counting, idempotent."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
import itertools
from typing import Any

from aiohttp import web
from aiohttp.typedefs import Handler
from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.recorder import Recorder
from homeassistant.components.recorder.statistics import statistics_during_period
from homeassistant.components.sensor import SensorDeviceClass
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.recorder import get_instance
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.recorder.common import (
    async_wait_recording_done,
)

from custom_components.atess.const import DOMAIN
from custom_components.atess.history import floor_hour, history_fields, statistic_id

from .conftest import Simulator, SimulatorFactory, add_entry_for, advance

pytestmark = pytest.mark.freeze_time("2026-06-21 10:02:00+00:00")


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(
    recorder_mock: Recorder, enable_custom_integrations: None
) -> None:
    """The recorder must be prepared before Home Assistant starts (it is, when asked first)."""


# The lifetime counters of the central HPS that feed the Energy dashboard.
COUNTERS = ("epvTotal", "ebatChargeTotal", "ebatDischargeTotal", "egridTotal", "etoGridTotal")


async def rows_of(hass: HomeAssistant, stat_id: str, start: datetime) -> list[dict[str, Any]]:
    """Hourly rows of a statistic from `start` on."""
    await async_wait_recording_done(hass)
    found = await get_instance(hass).async_add_executor_job(
        statistics_during_period,
        hass,
        start,
        None,
        {stat_id},
        "hour",
        None,
        {"state", "sum", "mean", "min", "max"},
    )
    return list(found.get(stat_id, []))


def hps_big(simulator: Simulator) -> str:
    """The central HPS of the demo plant."""
    return next(d["deviceSn"] for d in simulator.devices() if d["kind"] == "hps_big")


def assert_consistent(rows: list[dict[str, Any]]) -> None:
    """Contiguous hours, and every hour's sum grows by exactly its counter's growth."""
    for before, after in itertools.pairwise(rows):
        assert after["start"] - before["start"] == 3600
        assert after["sum"] - before["sum"] == pytest.approx(after["state"] - before["state"])
        assert after["state"] >= before["state"]


def assert_match_simulator(
    simulator: Simulator, sn: str, field: str, rows: list[dict[str, Any]]
) -> None:
    """Each hour's state is what the device's counter said at the end of that hour."""
    for row in rows:
        hour_end = dt_util.utc_from_timestamp(row["end"]) - timedelta(seconds=1)
        expected = simulator.state.counters_at(sn, hour_end)[field]
        assert row["state"] == pytest.approx(expected), f"{field} at {hour_end}"


async def test_first_setup_imports_last_week_matching_the_cloud(
    recorder_mock: Recorder,
    hass: HomeAssistant,
    setup_entry: MockConfigEntry,
    simulator: Simulator,
) -> None:
    """Seven days of hourly rows equal the cloud's counters; a day's sum is its daily counter."""
    await hass.async_block_till_done(wait_background_tasks=True)
    sn = hps_big(simulator)
    now = dt_util.utcnow()
    start = floor_hour(now) - timedelta(days=7)
    for field in COUNTERS:
        rows = await rows_of(hass, statistic_id(sn, field), start)
        assert len(rows) == 7 * 24, field
        assert_consistent(rows)
        assert_match_simulator(simulator, sn, field, rows)

    # one whole plant-local day: the sum of its hours equals the device's daily counter
    tz = setup_entry.runtime_data.inventory.data.timezone("1001")
    day_end = datetime(2026, 6, 20, 23, 59, 59, tzinfo=tz)
    day_start = datetime(2026, 6, 20, 0, 0, tzinfo=tz)
    rows = await rows_of(hass, statistic_id(sn, "epvTotal"), start)
    by_end = {r["end"]: r for r in rows}
    last = by_end[dt_util.as_utc(day_end + timedelta(seconds=1)).timestamp()]
    first = by_end[dt_util.as_utc(day_start).timestamp()]
    daily = simulator.state.counters_at(sn, day_end)["epvToday"]
    assert daily > 0
    assert last["sum"] - first["sum"] == pytest.approx(daily)

    power = await rows_of(hass, statistic_id(sn, "ppv1"), start)
    assert len(power) == 7 * 24
    assert all(r["min"] <= r["mean"] <= r["max"] for r in power)


# Two days imported first (the week's import is the first test's subject): each day is about
# 1,100 hourly rows the recorder writes one by one.
@pytest.mark.parametrize("history_days", [2])
async def test_a_restart_after_six_hours_leaves_no_hole_and_counts_nothing_twice(
    recorder_mock: Recorder,
    hass: HomeAssistant,
    setup_entry: MockConfigEntry,
    simulator: Simulator,
    freezer: FrozenDateTimeFactory,
    history_days: int,
) -> None:
    """Polled hours, then six hours down, then a fresh start: one seamless series."""
    await hass.async_block_till_done(wait_background_tasks=True)
    sn = hps_big(simulator)
    start = floor_hour(dt_util.utcnow()) - timedelta(days=7)
    for _ in range(2 * 12):  # two hours of polling, every upload seen
        await advance(hass, freezer, timedelta(minutes=5))
    # polls follow the uploads: the last one comes seconds after its record, not on the step
    await advance(hass, freezer, timedelta(seconds=30))
    polled = await rows_of(hass, statistic_id(sn, "epvTotal"), start)
    assert len(polled) == history_days * 24 + 2

    assert await hass.config_entries.async_unload(setup_entry.entry_id)
    freezer.tick(timedelta(hours=6))
    assert await hass.config_entries.async_setup(setup_entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)

    # every Energy-dashboard counter of every device, not only the central HPS's
    checked = 0
    for device in setup_entry.runtime_data.devices.values():
        for desc in history_fields(device).values():
            if desc.device_class is not SensorDeviceClass.ENERGY:
                continue
            if device.realtime.data is None or desc.field not in device.realtime.data:
                continue
            rows = await rows_of(hass, statistic_id(device.sn, desc.field), start)
            assert len(rows) == history_days * 24 + 2 + 6, (device.sn, desc.field)
            assert_consistent(rows)
            assert_match_simulator(simulator, device.sn, desc.field, rows)
            checked += 1
    assert checked >= 20
    assert (
        setup_entry.runtime_data.history.behind(
            setup_entry.runtime_data.devices[sn], floor_hour(dt_util.utcnow())
        )
        is False
    )


@pytest.mark.parametrize("history_days", [3])  # the window below lies in the third day back
async def test_importing_the_same_window_twice_changes_nothing(
    recorder_mock: Recorder,
    hass: HomeAssistant,
    setup_entry: MockConfigEntry,
    simulator: Simulator,
) -> None:
    """The action is idempotent: the same rows, the same sums."""
    await hass.async_block_till_done(wait_background_tasks=True)
    sn = hps_big(simulator)
    device = dr.async_get(hass).async_get_device_by_identifier((DOMAIN, sn), setup_entry.entry_id)
    assert device is not None
    start = floor_hour(dt_util.utcnow()) - timedelta(days=7)
    before = await rows_of(hass, statistic_id(sn, "epvTotal"), start)
    window = {
        "device_id": device.id,
        "start": (dt_util.utcnow() - timedelta(days=3)).isoformat(),
        "end": (dt_util.utcnow() - timedelta(days=2)).isoformat(),
    }
    for _ in range(2):
        result = await hass.services.async_call(
            DOMAIN, "import_history", window, blocking=True, return_response=True
        )
        assert result is not None
        assert result["rows"] > 0
        after = await rows_of(hass, statistic_id(sn, "epvTotal"), start)
        assert [(r["start"], r["state"], r["sum"]) for r in after] == [
            (r["start"], r["state"], pytest.approx(r["sum"])) for r in before
        ]

    with pytest.raises(ServiceValidationError):
        await hass.services.async_call(
            DOMAIN,
            "import_history",
            {**window, "start": window["end"], "end": window["start"]},
            blocking=True,
            return_response=True,
        )


async def test_an_import_interrupted_by_unload_keeps_its_days_and_resumes_after_them(
    recorder_mock: Recorder,
    hass: HomeAssistant,
    start_simulator: SimulatorFactory,
) -> None:
    """Unloaded during the third day of the first import: two whole days stay written; the next
    setup imports the other five, and neither rewrites nor counts again what was there."""
    days_seen: list[str] = []
    held, release = asyncio.Event(), asyncio.Event()
    sn = ""

    @web.middleware
    async def hold_third_day(request: web.Request, handler: Handler) -> web.StreamResponse:
        """Hold the central HPS's history requests from the third day on, until released."""
        if "data-list" in request.path and request.query.get("deviceSn") == sn:
            day = request.query["startDate"]
            if day not in days_seen:
                days_seen.append(day)
            if days_seen.index(day) >= 2 and not release.is_set():
                held.set()
                await release.wait()
        return await handler(request)

    simulator = await start_simulator(middlewares=[hold_third_day])
    sn = hps_big(simulator)
    entry = add_entry_for(hass, simulator)
    start = floor_hour(dt_util.utcnow()) - timedelta(days=7)

    assert await hass.config_entries.async_setup(entry.entry_id)
    await held.wait()  # the import has written two days and waits for the third
    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    release.set()
    interrupted = {}
    for field in COUNTERS:
        rows = await rows_of(hass, statistic_id(sn, field), start)
        assert len(rows) == 2 * 24, field
        assert rows[0]["start"] == start.timestamp()
        assert_consistent(rows)
        assert_match_simulator(simulator, sn, field, rows)
        interrupted[field] = rows

    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    for field in COUNTERS:
        rows = await rows_of(hass, statistic_id(sn, field), start)
        assert len(rows) == 7 * 24, field
        assert len({row["start"] for row in rows}) == len(rows)
        assert rows[: 2 * 24] == interrupted[field]  # the first two days, untouched
        assert_consistent(rows)  # the sums go on from where the interrupted import stopped
        assert_match_simulator(simulator, sn, field, rows)
    assert len(days_seen) == 7


@pytest.mark.parametrize("history_days", [2])  # the window imported again below
async def test_history_pages_with_odd_fields_are_handled(
    recorder_mock: Recorder,
    hass: HomeAssistant,
    setup_entry: MockConfigEntry,
    simulator: Simulator,
) -> None:
    """Missing, extra and string-typed fields: the import goes on, the series stays consistent."""
    await hass.async_block_till_done(wait_background_tasks=True)
    sn = hps_big(simulator)
    device = setup_entry.runtime_data.devices[sn]
    simulator.state.set_faults(
        missing_fields_rate=0.3, extra_fields_rate=0.3, string_numbers_rate=0.3
    )
    written = await setup_entry.runtime_data.history.async_import_window(
        device, dt_util.utcnow() - timedelta(days=2), dt_util.utcnow()
    )
    assert written > 0
    start = floor_hour(dt_util.utcnow()) - timedelta(days=7)
    for field in COUNTERS:
        assert_consistent(await rows_of(hass, statistic_id(sn, field), start))
