"""Hourly statistics rows from device records: pure arithmetic, no Home Assistant state.

A counter row's `sum` is anchored to the counter itself, `sum = sum_before + (counter -
counter_before)`, so rows computed at different times agree with each other (see history.py).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from homeassistant.components.sensor import SensorDeviceClass, SensorStateClass

from .api import DevicePayload
from .catalogue import AtessSensorEntityDescription
from .catalogue.realtime import descriptions_for
from .const import DOMAIN
from .coordinator import AtessDevice

HOUR = timedelta(hours=1)
SLOT = timedelta(minutes=5)


def floor_hour(moment: datetime) -> datetime:
    """The start of the hour `moment` is in."""
    return moment.replace(minute=0, second=0, microsecond=0)


def statistic_id(sn: str, field_name: str) -> str:
    """`atess:<serial>_<field>`, lower case."""
    slug = "".join(c if c.isalnum() else "_" for c in f"{sn}_{field_name}".lower())
    return f"{DOMAIN}:{slug}"


def plant_statistic_id(plant_id: str, flow: str) -> str:
    """`atess:<plant id>_<flow>` (a plant total's lifetime flow, e.g. `atess:1001_pv_energy`)."""
    slug = "".join(c if c.isalnum() else "_" for c in f"{plant_id}_{flow}".lower())
    return f"{DOMAIN}:{slug}"


def history_fields(device: AtessDevice) -> dict[str, AtessSensorEntityDescription]:
    """The fields that get statistics: lifetime energy counters and power values."""
    out: dict[str, AtessSensorEntityDescription] = {}
    for key, desc in descriptions_for(device.ref.kind, device.ref.info.model).items():
        counter = desc.device_class is SensorDeviceClass.ENERGY and desc.monotonic
        power = (
            desc.device_class is SensorDeviceClass.POWER
            and desc.state_class is SensorStateClass.MEASUREMENT
        )
        if counter or power:
            out[key] = desc
    return out


@dataclass(slots=True)
class CounterTail:
    """The last hourly row of a counter: where the next row's sum continues from."""

    start: datetime
    state: float
    sum: float


@dataclass
class HourlyRows:
    """Rows to write, per field."""

    counters: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    power: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def build_rows(
    samples: Iterable[tuple[datetime, DevicePayload]],
    fields: dict[str, AtessSensorEntityDescription],
    tails: dict[str, CounterTail | None],
    start: datetime,
    end: datetime,
) -> HourlyRows:
    """Hourly rows for [start, end) from samples (UTC-aware times), continuing from `tails`.

    A counter's state for an hour is its last sample in that hour; a sample before `start`
    serves as the baseline when there is no earlier row.
    """
    rows = HourlyRows()
    by_hour: dict[datetime, list[DevicePayload]] = defaultdict(list)
    baseline: dict[str, float] = {}
    for moment, payload in sorted(samples, key=lambda s: s[0]):
        if moment < start:
            for key, desc in fields.items():
                if desc.device_class is SensorDeviceClass.ENERGY:
                    value = _number(payload.get(desc.field))
                    if value is not None:
                        baseline[key] = value
            continue
        if moment >= end:
            continue
        by_hour[floor_hour(moment)].append(payload)
    running = {k: tails.get(k) for k in fields}
    for hour in sorted(by_hour):
        payloads = by_hour[hour]
        for key, desc in fields.items():
            values = [v for p in payloads if (v := _number(p.get(desc.field))) is not None]
            if not values:
                continue
            if desc.device_class is SensorDeviceClass.ENERGY:
                tail = running.get(key)
                state = values[-1]
                if tail is None:
                    base = baseline.get(key, values[0])
                    tail = CounterTail(hour - HOUR, base, 0.0)
                # a lifetime counter never goes down: a lower value is a cloud glitch
                state = max(state, tail.state)
                new = CounterTail(hour, state, tail.sum + (state - tail.state))
                running[key] = new
                rows.counters[key].append({"start": hour, "state": new.state, "sum": new.sum})
            else:
                rows.power[key].append(
                    {
                        "start": hour,
                        "mean": sum(values) / len(values),
                        "min": min(values),
                        "max": max(values),
                    }
                )
    tails.update({key: tail for key, tail in running.items() if tail is not None})
    return rows
