"""What number, select and text entities share: one setting of one device.

Every write goes through the one guarded write path (`write.py`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
import math
from typing import Any, override

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .api import Value
from .catalogue import SettingPlatform, SettingSpec, Source
from .catalogue.settings import setting_specs_for
from .coordinator import AtessDevice, AtessSettingsCoordinator
from .entity import AtessEntity, async_add_as_they_come
from .runtime import AtessConfigEntry
from .write import AtessWriter

type SettingEntityFactory = Callable[[AtessDevice, SettingSpec, AtessWriter], Entity]


def unknown_spec(key: str, value: Value) -> SettingSpec | None:
    """A generic spec for a setting the catalogue does not know (None: not writable as is)."""
    if isinstance(value, bool) or value is None:
        return None
    platform = SettingPlatform.TEXT if isinstance(value, str) else SettingPlatform.NUMBER
    return SettingSpec(
        key=key,
        translation_key="unknown_setting",
        platform=platform,
        source=Source.UNKNOWN,
        entity_registry_enabled_default=False,
    )


def setting_platform(
    platform: SettingPlatform, factory: SettingEntityFactory
) -> Callable[[HomeAssistant, AtessConfigEntry, AddConfigEntryEntitiesCallback], Awaitable[None]]:
    """The `async_setup_entry` of a setting platform: one entity per setting of `platform`."""

    async def async_setup_entry(
        hass: HomeAssistant,
        entry: AtessConfigEntry,
        async_add_entities: AddConfigEntryEntitiesCallback,
    ) -> None:
        async_setup_settings(entry, async_add_entities, platform, factory)

    async_setup_entry.__doc__ = f"Add a {platform} entity for every {platform} setting."
    return async_setup_entry


@callback
def async_setup_settings(
    entry: AtessConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
    platform: SettingPlatform,
    factory: SettingEntityFactory,
) -> None:
    """Add an entity per setting of `platform`, for every device, as the settings arrive."""
    runtime = entry.runtime_data

    @callback
    def add_device(device: AtessDevice) -> None:
        catalogue = setting_specs_for(device.ref.kind)

        def keys() -> Iterable[tuple[str, str]]:
            data = device.settings.data
            return ((key, key) for key in (data.keys() if data is not None else ()))

        def entities(key: str) -> list[Entity]:
            data = device.settings.data
            spec = catalogue.get(key) or unknown_spec(
                key, data.get(key) if data is not None else None
            )
            if spec is None or spec.platform is not platform:
                return []
            return [factory(device, spec, runtime.writer)]

        subscribe = device.settings.async_add_listener
        async_add_as_they_come(entry, async_add_entities, subscribe, keys, entities)

    entry.async_on_unload(runtime.async_add_device_listener(add_device))


class AtessSettingEntity(AtessEntity[AtessSettingsCoordinator]):
    """One setting of one device."""

    def __init__(self, device: AtessDevice, spec: SettingSpec, writer: AtessWriter) -> None:
        """Bind the entity to its setting; the unique id is `<serial>_setting_<key>`."""
        super().__init__(device.settings, device, f"setting_{spec.key.lower()}")
        self.spec = spec
        self._writer = writer
        self._attr_translation_key = spec.translation_key
        self._attr_entity_category = spec.entity_category
        self._attr_entity_registry_enabled_default = spec.entity_registry_enabled_default
        if spec.source is Source.UNKNOWN:
            self._attr_translation_placeholders = {"key": spec.key}

    @property
    def current(self) -> Value:
        """The value to show (a fresh write until its read-back, else the cloud's)."""
        return self._writer.value(self.device, self.spec.key)

    @property
    def current_number(self) -> float | None:
        """The value to show, when it is a finite number (a flag or a text is not)."""
        value = self.current
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return None
        return value if math.isfinite(value) else None

    @property
    @override
    def available(self) -> bool:
        """Unavailable when the settings could not be read or lack this key."""
        data = self.coordinator.data
        return super().available and data is not None and self.spec.key in data

    async def async_write(self, value: Any) -> None:
        """Write through the guarded path."""
        await self._writer.async_write(self.device, self.spec.key, value)
