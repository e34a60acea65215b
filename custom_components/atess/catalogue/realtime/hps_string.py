"""The realtime fields of the string HPS (`hps_small`).

The docs give only the first (`bipvBuck1`) and the last (`vpvwn`) key; everything else is the
central-HPS key of the same name, read by the third-party client (T) or assumed by analogy (N).
Evidence for every field: docs/fields.md#hps-string.
"""

from __future__ import annotations

from typing import Final

from ...api import DeviceKind
from ..codes import BATTERY_FLOW, RUN_STATE
from ..types import D, N, T
from .blocks import fault_words, grid_energy, temperatures_1_to_6
from .converters import power_factor_value
from .factories import (
    Desc,
    apparent,
    current,
    energy,
    enum,
    frequency,
    power,
    power_factor,
    reactive,
    soc,
    temperature,
    voltage,
)

SENSORS: Final[tuple[Desc, ...]] = (
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
    energy("epvToday", "pv_energy_today", T, lifetime=False),
    energy("epvTotal", "pv_energy_total", N, lifetime=True),
    energy("echargeToday", "battery_charge_today", T, lifetime=False),
    energy("edischargeToday", "battery_discharge_today", T, lifetime=False),
    energy("ebatChargeTotal", "battery_charge_total", N, lifetime=True),
    energy("ebatDischargeTotal", "battery_discharge_total", N, lifetime=True),
    *grid_energy(DeviceKind.HPS_SMALL, T),
    energy("eloadToday", "load_energy_today", T, lifetime=False),
    energy("eloadTotal", "load_energy_total", N, lifetime=True),
    frequency("fac", "ac_frequency", T),
    frequency("gridFreq", "grid_frequency", N),
    power("loadActivePower", "load_power", T),
    reactive("loadReactivePower", "load_reactive_power", N),
    apparent("loadApparentPower", "load_apparent_power", N),
    power_factor("loadPf", "load_power_factor", N, power_factor_value),
    current("loadIa", "load_current_a", N),
    current("loadIb", "load_current_b", N),
    current("loadIc", "load_current_c", N),
    enum("status", "status", N, RUN_STATE),
    soc("capacity", "state_of_charge", N),
    soc("soc", "state_of_charge_soc", N, diag=True),
    voltage("vbat", "battery_voltage", N),
    current("ibat", "battery_current", N),
    power("pac", "battery_power", N),
    enum("batFlag", "battery_flow", N, BATTERY_FLOW),
    *fault_words(9),
    *temperatures_1_to_6(),
    temperature("envTemp", "environment_temperature", N, diag=False),
)
