"""Records of the hybrid inverters: central (`hps_big`, HV models) and string (`hps_small`)."""

from __future__ import annotations

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


def hps_big_record(s: DeviceSample) -> JsonObject:
    """Central HV HPS: `ppv1` is total PV power and `ppv` is PV1 power (HPS100HV/150HV table)."""
    p1, p2, p3 = split_shares(s.pv, s, (0.36, 0.33, 0.31))
    v1, v2, v3 = (string_volts(s, p, f"pv{n}Volt") for n, p in ((1, p1), (2, p2), (3, p3)))
    battery = battery_power(s)
    vbat = r1(614.0 + 0.6 * s.soc + s.wiggle("vbat", 0.5))
    record: JsonObject = {
        "atsBypass": 0,
        "bactivePower": r2(grid_power(s)),
        "bipvBuck3": amps(p3, v3),
        "bvbus": r1(750.0 + s.wiggle("bvbus", 3.0)),
        "capacity": r1(s.soc),
        "ebatChargeTimeTotal": s.hours_total("charge"),
        "ebatChargeTotal": s.total("charge"),
        "ebatDischargeTimeTotal": s.hours_total("discharge"),
        "ebatDischargeTotal": s.total("discharge"),
        "echargeTimeToday": s.minutes_today("charge"),
        "echargeToday": s.today("charge"),
        "edischargeTimeToday": s.minutes_today("discharge"),
        "edischargeToday": s.today("discharge"),
        "egridTimeToday": s.minutes_today("import"),
        "egridToday": s.today("import"),
        "egridTotal": s.total("import"),
        "eloadTimeToday": s.minutes_today("load"),
        "eloadToday": s.today("load"),
        "eloadTotal": s.total("load"),
        "epvTimeToday": s.minutes_today("pv"),
        "epvToday": s.today("pv"),
        "epvTotal": s.total("pv"),
        "etoGridTimeToday": s.minutes_today("export"),
        "etoGridToday": s.today("export"),
        "etoGridTotal": s.total("export"),
        "fac": r2(NOMINAL_GRID_HZ + s.wiggle("fac", 0.03)),
        "gridFreq": r2(NOMINAL_GRID_HZ + s.wiggle("gridFreq", 0.04)),
        "ibat": amps(battery, vbat),
        "ibuck1": amps(p1, v1),
        "ibuck2": amps(p2, v2),
        "loadActivePower": r2(s.load),
        "loadPf": r1(97.5 + s.wiggle("loadPf", 1.5)),
        "loadReactivePower": r2(s.load * 0.2),
        "lost": False,
        "pac": r2(battery),
        "ppv": r2(p1),
        "ppv1": r2(s.pv),
        "ppv2": r2(p2),
        "ppv3": r2(p3),
        "pv1Volt": v1,
        "pv2NegVolt": r1(v2 / 2),
        "pv2Volt": v2,
        "pv3NegVolt": r1(v3 / 2),
        "pv3PosVolt": r1(v3 - v3 / 2),
        "pv3Volt": v3,
        "runModel": 5,
        "status": 2,
        "sysFaultWord1": 0,
        "sysFaultWord2": 0,
        "sysFaultWord3": 0,
        "time": s.time_text,
        "vbat": vbat,
        "vpv": r1(v1 - v1 / 2),
        "vpv2": r1(v1 / 2),
        "vpv3": r1(v2 - v2 / 2),
        "vpvuv": r1(400.0 + s.wiggle("vpvuv", 2.0)),
        "vpvvw": r1(400.0 + s.wiggle("vpvvw", 2.0)),
        "vpvwu": r1(400.0 + s.wiggle("vpvwu", 2.0)),
    }
    for n in range(1, 5):
        record[f"temp{n}"] = module_temp(s, f"temp{n}", s.pv + abs(battery))
    record["temp5"] = module_temp(s, "temp5", s.load)
    record["temp6"] = r1(s.ambient + 3.0 + s.wiggle("temp6", 0.3))
    record.update(unknown_fields(s))
    return record


def hps_small_record(s: DeviceSample) -> JsonObject:
    """String HPS: keys run from `bipvBuck1` to `vpvwn`, like the documented example."""
    p1, p2 = split_shares(s.pv, s, (0.52, 0.48))
    v1, v2 = string_volts(s, p1, "vpv1", 360.0), string_volts(s, p2, "vpv2", 360.0)
    battery = battery_power(s)
    vbat = r1(51.2 * 4 + 0.05 * s.soc + s.wiggle("vbat", 0.3))
    record: JsonObject = {
        "bipvBuck1": amps(p1, v1),
        "bipvBuck2": amps(p2, v2),
        "capacity": r1(s.soc),
        "echargeToday": s.today("charge"),
        "echargeTotal": s.total("charge"),
        "edischargeToday": s.today("discharge"),
        "edischargeTotal": s.total("discharge"),
        "egridToday": s.today("import"),
        "egridTotal": s.total("import"),
        "eloadToday": s.today("load"),
        "eloadTotal": s.total("load"),
        "epvToday": s.today("pv"),
        "epvTotal": s.total("pv"),
        "etoGridToday": s.today("export"),
        "etoGridTotal": s.total("export"),
        "fac": r2(NOMINAL_GRID_HZ + s.wiggle("fac", 0.03)),
        "ipv": amps(s.pv, max(v1, v2)),
        "loadActivePower": r2(s.load),
        "lost": False,
        "pac": r2(battery),
        "pacToGrid": r2(-grid_power(s)),
        "ppv": r2(s.pv),
        "ppv1": r2(p1),
        "ppv2": r2(p2),
        "status": 2,
        "temp1": module_temp(s, "temp1", s.pv + abs(battery)),
        "temp2": r1(s.ambient + 3.0 + s.wiggle("temp2", 0.3)),
        "time": s.time_text,
        "vbat": vbat,
        "vpv": max(v1, v2),
        "vpvun": r1(230.0 + s.wiggle("vpvun", 1.5)),
        "vpvvn": r1(230.0 + s.wiggle("vpvvn", 1.5)),
        "vpvwn": r1(230.0 + s.wiggle("vpvwn", 1.5)),
    }
    record.update(unknown_fields(s))
    return record
