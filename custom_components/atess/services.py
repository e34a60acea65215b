"""Actions: write any setting by key (for keys without an entity)."""

from __future__ import annotations

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant, ServiceCall, callback
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import config_validation as cv, device_registry as dr
import probatio as vol

from .const import DOMAIN
from .coordinator import AtessConfigEntry, AtessDevice

ATTR_DEVICE_ID = "device_id"
ATTR_KEY = "key"
ATTR_VALUE = "value"
SERVICE_SET_SETTING = "set_setting"

SET_SETTING_SCHEMA = vol.Schema(
    {
        vol.Required(ATTR_DEVICE_ID): cv.string,
        vol.Required(ATTR_KEY): cv.string,
        vol.Required(ATTR_VALUE): vol.Any(cv.string, vol.Coerce(float)),
    }
)


def device_from_call(hass: HomeAssistant, device_id: str) -> AtessDevice:
    """The loaded ATESS device behind a device-registry id."""
    device_entry = dr.async_get(hass).async_get(device_id)
    if device_entry is None:
        raise ServiceValidationError(translation_domain=DOMAIN, translation_key="unknown_device")
    serials = {ident for domain, ident in device_entry.identifiers if domain == DOMAIN}
    for entry_id in device_entry.config_entries:
        entry: AtessConfigEntry | None = hass.config_entries.async_get_entry(entry_id)
        if entry is None or entry.domain != DOMAIN:
            continue
        if entry.state is not ConfigEntryState.LOADED:
            raise ServiceValidationError(
                translation_domain=DOMAIN, translation_key="device_not_loaded"
            )
        for sn in serials:
            if device := entry.runtime_data.devices.get(sn):
                return device
    raise ServiceValidationError(translation_domain=DOMAIN, translation_key="unknown_device")


async def _async_set_setting(call: ServiceCall) -> None:
    device = device_from_call(call.hass, call.data[ATTR_DEVICE_ID])
    await device.settings.config_entry.runtime_data.writer.async_write(
        device, call.data[ATTR_KEY], call.data[ATTR_VALUE]
    )


@callback
def async_setup_services(hass: HomeAssistant) -> None:
    """Register the actions."""
    hass.services.async_register(
        DOMAIN, SERVICE_SET_SETTING, _async_set_setting, schema=SET_SETTING_SCHEMA
    )
