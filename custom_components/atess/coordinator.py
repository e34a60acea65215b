"""Coordinators: the account's inventory, and per device its realtime data and its settings.

Errors of the client are mapped here, once: an authentication error starts reauth, throttling
defers the next poll by the cloud's retry-after, everything else is a translated `UpdateFailed`.
Realtime polls follow each device's uploads (schedule.py): the interval is set after every poll.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from typing import override

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ConfigEntryAuthFailed
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed
from homeassistant.util import dt as dt_util

from .account import known_plants, with_plants
from .api import (
    AtessAuthError,
    AtessClient,
    AtessClosedError,
    AtessError,
    AtessNotFoundError,
    AtessRateLimitError,
    AtessRouteMissingError,
    BaseInfo,
    DataLog,
    DeviceKind,
    Plant,
    RealtimeData,
    SettingsData,
    SettingValue,
)
from .const import (
    CONF_PLANTS,
    DOMAIN,
    INVENTORY_INTERVAL,
    INVENTORY_RETRY,
    LOGGER,
    REALTIME_INTERVAL,
    SETTINGS_INTERVAL,
    SETTINGS_RETRY,
)
from .inventory import InventoryMemory, ListOutcome
from .models import DeviceRef, Inventory, async_resolve_zones, mask_serial
from .schedule import UploadSchedule, utc_timestamp

# The event loop's timers truncate its clock to whole seconds: one more second keeps a planned
# poll from coming before its moment.
TIMER_SLACK = 1.0


def map_error(err: AtessError) -> BaseException:
    """Translate a client error into what a coordinator raises.

    A closed client (Home Assistant stops, or the entry unloads) is no failure: the refresh
    ends as cancelled, which the coordinator takes quietly (no error, no traceback).
    """
    if isinstance(err, AtessClosedError):
        return asyncio.CancelledError(str(err))
    if isinstance(err, AtessAuthError):
        return ConfigEntryAuthFailed(translation_domain=DOMAIN, translation_key="auth_failed")
    if isinstance(err, AtessRateLimitError):
        return UpdateFailed(
            translation_domain=DOMAIN,
            translation_key="rate_limited",
            retry_after=err.retry_after,
        )
    return UpdateFailed(
        translation_domain=DOMAIN,
        translation_key="update_failed",
        translation_placeholders={"error": str(err)},
    )


class _AtessCoordinator[T](DataUpdateCoordinator[T]):
    """A coordinator of one entry, named `atess <what>` in the logs."""

    config_entry: ConfigEntry

    def __init__(
        self, hass: HomeAssistant, entry: ConfigEntry, what: str, interval: timedelta
    ) -> None:
        super().__init__(
            hass, LOGGER, config_entry=entry, name=f"{DOMAIN} {what}", update_interval=interval
        )


class AtessInventoryCoordinator(_AtessCoordinator[Inventory]):
    """Lists plants, datalogs and the devices of every kind under each datalog."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConfigEntry,
        client: AtessClient,
        memory: InventoryMemory,
    ) -> None:
        """Initialise the inventory coordinator; `memory` holds what the last good one saw."""
        super().__init__(hass, entry, "inventory", INVENTORY_INTERVAL)
        self.client = client
        self.memory = memory
        self.failed_lists = 0

    @override
    async def _async_update_data(self) -> Inventory:
        selected = set(self.config_entry.options.get(CONF_PLANTS) or [])
        try:
            seen = await self.client.async_get_plants()
        except AtessError as err:
            raise self._retry_soon(map_error(err)) from err
        self._note_plants(seen)
        plants = self.memory.merge_plants(
            {p.plant_id: p for p in seen if not selected or p.plant_id in selected}, selected
        )
        gone = set(plants) - {p.plant_id for p in seen}
        outcomes = await asyncio.gather(
            *(self._async_list_datalogs(p) if p not in gone else _kept_list() for p in plants)
        )
        datalogs: dict[str, DataLog] = {}
        datalog_plant: dict[str, str] = {}
        for plant_id, outcome in zip(plants, outcomes, strict=True):
            for datalog in self.memory.merge_datalogs(plant_id, outcome):
                datalogs[datalog.sn] = datalog
                datalog_plant[datalog.sn] = plant_id
        # every kind of every datalog at once: the client's cap keeps the cloud unflooded
        pairs = [(sn, kind) for sn in datalog_plant for kind in DeviceKind]
        lists = await asyncio.gather(
            *(
                self._async_list_devices(kind, sn)
                if datalog_plant[sn] not in gone
                else _kept_list()
                for sn, kind in pairs
            )
        )
        devices: dict[str, DeviceRef] = {}
        for (datalog_sn, kind), listed in zip(pairs, lists, strict=True):
            for info in self.memory.merge_devices(datalog_sn, kind, listed):
                devices[info.device_sn] = DeviceRef(
                    info.device_sn, kind, datalog_plant[datalog_sn], datalog_sn, info
                )
        self.memory.prune(plants)
        await self.memory.async_save()
        # "not found" and a missing route are definite answers that will not change in minutes
        definite = (AtessNotFoundError, AtessRouteMissingError)
        errors = [o.error for o in outcomes] + [o.error for o in lists]
        self.failed_lists = sum(1 for e in errors if e is not None and not isinstance(e, definite))
        # a list that failed by chance is asked again soon instead of in 12 hours
        self.update_interval = INVENTORY_RETRY if self.failed_lists else INVENTORY_INTERVAL
        return Inventory(
            plants, datalogs, devices, datalog_plant, await async_resolve_zones(plants)
        )

    def _note_plants(self, listed: list[Plant]) -> None:
        """Keep every plant id the token sees: any of them recognises the account later."""
        entry = self.config_entry
        if not {p.plant_id for p in listed} <= known_plants(entry):
            data = with_plants(entry.data, (p.plant_id for p in listed))
            self.hass.config_entries.async_update_entry(entry, data=data)

    async def _async_list_datalogs(self, plant_id: str) -> ListOutcome[DataLog]:
        """One plant's datalogs, or the error that keeps the last good list."""
        try:
            return ListOutcome(await self.client.async_get_datalogs(plant_id))
        except (AtessAuthError, AtessClosedError) as err:
            raise map_error(err) from err
        except AtessError as err:
            LOGGER.debug("DataLog list of plant %s failed, kept as it was: %s", plant_id, err)
            return ListOutcome(error=err)

    async def _async_list_devices(self, kind: DeviceKind, datalog_sn: str) -> ListOutcome[BaseInfo]:
        """The devices of one kind behind a datalog, or the error that keeps the last good list.

        Several list paths are inferred from the docs' naming, so "not found" may be the cloud's
        way of saying the account has none of this kind; either way, what the list held before
        stays: only a list that answers can say a device is gone.
        """
        try:
            return ListOutcome(await self.client.async_get_base_info_list(kind, datalog_sn))
        except (AtessAuthError, AtessClosedError) as err:
            raise map_error(err) from err
        except AtessError as err:
            LOGGER.debug(
                "%s list of %s failed, kept as it was: %s", kind, mask_serial(datalog_sn), err
            )
            return ListOutcome(error=err)

    def _retry_soon(self, mapped: BaseException) -> BaseException:
        """A failed inventory is tried again in minutes, not at its 12-hour interval."""
        if isinstance(mapped, UpdateFailed) and mapped.retry_after is None:
            mapped.retry_after = INVENTORY_RETRY.total_seconds()
        return mapped


async def _kept_list[T]() -> ListOutcome[T]:
    """A list not asked (of a plant the plant list left out): what it held stays."""
    return ListOutcome()


class _DeviceCoordinator[T](_AtessCoordinator[T | None]):
    """A coordinator for one device: its failures make only its own entities unavailable."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConfigEntry,
        device: DeviceRef,
        what: str,
        interval: timedelta,
        fetch: Callable[[], Awaitable[T]],
        retry: timedelta | None = None,
    ) -> None:
        name = f"{what} {device.kind} {mask_serial(device.sn)}"
        super().__init__(hass, entry, name, interval)
        self.device = device
        self._fetch = fetch
        self._retry = retry

    @override
    async def _async_update_data(self) -> T | None:
        try:
            return await self._fetch()
        except AtessError as err:
            mapped = map_error(err)
            if (
                isinstance(mapped, UpdateFailed)
                and mapped.retry_after is None
                and self._retry is not None
                and not isinstance(err, AtessNotFoundError)
            ):
                # a slow poll that failed by chance tries again soon instead of staying
                # unavailable for its whole interval; "not found" will not change that soon
                mapped.retry_after = self._retry.total_seconds()
            raise mapped from err


class AtessRealtimeCoordinator(_DeviceCoordinator[RealtimeData]):
    """The latest realtime record of one device, polled just after the cloud shows a new one."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConfigEntry,
        client: AtessClient,
        device: DeviceRef,
        inventory: AtessInventoryCoordinator,
    ) -> None:
        """Poll `data-last` of the device every five minutes until its upload phase is known."""
        super().__init__(
            hass,
            entry,
            device,
            "realtime",
            REALTIME_INTERVAL,
            lambda: client.async_get_realtime(device.kind, device.sn),
        )
        self._inventory = inventory
        self.schedule = UploadSchedule(REALTIME_INTERVAL.total_seconds())

    @override
    async def _async_update_data(self) -> RealtimeData | None:
        started = dt_util.utcnow().timestamp()
        try:
            data = await super()._async_update_data()
        except UpdateFailed as err:
            wait = self._plan(started, self.schedule.failed(started, err.retry_after))
            if err.retry_after is not None:
                # the coordinator waits a retry-after instead of its interval: never less than
                # the cloud asked for (the schedule's wait is at least that)
                err.retry_after = max(err.retry_after, wait)
            raise
        stamp = None
        if data is not None and data.sample_time is not None:
            zone = self._inventory.data.timezone(self.device.plant_id)
            stamp = utc_timestamp(data.sample_time, zone, started)
        self._plan(started, self.schedule.polled(started, stamp))
        return data

    def _plan(self, started: float, delay: float) -> float:
        """Wait until `delay` after `started` (when this poll began): set, and return, the wait."""
        remaining = started + delay - dt_util.utcnow().timestamp()
        wait = max(remaining, 0.0) + (TIMER_SLACK if self.schedule.aligned else 0.0)
        self.update_interval = timedelta(seconds=wait)
        return wait


class AtessSettingsCoordinator(_DeviceCoordinator[SettingsData]):
    """The settings of one device, read rarely and once after every write."""

    def __init__(
        self, hass: HomeAssistant, entry: ConfigEntry, client: AtessClient, device: DeviceRef
    ) -> None:
        """Poll the device's get-setting operation every six hours."""
        super().__init__(
            hass,
            entry,
            device,
            "settings",
            SETTINGS_INTERVAL,
            lambda: client.async_get_settings(device.kind, device.sn),
            retry=SETTINGS_RETRY,
        )
        self._client = client

    async def client_write(self, key: str, value: SettingValue) -> None:
        """Send one modify-setting PUT (only `AtessWriter` calls this: it guards the budget)."""
        await self._client.async_modify_setting(self.device.kind, self.device.sn, key, value)


@dataclass(slots=True)
class AtessDevice:
    """One ATESS device with its coordinators."""

    ref: DeviceRef
    inventory: AtessInventoryCoordinator
    realtime: AtessRealtimeCoordinator
    settings: AtessSettingsCoordinator
    # built once and shared by the device's entities (a device has dozens)
    device_info: DeviceInfo | None = None

    @property
    def sn(self) -> str:
        """The device's serial number."""
        return self.ref.sn

    @property
    def timezone(self) -> tzinfo:
        """The time zone of the device's plant (its record times are plant-local)."""
        return self.inventory.data.timezone(self.ref.plant_id)

    def localize(self, naive: datetime | None) -> datetime | None:
        """Attach the plant's time zone to one of the device's naive cloud timestamps."""
        return self.inventory.data.localize(self.ref.plant_id, naive)
