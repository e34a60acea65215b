"""When a DataLog uploads its devices' records and when the cloud starts showing them.

A DataLog samples its devices every 5 minutes at its own moment within the cycle (its phase) and
uploads the record; the cloud shows it some seconds later (the visibility delay), and now and then
an upload never arrives. The DataLog's clock drifts a little and is set right once a week, so its
record times wander by a few seconds around the phase.

The `aligned` model is the simple cloud the tests rely on: records exactly on the 5-minute grid,
visible at their own time, none missed. Every draw is keyed by the seed, the DataLog's serial and
the absolute slot number, so it depends neither on call order nor on when the history starts.
"""

from __future__ import annotations

from dataclasses import dataclass
import math

from simulator.config import SimulatorConfig
from simulator.model import noise
from simulator.model.physics import SLOT_SECONDS
from simulator.model.timeline import PlantTimeline

# Defaults of the realistic model: delay 5-90 s, 2 % missed uploads, clocks within 30 ppm.
REALISTIC_DELAY = (5.0, 90.0)
REALISTIC_MISSED_RATE = 0.02
REALISTIC_DRIFT_PPM = 30.0
# The DataLog's clock is set right (NTP) at this period; drift grows from zero in between.
DRIFT_RESYNC_SECONDS = 7 * 86400
# Part of the delay a DataLog always has (its link); the rest is jitter per upload.
_STEADY_SHARE = 0.6


@dataclass(frozen=True, slots=True)
class UploadTiming:
    """The knobs of the upload model, the same for every DataLog of the account."""

    realistic: bool = False
    delay_min: float = 0.0
    delay_max: float = 0.0
    missed_rate: float = 0.0
    drift_ppm: float = 0.0


def timing_of(config: SimulatorConfig) -> UploadTiming:
    """Return the upload knobs of a configuration: its model's defaults, then its overrides."""
    realistic = config.upload_model == "realistic"
    low, high = REALISTIC_DELAY if realistic else (0.0, 0.0)
    if config.visibility_delay is not None:
        low, high = config.visibility_delay
    missed = REALISTIC_MISSED_RATE if realistic else 0.0
    drift = REALISTIC_DRIFT_PPM if realistic else 0.0
    return UploadTiming(
        realistic=realistic,
        delay_min=float(low),
        delay_max=float(high),
        missed_rate=missed if config.missed_upload_rate is None else config.missed_upload_rate,
        drift_ppm=drift if config.clock_drift_ppm is None else config.clock_drift_ppm,
    )


@dataclass(frozen=True, slots=True)
class UploadSchedule:
    """One DataLog's uploads: phase, clock drift, delay and missed draws."""

    datalog_sn: str
    phase: float
    drift_ppm: float
    timing: UploadTiming
    key: int

    def sample_ts(self, slot_ts: int) -> int:
        """Return the POSIX second at which the DataLog sampled grid slot `slot_ts`."""
        drift = self.drift_ppm * 1e-6 * (slot_ts % DRIFT_RESYNC_SECONDS)
        return math.floor(slot_ts + self.phase + drift)

    def delay(self, slot_ts: int) -> float:
        """Return the seconds between sampling that slot and the cloud showing its record."""
        low, high = self.timing.delay_min, self.timing.delay_max
        if high <= low:
            return low
        steady = noise.unit(self.key, -2)
        jitter = noise.unit(self.key, 3 * (slot_ts // SLOT_SECONDS))
        return low + (high - low) * (_STEADY_SHARE * steady + (1 - _STEADY_SHARE) * jitter)

    def missed(self, slot_ts: int) -> bool:
        """Return whether the upload of that slot never reaches the cloud."""
        rate = self.timing.missed_rate
        return rate > 0 and noise.unit(self.key, 3 * (slot_ts // SLOT_SECONDS) + 1) < rate

    def visible_at(self, slot_ts: int) -> float:
        """Return the POSIX time from which the cloud shows the record of that slot."""
        return self.sample_ts(slot_ts) + self.delay(slot_ts)

    def shown(self, slot_ts: int, now_ts: float) -> bool:
        """Return whether the cloud shows the record of that slot at `now_ts`."""
        return self.visible_at(slot_ts) <= now_ts and not self.missed(slot_ts)


def schedule(seed: int, datalog_sn: str, timing: UploadTiming) -> UploadSchedule:
    """Return the upload schedule of a DataLog: phase and drift drawn from the seed."""
    key = noise.stable_key(seed, "uploads", datalog_sn)
    if not timing.realistic:
        return UploadSchedule(datalog_sn, 0.0, 0.0, timing, key)
    phase = round(SLOT_SECONDS * noise.unit(key, -1), 1)
    drift = round(timing.drift_ppm * noise.centered(key, -3), 2)
    return UploadSchedule(datalog_sn, phase, drift, timing, key)


def newest_shown(series: PlantTimeline, sched: UploadSchedule, now_ts: float) -> int:
    """Return the newest slot whose record the cloud shows at `now_ts` (slot 0 when none)."""
    # A clock running ahead may sample the next grid slot a little before its grid time.
    index = series.latest_index(now_ts) + 1
    while index > 0 and not sched.shown(series.slot_ts(index), now_ts):
        index -= 1
    return index


def shown_between(
    series: PlantTimeline, sched: UploadSchedule, start_ts: float, end_ts: float, now_ts: float
) -> list[int]:
    """Return the slots, ascending, whose record time lies in [start, end] and that are shown."""
    # Record times sit within a slot (phase) plus a few seconds of drift of their grid time.
    margin = SLOT_SECONDS + DRIFT_RESYNC_SECONDS * abs(sched.drift_ppm) * 1e-6
    first = max(0, series.first_index_at_or_after(start_ts - margin))
    last = min(series.latest_index(end_ts) + 1, series.latest_index(now_ts) + 1)
    return [
        index
        for index in range(first, last + 1)
        if start_ts <= sched.sample_ts(series.slot_ts(index)) <= end_ts
        and sched.shown(series.slot_ts(index), now_ts)
    ]
