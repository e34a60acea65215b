"""The realtime fields per device kind, as Home Assistant sensor descriptions.

One module per device family, as core's growatt_server keeps one per device type: `hps_central`,
`hps_string`, `pcs`, `pbd` and `bms` (BCU and MBMS). Beside them: `quantities` (each unit,
device class and precision the catalogue uses), `factories` (counters and their twins, codes,
plain values), `blocks` (groups of fields several families share), `converters` (raw value ->
state). The code lists are in `..codes`.

In every table the `field` is the probable cloud spelling (docs/fields.md#spelling-of-keys), `key`
is that name lower-cased, the unit is the one the cloud is believed to SEND (HA converts), and
`source` names the strongest evidence for the meaning (docs/fields.md#sources-and-confidence).
Nothing here has been checked against a live payload; entities are only created for keys that a
device actually sends.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from functools import cache
import re
from types import MappingProxyType
from typing import Final

from homeassistant.components.sensor import SensorDeviceClass

from ...api import DeviceKind
from ..types import AtessSensorEntityDescription
from . import bms, hps_central, hps_string, pbd, pcs

SENSORS: Final[Mapping[DeviceKind, tuple[AtessSensorEntityDescription, ...]]] = {
    DeviceKind.BCU: bms.SENSORS,
    DeviceKind.MBMS: bms.SENSORS,
    DeviceKind.HPS_BIG: hps_central.SENSORS,
    DeviceKind.HPS_SMALL: hps_string.SENSORS,
    DeviceKind.PBD: pbd.SENSORS,
    DeviceKind.PCS: pcs.SENSORS,
}


# Enabled by default: what most owners use (Home Assistant asks integrations to keep the rest
# disabled): energy counters, state of charge, states and codes, and the power flows of the whole
# device. Per-string and per-phase values, voltages, currents, frequencies, temperatures,
# apparent and reactive power and power factors exist too, disabled, one click away.
EVERYDAY_CLASSES: Final = frozenset(
    {SensorDeviceClass.ENERGY, SensorDeviceClass.BATTERY, SensorDeviceClass.ENUM}
)
_PER_STRING = re.compile(r"^pv\d+_")
# Which way energy flows is already the sign of the flow's power: its code is technical detail.
_FLOW_CODES = frozenset({"battery_flow", "battery_system_flow", "grid_flow"})


def everyday(description: AtessSensorEntityDescription) -> bool:
    """Whether a curated sensor is one most owners use (enabled unless its entry says not)."""
    if description.translation_key in _FLOW_CODES:
        return False
    if description.device_class in EVERYDAY_CLASSES:
        return True
    return description.device_class is SensorDeviceClass.POWER and not _PER_STRING.match(
        description.translation_key or ""
    )


# What the realtime payload carries about itself rather than about the device's values.
META_FIELDS = frozenset({"time", "recordtime", "lost", "devicesn", "serialnum", "datalogsn"})


def descriptions_for(
    kind: DeviceKind, model: str | None = None
) -> Mapping[str, AtessSensorEntityDescription]:
    """The curated sensors of a device kind (and model), keyed by the lower-cased cloud field.

    The documented HV naming is kept when the model is unknown. One mapping per kind and naming,
    shared by every device of that kind (read-only).
    """
    hv_naming = not model or "HV" in model.upper()
    return _descriptions(kind, kind is DeviceKind.HPS_BIG and not hv_naming)


@cache
def _descriptions(
    kind: DeviceKind, low_voltage: bool
) -> Mapping[str, AtessSensorEntityDescription]:
    found = {description.key: description for description in SENSORS.get(kind, ())}
    if low_voltage:
        for key, (translation_key, source) in hps_central.NON_HV_NAMES.items():
            if key in found:
                # the HV half-string voltages are diagnostics; these are the PV voltages
                found[key] = replace(
                    found[key],
                    translation_key=translation_key,
                    source=source,
                    entity_category=None,
                    entity_registry_enabled_default=True,
                )
    return MappingProxyType(
        {
            key: description
            if everyday(description) or not description.entity_registry_enabled_default
            else replace(description, entity_registry_enabled_default=False)
            for key, description in found.items()
        }
    )


__all__ = ["SENSORS", "descriptions_for"]
