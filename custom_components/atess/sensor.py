"""Sensors: every realtime value of every device, its freshness, writes left, datalog uploads.

Curated fields get their catalogue description (unit, device class, state class). A field the
catalogue does not know still becomes a sensor, disabled by default, so no value is ever dropped.
Fields that appear later (a firmware update, a device that was offline at setup) get their
entities when they first arrive.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from typing import override

from homeassistant.components.sensor import (
    RestoreSensor,
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import EntityCategory, UnitOfPower
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.typing import StateType

from .api import Value
from .catalogue import AtessSensorEntityDescription, Source
from .catalogue.realtime import META_FIELDS, descriptions_for
from .catalogue.types import as_number
from .coordinator import (
    AtessDevice,
    AtessInventoryCoordinator,
    AtessRealtimeCoordinator,
    AtessSettingsCoordinator,
)
from .entity import (
    AtessDatalogEntity,
    AtessEntity,
    AtessInventoryEntity,
    AtessRealtimeEntity,
    async_add_as_they_come,
    async_add_per_datalog,
    diagnostic,
    plant_device_info,
    plant_entity_unique_id,
)
from .plant_sensor import async_setup_plant_totals
from .runtime import AtessConfigEntry, AtessRuntimeData
from .write import AtessWriter

PARALLEL_UPDATES = 0


def _unknown_value(value: Value) -> StateType:
    """Show an uncatalogued value as it came: a number, or text."""
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, str):
        return value[:255]
    return as_number(value)


def unknown_description(field: str) -> AtessSensorEntityDescription:
    """A generic, disabled-by-default sensor for a field the catalogue does not know."""
    return AtessSensorEntityDescription(
        key=field.lower(),
        field=field,
        source=Source.UNKNOWN,
        translation_key="unknown_field",
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        value_fn=_unknown_value,
    )


async def async_setup_entry(
    hass: HomeAssistant,
    entry: AtessConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add sensors for every device now and for devices and fields that appear later."""
    runtime = entry.runtime_data
    inventory = runtime.inventory

    @callback
    def add_device(device: AtessDevice) -> None:
        catalogue = descriptions_for(device.ref.kind, device.ref.info.model)
        async_add_entities(
            [
                AtessDataUpdatedSensor(device),
                AtessWritesLeftSensor(device.settings, device, runtime.writer),
            ]
        )

        def fields() -> Iterable[tuple[str, str]]:
            data = device.realtime.data
            keys = data.keys() if data is not None else ()
            return ((f.lower(), f) for f in keys if f.lower() not in META_FIELDS)

        def sensors(field: str) -> list[SensorEntity]:
            description = catalogue.get(field.lower()) or unknown_description(field)
            if description.monotonic:
                return [AtessLifetimeCounterSensor(device, description, field)]
            return [AtessRealtimeSensor(device, description, field)]

        subscribe = device.realtime.async_add_listener
        async_add_as_they_come(entry, async_add_entities, subscribe, fields, sensors)

    entry.async_on_unload(runtime.async_add_device_listener(add_device))

    def plants() -> Iterable[tuple[str, str]]:
        found = inventory.data.plants.items()
        return ((pid, pid) for pid, plant in found if plant.nominal_power_w is not None)

    async_add_as_they_come(
        entry,
        async_add_entities,
        inventory.async_add_listener,
        plants,
        lambda plant_id: [AtessPlantNominalPowerSensor(inventory, plant_id)],
    )
    async_add_per_datalog(
        entry,
        async_add_entities,
        lambda sn: [AtessDatalogLastUploadSensor(inventory, sn, runtime)],
    )
    async_setup_plant_totals(hass, entry, async_add_entities)


class AtessRealtimeSensor(AtessEntity[AtessRealtimeCoordinator], SensorEntity):
    """One realtime field of one device."""

    entity_description: AtessSensorEntityDescription

    def __init__(
        self, device: AtessDevice, description: AtessSensorEntityDescription, field: str
    ) -> None:
        """Create the sensor for `field` (the spelling the cloud used)."""
        super().__init__(device.realtime, device, description.key)
        self.entity_description = description
        self._field = field
        self._last: float | None = None
        # (available, value) as last written: most fields hold still from one record to the next
        self._shown: tuple[bool, StateType] | None = None
        if description.source is Source.UNKNOWN:
            self._attr_translation_placeholders = {"field": field}

    @callback
    @override
    def _handle_coordinator_update(self) -> None:
        """Write the state only when what it shows changed.

        A state write is most of the CPU a refresh costs, and most fields (codes, flags, ratings,
        counters at night) do not change between two records five minutes apart.
        """
        shown = (self.available, self.native_value)
        if shown != self._shown:
            self._shown = shown
            super()._handle_coordinator_update()

    @property
    @override
    def available(self) -> bool:
        """Unavailable when the poll failed, or when the cloud says the device is offline."""
        data = self.coordinator.data
        return super().available and data is not None and data.lost is not True

    @property
    @override
    def native_value(self) -> StateType:
        """The field's value; None (unknown) when this sample lacks it or it makes no sense."""
        data = self.coordinator.data
        if data is None:
            return None
        value = self.entity_description.value_fn(data.get(self._field))
        if self.entity_description.monotonic and isinstance(value, (int, float)):
            # A lifetime counter that goes down is a cloud glitch (reconnects, midnight):
            # reporting it would make the Energy dashboard count the whole total again.
            if self._last is not None and value < self._last:
                return self._last
            self._last = float(value)
        return value


class AtessLifetimeCounterSensor(AtessRealtimeSensor, RestoreSensor):
    """A lifetime energy counter: it remembers its last value across restarts.

    Without that, a cloud glitch right after a restart (a counter that comes back as 0) would
    be the first value Home Assistant sees, and the Energy dashboard would count the whole
    total again when the real value returns.
    """

    @override
    async def async_added_to_hass(self) -> None:
        """Take the last value from before the restart as the floor."""
        await super().async_added_to_hass()
        last = await self.async_get_last_sensor_data()
        if last is not None and isinstance(last.native_value, (int, float, Decimal)):
            self._last = float(last.native_value)


class AtessDataUpdatedSensor(AtessRealtimeEntity, SensorEntity):
    """When the device last uploaded the sample we show (how fresh the cloud data is)."""

    entity_description = diagnostic(
        SensorEntityDescription, "data_updated", device_class=SensorDeviceClass.TIMESTAMP
    )

    @property
    @override
    def native_value(self) -> datetime | None:
        """The sample's time, in the plant's time zone."""
        data = self.coordinator.data
        if data is None:
            return None
        return self.device.localize(data.sample_time)


class AtessWritesLeftSensor(AtessEntity[AtessSettingsCoordinator], SensorEntity):
    """How many setting writes the device may still receive in the rolling 24 hours."""

    entity_description = diagnostic(
        SensorEntityDescription, "writes_left", state_class=SensorStateClass.MEASUREMENT
    )

    def __init__(
        self, coordinator: AtessSettingsCoordinator, device: AtessDevice, writer: AtessWriter
    ) -> None:
        """Create the budget sensor of a device."""
        super().__init__(coordinator, device, "writes_left")
        self._writer = writer

    @property
    @override
    def available(self) -> bool:
        """The budget is ours, not the cloud's: always known."""
        return True

    @property
    @override
    def native_value(self) -> int:
        """Writes left now."""
        return self._writer.budget.left(self.device.sn)

    @override
    async def async_added_to_hass(self) -> None:
        """Follow the budget as writes are made and as old ones leave the window."""
        await super().async_added_to_hass()
        self.async_on_remove(
            self._writer.async_add_listener(self.device.sn, self.async_write_ha_state)
        )


class AtessDatalogLastUploadSensor(AtessDatalogEntity, SensorEntity):
    """When a DataLog gateway last uploaded, as the cloud reported at the last inventory."""

    entity_description = diagnostic(
        SensorEntityDescription, "datalog_last_update", device_class=SensorDeviceClass.TIMESTAMP
    )

    def __init__(
        self, coordinator: AtessInventoryCoordinator, sn: str, runtime: AtessRuntimeData
    ) -> None:
        """Create the sensor of one datalog."""
        super().__init__(coordinator, sn, "last_update", runtime)

    @property
    @override
    def native_value(self) -> datetime | None:
        """The last upload, in the plant's time zone."""
        datalog = self.coordinator.data.datalogs.get(self._sn)
        if datalog is None:
            return None
        inventory = self.coordinator.data
        listed = inventory.localize(inventory.datalog_plant[self._sn], datalog.last_update)
        newest = self.newest_record()
        if listed is None or (newest is not None and newest > listed):
            return newest
        return listed


class AtessPlantNominalPowerSensor(AtessInventoryEntity, SensorEntity):
    """The plant's rated PV power."""

    entity_description = diagnostic(
        SensorEntityDescription,
        "nominal_power",
        device_class=SensorDeviceClass.POWER,
        native_unit_of_measurement=UnitOfPower.WATT,
        suggested_unit_of_measurement=UnitOfPower.KILO_WATT,
    )

    def __init__(self, coordinator: AtessInventoryCoordinator, plant_id: str) -> None:
        """Create the sensor of one plant."""
        super().__init__(coordinator)
        self._plant_id = plant_id
        self._attr_unique_id = plant_entity_unique_id(plant_id, "nominal_power")
        self._attr_device_info = plant_device_info(coordinator.data.plants[plant_id])

    @property
    @override
    def native_value(self) -> float | None:
        """Nominal power in W."""
        plant = self.coordinator.data.plants.get(self._plant_id)
        return plant.nominal_power_w if plant else None
