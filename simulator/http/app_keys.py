"""The typed application key under which the simulator keeps its state."""

from __future__ import annotations

from aiohttp import web

from simulator.cloud.state import SimulatorState

STATE_KEY: web.AppKey[SimulatorState] = web.AppKey("simulator_state", SimulatorState)
