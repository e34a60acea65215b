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
from typing import Final

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


# What the realtime payload carries about itself rather than about the device's values.
META_FIELDS = frozenset({"time", "recordtime", "lost", "devicesn", "serialnum", "datalogsn"})


def descriptions_for(
    kind: DeviceKind, model: str | None = None
) -> dict[str, AtessSensorEntityDescription]:
    """The curated sensors of a device kind (and model), keyed by the lower-cased cloud field.

    The documented HV naming is kept when the model is unknown.
    """
    found = {description.key: description for description in SENSORS.get(kind, ())}
    if kind is DeviceKind.HPS_BIG and model and "HV" not in model.upper():
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
    return found


__all__ = ["SENSORS", "descriptions_for"]
