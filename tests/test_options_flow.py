"""Options: the DataLogs of an entry's plants, attached and removed in the cloud, against the simulator.

The plant selection and history depth are tested in tests/test_config_flow.py.
"""

from __future__ import annotations

from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import CONF_TOKEN, CONF_URL
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.atess.api import AtessClient
from custom_components.atess.const import CONF_PLANTS, DOMAIN

from .conftest import TOKEN, Simulator, SimulatorFactory
from .flow_helpers import account, options_step, suggested

LOG_A = "TND0A00001"


async def test_options_attach_a_datalog(
    hass: HomeAssistant, simulator: Simulator, setup_entry: MockConfigEntry
) -> None:
    """Attach a DataLog to the entry's plant; a refusal shows the cloud's answer on the form."""
    plant_id = simulator.plant_ids()[0]
    result = await options_step(hass, setup_entry.entry_id, "add_datalog")
    assert suggested(result) == {"plant": None, "datalog_sn": None, "valid_code": None}
    flow_id = result["flow_id"]
    result = await hass.config_entries.options.async_configure(
        flow_id, {"plant": plant_id, "datalog_sn": " "}
    )
    assert result["errors"] == {"datalog_sn": "serial_missing"}
    attached = account(simulator)[0]["datalogs"][0]["dataLogSn"]
    result = await hass.config_entries.options.async_configure(
        flow_id, {"plant": plant_id, "datalog_sn": attached}
    )
    assert result["errors"] == {"base": "cloud_refused"}
    assert f"{attached} already exists" in result["description_placeholders"]["answer"]
    assert suggested(result)["datalog_sn"] == attached
    result = await hass.config_entries.options.async_configure(
        flow_id, {"plant": plant_id, "datalog_sn": LOG_A, "valid_code": "1234"}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "datalog_added"
    assert result["description_placeholders"] == {"sn": LOG_A}
    await hass.async_block_till_done()
    [plant] = account(simulator)
    assert LOG_A in [log["dataLogSn"] for log in plant["datalogs"]]
    assert setup_entry.state is ConfigEntryState.LOADED


async def test_options_remove_a_datalog_and_its_devices_leave(
    hass: HomeAssistant, simulator: Simulator, setup_entry: MockConfigEntry
) -> None:
    """The confirmation names the devices that leave; after the removal they are gone."""
    [plant] = account(simulator)
    log = next(log for log in plant["datalogs"] if log["devices"])
    serials = {device["deviceSn"] for device in log["devices"]}
    registry = dr.async_get(hass)
    for sn in serials:
        assert registry.async_get_device_by_identifier((DOMAIN, sn), setup_entry.entry_id)
    result = await options_step(hass, setup_entry.entry_id, "remove_datalog")
    assert result["step_id"] == "remove_datalog"
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"datalog_sn": log["dataLogSn"]}
    )
    assert result["step_id"] == "remove_datalog_confirm"
    placeholders = result["description_placeholders"]
    assert placeholders["count"] == str(len(serials))
    assert placeholders["plant"] == plant["plantName"]
    assert all(sn in placeholders["devices"] for sn in serials)
    result = await hass.config_entries.options.async_configure(result["flow_id"], {})
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "datalog_removed"
    await hass.async_block_till_done()
    [plant] = account(simulator)
    assert log["dataLogSn"] not in [other["dataLogSn"] for other in plant["datalogs"]]
    for sn in serials | {log["dataLogSn"]}:
        assert registry.async_get_device_by_identifier((DOMAIN, sn), setup_entry.entry_id) is None


async def test_options_removal_refused_stays_on_the_warning(
    hass: HomeAssistant, simulator: Simulator, config_entry: MockConfigEntry
) -> None:
    """A refused removal shows the cloud's answer; an entry never loaded has no devices to name."""
    sn = account(simulator)[0]["datalogs"][0]["dataLogSn"]
    result = await options_step(hass, config_entry.entry_id, "remove_datalog")
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"datalog_sn": sn}
    )
    assert result["description_placeholders"]["count"] == "0"
    simulator.state.set_faults(error_rate=1.0)
    result = await hass.config_entries.options.async_configure(result["flow_id"], {})
    assert result["step_id"] == "remove_datalog_confirm"
    assert result["errors"] == {"base": "cloud_refused"}
    assert "code 500: fail" in result["description_placeholders"]["answer"]
    assert sn in [log["dataLogSn"] for log in account(simulator)[0]["datalogs"]]


async def test_options_without_plants_or_datalogs_abort(
    hass: HomeAssistant, start_simulator: SimulatorFactory
) -> None:
    """An entry whose plants left the account cannot attach; a plant without DataLog has none."""
    sim = await start_simulator(plants=0)
    client = AtessClient(async_get_clientsession(hass), TOKEN, base_url=sim.url)
    await client.async_add_plant(plantName="Empty")
    entry = MockConfigEntry(
        domain=DOMAIN,
        data={CONF_TOKEN: TOKEN, CONF_URL: sim.url},
        options={CONF_PLANTS: ["gone"]},
        unique_id="gone",
    )
    entry.add_to_hass(hass)
    result = await options_step(hass, entry.entry_id, "add_datalog")
    assert result["reason"] == "no_plants"
    hass.config_entries.async_update_entry(entry, options={})
    result = await options_step(hass, entry.entry_id, "remove_datalog")
    assert result["reason"] == "no_datalogs"
