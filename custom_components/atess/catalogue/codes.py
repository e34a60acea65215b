"""The code lists: what the cloud's status, mode and flag numbers mean.

Realtime lists map a code to the option a sensor shows; setting lists map the option a select
offers to the value written. Where each list comes from: docs/fields.md#code-lists.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

# HPS/PCS running state, input register 180
RUN_STATE: Final[Mapping[int, str]] = {
    0: "waiting",
    1: "self_check",
    2: "on_grid",
    3: "fault",
    4: "permanent_fault",
    5: "off_grid",
    6: "single_pv",
    7: "to_off_grid",
    8: "to_on_grid",
}
# PBD running state, input register 206 (that `status` carries it is an inference)
PBD_STATE: Final[Mapping[int, str]] = {
    0: "hold",
    1: "check",
    2: "run",
    3: "error",
    4: "permanent_error",
    6: "single_pv",
}
# HPS/PCS operating mode, input register 192 (that `runModel` carries it is an inference)
RUN_MODE: Final[Mapping[int, str]] = {
    0: "peak",
    1: "flat",
    2: "valley",
    3: "diesel_generator",
    4: "battery_first",
    5: "load_first",
    6: "peak_shaving",
    7: "time_schedule",
    8: "ems",
    9: "dc_source",
    10: "manual_dispatch",
    11: "battery_protect",
    12: "backup_power",
    13: "pcs_dispatch",
    14: "forced_charging",
    15: "smart_meter",
    16: "bat_smart_meter",
    17: "grid_access_control",
}
# the app's flow-diagram flags: -1 / 0 / 1
BATTERY_FLOW: Final[Mapping[int, str]] = {-1: "charging", 0: "idle", 1: "discharging"}
GRID_FLOW: Final[Mapping[int, str]] = {-1: "importing", 0: "idle", 1: "exporting"}
ON_OFF: Final[Mapping[int, str]] = {0: "off", 1: "on"}

# --- settings: option -> value written ----------------------------------------------------------

OFF_ON: Final[Mapping[str, int]] = {"off": 0, "on": 1}

# work-mode setting, holding register H26
WORK_MODES: Final[Mapping[str, int]] = {
    "load_first": 0,
    "battery_first": 1,
    "economy": 2,
    "peak_shaving": 3,
    "time_schedule": 4,
    "manual_dispatch": 5,
    "battery_protect": 6,
    "backup_power": 7,
    "constant_power_discharge": 8,
    "forced_charging": 9,
    "smart_meter": 10,
    "bat_smart_meter": 11,
    "grid_access_control": 12,
}
