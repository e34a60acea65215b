"""Records of the power converters: PCS (battery inverter) and PBD (PV-to-battery DC converter)."""

from __future__ import annotations

import math

from simulator.jsontypes import JsonObject
from simulator.model.sample import DeviceSample
from simulator.records import common as c

# A PBD passes PV power to the DC bus with this efficiency; `eout*` counts what arrives there.
PBD_EFFICIENCY = 0.98
LINE_VOLTS = 400.0
# The PCS names its grid and load counters without the `e` prefix the other families use.
PCS_SITE_FLOWS = {"grid": "import", "load": "load", "toGrid": "export"}


def pcs_record(s: DeviceSample) -> JsonObject:
    """PCS: `bvpv`/`bipv` are battery V/A, `vacu`.. are output currents, `ppv` is in W."""
    battery = c.battery_power(s)
    bvpv = c.r1(768.0 * (0.95 + 0.001 * s.soc) + s.wiggle("bvpv", 0.5))
    grid = c.grid_power(s)
    phase_amps = abs(battery) * 1000.0 / (math.sqrt(3) * LINE_VOLTS)
    return {
        "bactivePower": c.r2(grid),
        "bapparentPower": c.r2(abs(grid) * 1.02),
        "breactivePower": c.r2(abs(grid) * 0.2),
        "bipv": c.amps(abs(battery), bvpv),
        "bvpv": bvpv,
        "capacity": c.r1(s.soc),
        **c.energy(s, c.BATTERY_FLOWS | PCS_SITE_FLOWS),
        **c.minutes_today(s, c.BATTERY_FLOWS),
        "gridFreq": c.r2(c.NOMINAL_GRID_HZ + s.wiggle("gridFreq", 0.04)),
        "loadActivePower": c.r2(s.load),
        "lost": False,
        "pacToBattery": c.r2(-battery),
        "pcsActivePower": c.r2(battery),
        "pf": round(0.99 + s.wiggle("pf", 0.009), 3),
        "ppv": round(s.pv * 1000),
        "status": 2,
        "time": s.time_text,
        "vacFrequency": c.r2(c.NOMINAL_GRID_HZ + s.wiggle("vacFrequency", 0.03)),
        # Output phase currents follow the battery power; idle means exactly zero.
        **{
            name: c.r1(phase_amps + s.wiggle(name, 0.2) if phase_amps else 0.0)
            for name in ("vacu", "vacv", "vacw")
        },
        **c.readings(s, ("vacuv", "vacvw", "vacwu"), LINE_VOLTS, 2.0),
        **c.inverter_temps(s, battery, battery * 0.6),
        **c.unknown_fields(s),
    }


def pbd_record(s: DeviceSample) -> JsonObject:
    """PBD: five PV inputs in kW, total `ppv` in W; keys run from `bipvBuck1` to `vpv5`."""
    powers = c.split_shares(s.pv, s, (0.21, 0.2, 0.2, 0.2, 0.19))
    record: JsonObject = {
        "bvbus": c.r1(750.0 + s.wiggle("bvbus", 3.0)),
        "bvout": c.r1(768.0 * (0.95 + 0.001 * s.soc) + s.wiggle("bvout", 0.5)),
        **c.energy(s, c.BATTERY_FLOWS | {"epv": "pv"}),
        **c.energy(s, {"eout": "pv"}, PBD_EFFICIENCY),
        **c.minutes_today(s, {"echarge": "charge"}),
        "lost": False,
        "pbdOutPower": c.r2(s.pv * PBD_EFFICIENCY),
        "ppv": round(s.pv * 1000),
        "status": 2 if s.pv > 0.01 else 0,
        "temp": c.module_temp(s, "temp", s.pv),
        "time": s.time_text,
        **c.unknown_fields(s),
    }
    for n, power in enumerate(powers, start=1):
        volts = c.string_volts(s, power, f"vpv{n}")
        current = c.amps(power, volts)
        record[f"bipvBuck{n}"] = current
        record[f"ipv{n}"] = current
        record[f"ppv{n}"] = c.r2(power)
        record[f"vpv{n}"] = volts
    return record
