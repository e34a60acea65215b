"""Connectivity: whether the cloud says a device or a DataLog gateway is lost."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import override

from homeassistant.components.binary_sensor import (
    BinarySensorEntity,
    BinarySensorEntityDescription,
)
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.event import async_track_time_interval
from homeassistant.util import dt as dt_util

from .compat import BinarySensorDeviceClass
from .coordinator import AtessInventoryCoordinator
from .entity import (
    AtessDatalogEntity,
    AtessRealtimeEntity,
    async_add_per_datalog,
    diagnostic,
)
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
    entry.async_on_unload(
        runtime.async_add_device_listener(
            lambda device: async_add_entities([AtessCloudConnectionSensor(device)])
        )
    )
    async_add_per_datalog(
        entry,
        async_add_entities,
        lambda sn: [AtessDatalogConnectionSensor(runtime.inventory, sn, runtime)],
    )


class AtessCloudConnectionSensor(AtessRealtimeEntity, BinarySensorEntity):
    """On while the cloud reports the device as connected (its `lost` flag is false)."""

    entity_description = diagnostic(
        BinarySensorEntityDescription,
        "cloud_connection",
        device_class=BinarySensorDeviceClass.CONNECTIVITY,
    )

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

    entity_description = diagnostic(
        BinarySensorEntityDescription,
        "datalog_connection",
        device_class=BinarySensorDeviceClass.CONNECTIVITY,
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
