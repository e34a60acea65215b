"""Numeric settings (thresholds, limits, counts) as number entities."""

from __future__ import annotations

from typing import override

from homeassistant.components.number import NumberEntity

from .catalogue import SettingPlatform, SettingSpec
from .coordinator import AtessDevice
from .setting import AtessSettingEntity, setting_platform
from .write import AtessWriter

# One write at a time: each write spends from a budget of ten a day.
PARALLEL_UPDATES = 1


class AtessNumber(AtessSettingEntity, NumberEntity):
    """A numeric setting."""

    def __init__(self, device: AtessDevice, spec: SettingSpec, writer: AtessWriter) -> None:
        """Create the entity with the catalogue's range, step and unit."""
        super().__init__(device, spec, writer)
        self._attr_mode = spec.mode
        self._attr_device_class = spec.device_class
        self._attr_native_unit_of_measurement = spec.unit
        # Uncatalogued settings have no known range: let the cloud judge the value.
        self._attr_native_min_value = spec.native_min if spec.native_min is not None else -1e9
        self._attr_native_max_value = spec.native_max if spec.native_max is not None else 1e9
        self._attr_native_step = spec.step if spec.step is not None else 0.001

    @property
    @override
    def native_value(self) -> float | None:
        """The setting's value."""
        return self.current_number

    @override
    async def async_set_native_value(self, value: float) -> None:
        """Write the value (validated, budgeted, confirmed)."""
        await self.async_write(value)


async_setup_entry = setting_platform(SettingPlatform.NUMBER, AtessNumber)
