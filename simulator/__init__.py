"""A simulator of the ATESS energy-storage cloud OpenAPI, for tests, demos and benchmarks.

It is an independent reading of the API documentation: it imports nothing from the integration.
"""

from __future__ import annotations

from simulator.app import build_app
from simulator.app_keys import STATE_KEY
from simulator.config import FAULT_KNOBS, SimulatorConfig
from simulator.kinds import DeviceKind
from simulator.state import SimulatorState

__all__ = [
    "FAULT_KNOBS",
    "STATE_KEY",
    "DeviceKind",
    "SimulatorConfig",
    "SimulatorState",
    "build_app",
]
