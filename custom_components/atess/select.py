"""Settings with a known set of values (enables, work modes) as select entities."""

from __future__ import annotations

from typing import override

from homeassistant.components.select import SelectEntity
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .catalogue import SettingPlatform, SettingSpec
from .coordinator import AtessDevice
from .runtime import AtessConfigEntry
from .setting import AtessSettingEntity, async_setup_settings
from .write import AtessWriter

# One write at a time: each write spends from a budget of ten a day.
PARALLEL_UPDATES = 1


async def async_setup_entry(
    hass: HomeAssistant,
    entry: AtessConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add a select entity for every enumerated setting."""
    async_setup_settings(entry, async_add_entities, SettingPlatform.SELECT, AtessSelect)


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
        value = self.current
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return None
        return self._by_value.get(int(value)) if value == int(value) else None

    @override
    async def async_select_option(self, option: str) -> None:
        """Write the option's value (validated, budgeted, confirmed)."""
        await self.async_write(option)
