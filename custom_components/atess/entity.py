"""Base entities: device info for the plant -> datalog -> device tree, unique ids, availability."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any, override

from homeassistant.const import EntityCategory
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.entity import Entity, EntityDescription
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .api import DataLog, Plant
from .compat import via_device
from .const import DOMAIN, MANUFACTURER
from .coordinator import AtessDevice, AtessInventoryCoordinator, AtessRealtimeCoordinator
from .models import KIND_MODEL, DeviceRef
from .runtime import AtessConfigEntry, AtessRuntimeData


def plant_identifier(plant_id: str) -> tuple[str, str]:
    """Device-registry identifier of a plant."""
    return (DOMAIN, f"plant_{plant_id}")


def plant_entity_unique_id(plant_id: str, key: str) -> str:
    """Unique id of an entity of a plant: `plant_<plant id>_<key>`."""
    return f"plant_{plant_id}_{key}"


def plant_device_info(plant: Plant) -> DeviceInfo:
    """The plant as a device: the root of the tree."""
    return DeviceInfo(
        identifiers={plant_identifier(plant.plant_id)},
        manufacturer=MANUFACTURER,
        model="Plant",
        name=plant.name or f"Plant {plant.plant_id}",
    )


def datalog_device_info(
    hass: HomeAssistant, entry_id: str, datalog: DataLog, plant_id: str
) -> DeviceInfo:
    """A DataLog gateway, under its plant (which must be registered first)."""
    info = DeviceInfo(
        identifiers={(DOMAIN, datalog.sn)},
        manufacturer=MANUFACTURER,
        model=datalog.model or "DataLog",
        name=f"DataLog {datalog.sn}",
        serial_number=datalog.sn,
        **via_device(hass, plant_identifier(plant_id), entry_id),
    )
    if datalog.firmware:
        info["sw_version"] = datalog.firmware
    return info


def device_info(hass: HomeAssistant, entry_id: str, ref: DeviceRef) -> DeviceInfo:
    """A BMS, HPS, PBD or PCS, under its datalog (which must be registered first)."""
    kind_model = KIND_MODEL[ref.kind]
    info = DeviceInfo(
        identifiers={(DOMAIN, ref.sn)},
        manufacturer=MANUFACTURER,
        model=ref.model,
        name=ref.display_name,
        serial_number=ref.sn,
        **via_device(hass, (DOMAIN, ref.datalog_sn), entry_id),
    )
    if ref.info.model:
        info["model_id"] = kind_model
    if ref.info.firmware:
        info["sw_version"] = ref.info.firmware
    return info


def diagnostic[D: EntityDescription](cls: type[D], key: str, **kwargs: Any) -> D:
    """A diagnostic entity's description, named by the translation of its key."""
    return cls(key=key, translation_key=key, entity_category=EntityCategory.DIAGNOSTIC, **kwargs)


@callback
def async_add_as_they_come[T](
    entry: AtessConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
    subscribe: Callable[[CALLBACK_TYPE], CALLBACK_TYPE],
    items: Callable[[], Iterable[tuple[str, T]]],
    build: Callable[[T], Iterable[Entity]],
) -> None:
    """Entities for every item now, and for each new one whenever `subscribe`'s source updates.

    `items` gives (key, item) pairs; an item gets its entities the first time its key is seen.
    """
    seen: set[str] = set()

    @callback
    def add_new() -> None:
        new: list[Entity] = []
        for key, item in items():
            if key not in seen:
                seen.add(key)
                new.extend(build(item))
        if new:
            async_add_entities(new)

    add_new()
    entry.async_on_unload(subscribe(add_new))


@callback
def async_add_per_datalog(
    entry: AtessConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
    build: Callable[[str], Iterable[Entity]],
) -> None:
    """Entities for every DataLog gateway of the inventory, now and as new ones are listed."""
    inventory = entry.runtime_data.inventory
    async_add_as_they_come(
        entry,
        async_add_entities,
        inventory.async_add_listener,
        lambda: ((sn, sn) for sn in inventory.data.datalogs),
        build,
    )


class AtessEntity[C: Any](CoordinatorEntity[C]):
    """An entity of one ATESS device, fed by one of its coordinators."""

    _attr_has_entity_name = True

    def __init__(self, coordinator: C, device: AtessDevice, key: str) -> None:
        """Bind the entity to its device; the unique id is `<serial>_<key>`."""
        super().__init__(coordinator)
        self.device = device
        self._attr_unique_id = f"{device.sn}_{key}"
        if device.device_info is None:
            device.device_info = device_info(
                device.realtime.hass, device.realtime.config_entry.entry_id, device.ref
            )
        self._attr_device_info = device.device_info


class AtessRealtimeEntity(AtessEntity[AtessRealtimeCoordinator]):
    """A diagnostic entity of one device, fed by its realtime records, keyed by its description."""

    def __init__(self, device: AtessDevice) -> None:
        """Bind the entity to the device's realtime coordinator."""
        super().__init__(device.realtime, device, self.entity_description.key)


class AtessInventoryEntity(CoordinatorEntity[AtessInventoryCoordinator]):
    """An entity of a plant or datalog, fed by the inventory."""

    _attr_has_entity_name = True


class AtessDatalogEntity(AtessInventoryEntity):
    """An entity of one DataLog gateway; the unique id is `<datalog serial>_<key>`.

    The inventory that lists DataLogs is read twice a day, so what it says of a gateway's
    connection is up to 12 hours old; the records its devices upload every few minutes are
    fresher, so DataLog entities also follow those devices.
    """

    def __init__(
        self, coordinator: AtessInventoryCoordinator, sn: str, key: str, runtime: AtessRuntimeData
    ) -> None:
        """Bind the entity to its datalog."""
        super().__init__(coordinator)
        self._sn = sn
        self._runtime = runtime
        self._attr_unique_id = f"{sn}_{key}"
        self._attr_device_info = datalog_device_info(
            coordinator.hass,
            coordinator.config_entry.entry_id,
            coordinator.data.datalogs[sn],
            coordinator.data.datalog_plant[sn],
        )

    @property
    @override
    def available(self) -> bool:
        """Unavailable once the datalog left the account."""
        return super().available and self._sn in self.coordinator.data.datalogs

    @override
    async def async_added_to_hass(self) -> None:
        """Follow the realtime records of every device behind this datalog."""
        await super().async_added_to_hass()

        @callback
        def follow(device: AtessDevice) -> None:
            if device.ref.datalog_sn == self._sn:
                self.async_on_remove(device.realtime.async_add_listener(self.async_write_ha_state))

        self.async_on_remove(self._runtime.async_add_device_listener(follow))

    def newest_record(self) -> datetime | None:
        """The newest record time any device behind the datalog has uploaded, if any."""
        times = [
            moment
            for device in self._runtime.devices.values()
            if device.ref.datalog_sn == self._sn
            and device.realtime.data is not None
            and (moment := device.localize(device.realtime.data.sample_time)) is not None
        ]
        return max(times, default=None)
