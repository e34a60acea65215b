"""The realtime fields of the PCS (power conversion system).

Several PCS names mislead: `vacu/vacv/vacw` are output currents, `bvpv/bipv` the battery's voltage
and current (docs/fields.md#misleading-pcs-names). Evidence for every field: docs/fields.md#pcs.
"""

from __future__ import annotations

from typing import Final

from homeassistant.const import UnitOfTime

from ...api import DeviceKind
from ..codes import ON_OFF, RUN_STATE
from ..types import A, G, N, R
from .blocks import (
    app_generation,
    bms_block,
    fault_words,
    grid_energy,
    self_time,
    temperatures_1_to_6,
)
from .converters import power_factor_value
from .factories import (
    KOHM,
    Desc,
    apparent,
    current,
    duration,
    energy,
    enum,
    frequency,
    plain,
    power,
    power_factor,
    power_w,
    reactive,
    soc,
    temperature,
    voltage,
)

SENSORS: Final[tuple[Desc, ...]] = (
    enum("status", "status", R, RUN_STATE),
    plain("typeFlag", "parallel_flag", A),
    self_time(),
    *fault_words(8),
    enum("atsBypass", "ats_bypass", A, ON_OFF, diag=True),
    plain("dgGridSelect", "ac_source_select", G),
    # bypass (= grid side in the app's flow diagram); sign unverified
    # (docs/fields.md#signs-of-power-values)
    power("bactivePower", "grid_power", A),
    apparent("bapparentPower", "bypass_apparent_power", A),
    reactive("breactivePower", "bypass_reactive_power", A),
    current("bipvu", "bypass_current_u", R),
    current("bipvv", "bypass_current_v", R),
    current("bipvw", "bypass_current_w", R),
    voltage("bvpvuv", "grid_voltage_uv", R),
    voltage("bvpvvw", "grid_voltage_vw", R),
    voltage("bvpvwu", "grid_voltage_wu", R),
    # misleading names (docs/fields.md#misleading-pcs-names): bvpv/bipv are the BATTERY
    # voltage/current
    voltage("bvpv", "battery_voltage", R),
    current("bipv", "battery_current", R),
    power("pacToBattery", "battery_power", A),
    soc("capacity", "state_of_charge", R),
    power("pcsActivePower", "output_power", R),
    apparent("outApparentPower", "output_apparent_power", R),
    reactive("outReactivePower", "output_reactive_power", R),
    voltage("vacuv", "ac_voltage_uv", R),
    voltage("vacvw", "ac_voltage_vw", R),
    voltage("vacwu", "ac_voltage_wu", R),
    # misleading names: vacu/vacv/vacw are output CURRENTS (registers 135-137)
    current("vacu", "output_current_u", R),
    current("vacv", "output_current_v", R),
    current("vacw", "output_current_w", R),
    voltage("vpvuv", "output_voltage_uv", R),
    voltage("vpvvw", "output_voltage_vw", R),
    voltage("vpvwu", "output_voltage_wu", R),
    current("i1a", "inductor_current_a", R, diag=True),
    current("i1b", "inductor_current_b", R, diag=True),
    current("i1c", "inductor_current_c", R, diag=True),
    frequency("vacFrequency", "output_frequency", A),
    # Growatt's example sends gridFreq unscaled (210): check on a live payload
    frequency("gridFreq", "grid_frequency", G),
    frequency("bypassFreq", "bypass_frequency", R, diag=True),
    power_factor("pf", "output_power_factor", A),
    plain("pfSymbol", "power_factor_sign", R),
    power("loadActivePower", "load_power", A),
    apparent("loadApparentPower", "load_apparent_power", R),
    reactive("loadReactivePower", "load_reactive_power", R),
    power_factor("loadPf", "load_power_factor", R, power_factor_value),
    current("loadIa", "load_current_a", R),
    current("loadIb", "load_current_b", R),
    current("loadIc", "load_current_c", R),
    energy("loadToday", "load_energy_today", R, lifetime=False),
    energy("loadTotal", "load_energy_total", R, lifetime=True),
    *grid_energy(DeviceKind.PCS, N),
    energy("echargeToday", "battery_charge_today", G, lifetime=False),
    energy("echargeTotal", "battery_charge_total", G, lifetime=True),
    energy("edischargeToday", "battery_discharge_today", G, lifetime=False),
    energy("edischargeTotal", "battery_discharge_total", G, lifetime=True),
    # names only; Growatt's raw keys are misspelt "Gird" (aliases are the reader's job)
    power("pacToGrid", "power_to_grid", N, diag=True),
    power("powerGird", "grid_power_value", N, diag=True),
    power("toPowerGird", "to_grid_power_value", N, diag=True),
    # total PV power is sent in W (Growatt example 108000 for 108 kW; the app formats it as W)
    power_w("ppv", "pv_power", A),
    # may be a daily value: not treated as a lifetime counter
    energy("pvEnergy", "pv_energy", N, lifetime=False),
    # the app formats it as W; the OpenAPI is assumed to send kW like other powers
    # (docs/fields.md#w-or-kw)
    power("pbdOutPower", "pbd_output_power", A),
    enum("pbdFlag", "pbd_present", A, ON_OFF, diag=True),
    enum("gridInverterFlag", "grid_inverter_present", A, ON_OFF, diag=True),
    enum("oilMachineFlag", "diesel_generator_present", A, ON_OFF, diag=True),
    power("dgGridPower", "diesel_generator_power", A),
    plain("electricState", "electric_state", N),
    voltage("bvbus", "bus_voltage", R, diag=True),
    voltage("bvbusPosi", "bus_voltage_positive", R, diag=True),
    voltage("bvbusNega", "bus_voltage_negative", R, diag=True),
    plain("risoBatp", "battery_positive_insulation", N, unit=KOHM),
    plain("risoBatn", "battery_negative_insulation", N, unit=KOHM),
    plain("gfdi1", "ground_fault_1", N),
    plain("gfdi2", "ground_fault_2", N),
    *bms_block(),
    plain("mvpv", "mvpv", G),
    *temperatures_1_to_6(),
    temperature("envTemp", "environment_temperature", A, diag=False),
    *app_generation(),
    duration("echargeTimeToday", "battery_charge_time_today", N, UnitOfTime.MINUTES),
    duration("echargeTimeTotal", "battery_charge_time_total", N, UnitOfTime.HOURS),
    duration("edischargeTimeToday", "battery_discharge_time_today", N, UnitOfTime.MINUTES),
    duration("edischargeTimeTotal", "battery_discharge_time_total", N, UnitOfTime.HOURS),
    duration("loadTimeToday", "load_time_today", N, UnitOfTime.MINUTES),
    duration("loadTimeTotal", "load_time_total", N, UnitOfTime.HOURS),
)
