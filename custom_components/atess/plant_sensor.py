"""The plant totals as sensors on the plant device: PV, battery, grid and load, power and energy.

Which devices feed which total is plant_rules.py's; this module keeps each plant's parts,
follows their records and writes the totals. A plant recomputes its totals `COOLDOWN` seconds
after the first new record of a burst: a plant's devices upload within seconds of each other,
so one recompute serves them all (the CPU per refresh stays low). When a part arrives or drops
out (the plant starts, a device fails) the totals follow at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, override

from homeassistant.components.sensor import RestoreSensor, SensorEntity, SensorExtraStoredData
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers.debounce import Debouncer
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.util import dt as dt_util

from .const import LOGGER
from .coordinator import AtessDevice
from .entity import async_add_as_they_come, plant_device_info, plant_entity_unique_id
from .plant_rules import TOTALS, Floors, PlantTotalDescription, compute, fresh, parts_of
from .runtime import AtessConfigEntry, AtessRuntimeData

COOLDOWN = 10.0


class AtessPlantTotals:
    """One plant's devices, and the totals that follow their records."""

    def __init__(self, hass: HomeAssistant, entry: AtessConfigEntry, plant_id: str) -> None:
        """Follow the realtime records of the plant's devices, now and as they appear."""
        self.plant_id = plant_id
        self._runtime: AtessRuntimeData = entry.runtime_data
        self._options = entry.options
        self._listeners: list[CALLBACK_TYPE] = []
        # the plant's devices with a recent record, as of the last recompute
        self.fresh: frozenset[str] = frozenset()
        # between two recomputes: the devices seen fresh, and how many the plant has
        self._arrived: set[str] = set()
        self._count = 0
        self._parts: dict[str, list[AtessDevice]] = {}
        self._parts_of: tuple[str, ...] = ()  # the account's devices the parts were found among
        self._debouncer = Debouncer(
            hass,
            LOGGER,
            cooldown=COOLDOWN,
            immediate=False,
            function=self._async_notify,
            background=True,
        )
        entry.async_on_unload(self._debouncer.async_shutdown)

        @callback
        def follow(device: AtessDevice) -> None:
            if device.ref.plant_id != plant_id:
                return
            self._count += 1

            @callback
            def changed() -> None:
                self._async_changed(device)

            entry.async_on_unload(device.realtime.async_add_listener(changed))
            changed()

        entry.async_on_unload(self._runtime.async_add_device_listener(follow))

    def devices(self) -> list[AtessDevice]:
        """The plant's devices."""
        return [d for d in self._runtime.devices.values() if d.ref.plant_id == self.plant_id]

    def parts(self, total: PlantTotalDescription) -> list[AtessDevice]:
        """The devices that feed a total (by the rule, or the owner's choice in the options)."""
        # devices come and go only with an inventory: the parts are worked out again when the
        # account's devices are others (one can leave in the inventory that brings another)
        if (serials := tuple(self._runtime.devices)) != self._parts_of:
            self._parts_of = serials
            self._parts.clear()
        if (found := self._parts.get(total.key)) is None:
            devices = {d.ref: d for d in self.devices()}
            found = [devices[ref] for ref in parts_of(total, devices, self._options)]
            self._parts[total.key] = found
        return found

    @callback
    def async_add_listener(self, listener: CALLBACK_TYPE) -> CALLBACK_TYPE:
        """Call `listener` when the totals may have changed."""
        self._listeners.append(listener)

        @callback
        def remove() -> None:
            self._listeners.remove(listener)

        return remove

    @callback
    def _async_changed(self, device: AtessDevice) -> None:
        """A device of the plant has a new record (or failed)."""
        was = device.sn in self._arrived
        now = fresh(device, dt_util.utcnow())
        if now:
            self._arrived.add(device.sn)
        else:
            self._arrived.discard(device.sn)
        if (was and not now) or (now and not was and len(self._arrived) >= self._count):
            # a part dropped out (a device fails), or the last one arrived (the plant starts):
            # the totals' availability changes now, not a cooldown later
            self._async_notify()
        else:
            self._debouncer.async_schedule_call()

    def _fresh_now(self) -> frozenset[str]:
        now = dt_util.utcnow()
        return frozenset(d.sn for d in self.devices() if fresh(d, now))

    @callback
    def _async_notify(self) -> None:
        self.fresh = self._fresh_now()
        self._arrived = set(self.fresh)
        self._count = len(self.devices())
        for listener in list(self._listeners):
            listener()


@callback
def async_setup_plant_totals(
    hass: HomeAssistant,
    entry: AtessConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add each plant's totals once a device that feeds them is known."""
    runtime = entry.runtime_data
    hubs: dict[str, AtessPlantTotals] = {}

    def hub(plant_id: str) -> AtessPlantTotals:
        if plant_id not in hubs:
            hubs[plant_id] = AtessPlantTotals(hass, entry, plant_id)
        return hubs[plant_id]

    made: set[str] = set()

    def totals() -> Iterable[tuple[str, tuple[str, PlantTotalDescription]]]:
        # called for every device that appears: once a plant has all its totals, it is skipped
        for plant_id in runtime.inventory.data.plants:
            missing = [t for t in TOTALS if f"{plant_id}_{t.key}" not in made]
            if not missing:
                continue
            refs = [d.ref for d in runtime.devices.values() if d.ref.plant_id == plant_id]
            for total in missing:
                if parts_of(total, refs, entry.options):
                    made.add(key := f"{plant_id}_{total.key}")
                    yield key, (plant_id, total)

    def build(item: tuple[str, PlantTotalDescription]) -> list[SensorEntity]:
        plant_id, total = item
        cls = AtessPlantLifetimeSensor if total.lifetime else AtessPlantTotalSensor
        return [cls(hub(plant_id), total, runtime)]

    def subscribe(changed: CALLBACK_TYPE) -> CALLBACK_TYPE:
        removers: list[Callable[[], None]] = [
            runtime.inventory.async_add_listener(changed),
            runtime.async_add_device_listener(lambda _device: changed()),
        ]

        @callback
        def remove() -> None:
            for remover in removers:
                remover()

        return remove

    async_add_as_they_come(entry, async_add_entities, subscribe, totals, build)


class AtessPlantTotalSensor(SensorEntity):
    """One total of one plant."""

    entity_description: PlantTotalDescription
    _attr_has_entity_name = True
    _attr_should_poll = False

    def __init__(
        self, hub: AtessPlantTotals, description: PlantTotalDescription, runtime: AtessRuntimeData
    ) -> None:
        """Create the total `description.key` of the hub's plant."""
        self.entity_description = description
        self._hub = hub
        self._attr_unique_id = plant_entity_unique_id(hub.plant_id, description.key)
        self._attr_device_info = plant_device_info(runtime.inventory.data.plants[hub.plant_id])
        self._floors = Floors()
        self._last: float | None = None
        self._parts: list[str] = []
        self._restored: tuple[list[str], float] | None = None
        self._attr_available = False
        self._shown: tuple[bool, float | None] | None = None

    @override
    async def async_added_to_hass(self) -> None:
        """Follow the plant's records."""
        await super().async_added_to_hass()
        self.async_on_remove(self._hub.async_add_listener(self._async_recompute))
        self._async_recompute()

    @callback
    def _async_recompute(self) -> None:
        """Recompute; write the state only when what it shows changed."""
        description = self.entity_description
        parts = self._hub.parts(description)
        available, value = compute(
            description, parts, dt_util.utcnow(), self._floors, self._hub.fresh
        )
        if value is not None and description.lifetime:
            self._parts = sorted(d.sn for d in parts)
            if self._restored is not None:
                # the value before a restart is a floor only for the same devices: another
                # source chosen in the options counts something else
                if self._restored[0] == self._parts:
                    self._last = self._restored[1]
                self._restored = None
            # the total never goes down, even when a part's counter dropped before this run
            if self._last is not None and value < self._last:
                value = self._last
            self._last = value
        if value is not None:
            value = round(value, 3)
        shown = (available, value)
        if shown == self._shown:
            return
        self._shown = shown
        self._attr_available = available
        self._attr_native_value = value
        if self.hass is not None:
            self.async_write_ha_state()


class AtessPlantLifetimeSensor(AtessPlantTotalSensor, RestoreSensor):
    """A lifetime total: it remembers its last value, and its devices, across restarts."""

    @property
    @override
    def extra_restore_state_data(self) -> PlantStoredData:
        """The sensor's value and the serials of the devices it added up."""
        data = super().extra_restore_state_data
        return PlantStoredData(data.native_value, data.native_unit_of_measurement, self._parts)

    @override
    async def async_added_to_hass(self) -> None:
        """Keep the last value from before the restart, a floor once the same devices report."""
        last = await self.async_get_last_extra_data()
        stored = last.as_dict() if last is not None else {}
        value, parts = stored.get("native_value"), stored.get("parts")
        if isinstance(value, (int, float)) and isinstance(parts, list):
            self._restored = ([str(sn) for sn in parts], float(value))
        await super().async_added_to_hass()


@dataclass
class PlantStoredData(SensorExtraStoredData):
    """What a lifetime total keeps across restarts: its value and its devices."""

    parts: list[str]

    @override
    def as_dict(self) -> dict[str, Any]:
        """The sensor's stored data, with the devices."""
        return {**super().as_dict(), "parts": self.parts}
