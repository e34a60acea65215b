"""The realtime fields of the battery controllers: BCU (one rack) and MBMS (the master BMS).

Their OpenAPI keys are not known: these are the candidates of the ATESS app's BMS model (A), with
the energy counters by analogy (N). Evidence for every field: docs/fields.md#bms-bcu-and-mbms.
"""

from __future__ import annotations

from typing import Final

from ..codes import BATTERY_FLOW
from ..types import A, N
from .blocks import cell_extremes
from .converters import number_in_text
from .factories import Desc, current, energy, enum, soc, temperature, voltage

SENSORS: Final[tuple[Desc, ...]] = (
    soc("soc", "state_of_charge", A),
    voltage("vbat", "battery_voltage", A),
    current("cbat", "battery_current", A),
    enum("batFlag", "battery_flow", A, BATTERY_FLOW),
    enum("sysStatus", "battery_system_flow", A, BATTERY_FLOW),
    # at rack level the cell extremes are the headline values: enabled
    *cell_extremes(diag=False),
    # the app's pre-formatted twins ("3.312", "25℃"), parsed to numbers
    voltage("maxVoltStr", "max_cell_voltage_text", A, precision=3, value_fn=number_in_text),
    voltage("minVoltStr", "min_cell_voltage_text", A, precision=3, value_fn=number_in_text),
    temperature("maxTempStr", "max_cell_temperature_text", A, diag=False, value_fn=number_in_text),
    temperature("minTempStr", "min_cell_temperature_text", A, diag=False, value_fn=number_in_text),
    energy("echargeToday", "battery_charge_today", N, lifetime=False),
    energy("echargeTotal", "battery_charge_total", N, lifetime=True),
    energy("edischargeToday", "battery_discharge_today", N, lifetime=False),
    energy("edischargeTotal", "battery_discharge_total", N, lifetime=True),
)
