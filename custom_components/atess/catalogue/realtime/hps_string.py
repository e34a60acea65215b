"""The realtime fields of the string HPS (`hps_small`).

The docs give only the first (`bipvBuck1`) and the last (`vpvwn`) key; everything else is the
central-HPS key of the same name, read by the third-party client (T) or assumed by analogy (N).
Evidence for every field: docs/fields.md#hps-string.
"""

from __future__ import annotations

from typing import Final

from ...api import DeviceKind
from ..codes import BATTERY_FLOW, RUN_STATE
from ..types import AtessSensorEntityDescription, D, N, T
from . import blocks
from .factories import energy_twins, enum, power_factor
from .quantities import (
    apparent,
    current,
    frequency,
    lifetime_energy,
    power,
    reactive,
    soc,
    temperature,
    voltage,
)

SENSORS: Final[tuple[AtessSensorEntityDescription, ...]] = (
    current("bipvBuck1", "pv1_inductor_current", D, diag=True),
    *(current(f"bipvBuck{n}", f"pv{n}_inductor_current", N, diag=True) for n in range(2, 6)),
    voltage("vpvun", "output_voltage_un", N),
    voltage("vpvvn", "output_voltage_vn", N),
    voltage("vpvwn", "output_voltage_wn", D),
    # the third-party client calls ppv "the real one" on string type: total PV power here
    power("ppv", "pv_power", T),
    power("ppv1", "pv1_power", T),
    voltage("vpv", "pv_voltage", T),
    current("ipv", "pv_current", T),
    *energy_twins("epv", "pv_energy", T, N),
    *blocks.hps_battery_counters(N),
    # the lifetime battery key is unknown for this family: the PCS/PBD spelling is as likely
    lifetime_energy("echargeTotal", "battery_charge_lifetime", N),
    lifetime_energy("edischargeTotal", "battery_discharge_lifetime", N),
    *blocks.grid_energy(DeviceKind.HPS_SMALL, T),
    *energy_twins("eload", "load_energy", T, N),
    frequency("fac", "ac_frequency", T),
    frequency("gridFreq", "grid_frequency", N),
    power("loadActivePower", "load_power", T),
    reactive("loadReactivePower", "load_reactive_power", N),
    apparent("loadApparentPower", "load_apparent_power", N),
    power_factor("loadPf", "load_power_factor", N, percent=True),
    *current.per_phase("loadI{}", "load_current_{}", N, "a b c"),
    enum("status", "status", N, RUN_STATE),
    soc("capacity", "state_of_charge", N),
    soc("soc", "state_of_charge_soc", N, diag=True),
    voltage("vbat", "battery_voltage", N),
    current("ibat", "battery_current", N),
    power("pac", "battery_power", N),
    # no `bactivePower` here; by its name + while exporting (docs/fields.md, names only)
    power("pacToGrid", "power_to_grid", N, diag=True),
    enum("batFlag", "battery_flow", N, BATTERY_FLOW),
    *blocks.fault_words(9),
    *blocks.temperatures_1_to_6(),
    temperature("envTemp", "environment_temperature", N, diag=False),
)
