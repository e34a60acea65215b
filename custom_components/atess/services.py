"""Actions: write any setting by key, import a window of the cloud's history, set up the Energy dashboard."""

from __future__ import annotations

from datetime import datetime

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import config_validation as cv, device_registry as dr
from homeassistant.util import dt as dt_util

from .compat import device_entry_ids, vol
from .const import DOMAIN
from .coordinator import AtessDevice
from .energy_dashboard import async_configure
from .runtime import AtessConfigEntry

ATTR_DEVICE_ID = "device_id"
ATTR_KEY = "key"
ATTR_VALUE = "value"
ATTR_START = "start"
ATTR_END = "end"
SERVICE_SET_SETTING = "set_setting"
SERVICE_IMPORT_HISTORY = "import_history"
SERVICE_CONFIGURE_ENERGY = "configure_energy_dashboard"
ATTR_CONFIG_ENTRY_ID = "config_entry_id"
ATTR_PLANT_ID = "plant_id"
ATTR_EXTRA_GRID = "extra_grid"

SET_SETTING_SCHEMA = vol.Schema(
    {
        vol.Required(ATTR_DEVICE_ID): cv.string,
        vol.Required(ATTR_KEY): cv.string,
        vol.Required(ATTR_VALUE): vol.Any(cv.string, vol.Coerce(float)),
    }
)


IMPORT_HISTORY_SCHEMA = vol.Schema(
    {
        vol.Required(ATTR_DEVICE_ID): cv.string,
        vol.Required(ATTR_START): cv.datetime,
        vol.Required(ATTR_END): cv.datetime,
    }
)


CONFIGURE_ENERGY_SCHEMA = vol.Schema(
    {
        vol.Required(ATTR_CONFIG_ENTRY_ID): cv.string,
        vol.Optional(ATTR_PLANT_ID): cv.string,
        vol.Optional(ATTR_EXTRA_GRID, default=False): cv.boolean,
    }
)


def device_from_call(hass: HomeAssistant, device_id: str) -> AtessDevice:
    """The loaded ATESS device behind a device-registry id."""
    device_entry = dr.async_get(hass).async_get(device_id)
    if device_entry is None:
        raise ServiceValidationError(translation_domain=DOMAIN, translation_key="unknown_device")
    serials = {ident for domain, ident in device_entry.identifiers if domain == DOMAIN}
    for entry_id in device_entry_ids(device_entry):
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


async def _async_import_history(call: ServiceCall) -> ServiceResponse:
    device = device_from_call(call.hass, call.data[ATTR_DEVICE_ID])
    start = dt_util.as_utc(_aware(call.data[ATTR_START]))
    end = dt_util.as_utc(_aware(call.data[ATTR_END]))
    if start >= end:
        raise ServiceValidationError(translation_domain=DOMAIN, translation_key="invalid_window")
    history = device.settings.config_entry.runtime_data.history
    rows = await history.async_import_window(device, start, end)
    return {"rows": rows}


async def _async_configure_energy(call: ServiceCall) -> ServiceResponse:
    entry: AtessConfigEntry | None = call.hass.config_entries.async_get_entry(
        call.data[ATTR_CONFIG_ENTRY_ID]
    )
    if entry is None or entry.domain != DOMAIN:
        raise ServiceValidationError(translation_domain=DOMAIN, translation_key="unknown_entry")
    plan = await async_configure(
        call.hass, entry, call.data.get(ATTR_PLANT_ID), extra_grid=call.data[ATTR_EXTRA_GRID]
    )
    return plan.as_response()


def _aware(moment: datetime) -> datetime:
    """A datetime from the action: naive ones are in Home Assistant's time zone."""
    return moment if moment.tzinfo else moment.replace(tzinfo=dt_util.get_default_time_zone())


@callback
def async_setup_services(hass: HomeAssistant) -> None:
    """Register the actions."""
    hass.services.async_register(
        DOMAIN, SERVICE_SET_SETTING, _async_set_setting, schema=SET_SETTING_SCHEMA
    )
    hass.services.async_register(
        DOMAIN,
        SERVICE_IMPORT_HISTORY,
        _async_import_history,
        schema=IMPORT_HISTORY_SCHEMA,
        supports_response=SupportsResponse.OPTIONAL,
    )
    hass.services.async_register(
        DOMAIN,
        SERVICE_CONFIGURE_ENERGY,
        _async_configure_energy,
        schema=CONFIGURE_ENERGY_SCHEMA,
        supports_response=SupportsResponse.OPTIONAL,
    )
