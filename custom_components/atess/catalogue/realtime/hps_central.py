"""The realtime fields of the central HPS (hybrid power system, `hps_big`).

The documented table of the HPS100HV/HPS150HV names the PV fields differently from the other
central models: see docs/fields.md#pv-naming-on-central-hps-models and `NON_HV_NAMES`.
Evidence for every field: docs/fields.md#hps-central.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from homeassistant.const import PERCENTAGE

from ...api import DeviceKind
from ..codes import BATTERY_FLOW, GRID_FLOW, ON_OFF, RUN_MODE, RUN_STATE
from ..types import A, AtessSensorEntityDescription, D, G, N, R, Source, T
from . import blocks
from .factories import KOHM, duration_twins, energy_twins, enum, insulation, plain, power_factor
from .quantities import apparent, current, frequency, power, reactive, soc, temperature, voltage

SENSORS: Final[tuple[AtessSensorEntityDescription, ...]] = (
    enum("status", "status", R, RUN_STATE),
    enum("runModel", "run_mode", R, RUN_MODE),
    plain("runStatus", "run_status", G),
    *blocks.device_words(faults=9),
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
    *energy_twins("epv", "pv_energy", T, G),
    plain("mvpv", "mvpv", G),
    *insulation("pvpir1", "pvnir1", "pv"),
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
    *blocks.hps_battery_counters(G),
    *blocks.bms_block(),
    voltage("bmstv", "bms_total_voltage", N, diag=True),
    current("bmstc", "bms_total_current", N, diag=True),
    *insulation("batpir", "batnir", "battery"),
    # grid / bypass / diesel generator; bactivePower sign unverified
    power("bactivePower", "grid_power", A),
    enum("gridFlag", "grid_flow", A, GRID_FLOW),
    frequency("gridFreq", "grid_frequency", G),
    frequency("fac", "ac_frequency", T),
    frequency("bypassFreq", "bypass_frequency", R, diag=True),
    *voltage.per_phase("gvpv{}", "grid_voltage_{}", G, "uv vw wu"),
    *blocks.grid_energy(DeviceKind.HPS_BIG, T),
    power("dgGridPower", "diesel_generator_power", A),
    enum("oilMachineEnable", "diesel_generator_present", A, ON_OFF, diag=True),
    # output / load
    power("loadActivePower", "load_power", T),
    reactive("loadReactivePower", "load_reactive_power", A),
    apparent("loadApparentPower", "load_apparent_power", T),
    power_factor("loadPf", "load_power_factor", A, percent=True),
    *current.per_phase("loadI{}", "load_current_{}", R, "a b c"),
    *energy_twins("eload", "load_energy", T, G),
    power_factor("pf", "output_power_factor", R),
    plain("pfSymbol", "power_factor_sign", R),
    *voltage.per_phase("vpv{}", "output_voltage_{}", R, "uv vw wu"),
    *voltage.per_phase("vpv{}", "output_voltage_{}", G, "un vn wn"),
    *voltage.per_phase("inv{}", "inverter_voltage_{}", G, "uv vw wu", diag=True),
    *current.per_phase("ipv{}", "output_current_{}", G, "u v w"),
    # the third-party client sums these as "PV current": almost certainly wrong
    *current.per_phase("ipv{}", "inductor_current_{}", G, "a b c", diag=True),
    current("inductorCurr", "inductor_current", N, diag=True),
    reactive("rac", "reactive_power", N, diag=True),
    *blocks.bus_voltages(D),
    *blocks.temperatures_1_to_6(),
    temperature("scrtemp", "scr_temperature", N),
    temperature("envTemp", "environment_temperature", A, diag=False),
    *blocks.app_generation(),
    # duration twins (grid ones come with grid_energy)
    *duration_twins("epv", "pv"),
    *duration_twins("echarge", "battery_charge", total_stem="ebatCharge"),
    *duration_twins("edischarge", "battery_discharge", total_stem="ebatDischarge"),
    *duration_twins("eload", "load"),
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
