"""The realtime fields of the central HPS (hybrid power system, `hps_big`).

The documented table of the HPS100HV/HPS150HV names the PV fields differently from the other
central models: see docs/fields.md#pv-naming-on-central-hps-models and `NON_HV_NAMES`.
Evidence for every field: docs/fields.md#hps-central.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from homeassistant.const import PERCENTAGE, UnitOfTime

from ...api import DeviceKind
from ..codes import BATTERY_FLOW, GRID_FLOW, ON_OFF, RUN_MODE, RUN_STATE
from ..types import A, D, G, N, R, Source, T
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
    reactive,
    soc,
    temperature,
    voltage,
)

SENSORS: Final[tuple[Desc, ...]] = (
    enum("status", "status", R, RUN_STATE),
    enum("runModel", "run_mode", R, RUN_MODE),
    plain("runStatus", "run_status", G),
    plain("typeFlag", "parallel_flag", A),
    self_time(),
    *fault_words(9),
    enum("atsBypass", "ats_bypass", A, ON_OFF, diag=True),
    plain("dgGridSelect", "ac_source_select", G),
    plain("effectiveness", "efficiency", G, unit=PERCENTAGE),
    # PV. The docs' HPS100HV/150HV table (D) says ppv1 = TOTAL PV power and ppv = PV1 power
    # (docs/fields.md#pv-naming-on-central-hps-models); Growatt's non-HV meaning is the
    # reverse. We follow the ATESS docs.
    power("ppv1", "pv_power", D),
    power("ppv", "pv1_power", D),
    power("ppv2", "pv2_power", D),
    power("ppv3", "pv3_power", D),
    # HV docs: vpv/vpv2 = PV1 +/- voltage, vpv3 = PV2 + (non-HV: vpv = PV voltage)
    voltage("vpv", "pv1_positive_voltage", D, diag=True),
    voltage("vpv2", "pv1_negative_voltage", D, diag=True),
    voltage("vpv3", "pv2_positive_voltage", D, diag=True),
    voltage("pv1Volt", "pv1_voltage", D),
    voltage("pv2NegVolt", "pv2_negative_voltage", D, diag=True),
    voltage("pv2Volt", "pv2_voltage", D),
    voltage("pv3PosVolt", "pv3_positive_voltage", D, diag=True),
    voltage("pv3NegVolt", "pv3_negative_voltage", D, diag=True),
    voltage("pv3Volt", "pv3_voltage", D),
    current("ipv", "pv_current", T),
    current("ipv2", "pv2_current", G),
    current("ibuck1", "pv1_inductor_current", D, diag=True),
    current("ibuck2", "pv2_inductor_current", D, diag=True),
    current("bipvBuck3", "pv3_inductor_current", D, diag=True),
    # Growatt's ibuck3 would duplicate the documented bipvBuck3
    current("ibuck3", "pv3_inductor_current_ibuck", G, diag=True),
    current("ibuck4", "pv4_inductor_current", G, diag=True),
    current("ibuck5", "pv5_inductor_current", G, diag=True),
    energy("epvToday", "pv_energy_today", T, lifetime=False),
    energy("epvTotal", "pv_energy_total", G, lifetime=True),
    plain("mvpv", "mvpv", G),
    plain("pvpir1", "pv_positive_insulation", N, unit=KOHM),
    plain("pvnir1", "pv_negative_insulation", N, unit=KOHM),
    plain("insulDetecPosi", "insulation_positive", N, unit=KOHM),
    plain("insulDetecNega", "insulation_negative", N, unit=KOHM),
    # battery. `capacity` is the SOC in %, not a capacity
    # (docs/fields.md#capacity-is-the-state-of-charge)
    soc("capacity", "state_of_charge", R),
    soc("soc", "state_of_charge_soc", A, diag=True),
    voltage("vbat", "battery_voltage", G),
    current("ibat", "battery_current", G),
    # A calls it battery power, G "inverter output power"; sign unverified
    # (docs/fields.md#signs-of-power-values)
    power("pac", "battery_power", A),
    apparent("pac1", "output_apparent_power_1", G),
    # the app shows pac2 as the load apparent power
    apparent("pac2", "output_apparent_power_2", A),
    enum("batFlag", "battery_flow", A, BATTERY_FLOW),
    energy("echargeToday", "battery_charge_today", T, lifetime=False),
    energy("edischargeToday", "battery_discharge_today", T, lifetime=False),
    energy("ebatChargeTotal", "battery_charge_total", G, lifetime=True),
    energy("ebatDischargeTotal", "battery_discharge_total", G, lifetime=True),
    *bms_block(),
    voltage("bmstv", "bms_total_voltage", N, diag=True),
    current("bmstc", "bms_total_current", N, diag=True),
    plain("batpir", "battery_positive_insulation", N, unit=KOHM),
    plain("batnir", "battery_negative_insulation", N, unit=KOHM),
    # grid / bypass / diesel generator; bactivePower sign unverified
    power("bactivePower", "grid_power", A),
    enum("gridFlag", "grid_flow", A, GRID_FLOW),
    frequency("gridFreq", "grid_frequency", G),
    frequency("fac", "ac_frequency", T),
    frequency("bypassFreq", "bypass_frequency", R, diag=True),
    voltage("gvpvuv", "grid_voltage_uv", G),
    voltage("gvpvvw", "grid_voltage_vw", G),
    voltage("gvpvwu", "grid_voltage_wu", G),
    *grid_energy(DeviceKind.HPS_BIG, T),
    power("dgGridPower", "diesel_generator_power", A),
    enum("oilMachineEnable", "diesel_generator_present", A, ON_OFF, diag=True),
    # output / load
    power("loadActivePower", "load_power", T),
    reactive("loadReactivePower", "load_reactive_power", A),
    apparent("loadApparentPower", "load_apparent_power", T),
    power_factor("loadPf", "load_power_factor", A, power_factor_value),
    current("loadIa", "load_current_a", R),
    current("loadIb", "load_current_b", R),
    current("loadIc", "load_current_c", R),
    energy("eloadToday", "load_energy_today", T, lifetime=False),
    energy("eloadTotal", "load_energy_total", G, lifetime=True),
    power_factor("pf", "output_power_factor", R),
    plain("pfSymbol", "power_factor_sign", R),
    voltage("vpvuv", "output_voltage_uv", R),
    voltage("vpvvw", "output_voltage_vw", R),
    voltage("vpvwu", "output_voltage_wu", R),
    voltage("vpvun", "output_voltage_un", G),
    voltage("vpvvn", "output_voltage_vn", G),
    voltage("vpvwn", "output_voltage_wn", G),
    voltage("invuv", "inverter_voltage_uv", G, diag=True),
    voltage("invvw", "inverter_voltage_vw", G, diag=True),
    voltage("invwu", "inverter_voltage_wu", G, diag=True),
    current("ipvu", "output_current_u", G),
    current("ipvv", "output_current_v", G),
    current("ipvw", "output_current_w", G),
    # the third-party client sums these as "PV current": almost certainly wrong
    current("ipva", "inductor_current_a", G, diag=True),
    current("ipvb", "inductor_current_b", G, diag=True),
    current("ipvc", "inductor_current_c", G, diag=True),
    current("inductorCurr", "inductor_current", N, diag=True),
    reactive("rac", "reactive_power", N, diag=True),
    voltage("bvbus", "bus_voltage", D, diag=True),
    voltage("bvbusPosi", "bus_voltage_positive", R, diag=True),
    voltage("bvbusNega", "bus_voltage_negative", R, diag=True),
    *temperatures_1_to_6(),
    temperature("scrtemp", "scr_temperature", N),
    temperature("envTemp", "environment_temperature", A, diag=False),
    *app_generation(),
    # duration twins (grid ones come with grid_energy)
    duration("epvTimeToday", "pv_time_today", N, UnitOfTime.MINUTES),
    duration("epvTimeTotal", "pv_time_total", N, UnitOfTime.HOURS),
    duration("echargeTimeToday", "battery_charge_time_today", N, UnitOfTime.MINUTES),
    duration("edischargeTimeToday", "battery_discharge_time_today", N, UnitOfTime.MINUTES),
    duration("ebatChargeTimeTotal", "battery_charge_time_total", N, UnitOfTime.HOURS),
    duration("ebatDischargeTimeTotal", "battery_discharge_time_total", N, UnitOfTime.HOURS),
    duration("eloadTimeToday", "load_time_today", N, UnitOfTime.MINUTES),
    duration("eloadTimeTotal", "load_time_total", N, UnitOfTime.HOURS),
)

# On the central models other than the HV ones Growatt's meaning applies (ppv = total PV power,
# ppv1 = PV1, vpv/vpv2 = PV1/PV2 voltage): same fields and unique ids, other names. On HV models
# vpv, vpv2 and vpv3 are half-string voltages, disabled diagnostics like the inductor currents;
# here they are the PV voltages, so they are enabled. Field -> translation key, source.
NON_HV_NAMES: Final[Mapping[str, tuple[str, Source]]] = {
    "ppv": ("pv_power", G),
    "ppv1": ("pv1_power", G),
    "vpv": ("pv1_voltage", G),
    "vpv2": ("pv2_voltage", G),
}
