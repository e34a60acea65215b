"""Records of the hybrid inverters: central (`hps_big`, HV models) and string (`hps_small`)."""

from __future__ import annotations

from simulator.jsontypes import JsonObject
from simulator.model.sample import DeviceSample
from simulator.records import common as c


def hps_big_record(s: DeviceSample) -> JsonObject:
    """Central HV HPS: `ppv1` is total PV power and `ppv` is PV1 power (HPS100HV/150HV table)."""
    p1, p2, p3 = c.split_shares(s.pv, s, (0.36, 0.33, 0.31))
    v1, v2, v3 = (c.string_volts(s, p, f"pv{n}Volt") for n, p in ((1, p1), (2, p2), (3, p3)))
    battery = c.battery_power(s)
    vbat = c.r1(614.0 + 0.6 * s.soc + s.wiggle("vbat", 0.5))
    return {
        "atsBypass": 0,
        "bactivePower": c.r2(c.grid_power(s)),
        "bipvBuck3": c.amps(p3, v3),
        "bvbus": c.r1(750.0 + s.wiggle("bvbus", 3.0)),
        "capacity": c.r1(s.soc),
        # The central model counts lifetime battery energy under its own `ebat` names.
        "ebatChargeTimeTotal": s.hours_total("charge"),
        "ebatChargeTotal": s.total("charge"),
        "ebatDischargeTimeTotal": s.hours_total("discharge"),
        "ebatDischargeTotal": s.total("discharge"),
        "echargeToday": s.today("charge"),
        "edischargeToday": s.today("discharge"),
        **c.energy(s, c.SITE_FLOWS),
        **c.minutes_today(s, c.BATTERY_FLOWS | c.SITE_FLOWS),
        "fac": c.r2(c.NOMINAL_GRID_HZ + s.wiggle("fac", 0.03)),
        "gridFreq": c.r2(c.NOMINAL_GRID_HZ + s.wiggle("gridFreq", 0.04)),
        "ibat": c.amps(battery, vbat),
        "ibuck1": c.amps(p1, v1),
        "ibuck2": c.amps(p2, v2),
        "loadActivePower": c.r2(s.load),
        "loadPf": c.r1(97.5 + s.wiggle("loadPf", 1.5)),
        "loadReactivePower": c.r2(s.load * 0.2),
        "lost": False,
        "pac": c.r2(battery),
        "ppv": c.r2(p1),
        "ppv1": c.r2(s.pv),
        "ppv2": c.r2(p2),
        "ppv3": c.r2(p3),
        "pv1Volt": v1,
        "pv2NegVolt": c.r1(v2 / 2),
        "pv2Volt": v2,
        "pv3NegVolt": c.r1(v3 / 2),
        "pv3PosVolt": c.r1(v3 - v3 / 2),
        "pv3Volt": v3,
        "runModel": 5,
        "status": 2,
        "sysFaultWord1": 0,
        "sysFaultWord2": 0,
        "sysFaultWord3": 0,
        "time": s.time_text,
        "vbat": vbat,
        "vpv": c.r1(v1 - v1 / 2),
        "vpv2": c.r1(v1 / 2),
        "vpv3": c.r1(v2 - v2 / 2),
        **c.readings(s, ("vpvuv", "vpvvw", "vpvwu"), 400.0, 2.0),
        **c.inverter_temps(s, s.pv + abs(battery), s.load),
        **c.unknown_fields(s),
    }


def hps_small_record(s: DeviceSample) -> JsonObject:
    """String HPS: keys run from `bipvBuck1` to `vpvwn`, like the documented example."""
    p1, p2 = c.split_shares(s.pv, s, (0.52, 0.48))
    v1, v2 = c.string_volts(s, p1, "vpv1", 360.0), c.string_volts(s, p2, "vpv2", 360.0)
    battery = c.battery_power(s)
    return {
        "bipvBuck1": c.amps(p1, v1),
        "bipvBuck2": c.amps(p2, v2),
        "capacity": c.r1(s.soc),
        **c.energy(s, c.BATTERY_FLOWS | c.SITE_FLOWS),
        "fac": c.r2(c.NOMINAL_GRID_HZ + s.wiggle("fac", 0.03)),
        "ipv": c.amps(s.pv, max(v1, v2)),
        "loadActivePower": c.r2(s.load),
        "lost": False,
        "pac": c.r2(battery),
        "pacToGrid": c.r2(-c.grid_power(s)),
        "ppv": c.r2(s.pv),
        "ppv1": c.r2(p1),
        "ppv2": c.r2(p2),
        "status": 2,
        "temp1": c.module_temp(s, "temp1", s.pv + abs(battery)),
        "temp2": c.r1(s.ambient + 3.0 + s.wiggle("temp2", 0.3)),
        "time": s.time_text,
        "vbat": c.r1(51.2 * 4 + 0.05 * s.soc + s.wiggle("vbat", 0.3)),
        "vpv": max(v1, v2),
        **c.readings(s, ("vpvun", "vpvvn", "vpvwn"), 230.0, 1.5),
        **c.unknown_fields(s),
    }
