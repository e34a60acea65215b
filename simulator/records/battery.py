"""Records of the battery controllers: BCU (one rack) and MBMS (master over the racks)."""

from __future__ import annotations

from simulator.jsontypes import JsonObject
from simulator.model.sample import DeviceSample
from simulator.records import common as c

# LFP rack: 240 cells in series, 3.05 V empty to 3.45 V full (linear is close enough here).
CELLS_IN_SERIES = 240
BMS_HOLD, BMS_CHARGING, BMS_DISCHARGING = 0, 4, 5


def battery_record(s: DeviceSample) -> JsonObject:
    """BCU/MBMS: `soc` %, `vbat` V, `cbat` A (magnitude; `batFlag` -1 charging, 1 discharging)."""
    power = c.battery_power(s)
    cell = 3.05 + 0.004 * s.soc
    vbat = CELLS_IN_SERIES * cell
    if power > 0.001:
        flag, status = 1, BMS_DISCHARGING
    elif power < -0.001:
        flag, status = -1, BMS_CHARGING
    else:
        flag, status = 0, BMS_HOLD
    warm = min(1.0, abs(power) / max(s.device.scale * 0.5, 0.001))
    return {
        "batFlag": flag,
        "cbat": c.r1(abs(power) * 1000.0 / vbat),
        **c.energy(s, c.BATTERY_FLOWS),
        "lost": False,
        "maxTemp": c.r1(s.ambient + 6.0 + 8.0 * warm + s.wiggle("maxTemp", 0.4)),
        "maxVolt": round(cell + 0.015 + s.wiggle("maxVolt", 0.004), 3),
        "minTemp": c.r1(s.ambient + 3.0 + 4.0 * warm + s.wiggle("minTemp", 0.4)),
        "minVolt": round(cell - 0.015 + s.wiggle("minVolt", 0.004), 3),
        "soc": c.r1(s.soc),
        "status": status,
        "time": s.time_text,
        "vbat": c.r2(vbat + s.wiggle("vbat", 0.3)),
        **c.unknown_fields(s),
    }
