"""Settings with a known set of values (enables, work modes) as select entities."""

from __future__ import annotations

from typing import override

from homeassistant.components.select import SelectEntity

from .catalogue import SettingPlatform, SettingSpec
from .coordinator import AtessDevice
from .setting import AtessSettingEntity, setting_platform
from .write import AtessWriter

# One write at a time: each write spends from a budget of ten a day.
PARALLEL_UPDATES = 1


class AtessSelect(AtessSettingEntity, SelectEntity):
    """An enumerated setting; options are translated."""

    def __init__(self, device: AtessDevice, spec: SettingSpec, writer: AtessWriter) -> None:
        """Create the entity with the catalogue's options."""
        super().__init__(device, spec, writer)
        self._attr_options = list(spec.options)
        self._by_value = {value: name for name, value in spec.options.items()}

    @property
    @override
    def current_option(self) -> str | None:
        """The option for the cloud's value; None for a value the catalogue does not list."""
        value = self.current_number
        if value is None or value != int(value):
            return None
        return self._by_value.get(int(value))

    @override
    async def async_select_option(self, option: str) -> None:
        """Write the option's value (validated, budgeted, confirmed)."""
        await self.async_write(option)


async_setup_entry = setting_platform(SettingPlatform.SELECT, AtessSelect)
