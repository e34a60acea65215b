"""String settings (for example the valley-tariff time windows) as text entities."""

from __future__ import annotations

from typing import override

from homeassistant.components.text import TextEntity
from homeassistant.const import MAX_LENGTH_STATE_STATE
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .catalogue import SettingPlatform
from .runtime import AtessConfigEntry
from .setting import AtessSettingEntity, async_setup_settings
from .write import pattern_applies

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
    """A string setting, checked against the catalogue's pattern before it is written.

    The pattern is an assumption (the docs show only `"string"`): when the cloud's current value
    does not fit it, the cloud's format wins and the pattern is not enforced for this entity.
    """

    @property
    @override
    def pattern(self) -> str | None:
        """The catalogue's pattern, unless the cloud's own value shows another format."""
        if self.spec.pattern is None or not pattern_applies(self.spec.pattern, self.current):
            return None
        return self.spec.pattern

    @property
    @override
    def native_value(self) -> str | None:
        """The setting's text (None if it is longer than a state may be)."""
        value = self.current
        if not isinstance(value, str) or len(value) > MAX_LENGTH_STATE_STATE:
            return None
        return value

    @override
    async def async_set_value(self, value: str) -> None:
        """Write the text (validated, budgeted, confirmed)."""
        await self.async_write(value)
