"""One device's view of a plant slot: scaled flows, energy counters and small deterministic noise."""

from __future__ import annotations

from datetime import datetime
import math
import zlib

from simulator.model import noise
from simulator.model.layout import Device
from simulator.model.physics import SLOT_SECONDS
from simulator.model.timeline import FLOWS, PlantTimeline

FLOW = {name: position for position, name in enumerate(FLOWS)}

# Rough daily kWh per kWp and active 5-minute slots per day, used only to give each device a
# plausible lifetime before the simulated history starts.
_TYPICAL_DAILY_KWH = {
    "pv": 3.0,
    "load": 4.5,
    "charge": 1.2,
    "discharge": 1.1,
    "import": 2.2,
    "export": 0.9,
}
_TYPICAL_DAILY_SLOTS = {
    "pv": 140,
    "load": 288,
    "charge": 60,
    "discharge": 120,
    "import": 150,
    "export": 40,
}
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"


class DeviceSample:
    """The record inputs of one device at one slot."""

    def __init__(
        self, timeline: PlantTimeline, device: Device, index: int, sample_ts: int | None = None
    ) -> None:
        """Read slot `index` of the plant's series for `device`, sampled at `sample_ts`.

        `sample_ts` is when the DataLog took the sample (its phase and clock); it only moves the
        record's `time`, the values stay those of the grid slot.
        """
        slot = timeline.slot(index)
        self.timeline = timeline
        self.device = device
        self.index = index
        self.day_start = timeline.day_start_index(index)
        moment = timeline.slot_ts(index) if sample_ts is None else sample_ts
        self.time_text = datetime.fromtimestamp(moment, timeline.tz).strftime(TIME_FORMAT)
        scale = device.scale
        self.pv = slot.pv * scale
        self.load = slot.load * scale
        self.charge = slot.charge * scale
        self.discharge = slot.discharge * scale
        self.grid_import = slot.grid_import * scale
        self.grid_export = slot.grid_export * scale
        self.soc = slot.soc
        self.ambient = slot.ambient
        self._age_days = 200.0 + 700.0 * noise.unit(device.key, 7)

    def _units(self, flow: str, factor: float, index: int) -> int:
        """Return the lifetime counter in 0.01 kWh at slot `index` (integers keep sums exact)."""
        weight = self.device.scale * factor
        initial = round(self._age_days * _TYPICAL_DAILY_KWH[flow] * weight * 100)
        return initial + math.floor(self.timeline.cumulative_kwh(FLOW[flow], index) * weight * 100)

    def total(self, flow: str, factor: float = 1.0) -> float:
        """Return the lifetime energy counter of a flow in kWh."""
        return self._units(flow, factor, self.index) / 100

    def today(self, flow: str, factor: float = 1.0) -> float:
        """Return the energy of a flow since plant-local midnight in kWh."""
        delta = self._units(flow, factor, self.index) - self._units(flow, factor, self.day_start)
        return delta / 100

    def minutes_today(self, flow: str) -> int:
        """Return how long the flow ran today, in minutes."""
        active = self.timeline.active_slots(FLOW[flow], self.index)
        return (active - self.timeline.active_slots(FLOW[flow], self.day_start)) * (
            SLOT_SECONDS // 60
        )

    def hours_total(self, flow: str) -> float:
        """Return how long the flow ran over the device's life, in hours."""
        initial = round(self._age_days * _TYPICAL_DAILY_SLOTS[flow])
        slots = initial + self.timeline.active_slots(FLOW[flow], self.index)
        return round(slots * SLOT_SECONDS / 3600.0, 1)

    def wiggle(self, name: str, spread: float) -> float:
        """Return deterministic noise in [-spread, spread) for a named value at this slot."""
        return noise.centered(self.device.key ^ zlib.crc32(name.encode()), self.index) * spread
