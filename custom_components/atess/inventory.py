"""What the last good inventory saw, kept on disk, so that a passing error never removes a device.

A device leaves Home Assistant only when its own list was read completely (the plant list, its
plant's DataLog list and its kind's list under its DataLog all answered) and did not name it, twice
in a row. A list that fails, answers "not found" or times out keeps what it held last time, across
reloads and restarts too: the owner's entity names, areas and dashboard cards survive an outage.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, NotRequired, TypedDict

from homeassistant.core import HomeAssistant
from homeassistant.helpers.storage import Store

from .api import AtessError, BaseInfo, DataLog, DeviceKind, Plant
from .const import DOMAIN, LOGGER
from .models import mask_serial

STORAGE_VERSION = 1
MISSES_TO_REMOVE = 2  # complete inventories in a row that must not name a device


class _Stored(TypedDict):
    """The on-disk form: raw cloud objects, so a reload reads them with today's parser."""

    datalogs: dict[str, list[dict[str, Any]]]  # plant id -> datalog objects
    devices: dict[str, list[dict[str, Any]]]  # "<datalog sn>|<kind>" -> base-info objects
    misses: dict[str, int]  # serial (device or datalog) -> complete inventories without it
    plants: NotRequired[dict[str, dict[str, Any]]]  # plant id -> plant object (since 0.x: absent)


def _list_key(datalog_sn: str, kind: DeviceKind) -> str:
    return f"{datalog_sn}|{kind}"


def _plant_key(plant_id: str) -> str:
    """A plant's key among the misses (serials never hold a space)."""
    return f"plant {plant_id}"


@dataclass(slots=True)
class ListOutcome[T]:
    """One list of the inventory: what it answered, or the error that kept the old one."""

    items: list[T] | None = None
    error: AtessError | None = None

    @property
    def complete(self) -> bool:
        """The list answered (possibly empty): absence from it counts."""
        return self.items is not None


@dataclass
class InventoryMemory:
    """The last good lists of one entry, and how often each known serial went unlisted."""

    hass: HomeAssistant
    entry_id: str
    datalogs: dict[str, list[DataLog]] = field(default_factory=dict)
    devices: dict[str, list[BaseInfo]] = field(default_factory=dict)
    misses: dict[str, int] = field(default_factory=dict)
    plants: dict[str, Plant] = field(default_factory=dict)
    _store: Store[_Stored] | None = None
    _saved: _Stored | None = None

    async def async_load(self) -> None:
        """Read what the last good inventory saw (nothing on a first setup)."""
        self._store = Store(self.hass, STORAGE_VERSION, f"{DOMAIN}.inventory.{self.entry_id}")
        stored = await self._store.async_load()
        if not stored:
            return
        self._saved = stored
        try:
            self.datalogs = {
                plant: [DataLog.from_api(raw) for raw in raws]
                for plant, raws in stored["datalogs"].items()
            }
            self.devices = {
                key: [BaseInfo.from_api(raw, DeviceKind(key.rpartition("|")[2])) for raw in raws]
                for key, raws in stored["devices"].items()
            }
            self.misses = dict(stored["misses"])
            self.plants = {
                pid: Plant.from_api(raw, plant_id=pid)
                for pid, raw in stored.get("plants", {}).items()
            }
        except (AtessError, KeyError, ValueError, TypeError, AttributeError) as err:
            # an unreadable memory only costs the protection for one refresh
            LOGGER.warning("Ignoring the stored inventory, it could not be read: %s", err)
            self.datalogs, self.devices, self.misses, self.plants = {}, {}, {}, {}

    async def async_remove(self) -> None:
        """Forget the entry's memory (the entry was removed)."""
        store = self._store or Store(
            self.hass, STORAGE_VERSION, f"{DOMAIN}.inventory.{self.entry_id}"
        )
        await store.async_remove()

    def merge_plants(self, listed: dict[str, Plant], selected: set[str]) -> dict[str, Plant]:
        """The listed plants, plus remembered ones the complete plant list left out only once.

        A deleted plant's DataLogs and devices leave like any device: after a second complete
        plant list without it. Until then its lists are not asked (they are kept as they were).
        """
        kept = dict(listed)
        # a memory of an older release has the plants' DataLogs but not the plants themselves
        known = {p: Plant.from_api({"plantId": p}) for p in self.datalogs} | self.plants
        for plant_id, plant in known.items():
            if plant_id in listed or (selected and plant_id not in selected):
                continue
            key = _plant_key(plant_id)
            self.misses[key] = self.misses.get(key, 0) + 1
            if self.misses[key] < MISSES_TO_REMOVE:
                LOGGER.info(
                    "Plant %s is not listed by the cloud; it is kept until a second complete "
                    "inventory confirms it is gone",
                    plant_id,
                )
                kept[plant_id] = plant
        for plant_id in listed:
            self.misses.pop(_plant_key(plant_id), None)
        self.plants = kept
        return kept

    def merge_datalogs(self, plant_id: str, outcome: ListOutcome[DataLog]) -> list[DataLog]:
        """The plant's datalogs: the new list, plus the unlisted ones still within grace."""
        return self._merge(self.datalogs, plant_id, outcome, lambda d: d.sn, "DataLog")

    def merge_devices(
        self, datalog_sn: str, kind: DeviceKind, outcome: ListOutcome[BaseInfo]
    ) -> list[BaseInfo]:
        """The devices of one kind behind a datalog, merged the same way."""
        return self._merge(
            self.devices, _list_key(datalog_sn, kind), outcome, lambda i: i.device_sn, str(kind)
        )

    def _merge[T](
        self,
        lists: dict[str, list[T]],
        key: str,
        outcome: ListOutcome[T],
        serial: Any,
        what: str,
    ) -> list[T]:
        previous = lists.get(key, [])
        if outcome.items is None:
            return previous  # a failed list changes nothing
        listed = {serial(item) for item in outcome.items}
        kept = list(outcome.items)
        for item in previous:
            sn = serial(item)
            if sn in listed:
                continue
            self.misses[sn] = self.misses.get(sn, 0) + 1
            if self.misses[sn] < MISSES_TO_REMOVE:
                LOGGER.info(
                    "%s %s is not listed by the cloud; it is kept until a second complete "
                    "inventory confirms it is gone",
                    what,
                    mask_serial(sn),
                )
                kept.append(item)
        for sn in listed:
            self.misses.pop(sn, None)
        lists[key] = kept
        return kept

    def forget_datalog(self, sn: str) -> None:
        """The owner removed a DataLog: its devices leave now, not after two inventories."""
        self.datalogs = {
            plant: [log for log in logs if log.sn != sn] for plant, logs in self.datalogs.items()
        }
        self.devices = {
            key: infos for key, infos in self.devices.items() if key.rpartition("|")[0] != sn
        }
        self.misses.pop(sn, None)

    def serials(self) -> set[str]:
        """Every datalog and device serial the memory holds."""
        return {d.sn for logs in self.datalogs.values() for d in logs} | {
            i.device_sn for infos in self.devices.values() for i in infos
        }

    def prune(self, plants: Iterable[str]) -> None:
        """Keep only what belongs to the selected plants."""
        wanted = set(plants)
        self.plants = {p: plant for p, plant in self.plants.items() if p in wanted}
        self.datalogs = {p: logs for p, logs in self.datalogs.items() if p in wanted}
        datalog_sns = {d.sn for logs in self.datalogs.values() for d in logs}
        self.devices = {
            key: infos
            for key, infos in self.devices.items()
            if key.rpartition("|")[0] in datalog_sns
        }
        known = datalog_sns | {i.device_sn for infos in self.devices.values() for i in infos}
        known |= {_plant_key(p) for p in self.plants}
        self.misses = {sn: n for sn, n in self.misses.items() if sn in known}

    async def async_save(self) -> None:
        """Write the memory when it changed (at most once per inventory, twice a day)."""
        data = self._data()
        if self._store is not None and data != self._saved:
            await self._store.async_save(data)
            self._saved = data

    def _data(self) -> _Stored:
        return {
            "datalogs": {p: [dict(d.raw) for d in logs] for p, logs in self.datalogs.items()},
            "devices": {k: [dict(i.raw) for i in infos] for k, infos in self.devices.items()},
            "misses": dict(self.misses),
            "plants": {p: dict(plant.raw) for p, plant in self.plants.items()},
        }
