"""Setting tables per device kind, value parsing, and the per-day write ration.

Key order follows the documented examples: BCU is the complete documented list (alphabetical);
central HPS starts with `atsComNo` and ends with `valleyPeriodTime5`, string HPS starts with
`batCapacity` and ends with `valleyPeriodTime2`. Every kind except BCU carries one key no client
catalogue knows (`vendorReserved1`).
"""

from __future__ import annotations

from datetime import date
import re

from simulator.jsontypes import JsonObject, JsonValue
from simulator.model.kinds import DeviceKind

UNUSED_PERIOD = "00:00-00:00"
_PERIOD = re.compile(r"^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$")

BCU_SETTINGS: JsonObject = {
    "batCellNumber": 1,
    "batPackNumber": 1,
    "cellFullChargeVoltage": 3.4,
    "cellFullDischargeVoltage": 3.0,
    "chargingCurrentCalibrationDenominator": 1,
    "chargingCurrentCalibrationNumerator": 1,
    "currentCalibrationEnable": 0,
    "currentRatio": 1,
    "dischargingCurrentCalibrationDenominator": 1,
    "dischargingCurrentCalibrationNumerator": 1,
    "level1CellVoltHighWarning": 3.4,
    "level1CellVoltLowWarning": 2.8,
    "level1ChargeCurrHighWarning": 0,
    "level1ChargeTEMPHighWarning": 35,
    "level1ChargeTEMPLowWarning": 0,
    "level1DischargeCurrHighWarning": 0,
    "level1DischargeTEMPHighWarning": 35,
    "level1DischargeTEMPLowWarning": 0,
    "level2CellVoltHighFault": 3.5,
    "level2CellVoltLowFault": 2.6,
    "level2ChargeCurrHighFault": 0,
    "level2ChargeTEMPHighFault": 40,
    "level2ChargeTEMPLowFault": -5,
    "level2DischargeCurrHighFault": 0,
    "level2DischargeTEMPHighFault": 40,
    "level2DischargeTEMPLowFault": -10,
    "level3CellVoltHighProtection": 3.6,
    "level3CellVoltLowProtection": 2.4,
    "level3ChargeCurrHighProtection": 0,
    "level3ChargeTEMPHighProtection": 45,
    "level3ChargeTEMPLowProtection": 5,
    "level3DischargeCurrHighProtection": 0,
    "level3DischargeTEMPHighProtection": 45,
    "level3DischargeTEMPLowProtection": -20,
    "pasBalWaitTimeHour": 0.001,
}

_DEFAULTS: dict[DeviceKind, JsonObject] = {
    DeviceKind.BCU: BCU_SETTINGS,
    DeviceKind.MBMS: {
        "batGroupNumber": 2,
        "batPackNumber": 16,
        "batSwitchOnDiffVolt": 10.0,
        "vendorReserved1": 0,
    },
    DeviceKind.HPS_BIG: {
        "atsComNo": 1,
        "chargeCutoffSoc": 100,
        "dischargeCutoffSoc": 10,
        "maxGridChargePower": 50.0,
        "sharedBatteryEnable": 0,
        "vendorReserved1": 0,
        "workMode": 0,
        "valleyPeriodTime1": "00:00-06:00",
        "valleyPeriodTime2": UNUSED_PERIOD,
        "valleyPeriodTime3": UNUSED_PERIOD,
        "valleyPeriodTime4": UNUSED_PERIOD,
        "valleyPeriodTime5": UNUSED_PERIOD,
    },
    DeviceKind.HPS_SMALL: {
        "batCapacity": 200,
        "chargeCutoffSoc": 100,
        "dischargeCutoffSoc": 10,
        "gridChargeEnable": 0,
        "vendorReserved1": 0,
        "valleyPeriodTime1": "00:00-06:00",
        "valleyPeriodTime2": UNUSED_PERIOD,
    },
    DeviceKind.PBD: {
        "onOff": 1,
        "outPowerMax": 250.0,
        "socMax": 100,
        "socMin": 10,
        "vendorReserved1": 0,
    },
    DeviceKind.PCS: {
        "activePowerSetting": 0.0,
        "chargeCutoffSoc": 100,
        "dischargeCutoffSoc": 10,
        "onOff": 1,
        "vendorReserved1": 0,
        "workMode": 0,
    },
}


def default_settings(kind: DeviceKind) -> JsonObject:
    """Return a fresh copy of a kind's settings with their initial values."""
    return dict(_DEFAULTS[kind])


class InvalidValueError(ValueError):
    """The value text cannot be converted to the setting's type."""


def parse_value(current: JsonValue, text: str) -> JsonValue:
    """Convert the PUT's string value to the type the setting already has."""
    text = text.strip()
    try:
        if isinstance(current, bool):
            raise InvalidValueError(text)
        if isinstance(current, int):
            number = float(text)
            if not number.is_integer():
                raise InvalidValueError(text)
            return int(number)
        if isinstance(current, float):
            return float(text)
    except (ValueError, OverflowError) as err:
        raise InvalidValueError(text) from err
    if isinstance(current, str) and current.count(":") == 2 and not _PERIOD.match(text):
        # Time windows must stay "HH:mm-HH:mm": the device would reject anything else.
        raise InvalidValueError(text)
    return text


class WriteRation:
    """At most `limit` applied writes per device per plant-local calendar day."""

    def __init__(self, limit: int) -> None:
        """Start with no writes counted."""
        self.limit = limit
        self._counts: dict[str, tuple[date, int]] = {}

    def allows(self, device_sn: str, today: date) -> bool:
        """Return whether one more write fits in today's budget."""
        day, count = self._counts.get(device_sn, (today, 0))
        return day != today or count < self.limit

    def record(self, device_sn: str, today: date) -> None:
        """Count one applied write."""
        day, count = self._counts.get(device_sn, (today, 0))
        self._counts[device_sn] = (today, count + 1 if day == today else 1)

    def reset(self) -> None:
        """Forget every counted write (tests and benchmarks start a fresh day)."""
        self._counts.clear()
