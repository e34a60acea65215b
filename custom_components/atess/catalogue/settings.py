"""The writable settings per device kind.

Documented keys (source DOC): the 35 BCU keys, the 3 MBMS keys, `atsComNo`, `sharedBatteryEnable`
and `valleyPeriodTime*` of the central HPS, `batCapacity` and `valleyPeriodTime1/2` of the string
HPS. Their ranges are still inferred. Every other key name below is the project's ASSUMPTION: the
docs never show them; their meaning, unit and range come from the ATESS Modbus register map
(REGISTER) or from Growatt's PBD record (GROWATT), or from the name alone (INFERENCE). A key the
device does not return never becomes an entity. Evidence for every key: docs/fields.md#settings.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Final

from homeassistant.components.number import NumberDeviceClass
from homeassistant.const import (
    PERCENTAGE,
    UnitOfElectricCurrent,
    UnitOfElectricPotential,
    UnitOfPower,
    UnitOfTemperature,
    UnitOfTime,
)

from ..api import DeviceKind
from .codes import OFF_ON, WORK_MODES
from .types import D, G, N, R, SettingPlatform, SettingSpec, Source

# "HH:mm-HH:mm"; the real format of valleyPeriodTime* is unverified
# (docs/fields.md#setting-keys-ranges-and-formats)
PERIOD_PATTERN: Final = r"^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$"
PERIOD_EXAMPLE: Final = "00:00-06:00"


def _spec(
    platform: SettingPlatform, key: str, tk: str, source: Source, *, enabled: bool = True
) -> SettingSpec:
    """What every setting has: its key, name, platform, source, and whether it starts enabled."""
    return SettingSpec(
        key=key,
        translation_key=tk,
        platform=platform,
        source=source,
        entity_registry_enabled_default=enabled,
    )


def number(
    key: str,
    tk: str,
    source: Source,
    low: float,
    high: float,
    step: float,
    *,
    unit: str | None = None,
    device_class: NumberDeviceClass | None = None,
    enabled: bool = True,
) -> SettingSpec:
    """A number setting."""
    return replace(
        _spec(SettingPlatform.NUMBER, key, tk, source, enabled=enabled),
        native_min=low,
        native_max=high,
        step=step,
        unit=unit,
        device_class=device_class,
    )


def select(
    key: str, tk: str, source: Source, options: Mapping[str, int], *, enabled: bool = True
) -> SettingSpec:
    """A select setting: option name -> cloud value."""
    spec = _spec(SettingPlatform.SELECT, key, tk, source, enabled=enabled)
    return replace(spec, options=dict(options))


def period(key: str, tk: str, source: Source) -> SettingSpec:
    """A "HH:mm-HH:mm" time window."""
    return replace(_spec(SettingPlatform.TEXT, key, tk, source), pattern=PERIOD_PATTERN)


def soc_limit(key: str, tk: str, source: Source) -> SettingSpec:
    """A state-of-charge limit in %."""
    return number(key, tk, source, 0, 100, 1, unit=PERCENTAGE)


def power_limit(key: str, tk: str, source: Source, low: float, high: float) -> SettingSpec:
    """A power in kW, in steps of 0.1 kW (the register's resolution)."""
    return number(
        key,
        tk,
        source,
        low,
        high,
        0.1,
        unit=UnitOfPower.KILO_WATT,
        device_class=NumberDeviceClass.POWER,
    )


# --- BCU: 35 documented keys, ranges inferred ---------------------------------------------------
# Safety-critical BMS thresholds with a 10-writes-a-day budget: all disabled by default.

type _BcuNumber = Callable[[str, str, float, float], SettingSpec]

V = UnitOfElectricPotential.VOLT
AMP = UnitOfElectricCurrent.AMPERE
C = UnitOfTemperature.CELSIUS


def _bcu_volt(key: str, tk: str, low: float, high: float) -> SettingSpec:
    return number(
        key, tk, D, low, high, 0.001, unit=V, device_class=NumberDeviceClass.VOLTAGE, enabled=False
    )


def _bcu_curr(key: str, tk: str, low: float, high: float) -> SettingSpec:
    return number(
        key, tk, D, low, high, 0.1, unit=AMP, device_class=NumberDeviceClass.CURRENT, enabled=False
    )


def _bcu_temp(key: str, tk: str, low: float, high: float) -> SettingSpec:
    return number(
        key, tk, D, low, high, 1, unit=C, device_class=NumberDeviceClass.TEMPERATURE, enabled=False
    )


def _bcu_count(key: str, tk: str, low: float, high: float) -> SettingSpec:
    return number(key, tk, D, low, high, 1, enabled=False)


# the three nested alarm levels: key prefix, key suffix, translation-key suffix
_LEVELS: Final = (
    ("level1", "Warning", "warning"),
    ("level2", "Fault", "fault"),
    ("level3", "Protection", "protection"),
)

# Thresholds set once per level: key stem, translation-key stem, factory, range.
_THRESHOLDS: Final[tuple[tuple[str, str, _BcuNumber, float, float], ...]] = (
    ("CellVoltHigh", "cell_voltage_high", _bcu_volt, 3.4, 3.8),
    ("CellVoltLow", "cell_voltage_low", _bcu_volt, 2.0, 3.0),
    # 0 may mean "disabled"; the upper bound is a generous rack rating
    ("ChargeCurrHigh", "charge_current_high", _bcu_curr, 0, 1000),
    ("DischargeCurrHigh", "discharge_current_high", _bcu_curr, 0, 1000),
    ("ChargeTEMPHigh", "charge_temperature_high", _bcu_temp, 30, 65),
    # the docs' example (0 / -5 / 5) is not monotonic: placeholders
    ("ChargeTEMPLow", "charge_temperature_low", _bcu_temp, -20, 10),
    ("DischargeTEMPHigh", "discharge_temperature_high", _bcu_temp, 35, 70),
    ("DischargeTEMPLow", "discharge_temperature_low", _bcu_temp, -30, 5),
)

_BCU: tuple[SettingSpec, ...] = (
    _bcu_count("batCellNumber", "cells_per_pack", 1, 32),
    _bcu_count("batPackNumber", "packs_per_rack", 1, 40),
    _bcu_volt("cellFullChargeVoltage", "cell_full_charge_voltage", 3.3, 3.65),
    _bcu_volt("cellFullDischargeVoltage", "cell_full_discharge_voltage", 2.5, 3.2),
    _bcu_count(
        "chargingCurrentCalibrationNumerator", "charge_current_calibration_numerator", 1, 65535
    ),
    _bcu_count(
        "chargingCurrentCalibrationDenominator", "charge_current_calibration_denominator", 1, 65535
    ),
    _bcu_count(
        "dischargingCurrentCalibrationNumerator",
        "discharge_current_calibration_numerator",
        1,
        65535,
    ),
    _bcu_count(
        "dischargingCurrentCalibrationDenominator",
        "discharge_current_calibration_denominator",
        1,
        65535,
    ),
    select("currentCalibrationEnable", "current_calibration", D, OFF_ON, enabled=False),
    _bcu_count("currentRatio", "current_ratio", 1, 65535),
    *(
        make(f"{level}{stem}{word}", f"{tk_stem}_{tk}", low, high)
        for stem, tk_stem, make, low, high in _THRESHOLDS
        for level, word, tk in _LEVELS
    ),
    # the docs' example 0.001 h looks like a placeholder
    number(
        "pasBalWaitTimeHour",
        "passive_balancing_wait_time",
        D,
        0,
        24,
        0.001,
        unit=UnitOfTime.HOURS,
        device_class=NumberDeviceClass.DURATION,
        enabled=False,
    ),
)

# --- MBMS: 3 documented keys, ranges inferred ---------------------------------------------------

_MBMS: tuple[SettingSpec, ...] = (
    number("batGroupNumber", "battery_groups", D, 1, 32, 1),
    number("batPackNumber", "packs_per_rack", D, 1, 40, 1),
    number(
        "batSwitchOnDiffVolt",
        "switch_on_voltage_difference",
        D,
        0,
        50,
        0.1,
        unit=V,
        device_class=NumberDeviceClass.VOLTAGE,
    ),
)

# --- HPS central type ---------------------------------------------------------------------------

_HPS_BIG: tuple[SettingSpec, ...] = (
    # how the system was wired at commissioning, not how it runs: disabled by default
    number("atsComNo", "ats_communication_number", D, 1, 247, 1, enabled=False),
    select("sharedBatteryEnable", "shared_battery", D, OFF_ON, enabled=False),  # HV models only
    # assumed key names; values / ranges from holding registers H26, H178, H47, H225
    select("workMode", "work_mode", R, WORK_MODES),
    soc_limit("chargeCutoffSoc", "charge_cutoff_soc", R),
    soc_limit("dischargeCutoffSoc", "discharge_cutoff_soc", R),
    power_limit("maxGridChargePower", "max_grid_charge_power", R, 0, 150),
    *(period(f"valleyPeriodTime{n}", f"valley_period_{n}", D) for n in range(1, 6)),
)

# --- HPS string type ----------------------------------------------------------------------------

_HPS_SMALL: tuple[SettingSpec, ...] = (
    # the battery's size, set at commissioning: disabled by default
    number("batCapacity", "battery_capacity", D, 0, 50000, 1, unit="Ah", enabled=False),
    # assumed key names (registers H178, H47, H179)
    soc_limit("chargeCutoffSoc", "charge_cutoff_soc", R),
    soc_limit("dischargeCutoffSoc", "discharge_cutoff_soc", R),
    select("gridChargeEnable", "grid_charge", N, OFF_ON),
    period("valleyPeriodTime1", "valley_period_1", D),
    period("valleyPeriodTime2", "valley_period_2", D),
)

# --- PBD: key names from Growatt's PBD record ---------------------------------------------------

_PBD: tuple[SettingSpec, ...] = (
    select("onOff", "power_switch", G, OFF_ON),
    soc_limit("socMax", "max_soc", G),
    soc_limit("socMin", "min_soc", G),
    power_limit("outPowerMax", "max_output_power", G, 0, 500),
)

# --- PCS: every key name assumed (by analogy with PBD and the HPS register map) ------------------

_PCS: tuple[SettingSpec, ...] = (
    select("onOff", "power_switch", N, OFF_ON),
    select("workMode", "work_mode", R, WORK_MODES),
    soc_limit("chargeCutoffSoc", "charge_cutoff_soc", R),
    soc_limit("dischargeCutoffSoc", "discharge_cutoff_soc", R),
    # sign convention (negative = charge?) unverified (docs/fields.md#signs-of-power-values)
    power_limit("activePowerSetting", "active_power_setting", N, -500, 500),
)

SETTINGS: Final[Mapping[DeviceKind, tuple[SettingSpec, ...]]] = {
    DeviceKind.BCU: _BCU,
    DeviceKind.MBMS: _MBMS,
    DeviceKind.HPS_BIG: _HPS_BIG,
    DeviceKind.HPS_SMALL: _HPS_SMALL,
    DeviceKind.PBD: _PBD,
    DeviceKind.PCS: _PCS,
}


def setting_specs_for(kind: DeviceKind) -> dict[str, SettingSpec]:
    """The curated settings of a device kind, keyed by the exact cloud key."""
    return {spec.key: spec for spec in SETTINGS.get(kind, ())}
