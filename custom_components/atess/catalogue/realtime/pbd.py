"""The realtime fields of the PBD (PV-battery DC converter).

Evidence for every field: docs/fields.md#pbd.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from ..codes import PBD_STATE
from ..types import A, AtessSensorEntityDescription, D, G, N, R
from . import blocks
from .factories import duration_twins, energy_twins, enum, insulation, plain
from .quantities import current, power, power_w, soc, temperature, voltage


def _pv_strings() -> Iterable[AtessSensorEntityDescription]:
    """PBD PV1-5: inductor current, voltage, current, power (kW)."""
    for n in range(1, 6):
        yield current(f"bipvBuck{n}", f"pv{n}_inductor_current", D if n == 1 else G, diag=True)
        yield voltage(f"vpv{n}", f"pv{n}_voltage", D if n == 5 else G)
        yield current(f"ipv{n}", f"pv{n}_current", G)
        yield power(f"ppv{n}", f"pv{n}_power", G)


SENSORS: Final[tuple[AtessSensorEntityDescription, ...]] = (
    enum("status", "pbd_status", R, PBD_STATE),
    plain("electricState", "electric_state", N),
    *blocks.device_words(faults=6),
    *_pv_strings(),
    voltage("vpv", "pv_voltage", G),
    current("ipv", "pv_current", G),
    # total PV power is sent in W (Growatt example 189000; the app formats it as W)
    power_w("ppv", "pv_power", A),
    # Growatt's raw key is misspelt `pbdOutPowe`; register "output power" is 0.1 kW
    power("pbdOutPower", "pbd_output_power", A),
    power("pbdBatPower", "battery_power", N),
    voltage("bvout", "dc_output_voltage", G),
    current("biout", "dc_output_current", G),
    voltage("bvbus", "bus_voltage", A),
    voltage("vbat", "battery_voltage", N),
    soc("capacity", "state_of_charge", N),
    *energy_twins("epv", "pv_energy", G),
    *energy_twins("eout", "pbd_output_energy", G),
    *energy_twins("echarge", "battery_charge", G),
    *energy_twins("edischarge", "battery_discharge", G),
    # the app shows the charge time of the day in minutes: the one twin not inferred
    *duration_twins("echarge", "battery_charge", A),
    *duration_twins("edischarge", "battery_discharge"),
    *duration_twins("epv", "pv"),
    temperature("temp", "device_temperature", R),
    temperature("temppvBuckL", "pv_inductor_temperature", N),
    temperature("temppvBuckModule", "pv_module_temperature", N),
    temperature("tempoutBuckL", "output_inductor_temperature", N),
    temperature("tempoutBuckModule", "output_module_temperature", N),
    temperature("envTemp", "environment_temperature", A, diag=False),
    *insulation("risoPVp", "risoPVn", "pv"),
    *insulation("risoBatp", "risoBatn", "battery"),
    *insulation("risoBusp", "risoBusn", "bus"),
    plain("mvpv", "mvpv", G),
    *blocks.bms_block(),
    *blocks.app_generation(),
)
