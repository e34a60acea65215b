"""The realtime fields of the PCS (power conversion system).

Several PCS names mislead: `vacu/vacv/vacw` are output currents, `bvpv/bipv` the battery's voltage
and current (docs/fields.md#misleading-pcs-names). Evidence for every field: docs/fields.md#pcs.
"""

from __future__ import annotations

from typing import Final

from ...api import DeviceKind
from ..codes import ON_OFF, RUN_STATE
from ..types import A, AtessSensorEntityDescription, G, N, R
from . import blocks
from .factories import duration_twins, energy_twins, enum, insulation, plain, power_factor
from .quantities import (
    apparent,
    current,
    daily_energy,
    frequency,
    power,
    power_w,
    reactive,
    soc,
    temperature,
    voltage,
)

SENSORS: Final[tuple[AtessSensorEntityDescription, ...]] = (
    enum("status", "status", R, RUN_STATE),
    *blocks.device_words(faults=8),
    enum("atsBypass", "ats_bypass", A, ON_OFF, diag=True),
    plain("dgGridSelect", "ac_source_select", G),
    # bypass (= grid side in the app's flow diagram); sign unverified
    # (docs/fields.md#signs-of-power-values)
    power("bactivePower", "grid_power", A),
    apparent("bapparentPower", "bypass_apparent_power", A),
    reactive("breactivePower", "bypass_reactive_power", A),
    *current.per_phase("bipv{}", "bypass_current_{}", R, "u v w"),
    *voltage.per_phase("bvpv{}", "grid_voltage_{}", R, "uv vw wu"),
    # misleading names (docs/fields.md#misleading-pcs-names): bvpv/bipv are the BATTERY
    # voltage/current
    voltage("bvpv", "battery_voltage", R),
    current("bipv", "battery_current", R),
    power("pacToBattery", "battery_power", A),
    soc("capacity", "state_of_charge", R),
    power("pcsActivePower", "output_power", R),
    apparent("outApparentPower", "output_apparent_power", R),
    reactive("outReactivePower", "output_reactive_power", R),
    *voltage.per_phase("vac{}", "ac_voltage_{}", R, "uv vw wu"),
    # misleading names: vacu/vacv/vacw are output CURRENTS (registers 135-137)
    *current.per_phase("vac{}", "output_current_{}", R, "u v w"),
    *voltage.per_phase("vpv{}", "output_voltage_{}", R, "uv vw wu"),
    *current.per_phase("i1{}", "inductor_current_{}", R, "a b c", diag=True),
    frequency("vacFrequency", "output_frequency", A),
    # Growatt's example sends gridFreq unscaled (210): check on a live payload
    frequency("gridFreq", "grid_frequency", G),
    frequency("bypassFreq", "bypass_frequency", R, diag=True),
    power_factor("pf", "output_power_factor", A),
    plain("pfSymbol", "power_factor_sign", R),
    power("loadActivePower", "load_power", A),
    apparent("loadApparentPower", "load_apparent_power", R),
    reactive("loadReactivePower", "load_reactive_power", R),
    power_factor("loadPf", "load_power_factor", R, percent=True),
    *current.per_phase("loadI{}", "load_current_{}", R, "a b c"),
    *energy_twins("load", "load_energy", R),
    *blocks.grid_energy(DeviceKind.PCS, N),
    *energy_twins("echarge", "battery_charge", G),
    *energy_twins("edischarge", "battery_discharge", G),
    # names only; Growatt's raw keys are misspelt "Gird" (aliases are the reader's job)
    power("pacToGrid", "power_to_grid", N, diag=True),
    power("powerGird", "grid_power_value", N, diag=True),
    power("toPowerGird", "to_grid_power_value", N, diag=True),
    # total PV power is sent in W (Growatt example 108000 for 108 kW; the app formats it as W)
    power_w("ppv", "pv_power", A),
    # may be a daily value: not treated as a lifetime counter
    daily_energy("pvEnergy", "pv_energy", N),
    # the app formats it as W; the OpenAPI is assumed to send kW like other powers
    # (docs/fields.md#w-or-kw)
    power("pbdOutPower", "pbd_output_power", A),
    enum("pbdFlag", "pbd_present", A, ON_OFF, diag=True),
    enum("gridInverterFlag", "grid_inverter_present", A, ON_OFF, diag=True),
    enum("oilMachineFlag", "diesel_generator_present", A, ON_OFF, diag=True),
    power("dgGridPower", "diesel_generator_power", A),
    plain("electricState", "electric_state", N),
    *blocks.bus_voltages(R),
    *insulation("risoBatp", "risoBatn", "battery"),
    plain("gfdi1", "ground_fault_1", N),
    plain("gfdi2", "ground_fault_2", N),
    *blocks.bms_block(),
    plain("mvpv", "mvpv", G),
    *blocks.temperatures_1_to_6(),
    temperature("envTemp", "environment_temperature", A, diag=False),
    *blocks.app_generation(),
    *duration_twins("echarge", "battery_charge"),
    *duration_twins("edischarge", "battery_discharge"),
    *duration_twins("load", "load"),
)
