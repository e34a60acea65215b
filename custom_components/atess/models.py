"""The runtime types below every other module: where a device sits, what an inventory found.

Coordinators, the write path, the history importer and the entities all use these; this module
imports nothing of the integration but the client and the constants, so no module has to reach
up into another to name a device.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, tzinfo

from homeassistant.util import dt as dt_util

from .api import BaseInfo, DataLog, DeviceKind, Plant

# a device's model when the cloud gives none
KIND_MODEL = {
    DeviceKind.BCU: "BCU",
    DeviceKind.MBMS: "MBMS",
    DeviceKind.HPS_BIG: "HPS (central type)",
    DeviceKind.HPS_SMALL: "HPS (string type)",
    DeviceKind.PBD: "PBD",
    DeviceKind.PCS: "PCS",
}


@dataclass(frozen=True, slots=True)
class DeviceRef:
    """Where a device sits in the account."""

    sn: str
    kind: DeviceKind
    plant_id: str
    datalog_sn: str
    info: BaseInfo

    @property
    def model(self) -> str:
        """The model the cloud reports, else the device kind's own name."""
        return self.info.model or KIND_MODEL[self.kind]

    @property
    def display_name(self) -> str:
        """The device's name in the registry, in repairs and in statistic names."""
        return f"{self.model} {self.sn}"


@dataclass(frozen=True, slots=True)
class Inventory:
    """Everything one inventory refresh found: selected plants, their datalogs and devices.

    `zones` holds each plant's time zone, resolved once when the inventory was read (resolving
    a zone may read files, which must not happen in the event loop's property calls).
    """

    plants: dict[str, Plant]
    datalogs: dict[str, DataLog]
    devices: dict[str, DeviceRef]
    datalog_plant: dict[str, str] = field(default_factory=dict)
    zones: dict[str, tzinfo] = field(default_factory=dict)

    def timezone(self, plant_id: str) -> tzinfo:
        """The plant's time zone (the cloud's timestamps are plant-local), else Home Assistant's."""
        return self.zones.get(plant_id) or dt_util.get_default_time_zone()

    def localize(self, plant_id: str, naive: datetime | None) -> datetime | None:
        """Attach the plant's time zone to a naive cloud timestamp."""
        if naive is None or naive.tzinfo is not None:
            return naive
        return naive.replace(tzinfo=self.timezone(plant_id))


async def async_resolve_zones(plants: dict[str, Plant]) -> dict[str, tzinfo]:
    """Each plant's time zone by its IANA name; plants with none or an unknown one are left out."""
    zones: dict[str, tzinfo] = {}
    for plant_id, plant in plants.items():
        if plant.timezone and (zone := await dt_util.async_get_time_zone(plant.timezone)):
            zones[plant_id] = zone
    return zones


def mask_serial(sn: str) -> str:
    """A serial number with its tail hidden, for logs and diagnostics."""
    keep = max(len(sn) - 4, 2)
    return sn[:keep] + "*" * (len(sn) - keep) if len(sn) > 2 else "**"
