"""The plants' own options: the totals' sources, and modifying the plant in the cloud."""

from __future__ import annotations

from typing import Any

from aiohttp import web
from aiohttp.typedefs import Handler
from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import device_registry as dr
import pytest
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.atess.const import CONF_PLANTS, DOMAIN
from custom_components.atess.plant_rules import CONF_TOTAL_SOURCES

from .conftest import SimulatorFactory, add_entry_for
from .flow_helpers import account, options_step, suggested
from .test_plant_totals import CONVERTER_BATTERY, expected, load, plant_devices, settle, value

pytestmark = pytest.mark.freeze_time("2026-06-21 10:02:00+00:00")


@pytest.fixture
async def cloud(start_simulator: SimulatorFactory) -> Any:
    """The demo account, with a count of modify-plant requests and a switch to refuse them."""
    seen: dict[str, Any] = {"puts": 0, "refuse": None}

    @web.middleware
    async def plant_writes(request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.method == "PUT" and request.path.startswith("/api/v1/plant"):
            seen["puts"] += 1
            if seen["refuse"]:
                return web.json_response({"code": 500, "msg": seen["refuse"], "data": None})
        return await handler(request)

    simulator = await start_simulator(middlewares=[plant_writes])
    return simulator, seen


async def test_modify_the_plant_from_the_options(
    hass: HomeAssistant, cloud: Any, freezer: FrozenDateTimeFactory
) -> None:
    """Name, zone and power shown as the cloud has them; a summary; one PUT; the device renamed."""
    simulator, seen = cloud
    entry = await load(hass, simulator, freezer)
    [plant_id] = simulator.plant_ids()
    result = await options_step(hass, entry.entry_id, "plant_settings")
    assert result["step_id"] == "plant_edit"  # one plant: no question which
    assert suggested(result) == {
        "name": "Demo Plant",
        "time_zone": "Europe/Berlin",
        "nominal_power": 430.0,
    }
    flow_id = result["flow_id"]
    result = await hass.config_entries.options.async_configure(
        flow_id, {"name": "  ", "time_zone": "Europe/Berlin", "nominal_power": 430}
    )
    assert result["errors"] == {"name": "name_missing"}
    new = {"name": "Solar Farm", "time_zone": "Europe/Paris", "nominal_power": 1500}
    result = await hass.config_entries.options.async_configure(flow_id, new)
    assert result["step_id"] == "plant_confirm"
    changes = result["description_placeholders"]["changes"]
    assert "Demo Plant → **Solar Farm**" in changes
    assert "430 kW → **1500 kW**" in changes
    assert '"nominalPower": 1500000' in result["description_placeholders"]["body"]
    assert seen["puts"] == 0  # nothing sent before the confirmation

    result = await hass.config_entries.options.async_configure(flow_id, {})
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "plant_modified"
    assert seen["puts"] == 1
    info = simulator.state.account.plants[plant_id].info
    assert (info["plantName"], info["timezone"], info["nominalPower"]) == (
        "Solar Farm",
        "Europe/Paris",
        1500000,
    )
    await hass.async_block_till_done()
    device = dr.async_get(hass).async_get_device_by_identifier(
        (DOMAIN, f"plant_{plant_id}"), entry.entry_id
    )
    assert device is not None
    assert device.name == "Solar Farm"
    assert entry.options[CONF_PLANTS] == [plant_id]


async def test_a_refused_modification_shows_the_clouds_message(
    hass: HomeAssistant, cloud: Any
) -> None:
    """The cloud's msg on the form, the owner's input kept, the plant unchanged."""
    simulator, seen = cloud
    entry = add_entry_for(hass, simulator)
    seen["refuse"] = "plant name already used by another plant"
    result = await options_step(hass, entry.entry_id, "plant_settings")
    flow_id = result["flow_id"]
    new = {"name": "Solar Farm", "time_zone": "Europe/Paris", "nominal_power": 1500}
    await hass.config_entries.options.async_configure(flow_id, new)
    result = await hass.config_entries.options.async_configure(flow_id, {})
    assert result["step_id"] == "plant_edit"
    assert result["errors"] == {"base": "cloud_refused"}
    assert (
        "plant name already used by another plant" in result["description_placeholders"]["answer"]
    )
    assert suggested(result)["name"] == "Solar Farm"
    assert seen["puts"] == 1
    assert account(simulator)[0]["plantName"] == "Demo Plant"


async def test_two_plants_ask_which_one(
    hass: HomeAssistant, start_simulator: SimulatorFactory
) -> None:
    """With two plants the first question is which; the form then shows that plant."""
    simulator = await start_simulator(plants=2)
    entry = add_entry_for(hass, simulator)
    result = await options_step(hass, entry.entry_id, "plant_settings")
    assert result["step_id"] == "plant_settings"
    second = simulator.plant_ids()[1]
    result = await hass.config_entries.options.async_configure(result["flow_id"], {"plant": second})
    assert result["step_id"] == "plant_edit"
    assert suggested(result)["name"] == "Demo Plant 2"


async def test_battery_from_the_converters_chosen_in_the_options(
    hass: HomeAssistant,
    cloud: Any,
    freezer: FrozenDateTimeFactory,
    hass_client: ClientSessionGenerator,
) -> None:
    """The totals step stores the choice (keeping the plants); the reloaded totals follow it, and
    the diagnostics list the devices that feed each total."""
    simulator, _ = cloud
    entry = await load(hass, simulator, freezer)
    [plant_id] = simulator.plant_ids()
    result = await options_step(hass, entry.entry_id, "totals")
    assert suggested(result) == {"pv": None, "battery": None, "grid": None, "load": None}
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"pv": "auto", "battery": "converters", "grid": "auto", "load": "pcs"}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert entry.options[CONF_TOTAL_SOURCES] == {"battery": "converters", "load": "pcs"}
    assert entry.options[CONF_PLANTS] == [plant_id]
    await hass.async_block_till_done()
    await settle(hass, freezer)
    devices = plant_devices(entry, plant_id)
    assert value(hass, plant_id, "battery_charge_energy") == pytest.approx(
        expected(devices, "battery_charge_energy", CONVERTER_BATTERY), abs=0.01
    )
    pcs = next(d for d in devices if d.ref.kind == "pcs")
    assert value(hass, plant_id, "load_energy") == pytest.approx(
        float(pcs.realtime.data.raw["loadTotal"])  # type: ignore[union-attr]
    )

    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, entry)
    feeds = diagnostics["plant_totals"][plant_id]
    kinds = {d.sn[:-4]: str(d.ref.kind) for d in devices}  # serials are masked to their head
    assert feeds["battery_charge_energy"]["source"] == "converters"
    fed = sorted(kinds[sn.rstrip("*")] for sn in feeds["battery_charge_energy"]["devices"])
    assert fed == ["hps_big", "hps_small", "pbd", "pcs"]
    assert sorted(kinds[sn.rstrip("*")] for sn in feeds["pv_energy"]["devices"]) == [
        "hps_big",
        "hps_small",
        "pbd",
    ]
