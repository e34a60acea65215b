"""The 5-minute record grid of one plant, computed once in order and cached.

Slot k has the time `epoch + k * 5 min` (aligned to the wall clock). Its record carries the average
flows of the interval that ends at that time and every energy counter up to that time. Counters
are prefix sums over slots, so a lifetime counter only grows, a daily counter is the lifetime
counter minus its value at the day's first slot, and the history deltas of a day add up to the
day's counter exactly.
"""

from __future__ import annotations

from collections import OrderedDict
from datetime import date, datetime, time, timedelta
import math
from zoneinfo import ZoneInfo

from simulator.model import noise, physics
from simulator.model.physics import SLOT_SECONDS, SiteSlot

FLOWS: tuple[str, ...] = ("pv", "load", "charge", "discharge", "import", "export")


def _flow_values(slot: SiteSlot) -> tuple[float, ...]:
    return (
        slot.pv,
        slot.load,
        slot.charge,
        slot.discharge,
        slot.grid_import,
        slot.grid_export,
    )


def local_midnight_ts(moment: datetime, tz: ZoneInfo) -> int:
    """The epoch second of the plant-local midnight that starts `moment`'s day."""
    return int(datetime.combine(moment.astimezone(tz).date(), time(0), tz).timestamp())


class PlantTimeline:
    """Lazily extended per-kWp record series of one plant."""

    def __init__(
        self, *, tz: ZoneInfo, lat: float, lng: float, seed_key: str, start: datetime
    ) -> None:
        """Anchor the series at the plant-local midnight of the day of `start`."""
        self.tz = tz
        self.lat = lat
        self.lng = lng
        self.seed_key = seed_key
        self._noise_key = noise.stable_key(seed_key, "slots")
        self.epoch_ts = local_midnight_ts(start, tz)
        self.slots: list[SiteSlot] = []
        # cumulative[f][k]: kWh per kWp of flow f over slots 0..k; active[f][k]: slots with flow.
        self.cumulative: list[list[float]] = [[] for _ in FLOWS]
        self.active: list[list[int]] = [[] for _ in FLOWS]
        self._midnights: dict[date, int] = {}
        self._weather: dict[int, physics.DayWeather] = {}
        self._initial_soc = 40.0 + 30.0 * noise.unit(noise.stable_key(seed_key, "soc"), 0)

    def slot_ts(self, index: int) -> int:
        """Return the POSIX time of slot `index`."""
        return self.epoch_ts + index * SLOT_SECONDS

    def slot_time(self, index: int) -> datetime:
        """Return the plant-local time of slot `index`."""
        return datetime.fromtimestamp(self.slot_ts(index), self.tz)

    def latest_index(self, now_ts: float) -> int:
        """Return the latest slot at or before `now_ts` (slot 0 when the clock is before it)."""
        return max(0, math.floor((now_ts - self.epoch_ts) / SLOT_SECONDS))

    def first_index_at_or_after(self, ts: float) -> int:
        """Return the first slot whose time is at or after `ts` (may be negative)."""
        return math.ceil((ts - self.epoch_ts) / SLOT_SECONDS)

    def day_start_index(self, index: int) -> int:
        """Return the first slot of the plant-local day that slot `index` belongs to."""
        day = self.slot_time(index).date()
        cached = self._midnights.get(day)
        if cached is None:
            midnight = datetime.combine(day, time(0), self.tz)
            cached = max(0, self.first_index_at_or_after(midnight.timestamp()))
            self._midnights[day] = cached
        return cached

    def ensure(self, index: int) -> None:
        """Compute slots up to and including `index`, in order (state of charge integrates)."""
        while len(self.slots) <= index:
            self._append()

    def slot(self, index: int) -> SiteSlot:
        """Return the flows of slot `index`."""
        self.ensure(index)
        return self.slots[index]

    def _append(self) -> None:
        index = len(self.slots)
        soc = self.slots[-1].soc if self.slots else self._initial_soc
        # Flows are averages over the interval ending at the slot time: evaluate at its middle.
        mid = datetime.fromtimestamp(self.slot_ts(index) - SLOT_SECONDS / 2, self.tz)
        ordinal = mid.date().toordinal()
        weather = self._weather.get(ordinal)
        if weather is None:
            weather = physics.day_weather(self.seed_key, ordinal)
            self._weather[ordinal] = weather
        absolute = self.slot_ts(index) // SLOT_SECONDS
        slot = physics.step(soc, mid, weather, self.lat, self.lng, self._noise_key, absolute)
        self.slots.append(slot)
        for position, value in enumerate(_flow_values(slot)):
            cumulative = self.cumulative[position]
            active = self.active[position]
            previous = cumulative[-1] if cumulative else 0.0
            cumulative.append(previous + value / physics.SLOTS_PER_HOUR)
            previous_count = active[-1] if active else 0
            active.append(previous_count + (1 if value > 1e-6 else 0))

    def cumulative_kwh(self, flow: int, index: int) -> float:
        """Return kWh per kWp of flow number `flow` over slots 0..index."""
        self.ensure(index)
        return self.cumulative[flow][index]

    def active_slots(self, flow: int, index: int) -> int:
        """Return how many of slots 0..index had flow number `flow`."""
        self.ensure(index)
        return self.active[flow][index]


# Series already computed in this process, by everything they depend on. A series is a pure
# function of its key, so simulators of the same account (one per test, in the test suite) share
# it instead of stepping the same physics again; the oldest are dropped beyond the bound.
_SHARED: OrderedDict[tuple[str, float, float, str, int], PlantTimeline] = OrderedDict()
SHARED_MAX = 64


def shared_timeline(
    *, tz: ZoneInfo, lat: float, lng: float, seed_key: str, start: datetime
) -> PlantTimeline:
    """Return the plant's series anchored at `start`'s local midnight, computed once a process."""
    key = (str(tz), lat, lng, seed_key, local_midnight_ts(start, tz))
    series = _SHARED.get(key)
    if series is None:
        series = PlantTimeline(tz=tz, lat=lat, lng=lng, seed_key=seed_key, start=start)
        _SHARED[key] = series
        while len(_SHARED) > SHARED_MAX:
            _SHARED.popitem(last=False)
    else:
        _SHARED.move_to_end(key)
    return series


def as_aware(moment: datetime, tz: ZoneInfo) -> datetime:
    """Return `moment`, read as plant-local time when it is naive."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=tz)


def series_start(first_use: datetime, history_days: int) -> datetime:
    """Return the instant the simulated history starts for a plant first used at `first_use`."""
    return first_use - timedelta(days=history_days)
