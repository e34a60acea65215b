"""Plant totals: which devices feed which flow of a plant, and each total from their records.

The rules (docs/plant-totals.md), one per flow so that nothing is counted twice:
- PV: the central and string HPS and the PBDs (the cloud counts no PV for a PCS);
- grid and load: the HPS and the PCS;
- battery: the BMS side when the plant has one (its MBMS, which covers its racks, else the sum
  of its BCUs), otherwise the converters (HPS, PCS, PBD). Never both.
The owner may pick another source per flow in the options (`CONF_TOTAL_SOURCES`).

Each part's value comes from the device's own catalogue description (its `value_fn` and unit),
found by the description's translation key, so a field's spelling, model naming (central HV or
not) and unit are decided in one place: the catalogue.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Set as AbstractSet
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from functools import cache
from typing import Final

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import PERCENTAGE, UnitOfEnergy, UnitOfPower
from homeassistant.util.unit_conversion import PowerConverter

from .api import DeviceKind, DevicePayload
from .catalogue import AtessSensorEntityDescription
from .catalogue.realtime import descriptions_for
from .catalogue.types import as_number
from .coordinator import AtessDevice
from .models import DeviceRef

# A part without a new record for this long makes its totals unavailable (never silently low).
STALE_AFTER: Final = timedelta(minutes=15)
CONF_TOTAL_SOURCES: Final = "total_sources"
AUTO: Final = "auto"


class Group(StrEnum):
    """The flows an owner may source differently."""

    PV = "pv"
    BATTERY = "battery"
    GRID = "grid"
    LOAD = "load"


HPS: Final = (DeviceKind.HPS_BIG, DeviceKind.HPS_SMALL)
BMS: Final = (DeviceKind.MBMS, DeviceKind.BCU)
CONVERTERS: Final = (*HPS, DeviceKind.PCS, DeviceKind.PBD)

# Per group, the choices of the options and the device kinds each one takes. `auto` is the rule
# above; for the battery it is decided per plant (`kinds_of`).
SOURCES: Final[Mapping[Group, Mapping[str, tuple[DeviceKind, ...]]]] = {
    Group.PV: {AUTO: (*HPS, DeviceKind.PBD), "hps": HPS, "pbd": (DeviceKind.PBD,)},
    Group.GRID: {AUTO: (*HPS, DeviceKind.PCS), "hps": HPS, "pcs": (DeviceKind.PCS,)},
    Group.LOAD: {AUTO: (*HPS, DeviceKind.PCS), "hps": HPS, "pcs": (DeviceKind.PCS,)},
    Group.BATTERY: {AUTO: (), "bms": BMS, "converters": CONVERTERS},
}

type Term = tuple[str, float]  # a device description's translation key, and the sign it takes

# Counters one family may send under another spelling: (kind, translation key) -> more terms.
ALIASES: Final[Mapping[tuple[DeviceKind, str], tuple[Term, ...]]] = {
    (DeviceKind.HPS_SMALL, "battery_charge_total"): (("battery_charge_lifetime", 1.0),),
    (DeviceKind.HPS_SMALL, "battery_discharge_total"): (("battery_discharge_lifetime", 1.0),),
}


@dataclass(frozen=True, kw_only=True)
class PlantTotalDescription(SensorEntityDescription):
    """One plant total: its flow group and, per device kind, where a part's value comes from.

    `terms` lists, per kind, candidate (translation key, sign) pairs: the first one the
    record carries is the part's value. A kind absent from `terms` never feeds this total.
    """

    group: Group
    terms: Mapping[DeviceKind, tuple[Term, ...]] = field(default_factory=dict)
    mean: bool = False  # the mean of the parts (state of charge) instead of their sum
    daily: bool = False  # a "today" counter: resets at the plant's midnight
    lifetime: bool = False  # a lifetime counter: never goes down
    statistic: str | None = None  # the flow of its long-term statistic (lifetime totals)


def _power(
    key: str, group: Group, terms: Mapping[DeviceKind, tuple[Term, ...]]
) -> PlantTotalDescription:
    return PlantTotalDescription(
        key=key,
        translation_key=f"plant_{key}",
        group=group,
        terms=terms,
        native_unit_of_measurement=UnitOfPower.WATT,
        suggested_display_precision=0,
        device_class=SensorDeviceClass.POWER,
        state_class=SensorStateClass.MEASUREMENT,
    )


def _energy(
    key: str, group: Group, stem: str, kinds: Iterable[DeviceKind]
) -> tuple[PlantTotalDescription, ...]:
    """The lifetime total `key` and its `key_today` twin, from the `<stem>_total/_today` counters."""
    kinds = tuple(kinds)
    return tuple(
        PlantTotalDescription(
            key=f"{key}{suffix}",
            translation_key=f"plant_{key}{suffix}",
            group=group,
            terms={
                kind: ((f"{stem}{tk_suffix}", 1.0), *ALIASES.get((kind, f"{stem}{tk_suffix}"), ()))
                for kind in kinds
            },
            native_unit_of_measurement=UnitOfEnergy.KILO_WATT_HOUR,
            suggested_display_precision=1,
            device_class=SensorDeviceClass.ENERGY,
            state_class=SensorStateClass.TOTAL_INCREASING,
            daily=daily,
            lifetime=not daily,
            statistic=None if daily else key,
        )
        for suffix, tk_suffix, daily in (("", "_total", False), ("_today", "_today", True))
    )


def _same(tk: str, kinds: Iterable[DeviceKind]) -> dict[DeviceKind, tuple[Term, ...]]:
    return dict.fromkeys(kinds, ((tk, 1.0),))


TOTALS: Final[tuple[PlantTotalDescription, ...]] = (
    _power("pv_power", Group.PV, _same("pv_power", (*HPS, DeviceKind.PBD))),
    # + = discharging. HPS `pac` is + while discharging; PCS `pacToBattery` is + while charging
    # (its name); the PBD has no battery power field anyone confirms (docs/plant-totals.md);
    # a BMS gives voltage x current x direction (`bms_power`).
    _power(
        "battery_power",
        Group.BATTERY,
        {
            **_same("battery_power", HPS),
            DeviceKind.PCS: (("battery_power", -1.0),),
            **dict.fromkeys(BMS, (("", 1.0),)),
        },
    ),
    # + = importing. The string HPS has no `bactivePower`; its `pacToGrid` is + while exporting.
    _power(
        "grid_power",
        Group.GRID,
        {
            DeviceKind.HPS_BIG: (("grid_power", 1.0),),
            DeviceKind.HPS_SMALL: (("grid_power", 1.0), ("power_to_grid", -1.0)),
            DeviceKind.PCS: (("grid_power", 1.0),),
        },
    ),
    _power("load_power", Group.LOAD, _same("load_power", (*HPS, DeviceKind.PCS))),
    PlantTotalDescription(
        key="battery_soc",
        translation_key="plant_battery_soc",
        group=Group.BATTERY,
        terms=_same("state_of_charge", (*CONVERTERS, *BMS)),
        mean=True,
        native_unit_of_measurement=PERCENTAGE,
        suggested_display_precision=0,
        device_class=SensorDeviceClass.BATTERY,
        state_class=SensorStateClass.MEASUREMENT,
    ),
    *_energy("pv_energy", Group.PV, "pv_energy", (*HPS, DeviceKind.PBD)),
    *_energy("battery_charge_energy", Group.BATTERY, "battery_charge", (*CONVERTERS, *BMS)),
    *_energy("battery_discharge_energy", Group.BATTERY, "battery_discharge", (*CONVERTERS, *BMS)),
    *_energy("grid_import_energy", Group.GRID, "grid_import", (*HPS, DeviceKind.PCS)),
    *_energy("grid_export_energy", Group.GRID, "grid_export", (*HPS, DeviceKind.PCS)),
    *_energy("load_energy", Group.LOAD, "load_energy", (*HPS, DeviceKind.PCS)),
)


def choice(options: Mapping[str, object], group: Group) -> str:
    """The owner's source for a group (`auto` unless the options say otherwise)."""
    chosen = options.get(CONF_TOTAL_SOURCES)
    value = chosen.get(group) if isinstance(chosen, Mapping) else None
    return value if isinstance(value, str) and value in SOURCES[group] else AUTO


def kinds_of(group: Group, picked: str, present: set[DeviceKind]) -> tuple[DeviceKind, ...]:
    """The kinds feeding a group in a plant whose devices are of the kinds `present`.

    The BMS side is the MBMS when there is one (it covers its racks), else the BCUs.
    """
    if group is Group.BATTERY and picked in (AUTO, "bms"):
        if DeviceKind.MBMS in present:
            return (DeviceKind.MBMS,)
        if DeviceKind.BCU in present or picked == "bms":
            return (DeviceKind.BCU,)
        return CONVERTERS
    return SOURCES[group][picked]


def parts_of(
    total: PlantTotalDescription, devices: Iterable[DeviceRef], options: Mapping[str, object]
) -> list[DeviceRef]:
    """The devices of one plant that feed a total, by the rule or the owner's choice."""
    devices = list(devices)
    kinds = kinds_of(total.group, choice(options, total.group), {d.kind for d in devices})
    return [d for d in devices if d.kind in kinds and d.kind in total.terms]


@cache
def _by_translation_key(
    kind: DeviceKind, model: str | None
) -> Mapping[str, tuple[AtessSensorEntityDescription, ...]]:
    found: dict[str, list[AtessSensorEntityDescription]] = {}
    for desc in descriptions_for(kind, model).values():
        found.setdefault(desc.translation_key or "", []).append(desc)
    return {key: tuple(descs) for key, descs in found.items()}


def term_descriptions(
    total: PlantTotalDescription, ref: DeviceRef
) -> tuple[AtessSensorEntityDescription, ...]:
    """The device descriptions a part's value may come from (the statistics read their rows)."""
    catalogue = _by_translation_key(ref.kind, ref.info.model)
    return tuple(d for tk, _ in total.terms.get(ref.kind, ()) for d in catalogue.get(tk, ()))


def _number(desc: AtessSensorEntityDescription, data: DevicePayload) -> float | None:
    value = desc.value_fn(data.get(desc.field))
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def bms_power(ref: DeviceRef, data: DevicePayload) -> float | None:
    """A BMS's battery power in W, + discharging: voltage x current x its flow flag.

    No BMS record carries a power; its current is a magnitude and `batFlag` says the way
    (-1 charging, 1 discharging, docs/fields.md).
    """
    catalogue = _by_translation_key(ref.kind, ref.info.model)
    found: list[float] = []
    for tk in ("battery_voltage", "battery_current", "battery_flow"):
        desc = next(iter(catalogue.get(tk, ())), None)
        value = as_number(data.get(desc.field)) if desc is not None else None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return None
        found.append(float(value))
    volts, amps, flag = found
    return volts * abs(amps) * (1.0 if flag > 0 else -1.0 if flag < 0 else 0.0)


def part_value(total: PlantTotalDescription, ref: DeviceRef, data: DevicePayload) -> float | None:
    """One part's contribution, in the total's unit and sign; None when its record lacks it."""
    catalogue = _by_translation_key(ref.kind, ref.info.model)
    for tk, sign in total.terms.get(ref.kind, ()):
        if not tk:
            return bms_power(ref, data)
        for desc in catalogue.get(tk, ()):
            value = _number(desc, data)
            if value is None:
                continue
            unit = desc.native_unit_of_measurement
            if total.device_class is SensorDeviceClass.POWER and unit != UnitOfPower.WATT:
                value = PowerConverter.convert(value, unit, UnitOfPower.WATT)
            return value * sign
    return None


def fresh(device: AtessDevice, now: datetime) -> bool:
    """Whether a part has a record newer than `STALE_AFTER`, from a device that is online."""
    data = device.realtime.data
    if not device.realtime.last_update_success or data is None or data.lost is True:
        return False
    moment = device.localize(data.sample_time)
    return moment is not None and now - moment <= STALE_AFTER


@dataclass(slots=True)
class Floors:
    """Per part, the last value counted (and the day it belongs to, for the daily totals).

    The same guard the devices' counters have: a lower value is a cloud glitch.
    """

    last: dict[str, tuple[date | None, float]] = field(default_factory=dict)

    def guard(self, sn: str, day: date | None, value: float) -> float:
        """The part's value, or its last one when it went down (within the same day)."""
        before = self.last.get(sn)
        if before is not None and before[0] == day and value < before[1]:
            return before[1]
        self.last[sn] = (day, value)
        return value


def compute(
    total: PlantTotalDescription,
    parts: Iterable[AtessDevice],
    now: datetime,
    floors: Floors,
    fresh_parts: AbstractSet[str],
) -> tuple[bool, float | None]:
    """(available, value) of a total from its parts' latest records.

    Unavailable when a part is not fresh (its serial not in `fresh_parts`, see `fresh`); unknown when a part's record lacks the flow (a sum
    missing a part would be silently low). A daily total counts a part's counter only when
    the part's record is of the plant's current day (before its first record of the day, the
    part has made nothing yet today). The mean (state of charge) is over the parts that report.
    """
    values: list[float] = []
    for device in parts:
        data = device.realtime.data
        if data is None or device.sn not in fresh_parts:
            return False, None
        value = part_value(total, device.ref, data)
        if value is None:
            if total.mean:
                continue
            return True, None
        if total.daily:
            moment = device.localize(data.sample_time)
            day = moment.date() if moment is not None else None
            today = now.astimezone(device.timezone).date()
            # not of today yet: the part has made nothing today
            value = floors.guard(device.sn, day, value) if day == today else 0.0
        elif total.lifetime:
            value = floors.guard(device.sn, None, value)
        values.append(value)
    if not values:
        return True, None
    return True, sum(values) / len(values) if total.mean else sum(values)
