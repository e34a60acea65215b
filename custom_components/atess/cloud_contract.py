"""First contact with a cloud that differs from the docs: keep what was learnt, say what is missing.

Most paths of the OpenAPI are inferred. The client's route book learns which candidate path each
operation answers at; this module keeps that book on disk per entry (so a reload or a restart
never asks a missing route again), raises a repair issue for an operation that no candidate
answers (and removes it once one does), and builds the contract report of the diagnostics: what
a maintainer needs from the first real owner to correct the endpoint table and the catalogue.
"""

from __future__ import annotations

import re
from typing import Any

from homeassistant.components.sensor import SensorDeviceClass
from homeassistant.const import UnitOfPower
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util

from .api import OPERATIONS, Operation, RouteBook, Value
from .catalogue.realtime import META_FIELDS, descriptions_for
from .const import DOMAIN, LOGGER
from .coordinator import AtessDevice

STORAGE_VERSION = 1
ISSUE_PREFIX = "route_missing"
ISSUES_URL = "https://github.com/ha-atess/ha-atess/issues"
# A power reading this many times the model's rating is not kW: most likely W sent as kW.
IMPLAUSIBLE_FACTOR = 3.0
_RATING = re.compile(r"(\d{2,4})")


def issue_id(entry_id: str, operation: Operation) -> str:
    """The repair issue of one operation of one entry."""
    return f"{ISSUE_PREFIX}_{entry_id}_{operation.label.replace(' ', '_')}"


async def async_load_route_book(hass: HomeAssistant, entry_id: str) -> RouteBook:
    """The entry's route book as the last run left it, saved again on every change."""
    store: Store[dict[str, Any]] = Store(hass, STORAGE_VERSION, f"{DOMAIN}.routes.{entry_id}")
    # Home Assistant's clock, not the client's default: the marks then follow HA's notion of now
    book = RouteBook(await store.async_load(), clock=lambda: dt_util.utcnow().timestamp())

    @callback
    def changed() -> None:
        # changes are rare (a route resolved or found missing): save each one at once
        hass.async_create_task(store.async_save(book.as_dict()), f"{DOMAIN} route book")
        book.mark_saved()
        async_sync_route_issues(hass, entry_id, book)

    book.on_change = changed
    async_sync_route_issues(hass, entry_id, book)
    return book


async def async_remove_route_book(hass: HomeAssistant, entry_id: str) -> None:
    """Forget the entry's route book (the entry was removed)."""
    await Store[dict[str, Any]](hass, STORAGE_VERSION, f"{DOMAIN}.routes.{entry_id}").async_remove()


@callback
def async_sync_route_issues(hass: HomeAssistant, entry_id: str, book: RouteBook) -> None:
    """One repair issue per operation no candidate answers; none for the others."""
    registry = ir.async_get(hass)
    missing = set(book.missing_operations())
    for operation in OPERATIONS:
        issue = issue_id(entry_id, operation)
        known = registry.async_get_issue(DOMAIN, issue) is not None
        if known and book.path_in_use(operation) is not None:
            # only an answer clears it: a missing mark also lapses after 12 hours unasked
            LOGGER.info("The cloud answers %s now", operation.label)
            ir.async_delete_issue(hass, DOMAIN, issue)
            continue
        if known or operation not in missing:
            continue
        paths = ", ".join(book.known_missing(operation) or operation.paths)
        LOGGER.warning(
            "The cloud answers %s at none of its paths (%s); the rest works on. Please "
            "download the diagnostics and open an issue at %s",
            operation.label,
            paths,
            ISSUES_URL,
        )
        ir.async_create_issue(
            hass,
            DOMAIN,
            issue,
            is_fixable=False,
            severity=ir.IssueSeverity.WARNING,
            translation_key="route_missing",
            translation_placeholders={
                "kind": str(operation.kind).upper() if operation.kind else "Plant/DataLog",
                "operation": str(operation.operation_kind).replace("_", " "),
                "paths": paths,
                "url": ISSUES_URL,
            },
        )


def _sample(value: Value) -> Value:
    """One value as the diagnostics show it (long texts cut)."""
    return value[:64] if isinstance(value, str) else value


def _rating_kw(model: str | None) -> float | None:
    """The rated power a model name carries (HPS150HV: 150 kW), when it carries one."""
    match = _RATING.search(model or "")
    return float(match.group(1)) if match else None


def fields_report(devices: dict[str, AtessDevice]) -> dict[str, Any]:
    """What the devices send that the catalogue does not expect, per device kind.

    The fields it does not know (with one sample value each), and power values the model cannot
    produce in the unit the catalogue assumes (a hint of W versus kW).
    """
    unknown: dict[str, dict[str, Value]] = {}
    implausible: list[dict[str, Any]] = []
    for device in devices.values():
        data = device.realtime.data
        if data is None:
            continue
        kind = str(device.ref.kind)
        catalogue = descriptions_for(device.ref.kind, device.ref.info.model)
        rating = _rating_kw(device.ref.info.model)
        for field in data.keys():  # noqa: SIM118  (cloud spelling, not the index)
            key = field.lower()
            value = data.get(field)
            description = catalogue.get(key)
            if description is None:
                if key not in META_FIELDS:
                    unknown.setdefault(kind, {}).setdefault(field, _sample(value))
                continue
            if (
                rating is None
                or description.device_class is not SensorDeviceClass.POWER
                or isinstance(value, bool)
                or not isinstance(value, (int, float))
            ):
                continue
            kw = (
                value / 1000
                if description.native_unit_of_measurement == UnitOfPower.WATT
                else value
            )
            if abs(kw) > IMPLAUSIBLE_FACTOR * rating:
                implausible.append(
                    {
                        "kind": kind,
                        "model": device.ref.info.model,
                        "field": field,
                        "value": value,
                        "assumed_unit": description.native_unit_of_measurement,
                        "rated_kw": rating,
                        "hint": "larger than the model can do: W where kW is assumed?",
                    }
                )
    return {"unknown_fields": unknown, "implausible_power": implausible}
