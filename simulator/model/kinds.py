"""Device kinds the cloud knows, with the models the simulator gives them."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


@dataclass(frozen=True, slots=True)
class ModelSpec:
    """A device model: its name and how large a share of the site it represents."""

    name: str
    # Site share in kWp-equivalents: the per-kWp site physics is multiplied by this.
    scale: float


class DeviceKind(StrEnum):
    """Device kinds, one per group of six endpoints in the OpenAPI."""

    BCU = "bcu"
    MBMS = "mbms"
    HPS_BIG = "hps_big"
    HPS_SMALL = "hps_small"
    PBD = "pbd"
    PCS = "pcs"


# Models cycle when a plant has several devices of one kind. Central HPS are HV models on
# purpose: their `ppv1` is total PV power and `ppv` is PV1 power, the trap the docs warn about.
MODELS: dict[DeviceKind, tuple[ModelSpec, ...]] = {
    DeviceKind.BCU: (ModelSpec("BCU", 200.0),),
    DeviceKind.MBMS: (ModelSpec("MBMS", 400.0),),
    DeviceKind.HPS_BIG: (ModelSpec("HPS150HV", 150.0), ModelSpec("HPS100HV", 100.0)),
    DeviceKind.HPS_SMALL: (ModelSpec("HPS30", 30.0), ModelSpec("HPS50", 50.0)),
    DeviceKind.PBD: (ModelSpec("PBD250", 250.0),),
    DeviceKind.PCS: (ModelSpec("PCS500", 500.0), ModelSpec("PCS250", 250.0)),
}

# First three characters of generated serial numbers, per kind.
SERIAL_PREFIX: dict[DeviceKind, str] = {
    DeviceKind.BCU: "BCD",
    DeviceKind.MBMS: "MBD",
    DeviceKind.HPS_BIG: "TND",
    DeviceKind.HPS_SMALL: "TSD",
    DeviceKind.PBD: "UMD",
    DeviceKind.PCS: "PCD",
}

DATALOG_PREFIX = "DLX"

# Which of a plant's two demo datalogs carries each kind.
DATALOG_OF_KIND: dict[DeviceKind, int] = {
    DeviceKind.HPS_BIG: 0,
    DeviceKind.HPS_SMALL: 0,
    DeviceKind.PBD: 0,
    DeviceKind.PCS: 1,
    DeviceKind.BCU: 1,
    DeviceKind.MBMS: 1,
}
