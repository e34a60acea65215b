"""Factories for groups and for descriptions that are not a plain quantity.

A counter and its twin, codes shown as options, plain values (bit words, positions, insulation
resistances) and power factors.
"""

from __future__ import annotations

from collections.abc import Mapping

from homeassistant.components.sensor import SensorDeviceClass, SensorStateClass

from ..types import Source, as_number
from .converters import enum_value_fn, power_factor_value
from .quantities import (
    Desc,
    daily_energy,
    hours_total,
    lifetime_energy,
    minutes_today,
    sensor,
)

KOHM = "kΩ"  # insulation resistance: HA has no device class for it


def energy_twins(
    stem: str, tk: str, source: Source, total_source: Source | None = None
) -> tuple[Desc, Desc]:
    """`<stem>Today` and the lifetime counter `<stem>Total`."""
    return (
        daily_energy(f"{stem}Today", f"{tk}_today", source),
        lifetime_energy(f"{stem}Total", f"{tk}_total", total_source or source),
    )


def duration_twins(
    stem: str, tk: str, today_source: Source = Source.INFERENCE, *, total_stem: str | None = None
) -> tuple[Desc, Desc]:
    """The duration twins of a counter, `<stem>TimeToday` and `<stem>TimeTotal`.

    Their units are inferred (docs/fields.md#duration-twins), hence the totals' source.
    """
    return (
        minutes_today(f"{stem}TimeToday", f"{tk}_time_today", today_source),
        hours_total(f"{total_stem or stem}TimeTotal", f"{tk}_time_total", Source.INFERENCE),
    )


def power_factor(field: str, tk: str, source: Source, *, percent: bool = False) -> Desc:
    """A power factor, 0..1, no unit; `percent`: probably sent as PF x 100.

    See docs/fields.md#power-factor-scale.
    """
    return sensor(
        field,
        tk,
        source,
        device_class=SensorDeviceClass.POWER_FACTOR,
        precision=2,
        value_fn=power_factor_value if percent else as_number,
    )


def enum(
    field: str, tk: str, source: Source, codes: Mapping[int, str], *, diag: bool = False
) -> Desc:
    """A status or mode code shown as one of its options."""
    return sensor(
        field,
        tk,
        source,
        device_class=SensorDeviceClass.ENUM,
        state_class=None,
        options=list(codes.values()),
        value_fn=enum_value_fn(codes),
        diag=diag,
    )


def plain(field: str, tk: str, source: Source, *, unit: str | None = None) -> Desc:
    """A diagnostic value without a device class.

    Codes, bit words and positions get no state class; a value with a unit HA has no device
    class for (efficiency, insulation resistance) is a measurement.
    """
    state_class = SensorStateClass.MEASUREMENT if unit else None
    return sensor(field, tk, source, unit=unit, state_class=state_class, diag=True)


def insulation(positive: str, negative: str, tk: str) -> tuple[Desc, Desc]:
    """The insulation resistances of the + and - side, in kΩ (meaning from the names only)."""
    return (
        plain(positive, f"{tk}_positive_insulation", Source.INFERENCE, unit=KOHM),
        plain(negative, f"{tk}_negative_insulation", Source.INFERENCE, unit=KOHM),
    )
