"""The base factory of sensor descriptions, and the quantities a device reports.

Each `Quantity` fixes a unit, device class, state class and display precision: the table at the
end is every such choice the catalogue makes. The unit is always the one the cloud is believed to
send; Home Assistant converts for display.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

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
from .converters import number_in_text

type Desc = AtessSensorEntityDescription
type ValueFn = Callable[[Value], StateType]


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
    state_class: SensorStateClass = SensorStateClass.MEASUREMENT
    diag: bool = False  # diagnostic and disabled by default
    # lifetime counters never go down; a lower value is a cloud glitch, not a meter reset
    monotonic: bool = False

    def __call__(self, field: str, tk: str, source: Source, *, diag: bool | None = None) -> Desc:
        """A measurement of this quantity; `diag` overrides the quantity's default."""
        return sensor(
            field,
            tk,
            source,
            unit=self.unit,
            device_class=self.device_class,
            state_class=self.state_class,
            precision=self.precision,
            diag=self.diag if diag is None else diag,
            monotonic=self.monotonic,
        )

    def per_phase(
        self, field: str, tk: str, source: Source, phases: str, *, diag: bool | None = None
    ) -> tuple[Desc, ...]:
        """One measurement per phase: `{}` in `field` and `tk` stands for each of `phases`.

        `voltage.per_phase("vpv{}", "output_voltage_{}", R, "uv vw wu")` gives `vpvuv`,
        `vpvvw` and `vpvwu`.
        """
        return tuple(self(field.format(p), tk.format(p), source, diag=diag) for p in phases.split())

    def parsed(self, field: str, tk: str, source: Source) -> Desc:
        """A measurement sent pre-formatted ("3.312V", "25℃"), parsed to a number; enabled."""
        return replace(self(field, tk, source, diag=False), value_fn=number_in_text)


KWH = UnitOfEnergy.KILO_WATT_HOUR
TOTAL = SensorStateClass.TOTAL_INCREASING

# Active power is kW unless the cloud is known to send W (docs/fields.md#w-or-kw).
power = Quantity(UnitOfPower.KILO_WATT, SensorDeviceClass.POWER, 1)
power_w = Quantity(UnitOfPower.WATT, SensorDeviceClass.POWER, 0)
apparent = Quantity(UnitOfApparentPower.KILO_VOLT_AMPERE, SensorDeviceClass.APPARENT_POWER, 1)
reactive = Quantity(
    UnitOfReactivePower.KILO_VOLT_AMPERE_REACTIVE, SensorDeviceClass.REACTIVE_POWER, 1
)
voltage = Quantity(UnitOfElectricPotential.VOLT, SensorDeviceClass.VOLTAGE, 1)
# in V with mV resolution (docs/fields.md#cell-voltages-v-or-mv)
cell_voltage = Quantity(UnitOfElectricPotential.VOLT, SensorDeviceClass.VOLTAGE, 3)
current = Quantity(UnitOfElectricCurrent.AMPERE, SensorDeviceClass.CURRENT, 1)
frequency = Quantity(UnitOfFrequency.HERTZ, SensorDeviceClass.FREQUENCY, 2)
# only ambient temperatures are headline values; the others are diagnostics
temperature = Quantity(UnitOfTemperature.CELSIUS, SensorDeviceClass.TEMPERATURE, 1, diag=True)
soc = Quantity(PERCENTAGE, SensorDeviceClass.BATTERY, 0)
daily_energy = Quantity(KWH, SensorDeviceClass.ENERGY, 1, TOTAL)
lifetime_energy = Quantity(KWH, SensorDeviceClass.ENERGY, 1, TOTAL, monotonic=True)
# the duration twins of the counters (docs/fields.md#duration-twins)
minutes_today = Quantity(UnitOfTime.MINUTES, SensorDeviceClass.DURATION, 1, TOTAL, diag=True)
hours_total = Quantity(UnitOfTime.HOURS, SensorDeviceClass.DURATION, 1, TOTAL, diag=True)
