"""The realtime fields of the battery controllers: BCU (one rack) and MBMS (the master BMS).

Their OpenAPI keys are not known: these are the candidates of the ATESS app's BMS model (A), with
the energy counters by analogy (N). Evidence for every field: docs/fields.md#bms-bcu-and-mbms.
"""

from __future__ import annotations

from typing import Final

from ..codes import BATTERY_FLOW
from ..types import A, AtessSensorEntityDescription, N
from . import blocks
from .factories import energy_twins, enum
from .quantities import cell_voltage, current, soc, temperature, voltage

SENSORS: Final[tuple[AtessSensorEntityDescription, ...]] = (
    soc("soc", "state_of_charge", A),
    voltage("vbat", "battery_voltage", A),
    current("cbat", "battery_current", A),
    enum("batFlag", "battery_flow", A, BATTERY_FLOW),
    enum("sysStatus", "battery_system_flow", A, BATTERY_FLOW),
    # at rack level the cell extremes are the headline values: enabled
    *blocks.cell_extremes(diag=False),
    # the app's pre-formatted twins ("3.312", "25℃"), parsed to numbers
    cell_voltage.parsed("maxVoltStr", "max_cell_voltage_text", A),
    cell_voltage.parsed("minVoltStr", "min_cell_voltage_text", A),
    temperature.parsed("maxTempStr", "max_cell_temperature_text", A),
    temperature.parsed("minTempStr", "min_cell_temperature_text", A),
    *energy_twins("echarge", "battery_charge", N),
    *energy_twins("edischarge", "battery_discharge", N),
)
