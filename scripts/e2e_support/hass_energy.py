"""The Energy dashboard: long-term statistics and the dashboard's preferences."""

from __future__ import annotations

from collections.abc import Mapping
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

    async def energy_validation(self) -> dict[str, Any]:
        """The Energy dashboard's own check of its sources (missing statistics, units...)."""
        result: dict[str, Any] = await self.ws_call("energy/validate")
        return result


def energy_preferences(
    serial: str, statistics: set[str], entity_ids: Mapping[str, str]
) -> dict[str, Any]:
    """Energy dashboard preferences for the lifetime counters of one HPS device.

    The counters come from the integration's external statistics `atess:<serial>_<field>`
    (hourly rows imported from the cloud's history, so the dashboard has bars from the first
    minute) when they exist, else from the sensors' own statistics (which start with the next
    full hour). Live power (`stat_rate`) comes from the power sensors, for the power graph.
    """

    def counter(field: str) -> str:
        external = f"{DOMAIN}:{serial.lower()}_{field.lower()}"
        if external in statistics:
            return external
        entity_id = entity_ids.get(f"{serial}_{field.lower()}")
        if entity_id is None:
            raise HassApiError(f"{serial} has neither a statistic nor a sensor for {field}")
        return entity_id

    def with_rate(source: dict[str, Any], field: str) -> dict[str, Any]:
        if entity_id := entity_ids.get(f"{serial}_{field.lower()}"):
            source["stat_rate"] = entity_id
        return source

    return {
        "energy_sources": [
            with_rate(
                {
                    "type": "grid",
                    "stat_energy_from": counter("egridTotal"),
                    "stat_energy_to": counter("etoGridTotal"),
                    "stat_cost": None,
                    "entity_energy_price": None,
                    "number_energy_price": None,
                    "stat_compensation": None,
                    "entity_energy_price_export": None,
                    "number_energy_price_export": None,
                    "cost_adjustment_day": 0,
                },
                "bactivePower",  # > 0 importing: the standard sign of a grid power sensor
            ),
            with_rate(
                {
                    "type": "solar",
                    "stat_energy_from": counter("epvTotal"),
                    "config_entry_solar_forecast": None,
                },
                "ppv1",  # total PV power of a central (HV) HPS
            ),
            with_rate(
                {
                    "type": "battery",
                    "stat_energy_from": counter("ebatDischargeTotal"),
                    "stat_energy_to": counter("ebatChargeTotal"),
                },
                "pac",  # > 0 discharging: the standard sign of a battery power sensor
            ),
        ],
        "device_consumption": [],
    }
