"""Diagnostics: what the cloud really sends, so owners can share it; secrets redacted.

The token and coordinates are removed; serial numbers keep their head and lose their tail
(enough to tell devices apart, not enough to identify the owner's hardware).
"""

from __future__ import annotations

from typing import Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.const import CONF_TOKEN
from homeassistant.core import HomeAssistant

from .cloud_contract import fields_report
from .const import CONF_PLANTS
from .models import mask_serial
from .plant_rules import CONF_TOTAL_SOURCES, TOTALS, choice, parts_of
from .runtime import AtessConfigEntry

TO_REDACT = {
    CONF_TOKEN,
    "authorization",
    "plantLat",
    "plantLng",
    "plant_lat",
    "plant_lng",
    "lat",
    "lng",
    "latitude",
    "longitude",
    "plantAddress",
    "address_text",
}


def _mask_serials(value: Any, serials: dict[str, str]) -> Any:
    """Replace every serial number in keys and string values by its masked form."""
    if isinstance(value, dict):
        return {_mask_serials(k, serials): _mask_serials(v, serials) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_mask_serials(v, serials) for v in value]
    if isinstance(value, str):
        for sn, masked in serials.items():
            if sn in value:
                value = value.replace(sn, masked)
        return value
    return value


def plant_feeds(entry: AtessConfigEntry) -> dict[str, Any]:
    """Per plant: each total's source choice and the serials of the devices that feed it."""
    runtime = entry.runtime_data
    out: dict[str, Any] = {}
    for plant_id in runtime.inventory.data.plants:
        refs = [d.ref for d in runtime.devices.values() if d.ref.plant_id == plant_id]
        out[plant_id] = {
            total.key: {
                "source": choice(entry.options, total.group),
                "devices": [ref.sn for ref in parts_of(total, refs, entry.options)],
            }
            for total in TOTALS
        }
    return out


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: AtessConfigEntry
) -> dict[str, Any]:
    """The entry, the inventory and every device's latest raw payloads."""
    runtime = entry.runtime_data
    inventory = runtime.inventory.data
    serials = {sn: mask_serial(sn) for sn in (*inventory.datalogs, *inventory.devices)}
    devices: dict[str, Any] = {}
    for sn, device in runtime.devices.items():
        realtime = device.realtime.data
        settings = device.settings.data
        devices[sn] = {
            "kind": str(device.ref.kind),
            "base_info": dict(device.ref.info.raw),
            "realtime": {
                "last_update_success": device.realtime.last_update_success,
                "error": repr(device.realtime.last_exception)
                if device.realtime.last_exception
                else None,
                "payload": dict(realtime.raw) if realtime is not None else None,
                # when the polls come: timed to the uploads once learned (schedule.py)
                "polling": {
                    **device.realtime.schedule.report(),
                    "next_poll_in_s": round(interval.total_seconds(), 1)
                    if (interval := device.realtime.update_interval) is not None
                    else None,
                },
            },
            "settings": {
                "last_update_success": device.settings.last_update_success,
                "payload": dict(settings.raw) if settings is not None else None,
            },
            "writes_left": runtime.writer.budget.left(sn),
        }
    data = {
        "entry": {
            "data": async_redact_data(dict(entry.data), TO_REDACT),
            "options": {
                CONF_PLANTS: list(entry.options.get(CONF_PLANTS) or []),
                CONF_TOTAL_SOURCES: dict(entry.options.get(CONF_TOTAL_SOURCES) or {}),
            },
        },
        "plants": [async_redact_data(dict(p.raw), TO_REDACT) for p in inventory.plants.values()],
        "datalogs": [dict(d.raw) for d in inventory.datalogs.values()],
        "devices": devices,
        # which devices feed each plant total (by the rule, or the owner's choice)
        "plant_totals": plant_feeds(entry),
        # what the cloud really does where the docs are silent: routes, dialect, fields
        "contract": {
            **runtime.client.contract_report(),
            **fields_report(runtime.devices),
        },
    }
    token = entry.data.get(CONF_TOKEN)
    masked = _mask_serials(data, serials)
    if token:
        masked = _mask_serials(masked, {token: "**REDACTED**"})
    return async_redact_data(masked, TO_REDACT)
