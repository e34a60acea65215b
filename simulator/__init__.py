"""A simulator of the ATESS energy-storage cloud OpenAPI, for tests, demos and benchmarks.

It is an independent reading of the API documentation: it imports nothing from the integration.
"""

from __future__ import annotations

from simulator.cloud.state import SimulatorState
from simulator.config import FAULT_KNOBS, SimulatorConfig
from simulator.http.app import build_app
from simulator.http.app_keys import STATE_KEY
from simulator.model.kinds import DeviceKind

__all__ = [
    "FAULT_KNOBS",
    "STATE_KEY",
    "DeviceKind",
    "SimulatorConfig",
    "SimulatorState",
    "build_app",
]
