"""What number, select and text entities share: one setting of one device.

Every write goes through the one guarded write path (`write.py`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, override

from homeassistant.core import callback
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .api import Value
from .catalogue import SettingPlatform, SettingSpec, Source
from .catalogue.settings import setting_specs_for
from .coordinator import AtessDevice, AtessSettingsCoordinator
from .entity import AtessEntity
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
        known: set[str] = set()
        catalogue = setting_specs_for(device.ref.kind)

        @callback
        def add_new_keys() -> None:
            data = device.settings.data
            if data is None:
                return
            new: list[Entity] = []
            for key in data.keys():  # noqa: SIM118  (cloud spelling, not the index)
                if key in known:
                    continue
                known.add(key)
                spec = catalogue.get(key) or unknown_spec(key, data.get(key))
                if spec is not None and spec.platform is platform:
                    new.append(factory(device, spec, runtime.writer))
            if new:
                async_add_entities(new)

        add_new_keys()
        entry.async_on_unload(device.settings.async_add_listener(add_new_keys))

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
    @override
    def available(self) -> bool:
        """Unavailable when the settings could not be read or lack this key."""
        data = self.coordinator.data
        return super().available and data is not None and self.spec.key in data

    async def async_write(self, value: Any) -> None:
        """Write through the guarded path."""
        await self._writer.async_write(self.device, self.spec.key, value)
