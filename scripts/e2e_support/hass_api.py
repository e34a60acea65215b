"""Drive a running Home Assistant over its REST and websocket APIs, as the frontend would.

Onboarding, login, the ATESS config flow, the registries, states, actions and the Energy
dashboard's preferences: everything `scripts/develop`, `scripts/screenshots` and the end-to-end
tests need, and nothing that touches Home Assistant's files directly (so the instance is set up
exactly as a user clicking through the UI would set it up). One topic per module, combined here:

- `hass_client`: REST requests, login, the websocket (`HassClient`, `HassWebSocket`);
- `hass_setup`: start-up, onboarding, the `http:` settings, config entries (`HassSetup`);
- `hass_states`: states, registries, actions (`HassStates`);
- `hass_energy`: statistics and the Energy dashboard and the integration's action that fills it (`HassEnergy`).
"""

from __future__ import annotations

from .hass_client import DOMAIN, DemoUser, HassApiError, HassClient, HassWebSocket, is_number
from .hass_energy import HassEnergy
from .hass_setup import ONLINE_ONBOARDING_DOMAINS, HassSetup
from .hass_states import HassStates

__all__ = [
    "DOMAIN",
    "ONLINE_ONBOARDING_DOMAINS",
    "DemoUser",
    "HassApi",
    "HassApiError",
    "HassClient",
    "HassWebSocket",
    "is_number",
]


class HassApi(HassSetup, HassStates, HassEnergy):
    """A client of one Home Assistant instance with every topic's calls."""
