"""Realtime polls follow the uploads, in Home Assistant's own clock (frozen and moved by the test).

The simulator answers data-last with a record time from a fake upload model (a phase, a delay
before each record is visible, missed uploads), so the real coordinators learn it over HTTP. Time
moves from one due timer to the next, so every poll runs at the moment it was planned for.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
import statistics
import time
from typing import Any
from zoneinfo import ZoneInfo

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import CONF_TOKEN, CONF_URL
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.atess.const import (
    CONF_PLANTS,
    DOMAIN,
    REALTIME_INTERVAL,
    SETTINGS_INTERVAL,
)
from custom_components.atess.coordinator import AtessDevice

from .conftest import TOKEN, SimulatorFactory, run_until

PERIOD = REALTIME_INTERVAL.total_seconds()
ZONE = ZoneInfo("Europe/Berlin")  # the simulator's plants


@dataclass
class Uploads:
    """Upload k happens at k * PERIOD + phase (POSIX seconds) and shows `delay(k)` later."""

    phase: float = 137.0
    delay: Callable[[int], float] = lambda k: 40.0 + (k * 7) % 11
    missed: set[int] = field(default_factory=set)
    with_time: bool = True

    def visible(self, k: int) -> float:
        return k * PERIOD + self.phase + self.delay(k)

    def latest(self, now: float) -> int:
        k = int((now - self.phase) // PERIOD)
        while k in self.missed or self.visible(k) > now:
            k -= 1
        return k

    def index(self, sample_time: datetime) -> int:
        """The upload of a record time (plant-local, as the integration reads it)."""
        moment = sample_time.replace(tzinfo=ZONE) if sample_time.tzinfo is None else sample_time
        return round((moment.timestamp() - self.phase) / PERIOD)

    def rewrite(self, path: str, body: Any) -> Any:
        """data-last answers with the latest visible upload's time (plant-local, as the cloud)."""
        if "data-last" in path and isinstance(body, dict) and isinstance(body.get("data"), dict):
            record = body["data"]
            record.pop("time", None)
            if self.with_time:
                k = self.latest(time.time())
                stamp = datetime.fromtimestamp(k * PERIOD + self.phase, ZONE)
                record["time"] = stamp.strftime("%Y-%m-%d %H:%M:%S")
        return body


@dataclass
class Watch:
    """When Home Assistant first had each upload of one device, and how many data-last calls."""

    first_seen: dict[int, float] = field(default_factory=dict)

    def follow(self, device: AtessDevice, uploads: Uploads) -> Callable[[], None]:
        def seen() -> None:
            data = device.realtime.data
            if data is not None and data.sample_time is not None:
                self.first_seen.setdefault(uploads.index(data.sample_time), time.time())

        return device.realtime.async_add_listener(seen)

    def lags(self, uploads: Uploads, after: float, before: float) -> list[float]:
        """Per upload visible in [after, before]: its visibility to Home Assistant having it."""
        found = sorted(self.first_seen.items())
        lags = []
        for k in range(int(after // PERIOD) - 1, int(before // PERIOD) + 1):
            if k in uploads.missed or not after <= uploads.visible(k) <= before:
                continue
            shown = min(t for seen, t in found if seen >= k)
            lags.append(shown - uploads.visible(k))
        return lags


def realtime_calls(stats: dict[str, Any]) -> int:
    return sum(n for key, n in stats["requests"].items() if "data-last" in key)


def settings_calls(stats: dict[str, Any]) -> int:
    return sum(
        n
        for key, n in stats["requests"].items()
        if key.startswith("GET ") and key.endswith("setting")
    )


async def _setup(
    hass: HomeAssistant, start_simulator: SimulatorFactory, uploads: Uploads, start: datetime
) -> tuple[MockConfigEntry, Any]:
    simulator = await start_simulator(rewrite=uploads.rewrite)
    entry = MockConfigEntry(
        domain=DOMAIN,
        data={CONF_TOKEN: TOKEN, CONF_URL: simulator.url},
        options={CONF_PLANTS: simulator.plant_ids()},
        unique_id=min(simulator.plant_ids()),
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert dt_util.utcnow() >= start
    return entry, simulator


START = datetime(2025, 6, 2, 10, 0, 7, tzinfo=UTC)


@pytest.mark.freeze_time(START)
async def test_polls_come_just_after_each_record_appears(
    hass: HomeAssistant, start_simulator: SimulatorFactory, freezer: FrozenDateTimeFactory
) -> None:
    """After learning, Home Assistant has each record seconds after the cloud shows it."""
    uploads = Uploads(missed={int(START.timestamp() // PERIOD) + 30})
    entry, simulator = await _setup(hass, start_simulator, uploads, START)
    device = next(iter(entry.runtime_data.devices.values()))
    watch = Watch()
    entry.async_on_unload(watch.follow(device, uploads))
    simulator.state.reset_stats()

    hours = 4
    await run_until(hass, freezer, START + timedelta(hours=hours))

    assert device.realtime.schedule.aligned
    report = device.realtime.schedule.report()  # what the diagnostics show
    assert report["timed_to_uploads"] is True
    assert 40 <= report["seconds_after_record_time"] <= 40 + 10 + 15
    lags = watch.lags(uploads, START.timestamp() + 2 * 3600, time.time() - PERIOD)
    assert statistics.median(lags) <= 15
    assert sorted(lags)[int(0.95 * len(lags))] <= 30
    devices = len(entry.runtime_data.devices)
    calls = realtime_calls(simulator.state.stats()) / devices
    retries = device.realtime.schedule.stats.retries
    assert calls <= hours * 3600 / PERIOD + retries + 1
    assert await hass.config_entries.async_unload(entry.entry_id)


@pytest.mark.freeze_time(START)
async def test_a_record_without_time_keeps_the_plain_interval(
    hass: HomeAssistant, start_simulator: SimulatorFactory, freezer: FrozenDateTimeFactory
) -> None:
    """No record time, no phase: a poll every 5 minutes, as before."""
    uploads = Uploads(with_time=False)
    entry, simulator = await _setup(hass, start_simulator, uploads, START)
    device = next(iter(entry.runtime_data.devices.values()))
    simulator.state.reset_stats()
    await run_until(hass, freezer, START + timedelta(hours=1, seconds=10))
    assert not device.realtime.schedule.aligned
    assert device.realtime.update_interval == REALTIME_INTERVAL
    devices = len(entry.runtime_data.devices)
    assert realtime_calls(simulator.state.stats()) == 12 * devices
    assert await hass.config_entries.async_unload(entry.entry_id)


@pytest.mark.freeze_time(START)
async def test_a_throttled_poll_waits_the_clouds_time_and_then_for_the_next_upload(
    hass: HomeAssistant, start_simulator: SimulatorFactory, freezer: FrozenDateTimeFactory
) -> None:
    """A throttled planned poll: nothing for the cloud's 30 s; a cloud that keeps throttling is
    asked once per upload (plus the retry allowance), not every 30 s."""
    uploads = Uploads()
    entry, simulator = await _setup(hass, start_simulator, uploads, START)
    devices = list(entry.runtime_data.devices.values())
    await run_until(hass, freezer, START + timedelta(hours=1))
    assert all(d.realtime.schedule.aligned for d in devices)
    simulator.state.set_faults(throttle_rate=1.0)

    # every device's next planned poll is throttled
    polls = {d.sn: d.realtime.schedule.stats.polls for d in devices}
    while any(d.realtime.schedule.stats.polls == polls[d.sn] for d in devices):
        await run_until(hass, freezer, dt_util.utcnow() + timedelta(seconds=1))
    assert all(not d.realtime.last_update_success for d in devices)
    throttled = realtime_calls(simulator.state.stats())
    waits = [getattr(d.realtime.last_exception, "retry_after", None) for d in devices]
    assert all(wait is not None and wait >= 30 for wait in waits)
    stamp = dt_util.utcnow()
    await run_until(hass, freezer, stamp + timedelta(seconds=29))
    assert realtime_calls(simulator.state.stats()) == throttled

    # an hour of throttling: about one poll per upload and device, not 120
    await run_until(hass, freezer, stamp + timedelta(hours=1))
    calls = realtime_calls(simulator.state.stats()) - throttled
    assert calls <= len(devices) * (12 + 2)

    simulator.state.set_faults(throttle_rate=0.0)
    await run_until(hass, freezer, stamp + timedelta(hours=1, minutes=6))
    assert all(d.realtime.last_update_success for d in devices)
    assert all(d.realtime.schedule.aligned for d in devices)
    assert await hass.config_entries.async_unload(entry.entry_id)


@pytest.mark.freeze_time(datetime(2025, 10, 26, 0, 0, 7, tzinfo=UTC))
async def test_the_clocks_going_back_do_not_disturb_the_schedule(
    hass: HomeAssistant, start_simulator: SimulatorFactory, freezer: FrozenDateTimeFactory
) -> None:
    """The plant's 02:00-03:00 happens twice; read in the plant's zone, the polls stay aligned."""
    start = datetime(2025, 10, 26, 0, 0, 7, tzinfo=UTC)
    uploads = Uploads()
    entry, _ = await _setup(hass, start_simulator, uploads, start)
    await run_until(hass, freezer, start + timedelta(hours=3))
    for device in entry.runtime_data.devices.values():
        assert device.realtime.schedule.aligned
        assert device.realtime.schedule.stats.resets == 0
    assert await hass.config_entries.async_unload(entry.entry_id)


@pytest.mark.freeze_time(START)
async def test_settings_are_read_every_six_hours(
    hass: HomeAssistant, start_simulator: SimulatorFactory, freezer: FrozenDateTimeFactory
) -> None:
    """Settings polls: one at setup, then one every six hours."""
    uploads = Uploads()
    entry, simulator = await _setup(hass, start_simulator, uploads, START)
    devices = len(entry.runtime_data.devices)
    simulator.state.reset_stats()
    await run_until(hass, freezer, START + SETTINGS_INTERVAL - timedelta(minutes=1))
    assert settings_calls(simulator.state.stats()) == 0
    await run_until(hass, freezer, START + 2 * SETTINGS_INTERVAL + timedelta(minutes=1))
    assert settings_calls(simulator.state.stats()) == 2 * devices
    assert await hass.config_entries.async_unload(entry.entry_id)
