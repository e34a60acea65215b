"""Start the ATESS simulator and a real Home Assistant; onboard it and set the integration up.

Shared by `scripts/develop`, `scripts/screenshots` and `tests/e2e/`: everything goes through
Home Assistant's REST and websocket APIs, exactly as a user in the browser would.
"""

from .hass_api import DemoUser, HassApi, HassApiError, is_number
from .processes import (
    DEMO_TOKEN,
    REPO,
    Child,
    free_port,
    link_custom_components,
    port_in_use,
    start_hass,
    start_simulator,
    write_minimal_config,
)
from .sim_api import SimDevice, SimulatorApi

__all__ = [
    "DEMO_TOKEN",
    "REPO",
    "Child",
    "DemoUser",
    "HassApi",
    "HassApiError",
    "SimDevice",
    "SimulatorApi",
    "free_port",
    "is_number",
    "link_custom_components",
    "port_in_use",
    "start_hass",
    "start_simulator",
    "write_minimal_config",
]
