"""Factories that build the sensor descriptions of every device family.

A physical quantity (voltage, current, power, ...) is a `Quantity`: its unit, device class and
display precision are data, set once below. Counters, durations, codes and plain values have
their own small factories. The unit is always the one the cloud is believed to send; Home
Assistant converts for display.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from homeassistant.components.sensor import SensorDeviceClass, SensorStateClass
from homeassistant.const import (
    PERCENTAGE,
    EntityCategory,
    UnitOfApparentPower,
    UnitOfElectricCurrent,
    UnitOfElectricPotential,
    UnitOfEnergy,
    UnitOfFrequency,
    UnitOfPower,
    UnitOfReactivePower,
    UnitOfTemperature,
    UnitOfTime,
)
from homeassistant.helpers.typing import StateType

from ...api import Value
from ..types import AtessSensorEntityDescription, Source, as_number
from .converters import enum_value_fn

type Desc = AtessSensorEntityDescription
type ValueFn = Callable[[Value], StateType]

KOHM = "kΩ"  # insulation resistance: HA has no device class for it


def sensor(
    field: str,
    tk: str,
    source: Source,
    *,
    unit: str | None = None,
    device_class: SensorDeviceClass | None = None,
    state_class: SensorStateClass | None = SensorStateClass.MEASUREMENT,
    precision: int | None = None,
    diag: bool = False,
    value_fn: ValueFn = as_number,
    options: list[str] | None = None,
    monotonic: bool = False,
) -> Desc:
    """One description; `diag` = diagnostic and disabled by default."""
    return AtessSensorEntityDescription(
        key=field.lower(),
        field=field,
        translation_key=tk,
        source=source,
        native_unit_of_measurement=unit,
        device_class=device_class,
        state_class=state_class,
        suggested_display_precision=precision,
        entity_category=EntityCategory.DIAGNOSTIC if diag else None,
        entity_registry_enabled_default=not diag,
        value_fn=value_fn,
        options=options,
        monotonic=monotonic,
    )


@dataclass(frozen=True, slots=True)
class Quantity:
    """A factory of measurements of one physical quantity."""

    unit: str
    device_class: SensorDeviceClass
    precision: int
    diag_by_default: bool = False

    def __call__(
        self,
        field: str,
        tk: str,
        source: Source,
        *,
        diag: bool | None = None,
        precision: int | None = None,
        value_fn: ValueFn = as_number,
    ) -> Desc:
        """A measurement of this quantity, with the quantity's defaults unless overridden."""
        return sensor(
            field,
            tk,
            source,
            unit=self.unit,
            device_class=self.device_class,
            precision=self.precision if precision is None else precision,
            diag=self.diag_by_default if diag is None else diag,
            value_fn=value_fn,
        )


# Active power is kW unless the cloud is known to send W (docs/fields.md#w-or-kw).
power = Quantity(UnitOfPower.KILO_WATT, SensorDeviceClass.POWER, 1)
power_w = Quantity(UnitOfPower.WATT, SensorDeviceClass.POWER, 0)
apparent = Quantity(UnitOfApparentPower.KILO_VOLT_AMPERE, SensorDeviceClass.APPARENT_POWER, 1)
reactive = Quantity(
    UnitOfReactivePower.KILO_VOLT_AMPERE_REACTIVE, SensorDeviceClass.REACTIVE_POWER, 1
)
voltage = Quantity(UnitOfElectricPotential.VOLT, SensorDeviceClass.VOLTAGE, 1)
current = Quantity(UnitOfElectricCurrent.AMPERE, SensorDeviceClass.CURRENT, 1)
frequency = Quantity(UnitOfFrequency.HERTZ, SensorDeviceClass.FREQUENCY, 2)
# only ambient temperatures are headline values; the others are diagnostics
temperature = Quantity(
    UnitOfTemperature.CELSIUS, SensorDeviceClass.TEMPERATURE, 1, diag_by_default=True
)
soc = Quantity(PERCENTAGE, SensorDeviceClass.BATTERY, 0)


def energy(field: str, tk: str, source: Source, *, lifetime: bool) -> Desc:
    """An energy counter in kWh; lifetime counters never go down."""
    return sensor(
        field,
        tk,
        source,
        unit=UnitOfEnergy.KILO_WATT_HOUR,
        device_class=SensorDeviceClass.ENERGY,
        state_class=SensorStateClass.TOTAL_INCREASING,
        precision=1,
        monotonic=lifetime,
    )


def duration(field: str, tk: str, source: Source, unit: UnitOfTime) -> Desc:
    """A duration twin of an energy counter: today in min, total in h.

    See docs/fields.md#duration-twins.
    """
    return sensor(
        field,
        tk,
        source,
        unit=unit,
        device_class=SensorDeviceClass.DURATION,
        state_class=SensorStateClass.TOTAL_INCREASING,
        precision=1,
        diag=True,
    )


def power_factor(field: str, tk: str, source: Source, value_fn: ValueFn = as_number) -> Desc:
    """A power factor, 0..1, no unit."""
    return sensor(
        field,
        tk,
        source,
        device_class=SensorDeviceClass.POWER_FACTOR,
        precision=2,
        value_fn=value_fn,
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
