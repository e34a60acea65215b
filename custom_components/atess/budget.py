"""The write budget: at most 10 setting writes per device in any 24 hours, kept across restarts.

The cloud accepts 10 setting writes per device per day. The budget counts a rolling 24 hours,
stricter than "per day", so the integration never meets the cloud's own refusal; when it does
anyway, the refusal is believed (`async_exhaust`).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util
from homeassistant.util.hass_dict import HassKey

from .const import DOMAIN, LOGGER
from .models import mask_serial

WRITES_PER_WINDOW = 10
WINDOW = timedelta(hours=24)
STORAGE_KEY = f"{DOMAIN}.write_budget"
STORAGE_VERSION = 1
BUDGET_KEY: HassKey[WriteBudget] = HassKey(f"{DOMAIN}_write_budget")
UNKNOWN = "*"  # the writes of a budget file that could not be read: they count for every device


class WriteBudget:
    """Per-device write timestamps of the last 24 hours, persisted across restarts.

    One instance per Home Assistant (keyed by serial number), so removing and re-adding the
    entry does not reset a device's budget either.

    What cannot be read is counted on the safe side: the budget never allows more than 10
    writes in 24 hours, and nothing it finds stops the entry. A write time that cannot be read
    counts as a write made when it was found; a device whose list is not a list has spent its
    10; a file that is not the object this module writes (broken JSON, which Home Assistant
    moves aside, or another shape) has spent every device's 10, under `UNKNOWN`. Those writes
    are saved like any other, so a restart within the 24 hours does not forget them. The
    cloud's own refusal of a write is honoured on top (`async_exhaust`).
    """

    def __init__(self, hass: HomeAssistant) -> None:
        """Create the budget; call `async_load` before use."""
        self._store: Store[dict[str, list[str]]] = Store(hass, STORAGE_VERSION, STORAGE_KEY)
        self._hass = hass
        self._writes: dict[str, list[datetime]] = {}

    async def async_load(self) -> None:
        """Read the persisted timestamps; what cannot be read counts as spent (see above)."""
        path = Path(self._store.path)
        existed = await self._hass.async_add_executor_job(path.exists)
        now = dt_util.utcnow()
        try:
            self._writes, unreadable = _read_stamps(
                await self._store.async_load(), existed=existed, now=now
            )
        except (HomeAssistantError, ValueError, TypeError, KeyError, AttributeError) as err:
            unreadable = str(err) or type(err).__name__
            self._writes = {UNKNOWN: [now] * WRITES_PER_WINDOW}
        if unreadable:
            LOGGER.warning(
                "The setting write budget could not be read (%s): what it held counts as spent "
                "for the next 24 hours",
                unreadable,
            )
            await self._save()

    def _recent(self, sn: str) -> list[datetime]:
        cutoff = dt_util.utcnow() - WINDOW
        recent = [t for t in self._writes.get(sn, []) if t > cutoff]
        self._writes[sn] = recent
        return recent

    def _counted(self, sn: str) -> list[datetime]:
        """The device's writes of the window, plus those of a budget file that was unreadable."""
        return self._recent(sn) + (self._recent(UNKNOWN) if sn != UNKNOWN else [])

    def left(self, sn: str) -> int:
        """Writes the device may still receive now."""
        return max(WRITES_PER_WINDOW - len(self._counted(sn)), 0)

    def next_free(self, sn: str) -> datetime | None:
        """When the next write becomes possible, if none is possible now."""
        recent = self._counted(sn)
        if len(recent) < WRITES_PER_WINDOW:
            return None
        return sorted(recent)[len(recent) - WRITES_PER_WINDOW] + WINDOW

    async def async_spend(self, sn: str) -> None:
        """Record one write and persist it before the request goes out."""
        self._recent(sn).append(dt_util.utcnow())
        await self._save()

    async def async_refund(self, sn: str) -> None:
        """Give back the last write: the cloud refused it before doing anything."""
        recent = self._recent(sn)
        if recent:
            recent.remove(max(recent))
            await self._save()

    async def async_exhaust(self, sn: str) -> None:
        """The cloud says the day's writes are used: believe it until 24 hours from now."""
        recent = self._recent(sn)
        now = dt_util.utcnow()
        recent.extend([now] * (WRITES_PER_WINDOW - len(recent)))
        await self._save()

    async def _save(self) -> None:
        await self._store.async_save(
            {sn: [t.isoformat() for t in stamps] for sn, stamps in self._writes.items() if stamps}
        )


def _read_stamps(
    stored: Any, *, existed: bool, now: datetime
) -> tuple[dict[str, list[datetime]], str | None]:
    """The stored times per serial, and what could not be read (counted as written `now`)."""
    if stored is None:
        if existed:  # broken JSON: Home Assistant moved the file aside and read nothing
            raise ValueError("the file is not JSON")
        return {}, None
    if not isinstance(stored, dict):
        raise TypeError(f"a {type(stored).__name__} instead of an object")
    writes: dict[str, list[datetime]] = {}
    problems: list[str] = []
    for sn, stamps in stored.items():
        if not isinstance(stamps, list):
            problems.append(f"{mask_serial(str(sn))}: not a list")
            writes[str(sn)] = [now] * WRITES_PER_WINDOW
            continue
        parsed = [dt_util.parse_datetime(s) if isinstance(s, str) else None for s in stamps]
        bad = sum(1 for p in parsed if p is None or p.tzinfo is None)
        if bad:
            problems.append(f"{mask_serial(str(sn))}: {bad} times")
        # a time from the future counts from now: it must not hold a write for longer
        writes[str(sn)] = [
            min(p, now) if p is not None and p.tzinfo is not None else now for p in parsed
        ]
    return writes, ", ".join(problems) or None


async def async_get_budget(hass: HomeAssistant) -> WriteBudget:
    """The shared budget, loaded once."""
    if (budget := hass.data.get(BUDGET_KEY)) is None:
        budget = WriteBudget(hass)
        await budget.async_load()
        hass.data[BUDGET_KEY] = budget
    return budget
