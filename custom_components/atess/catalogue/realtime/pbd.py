"""The realtime fields of the PBD (PV-battery DC converter).

Evidence for every field: docs/fields.md#pbd.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from homeassistant.const import UnitOfTime

from ..codes import PBD_STATE
from ..types import A, D, G, N, R
from .blocks import app_generation, bms_block, fault_words, self_time
from .factories import (
    KOHM,
    Desc,
    current,
    duration,
    energy,
    enum,
    plain,
    power,
    power_w,
    soc,
    temperature,
    voltage,
)


def _pv_strings() -> Iterable[Desc]:
    """PBD PV1-5: inductor current, voltage, current, power (kW)."""
    for n in range(1, 6):
        yield current(f"bipvBuck{n}", f"pv{n}_inductor_current", D if n == 1 else G, diag=True)
        yield voltage(f"vpv{n}", f"pv{n}_voltage", D if n == 5 else G)
        yield current(f"ipv{n}", f"pv{n}_current", G)
        yield power(f"ppv{n}", f"pv{n}_power", G)


SENSORS: Final[tuple[Desc, ...]] = (
    enum("status", "pbd_status", R, PBD_STATE),
    plain("electricState", "electric_state", N),
    plain("typeFlag", "parallel_flag", A),
    self_time(),
    *fault_words(6),
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
    energy("epvToday", "pv_energy_today", G, lifetime=False),
    energy("epvTotal", "pv_energy_total", G, lifetime=True),
    energy("eoutToday", "pbd_output_energy_today", G, lifetime=False),
    energy("eoutTotal", "pbd_output_energy_total", G, lifetime=True),
    energy("echargeToday", "battery_charge_today", G, lifetime=False),
    energy("echargeTotal", "battery_charge_total", G, lifetime=True),
    energy("edischargeToday", "battery_discharge_today", G, lifetime=False),
    energy("edischargeTotal", "battery_discharge_total", G, lifetime=True),
    duration("echargeTimeToday", "battery_charge_time_today", A, UnitOfTime.MINUTES),
    duration("echargeTimeTotal", "battery_charge_time_total", N, UnitOfTime.HOURS),
    duration("edischargeTimeToday", "battery_discharge_time_today", N, UnitOfTime.MINUTES),
    duration("edischargeTimeTotal", "battery_discharge_time_total", N, UnitOfTime.HOURS),
    duration("epvTimeToday", "pv_time_today", N, UnitOfTime.MINUTES),
    duration("epvTimeTotal", "pv_time_total", N, UnitOfTime.HOURS),
    temperature("temp", "device_temperature", R),
    temperature("temppvBuckL", "pv_inductor_temperature", N),
    temperature("temppvBuckModule", "pv_module_temperature", N),
    temperature("tempoutBuckL", "output_inductor_temperature", N),
    temperature("tempoutBuckModule", "output_module_temperature", N),
    temperature("envTemp", "environment_temperature", A, diag=False),
    plain("risoPVp", "pv_positive_insulation", N, unit=KOHM),
    plain("risoPVn", "pv_negative_insulation", N, unit=KOHM),
    plain("risoBatp", "battery_positive_insulation", N, unit=KOHM),
    plain("risoBatn", "battery_negative_insulation", N, unit=KOHM),
    plain("risoBusp", "bus_positive_insulation", N, unit=KOHM),
    plain("risoBusn", "bus_negative_insulation", N, unit=KOHM),
    plain("mvpv", "mvpv", G),
    *bms_block(),
    *app_generation(),
)
