"""Helpers of the flow tests: what a form shows pre-filled, what the simulated account holds."""

from __future__ import annotations

from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResult, FlowResultType

from .conftest import Simulator


def suggested(result: FlowResult) -> dict[str, Any]:
    """The values a form shows pre-filled."""
    return {
        str(key): (key.description or {}).get("suggested_value")
        for key in result["data_schema"].schema
    }


def account(sim: Simulator) -> list[dict[str, Any]]:
    """The simulated account's plants, each with its datalogs (and their devices)."""
    return list(sim.state.inventory()["plants"])


async def options_step(hass: HomeAssistant, entry_id: str, step: str) -> FlowResult:
    """Open the options and pick `step` from their menu."""
    result = await hass.config_entries.options.async_init(entry_id)
    return await hass.config_entries.options.async_configure(
        result["flow_id"], {"next_step_id": step}
    )


async def past_energy_step(
    hass: HomeAssistant, result: FlowResult, *, add: bool = False
) -> FlowResult:
    """Answer the config flow's last step, the Energy dashboard offer (not taken by default)."""
    assert result["type"] is FlowResultType.FORM, result
    assert result["step_id"] == "energy"
    return await hass.config_entries.flow.async_configure(
        result["flow_id"], {"energy_dashboard": add}
    )
