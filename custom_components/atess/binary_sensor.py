"""Connectivity: whether the cloud says a device or a DataLog gateway is lost."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import override

from homeassistant.components.binary_sensor import (
    BinarySensorEntity,
    BinarySensorEntityDescription,
)
from homeassistant.components.binary_sensor.const import BinarySensorDeviceClass
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.event import async_track_time_interval
from homeassistant.util import dt as dt_util

from .coordinator import AtessDevice, AtessInventoryCoordinator, AtessRealtimeCoordinator
from .entity import AtessDatalogEntity, AtessEntity
from .runtime import AtessConfigEntry, AtessRuntimeData

PARALLEL_UPDATES = 0
# Devices upload every 5 minutes: three missed uploads in a row mean the gateway is silent.
DATALOG_SILENT_AFTER = timedelta(minutes=15)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: AtessConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add a connectivity sensor per device and per datalog."""
    runtime = entry.runtime_data

    @callback
    def add_device(device: AtessDevice) -> None:
        async_add_entities([AtessCloudConnectionSensor(device)])

    entry.async_on_unload(runtime.async_add_device_listener(add_device))

    inventory = runtime.inventory
    seen: set[str] = set()

    @callback
    def add_datalogs() -> None:
        new = [
            AtessDatalogConnectionSensor(inventory, sn, runtime)
            for sn in inventory.data.datalogs
            if sn not in seen
        ]
        seen.update(inventory.data.datalogs)
        if new:
            async_add_entities(new)

    add_datalogs()
    entry.async_on_unload(inventory.async_add_listener(add_datalogs))


class AtessCloudConnectionSensor(AtessEntity[AtessRealtimeCoordinator], BinarySensorEntity):
    """On while the cloud reports the device as connected (its `lost` flag is false)."""

    entity_description = BinarySensorEntityDescription(
        key="cloud_connection",
        translation_key="cloud_connection",
        device_class=BinarySensorDeviceClass.CONNECTIVITY,
        entity_category=EntityCategory.DIAGNOSTIC,
    )

    def __init__(self, device: AtessDevice) -> None:
        """Create the connectivity sensor of a device."""
        super().__init__(device.realtime, device, "cloud_connection")

    @property
    @override
    def is_on(self) -> bool | None:
        """Connected unless the latest sample (or, before one, the inventory) says lost."""
        data = self.coordinator.data
        lost = data.lost if data is not None else None
        if lost is None:
            lost = self.device.ref.info.lost
        return None if lost is None else not lost


class AtessDatalogConnectionSensor(AtessDatalogEntity, BinarySensorEntity):
    """On while the cloud reports the DataLog gateway as connected."""

    entity_description = BinarySensorEntityDescription(
        key="datalog_connection",
        translation_key="datalog_connection",
        device_class=BinarySensorDeviceClass.CONNECTIVITY,
        entity_category=EntityCategory.DIAGNOSTIC,
    )

    def __init__(
        self, coordinator: AtessInventoryCoordinator, sn: str, runtime: AtessRuntimeData
    ) -> None:
        """Create the sensor of one datalog."""
        super().__init__(coordinator, sn, "connection", runtime)

    @override
    async def async_added_to_hass(self) -> None:
        """Look again every minute: silence sends no update, so time must."""
        await super().async_added_to_hass()
        self.async_on_remove(
            async_track_time_interval(self.hass, self._async_look_again, timedelta(minutes=1))
        )

    @callback
    def _async_look_again(self, _now: datetime) -> None:
        self.async_write_ha_state()

    @property
    @override
    def is_on(self) -> bool | None:
        """Connected while its devices' records keep arriving; else what the inventory said."""
        newest = self.newest_record()
        if newest is not None:
            return dt_util.utcnow() - newest <= DATALOG_SILENT_AFTER
        datalog = self.coordinator.data.datalogs.get(self._sn)
        if datalog is None or datalog.lost is None:
            return None
        return not datalog.lost
