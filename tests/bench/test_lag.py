"""scripts/bench: how long a new record waits at the cloud before Home Assistant has it.

The simulator uploads as real DataLogs do (`upload_model="realistic"`: a phase per DataLog, 5-90 s
before a record is visible, about 2 % of uploads missed, a little clock drift). Time is frozen and
moved from one due timer to the next, so every poll runs at its planned moment (simulated time),
and the real coordinators poll the simulator over HTTP. For every upload the simulator made
visible in the measured window, the lag runs from its `visibleAt` to the moment the device's
realtime coordinator first held that record or a newer one (its entities write their states in
that same callback).

One run measures twice, on the same account: first the fixed 5-minute interval the integration
used before (the baseline), then the upload-timed schedule (schedule.py). The first hour of each
is left out of the main figures (the schedule learns the phases there) and printed on its own.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
import math
import statistics
import time
from typing import Any
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util
import pytest

from custom_components.atess.coordinator import AtessDevice
from custom_components.atess.schedule import UploadSchedule
from simulator.model.sample import TIME_FORMAT

from ..conftest import TOKEN, Simulator, SimulatorFactory, run_until
from .conftest import Figures, add_entry, isize

pytestmark = [pytest.mark.bench, pytest.mark.usefixtures("production_loop")]

START = datetime(2026, 6, 2, 10, 0, 7, tzinfo=UTC)
PERIOD = 300.0
DAY = 86_400.0


class FixedInterval(UploadSchedule):
    """The baseline: a poll every period, on no particular phase, whatever the records say."""

    @property
    def aligned(self) -> bool:
        """Never aligned to the uploads."""
        return False

    def polled(self, now: float, stamp: float | None) -> float:
        """The period, always."""
        super().polled(now, stamp)
        return self.period

    def failed(self, now: float, retry_after: float | None = None) -> float:
        """The period, or the cloud's retry-after when longer."""
        super().failed(now, retry_after)
        return max(retry_after or 0.0, self.period)


def percentile(values: list[float], share: float) -> float:
    """The value below which `share` of the values lie (nearest rank); inf when there are none."""
    if not values:
        return math.inf
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


class Run:
    """One measured stretch of simulated time: when each device first had each record."""

    def __init__(self, devices: list[AtessDevice]) -> None:
        """Follow every device's realtime coordinator."""
        self.devices = devices
        # serial -> record time (plant-local text, as the cloud writes it) -> first seen (POSIX)
        self.first: dict[str, dict[str, float]] = {d.sn: {} for d in devices}

    def follow(self, device: AtessDevice) -> Callable[[], None]:
        """Note the moment the coordinator first holds each record of the device."""

        def seen() -> None:
            data = device.realtime.data
            if data is not None and data.sample_time is not None:
                stamp = data.sample_time.strftime(TIME_FORMAT)
                self.first[device.sn].setdefault(stamp, time.time())

        return device.realtime.async_add_listener(seen)

    def lags(self, sim: Simulator, after: float, before: float) -> list[float]:
        """Lag of every upload made visible in [after, before] (inf: Home Assistant never had it).

        An upload overtaken by a newer one before a poll saw it counts until the newer one is had.
        """
        lags = []
        count = math.ceil((time.time() - after) / PERIOD) + 24
        for device in self.devices:
            seen = sorted(self.first[device.sn].items())
            for row in sim.state.uploads(device.sn, count)["uploads"]:
                visible = float(row["visibleAtTs"])
                if row["missed"] or not after <= visible <= before:
                    continue
                had = [at for stamp, at in seen if stamp >= row["time"]]
                lags.append(min(had) - visible if had else math.inf)
        return lags


async def _measure(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, sim: Simulator, hours: float
) -> tuple[Run, dict[str, Any], float]:
    """Set up an entry, let `hours` pass from timer to timer, unload and remove it."""
    entry = add_entry(hass, sim.url, TOKEN, sim.plant_ids())
    began = dt_util.utcnow()
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert entry.state is ConfigEntryState.LOADED
    run = Run(list(entry.runtime_data.devices.values()))
    for device in run.devices:
        entry.async_on_unload(run.follow(device))
    sim.state.reset_stats()
    await run_until(hass, freezer, began + timedelta(hours=hours))
    stats = sim.state.stats()
    retries = sum(d.realtime.schedule.stats.retries for d in run.devices)
    assert await hass.config_entries.async_remove(entry.entry_id)
    await hass.async_block_till_done()
    return run, {"stats": stats, "retries": retries}, began.timestamp()


def _polls_per_device_per_day(counts: dict[str, Any], devices: int, hours: float) -> float:
    realtime = sum(n for key, n in counts["stats"]["requests"].items() if "data-last" in key)
    return realtime / devices * 24 / hours


@pytest.mark.freeze_time(START)
async def test_realtime_lag(
    hass: HomeAssistant,
    start_simulator: SimulatorFactory,
    freezer: FrozenDateTimeFactory,
    figures: Figures,
) -> None:
    """Lag from a record becoming visible to Home Assistant having it: schedule and baseline."""
    hours = isize("ATESS_BENCH_LAG_HOURS")
    per_kind = isize("ATESS_BENCH_LAG_DEVICES_PER_KIND")
    learn = 3600.0
    sim = await start_simulator(devices_per_kind=per_kind, upload_model="realistic")

    with patch("custom_components.atess.coordinator.UploadSchedule", FixedInterval):
        fixed, fixed_counts, began = await _measure(hass, freezer, sim, hours)
    fixed_lags = fixed.lags(sim, began + learn, time.time() - PERIOD)

    timed, timed_counts, began = await _measure(hass, freezer, sim, hours)
    lags = timed.lags(sim, began + learn, time.time() - PERIOD)
    learning = timed.lags(sim, began, began + learn)
    devices = len(timed.devices)

    figures.add("realtime_lag_median_s", statistics.median(lags), "s", 1)
    figures.add("realtime_lag_p95_s", percentile(lags, 0.95), "s", 1)
    figures.add("realtime_lag_max_s", max(lags), "s", 1)
    figures.add("realtime_lag_fixed_interval_median_s", statistics.median(fixed_lags), "s", 1)
    figures.add("realtime_lag_fixed_interval_p95_s", percentile(fixed_lags, 0.95), "s", 1)
    figures.add("realtime_lag_first_hour_median_s", statistics.median(learning), "s", 1)
    figures.add(
        "realtime_polls_per_device_per_day",
        _polls_per_device_per_day(timed_counts, devices, hours),
        "requests",
        1,
    )
    figures.add(
        "realtime_polls_fixed_interval_per_device_per_day",
        _polls_per_device_per_day(fixed_counts, len(fixed.devices), hours),
        "requests",
        1,
    )
    figures.add(
        "realtime_retries_per_device_per_day",
        timed_counts["retries"] / devices * 24 / hours,
        "requests",
        2,
    )
    figures.add("realtime_lag.records", len(lags), "records", 0)
    figures.add("realtime_lag.devices", devices, "devices", 0)
    figures.add("realtime_lag.simulated", hours, "h", 0)
    figures.check(
        ["realtime_lag_median_s", "realtime_lag_fixed_interval_median_s"],
        goals="lag",
    )
