"""What belongs to an ATESS account rather than to one run of its entry: its quiet period, its plants.

The quiet period the cloud asks for with a 429 binds every request of the account: the polls,
the flows, and the next setup attempt too. Home Assistant retries a failed setup after 5, 10, 20 s
..., and a reload starts afresh, so the `Throttle` lives in `hass.data`, one per account (server
URL and token), and outlives every client built for it.

An account is recognised by its plants (the OpenAPI has no account id, and the token changes
when renewed). The entry keeps every plant id its tokens have seen (`CONF_PLANT_IDS` in its
data): a token that sees any of them is the same account, even after the plant whose id became
the entry's unique id was deleted.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import CONF_TOKEN, CONF_URL
from homeassistant.core import HomeAssistant, callback
from homeassistant.util import dt as dt_util
from homeassistant.util.hass_dict import HassKey

from .api import Plant, Throttle
from .const import CONF_PLANTS, DEFAULT_URL, DOMAIN

CONF_PLANT_IDS = "plant_ids"
THROTTLES: HassKey[dict[tuple[str, str], Throttle]] = HassKey(f"{DOMAIN}_throttles")


def throttle_key(data: Mapping[str, Any]) -> tuple[str, str]:
    """What tells accounts apart before any request: the server URL and the token."""
    return (str(data.get(CONF_URL, DEFAULT_URL)).rstrip("/"), str(data[CONF_TOKEN]).strip())


@callback
def account_throttle(hass: HomeAssistant, data: Mapping[str, Any]) -> Throttle:
    """The account's quiet period, shared by every client of this URL and token."""
    key = throttle_key(data)
    throttles = hass.data.setdefault(THROTTLES, {})
    if (throttle := throttles.get(key)) is None:
        throttle = throttles[key] = Throttle(clock=lambda: dt_util.utcnow().timestamp())
    return throttle


def account_id(plants: Iterable[Plant]) -> str:
    """A new entry's unique id: the smallest plant id (numerically when ids are numbers)."""
    ids = [p.plant_id for p in plants]
    return min(ids, key=lambda i: (0, int(i), i) if i.isdigit() else (1, 0, i))


def known_plants(entry: ConfigEntry) -> set[str]:
    """Every plant id the entry's tokens have seen (its unique id among them)."""
    known = {str(p) for p in entry.data.get(CONF_PLANT_IDS) or []}
    known |= {str(p) for p in entry.options.get(CONF_PLANTS) or []}
    if entry.unique_id:
        known.add(entry.unique_id)
    return known


def same_account(entry: ConfigEntry, plants: Iterable[Plant]) -> bool:
    """Whether a token that sees `plants` belongs to the entry's account."""
    return not known_plants(entry).isdisjoint(p.plant_id for p in plants)


def with_plants(data: Mapping[str, Any], plant_ids: Iterable[str]) -> dict[str, Any]:
    """The entry data with `plant_ids` added to the plants it knows (none is ever dropped)."""
    known = {str(p) for p in data.get(CONF_PLANT_IDS) or []} | set(plant_ids)
    return {**data, CONF_PLANT_IDS: sorted(known)}
