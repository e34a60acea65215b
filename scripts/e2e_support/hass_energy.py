"""The Energy dashboard: long-term statistics and the dashboard's preferences."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
import time
from typing import Any

from .hass_client import DOMAIN, HassApiError, HassClient


class HassEnergy(HassClient):
    """The recorder's statistic ids and the Energy dashboard's preferences."""

    async def statistic_ids(self, statistic_type: str = "sum") -> set[str]:
        """The long-term statistics the recorder knows, of one type."""
        return set(await self.statistics(statistic_type))

    async def statistics(self, statistic_type: str = "sum") -> dict[str, dict[str, Any]]:
        """The long-term statistics of one type: their metadata (name, unit...) by id."""
        found = await self.ws_call("recorder/list_statistic_ids", statistic_type=statistic_type)
        return {s["statistic_id"]: s for s in found}

    async def wait_statistics(self, wanted: set[str], within: float) -> dict[str, dict[str, Any]]:
        """The `sum` statistics once every one of `wanted` exists; HassApiError after `within` s."""
        deadline = time.monotonic() + within
        while not wanted <= set(statistics := await self.statistics()):
            if time.monotonic() > deadline:
                raise HassApiError(f"missing statistics {sorted(wanted - set(statistics))}")
            await asyncio.sleep(0.5)
        return statistics

    async def energy_prefs(self) -> dict[str, Any]:
        """The Energy dashboard's preferences (empty lists when it was never configured)."""
        async with self.websocket() as ws:
            try:
                prefs: dict[str, Any] = await ws.call("energy/get_prefs")
            except HassApiError as err:
                if "not_found" in str(err):
                    return {"energy_sources": [], "device_consumption": []}
                raise
            return prefs

    async def save_energy_prefs(self, prefs: Mapping[str, Any]) -> dict[str, Any]:
        """Store the Energy dashboard's preferences; what Home Assistant stored."""
        saved: dict[str, Any] = await self.ws_call("energy/save_prefs", **prefs)
        return saved

    async def configure_energy_dashboard(self, entry_id: str, **data: Any) -> dict[str, Any]:
        """The integration's action `atess.configure_energy_dashboard`: what it added."""
        result = await self.ws_call(
            "call_service",
            domain=DOMAIN,
            service="configure_energy_dashboard",
            service_data={"config_entry_id": entry_id, **data},
            return_response=True,
        )
        response: dict[str, Any] = result["response"]
        return response

    async def energy_validation(self) -> dict[str, Any]:
        """The Energy dashboard's own check of its sources (missing statistics, units...)."""
        result: dict[str, Any] = await self.ws_call("energy/validate")
        return result
