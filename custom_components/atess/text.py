"""String settings (for example the valley-tariff time windows) as text entities."""

from __future__ import annotations

from typing import override

from homeassistant.components.text import TextEntity
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .catalogue import SettingPlatform, SettingSpec
from .coordinator import AtessConfigEntry, AtessDevice
from .setting import AtessSettingEntity, async_setup_settings

# One write at a time: each write spends from a budget of ten a day.
PARALLEL_UPDATES = 1


async def async_setup_entry(
    hass: HomeAssistant,
    entry: AtessConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add a text entity for every string setting."""
    async_setup_settings(entry, async_add_entities, SettingPlatform.TEXT, AtessText)


class AtessText(AtessSettingEntity, TextEntity):
    """A string setting, checked against the catalogue's pattern before it is written."""

    _attr_native_max = 64

    def __init__(self, device: AtessDevice, spec: SettingSpec) -> None:
        """Create the entity with the catalogue's pattern."""
        super().__init__(device, spec)
        if spec.pattern:
            self._attr_pattern = spec.pattern

    @property
    @override
    def native_value(self) -> str | None:
        """The setting's text."""
        value = self.current
        return value if isinstance(value, str) else None

    @override
    async def async_set_value(self, value: str) -> None:
        """Write the text (validated, budgeted, confirmed)."""
        await self.async_write(value)
