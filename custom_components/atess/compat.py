"""What differs between the Home Assistant releases the integration supports (2026.3 onwards).

Each name is the newest release's, with the older releases' equivalent as its fallback. Drop a
fallback once hacs.json's minimum reaches the release named beside it; `scripts/test-range`
proves both ends of the range.
"""

from __future__ import annotations

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
        return device if device is not None and entry_id in device.config_entries else None
    return registry.async_get_device_by_identifier(identifier, entry_id)
