"""A fresh OpenAPI account, as the simulator's `fresh-account` dialect plays it, set up from Home
Assistant alone: plant created, both DataLogs attached, and every device behind them appears."""

from __future__ import annotations

from homeassistant.config_entries import SOURCE_USER, ConfigEntryState
from homeassistant.const import CONF_NAME, CONF_TIME_ZONE, CONF_TOKEN, CONF_URL
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import device_registry as dr

from custom_components.atess.const import DOMAIN

from .conftest import TOKEN, SimulatorFactory
from .flow_helpers import past_energy_step


async def test_a_fresh_account_ends_with_every_device_of_its_datalogs(
    hass: HomeAssistant, start_simulator: SimulatorFactory
) -> None:
    """The docs' steps 2-3 from the config flow, then a normal setup with all devices."""
    sim = await start_simulator(dialects=frozenset({"fresh-account"}))
    stock = sim.state.inventory()["stock"]
    assert sim.state.inventory()["plants"] == []
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_TOKEN: TOKEN, "advanced": {CONF_URL: sim.url}}
    )
    assert result["step_id"] == "create_plant"
    flow_id = result["flow_id"]
    result = await hass.config_entries.flow.async_configure(
        flow_id, {CONF_NAME: "Farm", CONF_TIME_ZONE: "Europe/Berlin", "nominal_power": 150}
    )
    for index, log in enumerate(stock):
        assert result["step_id"] == "add_datalog"
        result = await hass.config_entries.flow.async_configure(
            flow_id,
            {
                "datalog_sn": log["dataLogSn"],
                "valid_code": log["validCode"],
                "add_another": index < len(stock) - 1,
            },
        )
    assert result["step_id"] == "onboard_confirm"
    result = await hass.config_entries.flow.async_configure(flow_id, {})
    result = await past_energy_step(hass, result)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    entry = result["result"]
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    expected = {d["deviceSn"] for log in stock for d in log["devices"]}
    assert set(entry.runtime_data.devices) == expected
    registry = dr.async_get(hass)
    for sn in expected:
        assert registry.async_get_device_by_identifier((DOMAIN, sn), entry.entry_id) is not None
    for device in entry.runtime_data.devices.values():
        assert device.realtime.data is not None, device.ref.kind
