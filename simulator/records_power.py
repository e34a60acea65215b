"""Records of the power converters: PCS (battery inverter) and PBD (PV-to-battery DC converter)."""

from __future__ import annotations

import math

from simulator.jsontypes import JsonObject
from simulator.records_common import (
    NOMINAL_GRID_HZ,
    amps,
    battery_power,
    grid_power,
    module_temp,
    r1,
    r2,
    split_shares,
    string_volts,
    unknown_fields,
)
from simulator.sample import DeviceSample

# A PBD passes PV power to the DC bus with this efficiency; `eout*` counts what arrives there.
PBD_EFFICIENCY = 0.98
LINE_VOLTS = 400.0


def pcs_record(s: DeviceSample) -> JsonObject:
    """PCS: `bvpv`/`bipv` are battery V/A, `vacu`.. are output currents, `ppv` is in W."""
    battery = battery_power(s)
    bvpv = r1(768.0 * (0.95 + 0.001 * s.soc) + s.wiggle("bvpv", 0.5))
    grid = grid_power(s)
    phase_amps = abs(battery) * 1000.0 / (math.sqrt(3) * LINE_VOLTS)
    record: JsonObject = {
        "bactivePower": r2(grid),
        "bapparentPower": r2(abs(grid) * 1.02),
        "breactivePower": r2(abs(grid) * 0.2),
        "bipv": amps(abs(battery), bvpv),
        "bvpv": bvpv,
        "capacity": r1(s.soc),
        "echargeTimeToday": s.minutes_today("charge"),
        "echargeToday": s.today("charge"),
        "echargeTotal": s.total("charge"),
        "edischargeTimeToday": s.minutes_today("discharge"),
        "edischargeToday": s.today("discharge"),
        "edischargeTotal": s.total("discharge"),
        "gridFreq": r2(NOMINAL_GRID_HZ + s.wiggle("gridFreq", 0.04)),
        "gridToday": s.today("import"),
        "gridTotal": s.total("import"),
        "loadActivePower": r2(s.load),
        "loadToday": s.today("load"),
        "loadTotal": s.total("load"),
        "lost": False,
        "pacToBattery": r2(-battery),
        "pcsActivePower": r2(battery),
        "pf": round(0.99 + s.wiggle("pf", 0.009), 3),
        "ppv": round(s.pv * 1000),
        "status": 2,
        "time": s.time_text,
        "toGridToday": s.today("export"),
        "toGridTotal": s.total("export"),
        "vacFrequency": r2(NOMINAL_GRID_HZ + s.wiggle("vacFrequency", 0.03)),
        "vacu": r1(phase_amps + s.wiggle("vacu", 0.2) if phase_amps else 0.0),
        "vacv": r1(phase_amps + s.wiggle("vacv", 0.2) if phase_amps else 0.0),
        "vacw": r1(phase_amps + s.wiggle("vacw", 0.2) if phase_amps else 0.0),
        "vacuv": r1(LINE_VOLTS + s.wiggle("vacuv", 2.0)),
        "vacvw": r1(LINE_VOLTS + s.wiggle("vacvw", 2.0)),
        "vacwu": r1(LINE_VOLTS + s.wiggle("vacwu", 2.0)),
    }
    for n in range(1, 5):
        record[f"temp{n}"] = module_temp(s, f"temp{n}", battery)
    record["temp5"] = module_temp(s, "temp5", battery * 0.6)
    record["temp6"] = r1(s.ambient + 3.0 + s.wiggle("temp6", 0.3))
    record.update(unknown_fields(s))
    return record


def pbd_record(s: DeviceSample) -> JsonObject:
    """PBD: five PV inputs in kW, total `ppv` in W; keys run from `bipvBuck1` to `vpv5`."""
    powers = split_shares(s.pv, s, (0.21, 0.2, 0.2, 0.2, 0.19))
    bvout = r1(768.0 * (0.95 + 0.001 * s.soc) + s.wiggle("bvout", 0.5))
    out_power = s.pv * PBD_EFFICIENCY
    record: JsonObject = {
        "bvbus": r1(750.0 + s.wiggle("bvbus", 3.0)),
        "bvout": bvout,
        "echargeTimeToday": s.minutes_today("charge"),
        "echargeToday": s.today("charge"),
        "echargeTotal": s.total("charge"),
        "edischargeToday": s.today("discharge"),
        "edischargeTotal": s.total("discharge"),
        "eoutToday": s.today("pv", PBD_EFFICIENCY),
        "eoutTotal": s.total("pv", PBD_EFFICIENCY),
        "epvToday": s.today("pv"),
        "epvTotal": s.total("pv"),
        "lost": False,
        "pbdOutPower": r2(out_power),
        "ppv": round(s.pv * 1000),
        "status": 2 if s.pv > 0.01 else 0,
        "temp": module_temp(s, "temp", s.pv),
        "time": s.time_text,
    }
    for n, power in enumerate(powers, start=1):
        volts = string_volts(s, power, f"vpv{n}")
        current = amps(power, volts)
        record[f"bipvBuck{n}"] = current
        record[f"ipv{n}"] = current
        record[f"ppv{n}"] = r2(power)
        record[f"vpv{n}"] = volts
    record.update(unknown_fields(s))
    return record
