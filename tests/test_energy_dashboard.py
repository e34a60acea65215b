"""The Energy dashboard from the plant totals: appended to the owner's sources, never editing them.

The entry is loaded against the simulator; the plant total sensors are the platform's own, found
in the entity registry by their unique ids, and the preferences are Home Assistant's own
EnergyManager.
"""

from __future__ import annotations

import copy
from typing import Any

from homeassistant.components.energy.data import ENERGY_SOURCE_SCHEMA, async_get_manager
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.atess.compat import BATTERY_SOC, SOURCE_NAMES
from custom_components.atess.const import CONF_ENERGY_DASHBOARD, DOMAIN

from .conftest import TOKEN, Simulator, SimulatorFactory, add_entry_for
from .flow_helpers import options_step, past_energy_step
from .test_plant_totals import plant_sensor

POWER_KEYS = ("grid_power", "pv_power", "battery_power", "battery_soc")
OWNER_SOLAR = {
    "type": "solar",
    "stat_energy_from": "sensor.roof_pv_energy",
    "stat_rate": "sensor.roof_pv_power",
    "config_entry_solar_forecast": None,
}
OWNER_GRID = {
    "type": "grid",
    "stat_energy_from": "sensor.utility_meter_import",
    "stat_energy_to": "sensor.utility_meter_export",
    "stat_cost": None,
    "entity_energy_price": None,
    "number_energy_price": 0.31,
    "stat_compensation": None,
    "entity_energy_price_export": None,
    "number_energy_price_export": 0.08,
    "cost_adjustment_day": 0.5,
}
OWNER_DEVICES = [{"stat_consumption": "sensor.heat_pump_energy", "name": "Heat pump"}]


async def owner_setup(hass: HomeAssistant) -> None:
    """Preferences the owner made by hand: a solar source, a priced grid, a device."""
    manager = await async_get_manager(hass)
    await manager.async_update(
        {
            "energy_sources": [copy.deepcopy(OWNER_SOLAR), copy.deepcopy(OWNER_GRID)],  # type: ignore[list-item]
            "device_consumption": copy.deepcopy(OWNER_DEVICES),  # type: ignore[typeddict-item]
        }
    )


async def configure(hass: HomeAssistant, **data: Any) -> dict[str, Any]:
    response = await hass.services.async_call(
        DOMAIN, "configure_energy_dashboard", data, blocking=True, return_response=True
    )
    assert isinstance(response, dict)
    return response


async def prefs(hass: HomeAssistant) -> dict[str, Any]:
    manager = await async_get_manager(hass)
    assert manager.data is not None
    return copy.deepcopy(dict(manager.data))


@pytest.fixture
def plant_id(simulator: Simulator) -> str:
    [plant] = simulator.plant_ids()
    return plant


@pytest.fixture
async def loaded(hass: HomeAssistant, setup_entry: MockConfigEntry, plant_id: str) -> str:
    """The loaded entry's id; the platform has made its plant's total sensors."""
    assert all(plant_sensor(hass, plant_id, key) for key in POWER_KEYS)
    return setup_entry.entry_id


async def test_the_owners_entries_stay_and_each_plant_gets_solar_and_battery_once(
    hass: HomeAssistant, loaded: str, plant_id: str
) -> None:
    """Owner solar, priced grid and device kept byte for byte; calling again adds nothing."""
    await owner_setup(hass)
    before = await prefs(hass)

    first = await configure(hass, config_entry_id=loaded)
    after = await prefs(hass)
    assert after["energy_sources"][:2] == before["energy_sources"]
    assert after["device_consumption"] == OWNER_DEVICES
    ours = after["energy_sources"][2:]
    assert [s["type"] for s in ours] == ["solar", "battery"]
    assert ours == first["added"]
    # the owner's grid is kept and ours left out: the same connection would be counted twice
    assert first["owner_grid"] == ["sensor.utility_meter_import"]
    [plant] = first["plants"]
    assert plant["added"] == ["solar", "battery"]
    assert plant["left_out"] == ["grid"]

    second = await configure(hass, config_entry_id=loaded)
    assert second["added"] == []
    assert second["plants"][0]["already_configured"] == ["solar", "battery"]
    assert await prefs(hass) == after


async def test_an_empty_dashboard_gets_grid_solar_and_battery_with_power(
    hass: HomeAssistant, loaded: str, plant_id: str
) -> None:
    """Statistics from the plant, power for the live view; what the dashboard's own schema takes."""
    response = await configure(hass, config_entry_id=loaded, plant_id=plant_id)
    sources = (await prefs(hass))["energy_sources"]
    assert sources == response["added"]

    def entity(key: str) -> str | None:
        return plant_sensor(hass, plant_id, key)

    grid, solar, battery = sources
    assert grid["type"] == "grid"
    assert grid["stat_energy_from"] == f"atess:{plant_id}_grid_import_energy"
    assert grid["stat_energy_to"] == f"atess:{plant_id}_grid_export_energy"
    assert grid["stat_rate"] == grid["power_config"]["stat_rate"] == entity("grid_power")
    # the keys the dashboard's editor expects are there, set to nothing
    assert grid["number_energy_price"] is None
    assert grid["stat_compensation"] is None
    assert grid["cost_adjustment_day"] == 0
    assert solar["stat_energy_from"] == f"atess:{plant_id}_pv_energy"
    assert solar["stat_rate"] == entity("pv_power")
    assert battery["stat_energy_from"] == f"atess:{plant_id}_battery_discharge_energy"
    assert battery["stat_energy_to"] == f"atess:{plant_id}_battery_charge_energy"
    assert battery["stat_rate"] == entity("battery_power")
    assert ("stat_soc" in battery) is BATTERY_SOC
    if BATTERY_SOC:
        assert battery["stat_soc"] == entity("battery_soc")
    if SOURCE_NAMES:
        assert {s["name"] for s in sources} == {response["plants"][0]["name"]}
    assert ENERGY_SOURCE_SCHEMA(copy.deepcopy(sources)) == sources


async def test_an_extra_grid_is_added_beside_the_owners_when_asked(
    hass: HomeAssistant, loaded: str, plant_id: str
) -> None:
    """With `extra_grid` ours comes after the owner's grid, which is untouched."""
    await owner_setup(hass)
    response = await configure(hass, config_entry_id=loaded, extra_grid=True)
    sources = (await prefs(hass))["energy_sources"]
    assert sources[:2] == [OWNER_SOLAR, OWNER_GRID]
    assert [s["type"] for s in sources[2:]] == ["grid", "solar", "battery"]
    assert response["plants"][0]["left_out"] == []


async def test_a_source_the_owner_removed_comes_back_only_when_asked_again(
    hass: HomeAssistant, loaded: str
) -> None:
    """Sources are recognised one by one: the missing battery is added, the rest reported."""
    await configure(hass, config_entry_id=loaded)
    manager = await async_get_manager(hass)
    assert manager.data is not None
    kept = [s for s in manager.data["energy_sources"] if s["type"] != "battery"]
    await manager.async_update({"energy_sources": kept})
    response = await configure(hass, config_entry_id=loaded)
    assert [s["type"] for s in response["added"]] == ["battery"]
    assert response["plants"][0]["already_configured"] == ["grid", "solar"]


def disable_plant_sensors(hass: HomeAssistant, plant_id: str, keys: tuple[str, ...]) -> None:
    """The owner disabled these plant sensors (registered first when the platform has not)."""
    registry = er.async_get(hass)
    for key in keys:
        entity_id = registry.async_get_or_create(
            "sensor", DOMAIN, f"plant_{plant_id}_{key}"
        ).entity_id
        registry.async_update_entity(entity_id, disabled_by=er.RegistryEntryDisabler.USER)


async def test_plant_sensors_not_there_are_reported_and_their_sources_wait(
    hass: HomeAssistant, setup_entry: MockConfigEntry, plant_id: str
) -> None:
    """A kind whose power sensor is missing (here: disabled) waits; the others are added."""
    disable_plant_sensors(hass, plant_id, ("grid_power", "battery_power"))
    response = await configure(hass, config_entry_id=setup_entry.entry_id)
    [plant] = response["plants"]
    assert plant["added"] == ["solar"]
    assert plant["missing"] == [f"plant_{plant_id}_grid_power", f"plant_{plant_id}_battery_power"]


async def test_wrong_entry_or_plant_is_a_clear_error(
    hass: HomeAssistant, loaded: str, config_entry: MockConfigEntry
) -> None:
    """Unknown entry, unknown plant, unloaded entry: translated errors, the dashboard untouched."""
    with pytest.raises(ServiceValidationError) as err:
        await configure(hass, config_entry_id="nope")
    assert err.value.translation_key == "unknown_entry"
    with pytest.raises(ServiceValidationError) as err:
        await configure(hass, config_entry_id=loaded, plant_id="424242")
    assert err.value.translation_key == "unknown_plant"
    await hass.config_entries.async_unload(loaded)
    with pytest.raises(ServiceValidationError) as err:
        await configure(hass, config_entry_id=loaded)
    assert err.value.translation_key == "entry_not_loaded"
    assert (await async_get_manager(hass)).data is None


async def test_two_plants_get_their_own_sources(
    hass: HomeAssistant, start_simulator: SimulatorFactory, freezer: Any
) -> None:
    """Each plant of the entry: its own three sources, from its own statistics."""
    sim = await start_simulator(plants=2)
    entry = add_entry_for(hass, sim)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    response = await configure(hass, config_entry_id=entry.entry_id)
    stats = [s["stat_energy_from"] for s in response["added"]]
    assert stats == [
        f"atess:{pid}_{flow}"
        for pid in sim.plant_ids()
        for flow in ("grid_import_energy", "pv_energy", "battery_discharge_energy")
    ]


async def test_the_options_step_shows_what_is_added_then_adds_it(
    hass: HomeAssistant, loaded: str, plant_id: str
) -> None:
    """The form lists the statistics and offers the extra grid; submitting adds; again: nothing."""
    await owner_setup(hass)
    result = await options_step(hass, loaded, "energy_dashboard")
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "energy_dashboard"
    placeholders = result["description_placeholders"]
    assert f"atess:{plant_id}_pv_energy" in placeholders["added"]
    assert placeholders["owner_grid"] == "`sensor.utility_meter_import`"
    assert (await prefs(hass))["energy_sources"] == [OWNER_SOLAR, OWNER_GRID]  # nothing yet

    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"extra_grid": True}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "energy_dashboard_configured"
    assert result["description_placeholders"] == {"count": "3"}
    assert len((await prefs(hass))["energy_sources"]) == 5

    result = await options_step(hass, loaded, "energy_dashboard")
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "energy_dashboard_unchanged"
    await hass.config_entries.async_unload(loaded)
    result = await options_step(hass, loaded, "energy_dashboard")
    assert result["reason"] == "entry_not_loaded"


async def test_the_options_step_says_when_the_plant_sensors_are_not_there_yet(
    hass: HomeAssistant, setup_entry: MockConfigEntry, plant_id: str
) -> None:
    """Every plant sensor disabled: nothing to submit, the form says what it waits for."""
    disable_plant_sensors(hass, plant_id, POWER_KEYS)
    result = await options_step(hass, setup_entry.entry_id, "energy_dashboard")
    assert result["reason"] == "energy_dashboard_waiting"
    assert f"`plant_{plant_id}_pv_power`" in result["description_placeholders"]["missing"]
    assert (await async_get_manager(hass)).data is None


async def start_config_flow(hass: HomeAssistant, simulator: Simulator) -> dict[str, Any]:
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": "user"})
    return dict(
        await hass.config_entries.flow.async_configure(
            result["flow_id"], {"token": TOKEN, "advanced": {"url": simulator.url}}
        )
    )


async def test_the_config_flow_offers_the_dashboard_ticked_when_empty_and_does_it_once(
    hass: HomeAssistant, simulator: Simulator, plant_id: str, freezer: Any
) -> None:
    """Ticked on an empty dashboard; the setup adds the plant, then forgets the request."""
    result = await start_config_flow(hass, simulator)
    assert result["step_id"] == "energy"
    [field] = result["data_schema"].schema
    assert field.default() is True
    result = await past_energy_step(hass, result, add=True)  # type: ignore[arg-type]
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"][CONF_ENERGY_DASHBOARD] is True
    await hass.async_block_till_done()
    entry = hass.config_entries.async_get_entry(result["result"].entry_id)
    assert entry is not None
    assert entry.state is ConfigEntryState.LOADED
    sources = (await prefs(hass))["energy_sources"]
    assert [s["type"] for s in sources] == ["grid", "solar", "battery"]
    assert CONF_ENERGY_DASHBOARD not in entry.data


async def test_the_config_flow_box_is_unticked_when_the_owner_has_a_dashboard(
    hass: HomeAssistant, simulator: Simulator, freezer: Any
) -> None:
    """An owner's dashboard: unticked, and left alone when the box stays so."""
    await owner_setup(hass)
    result = await start_config_flow(hass, simulator)
    [field] = result["data_schema"].schema
    assert field.default() is False
    result = await past_energy_step(hass, result)  # type: ignore[arg-type]
    assert CONF_ENERGY_DASHBOARD not in result["data"]
    await hass.async_block_till_done()
    assert (await prefs(hass))["energy_sources"] == [OWNER_SOLAR, OWNER_GRID]


async def test_the_setup_keeps_the_request_while_a_plant_sensor_is_missing(
    hass: HomeAssistant, simulator: Simulator, plant_id: str, freezer: Any
) -> None:
    """A grid power sensor the owner disabled: no grid source, and the request stays."""
    er.async_get(hass).async_get_or_create(
        "sensor",
        DOMAIN,
        f"plant_{plant_id}_grid_power",
        disabled_by=er.RegistryEntryDisabler.USER,
    )
    result = await start_config_flow(hass, simulator)
    result = await past_energy_step(hass, result, add=True)  # type: ignore[arg-type]
    await hass.async_block_till_done()
    entry = hass.config_entries.async_get_entry(result["result"].entry_id)
    assert entry is not None
    assert entry.data[CONF_ENERGY_DASHBOARD] is True
    manager = await async_get_manager(hass)
    sources = manager.data["energy_sources"] if manager.data else []
    assert all(s["type"] != "grid" for s in sources)
