"""What differs between the Home Assistant releases the integration supports (2026.3 onwards).

Each name is the newest release's, with the older releases' equivalent as its fallback. Drop a
fallback once hacs.json's minimum reaches the release named beside it; `scripts/test-range`
proves both ends of the range.
"""

from __future__ import annotations

from typing import Any

from homeassistant.components.energy.data import BatterySourceType, SolarSourceType
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.device_registry import DeviceInfo

try:
    import probatio as vol
except ImportError:  # before 2026.9: voluptuous, whose API probatio keeps
    import voluptuous as vol  # type: ignore[no-redef]

try:
    from homeassistant.components.binary_sensor.const import BinarySensorDeviceClass
except ImportError:  # before 2026.10: in the package itself
    from homeassistant.components.binary_sensor import (  # type: ignore[attr-defined]
        BinarySensorDeviceClass,
    )

__all__ = [
    "BATTERY_SOC",
    "SOURCE_NAMES",
    "BinarySensorDeviceClass",
    "device_by_identifier",
    "device_entry_ids",
    "remove_entry_device",
    "via_device",
    "vol",
]

# Energy dashboard sources: before 2026.6 a battery has no state of charge (`stat_soc`) ...
BATTERY_SOC = (
    "stat_soc" in BatterySourceType.__required_keys__ | BatterySourceType.__optional_keys__
)
# ... and no source has a name of its own (the dashboard's schema refuses the key)
SOURCE_NAMES = "name" in SolarSourceType.__required_keys__ | SolarSourceType.__optional_keys__


def via_device(hass: HomeAssistant, identifier: tuple[str, str], entry_id: str) -> DeviceInfo:
    """The link to a parent device the entry registered, by its id.

    Before 2026.8 there is no lookup of the id: the link is by identifier.
    """
    if not hasattr(dr, "async_get_device_id_by_identifier"):
        return DeviceInfo(via_device=identifier)  # type: ignore[typeddict-unknown-key]
    return DeviceInfo(
        via_device_id=dr.async_get_device_id_by_identifier(
            hass, identifier, config_entry_id=entry_id
        )
    )


def device_by_identifier(
    registry: dr.DeviceRegistry, identifier: tuple[str, str], entry_id: str
) -> dr.DeviceEntry | None:
    """The entry's device with this identifier (before 2026.8: the one device with it)."""
    if not hasattr(registry, "async_get_device_by_identifier"):
        device = registry.async_get_device(identifiers={identifier})
        return device if device is not None and entry_id in device_entry_ids(device) else None
    return registry.async_get_device_by_identifier(identifier, entry_id)


def remove_entry_device(registry: dr.DeviceRegistry, device: dr.DeviceEntry, entry_id: str) -> None:
    """Take a device of the entry out of the registry, with its entities.

    Once a device belongs to exactly one entry (`config_entry_id`), that is removing the device;
    `remove_config_entry_id` is deprecated there and stops working in 2027.8. Before, a device
    could belong to several entries, and only this entry's link goes (the device with it when it
    was the last).
    """
    if hasattr(device, "config_entry_id"):
        registry.async_remove_device(device.id)
        return
    registry.async_update_device(device.id, remove_config_entry_id=entry_id)


def device_entry_ids(device: Any) -> set[str]:
    """The config entries a device belongs to (at most one, once `config_entry_id` exists).

    `config_entries` is deprecated there (it stops working in 2027.10); a child device may
    have no entry of its own.
    """
    if hasattr(device, "config_entry_id"):
        return {device.config_entry_id} if device.config_entry_id else set()
    return set(device.config_entries)
