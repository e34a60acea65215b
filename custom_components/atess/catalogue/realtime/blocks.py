"""Groups of fields that several device families report alike (docs/fields.md#shared-blocks)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from homeassistant.components.sensor import SensorDeviceClass
from homeassistant.const import UnitOfTime

from ...api import DeviceKind
from ..types import A, G, N, R, Source, T
from .factories import duration_twins, energy_twins, plain
from .quantities import (
    Desc,
    cell_voltage,
    current,
    daily_energy,
    lifetime_energy,
    sensor,
    temperature,
    voltage,
)

# Grid energy direction is UNRESOLVED (docs/fields.md#grid-direction). The names and the
# third-party client say `egrid*` = import / `etoGrid*` = export (HPS), and by the same name logic
# `grid*` = import / `toGrid*` = export (PCS). The ATESS register map (88/90-91 "from grid",
# 94/96-97 "to grid") together with Growatt's register-pattern PCS example says the OPPOSITE for
# PCS. Once a live check settles it, swap the two prefixes of a kind here and nowhere else: the
# energy counters and their duration twins are all built from this table.
GRID_DIRECTION: Final[Mapping[DeviceKind, Mapping[str, str]]] = {
    DeviceKind.HPS_BIG: {"import": "egrid", "export": "etoGrid"},
    DeviceKind.HPS_SMALL: {"import": "egrid", "export": "etoGrid"},
    DeviceKind.PCS: {"import": "grid", "export": "toGrid"},
}


def device_words(faults: int) -> tuple[Desc, ...]:
    """`typeFlag`, `selfTime` and the alarm bit words `sysFaultWord1…N` of an inverter record."""
    return (
        plain("typeFlag", "parallel_flag", A),
        # start-up self-test time in s
        sensor(
            "selfTime",
            "self_test_time",
            A,
            unit=UnitOfTime.SECONDS,
            device_class=SensorDeviceClass.DURATION,
            diag=True,
        ),
        *fault_words(faults),
    )


def fault_words(count: int) -> tuple[Desc, ...]:
    """`sysFaultWord1…N`: alarm bit words."""
    return tuple(plain(f"sysFaultWord{n}", f"fault_word_{n}", G) for n in range(1, count + 1))


def bus_voltages(source: Source) -> tuple[Desc, ...]:
    """The DC bus voltage (`bvbus`, from `source`) and its positive and negative halves."""
    return (
        voltage("bvbus", "bus_voltage", source, diag=True),
        voltage("bvbusPosi", "bus_voltage_positive", R, diag=True),
        voltage("bvbusNega", "bus_voltage_negative", R, diag=True),
    )


def temperatures_1_to_6() -> tuple[Desc, ...]:
    """`temp1…6`: module 1-4, transformer, ambient (PCS register correlation)."""
    return (
        *(temperature(f"temp{n}", f"module_temperature_{n}", R) for n in range(1, 5)),
        temperature("temp5", "transformer_temperature", R),
        temperature("temp6", "ambient_temperature", R, diag=False),
    )


def cell_extremes(*, diag: bool = True) -> tuple[Desc, ...]:
    """Highest / lowest cell voltage and temperature.

    The register holds mV; whether the cloud sends V or mV is unknown, V is assumed
    (docs/fields.md#cell-voltages-v-or-mv).
    """
    return (
        cell_voltage("maxVolt", "max_cell_voltage", N, diag=diag),
        cell_voltage("minVolt", "min_cell_voltage", N, diag=diag),
        temperature("maxTemp", "max_cell_temperature", N, diag=diag),
        temperature("minTemp", "min_cell_temperature", N, diag=diag),
    )


# where the extreme cells are (group / box / cell number): field, translation key
_CELL_POSITIONS: Final = (
    ("maxVoltCell", "max_voltage_cell"),
    ("minVoltCell", "min_voltage_cell"),
    ("maxminVoltCell", "max_min_voltage_cell"),
    ("maxVoltNum", "max_voltage_cell_number"),
    ("minVoltNum", "min_voltage_cell_number"),
    ("minVoltGroup", "min_voltage_group"),
    ("maxTempNum", "max_temperature_cell_number"),
    ("minTempNum", "min_temperature_cell_number"),
    ("minTempGroup", "min_temperature_group"),
    ("maxMinTempCell", "max_min_temperature_cell"),
)


def bms_block() -> tuple[Desc, ...]:
    """BMS values reported inside an HPS/PCS/PBD record."""
    return (
        current("maxChargeCurr", "max_charge_current", R, diag=True),
        current("maxDischargeCurr", "max_discharge_current", R, diag=True),
        # register 176 packs two bytes (battery status / system status): a plain code for now
        plain("bmsStatus", "bms_status", G),
        plain("bmsShowStatus", "bms_show_status", G),
        plain("bmsVoltStatus", "bms_voltage_status", G),
        plain("bmsProtection", "bms_protection", G),
        *cell_extremes(),
        *(plain(field, tk, N) for field, tk in _CELL_POSITIONS),
    )


def grid_energy(kind: DeviceKind, source: Source) -> tuple[Desc, ...]:
    """Grid import/export counters and their duration twins, per `GRID_DIRECTION`."""
    return tuple(
        description
        for direction, prefix in GRID_DIRECTION[kind].items()
        for description in (
            *energy_twins(prefix, f"grid_{direction}", source),
            *duration_twins(prefix, f"grid_{direction}"),
        )
    )


def hps_battery_counters(total_source: Source) -> tuple[Desc, ...]:
    """The HPS battery counters: daily `echarge…`, lifetime `ebat…Total` (third-party names)."""
    return (
        daily_energy("echargeToday", "battery_charge_today", T),
        daily_energy("edischargeToday", "battery_discharge_today", T),
        lifetime_energy("ebatChargeTotal", "battery_charge_total", total_source),
        lifetime_energy("ebatDischargeTotal", "battery_discharge_total", total_source),
    )


def app_generation() -> tuple[Desc, ...]:
    """`eToday`/`eTotal`: generation counters of the app's device lists (A)."""
    return energy_twins("e", "generation", A)
