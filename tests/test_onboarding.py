"""Onboarding a fresh account in the config flow, and the DataLog options, against the simulator.

A fresh OpenAPI account is the simulator with no plant (`plants=0`): its add endpoints really
create the plant and attach the DataLogs, so each test checks the account afterwards. Where the
cloud must answer differently, a middleware rewrites the simulator's answer; paths come from the
client's endpoint table.
"""

from __future__ import annotations

from collections.abc import Callable
import logging
from typing import Any
from unittest.mock import patch

from homeassistant.config_entries import SOURCE_USER, ConfigEntryState
from homeassistant.const import CONF_NAME, CONF_TIME_ZONE, CONF_TOKEN, CONF_URL
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResult, FlowResultType
from homeassistant.helpers.aiohttp_client import async_get_clientsession
import pytest

from custom_components.atess.account import CONF_PLANT_IDS
from custom_components.atess.api import (
    AtessClient,
    AtessConnectionError,
    OperationKind,
    get_operation,
)
from custom_components.atess.const import CONF_PLANTS, DOMAIN
from custom_components.atess.onboarding import PlantRequest, created_plant_id

from .conftest import TOKEN, Simulator, SimulatorFactory
from .flow_helpers import account, past_energy_step, suggested

PLANT_ADD = get_operation(None, OperationKind.PLANT_ADD).path
PLANT_LIST = get_operation(None, OperationKind.PLANT_LIST).path
ROOF = {CONF_NAME: " Roof ", CONF_TIME_ZONE: "Asia/Shanghai", "nominal_power": 12.5}
LOG_A, LOG_B = "TND0A00001", "TND0B00002"


def datalog(sn: str, code: str | None = None, *, another: bool = False) -> dict[str, Any]:
    """The DataLog form's input."""
    values: dict[str, Any] = {"datalog_sn": sn, "add_another": another}
    if code is not None:
        values["valid_code"] = code
    return values


async def onboard(hass: HomeAssistant, sim: Simulator) -> str:
    """Start a config flow for the fresh account; it is at the plant form."""
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_TOKEN: TOKEN, "advanced": {CONF_URL: sim.url}}
    )
    assert result["step_id"] == "create_plant"
    return result["flow_id"]


async def to_confirm(hass: HomeAssistant, flow_id: str, *logs: dict[str, Any]) -> FlowResult:
    """Describe the plant ROOF and the DataLogs; the flow is at the confirm step."""
    result = await hass.config_entries.flow.async_configure(flow_id, ROOF)
    for values in logs:
        result = await hass.config_entries.flow.async_configure(flow_id, values)
    assert result["step_id"] == "onboard_confirm"
    return result


def rewriting(answers: dict[str, Callable[[dict[str, Any]], dict[str, Any]]]) -> Any:
    """A simulator rewrite: answers of the given paths pass through their function."""
    return lambda path, body: answers[path](body) if path in answers else body


async def test_fresh_account_gets_its_plant_and_datalogs_then_an_entry(
    hass: HomeAssistant, start_simulator: SimulatorFactory
) -> None:
    """Plant form, two DataLogs, a summary that sends nothing, then everything once and a setup."""
    sim = await start_simulator(plants=0)
    flow_id = await onboard(hass, sim)
    result = await hass.config_entries.flow.async_configure(flow_id, {**ROOF, CONF_NAME: "  "})
    assert result["errors"] == {CONF_NAME: "name_missing"}
    assert suggested(result)[CONF_TIME_ZONE] == "Asia/Shanghai"
    result = await hass.config_entries.flow.async_configure(flow_id, ROOF)
    assert result["step_id"] == "add_datalog"
    result = await hass.config_entries.flow.async_configure(
        flow_id, datalog(f" {LOG_A} ", " 1234 ", another=True)
    )
    assert result["step_id"] == "add_datalog"
    assert suggested(result)["datalog_sn"] is None
    for sn, error in ((" ", "serial_missing"), (LOG_A, "datalog_duplicate")):
        result = await hass.config_entries.flow.async_configure(flow_id, datalog(sn))
        assert result["errors"] == {"datalog_sn": error}
    result = await hass.config_entries.flow.async_configure(flow_id, datalog(LOG_B, "5678"))
    assert result["step_id"] == "onboard_confirm"
    assert result["description_placeholders"] == {
        "plant": '`{"plantName": "Roof", "timezone": "Asia/Shanghai", "nominalPower": 12500}`',
        "power": "12.5",
        "datalogs": f"- `{LOG_A}` · validCode `1234`\n- `{LOG_B}` · validCode `5678`",
    }
    assert account(sim) == []  # nothing is sent before the owner confirms

    result = await hass.config_entries.flow.async_configure(flow_id, {})
    result = await past_energy_step(hass, result)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    [plant] = account(sim)
    assert plant["plantName"] == "Roof"
    assert plant["timezone"] == "Asia/Shanghai"
    client = AtessClient(async_get_clientsession(hass), TOKEN, base_url=sim.url)
    [read_back] = await client.async_get_plants()
    assert read_back.nominal_power_w == 12500  # read as the plant sensor reads it: 12.5 kW
    assert [log["dataLogSn"] for log in plant["datalogs"]] == [LOG_A, LOG_B]
    entry = result["result"]
    assert entry.unique_id == plant["plantId"]
    assert entry.options == {CONF_PLANTS: [plant["plantId"]]}
    assert entry.data == {
        CONF_TOKEN: TOKEN,
        CONF_URL: sim.url,
        CONF_PLANT_IDS: [str(plant["plantId"])],
    }
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED


async def test_the_plant_form_suggests_home_assistants_time_zone(
    hass: HomeAssistant, start_simulator: SimulatorFactory
) -> None:
    """The zone list holds every IANA zone; Home Assistant's own is pre-selected."""
    sim = await start_simulator(plants=0)
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_TOKEN: TOKEN, "advanced": {CONF_URL: sim.url}}
    )
    assert suggested(result)[CONF_TIME_ZONE] == hass.config.time_zone
    zone_selector = result["data_schema"].schema[CONF_TIME_ZONE]
    assert {"Asia/Shanghai", "Europe/Berlin", hass.config.time_zone} <= set(
        zone_selector.config["options"]
    )


async def test_a_refused_datalog_comes_back_with_the_clouds_answer(
    hass: HomeAssistant, start_simulator: SimulatorFactory, caplog: pytest.LogCaptureFixture
) -> None:
    """An unknown serial: the cloud refuses; its msg is shown and logged, the plant kept."""
    sim = await start_simulator(dialects=frozenset({"fresh-account"}))
    flow_id = await onboard(hass, sim)
    await to_confirm(hass, flow_id, datalog(LOG_A))
    with caplog.at_level(logging.INFO, logger="custom_components.atess"):
        result = await hass.config_entries.flow.async_configure(flow_id, {})
    assert result["step_id"] == "add_datalog"
    assert result["errors"] == {"base": "cloud_refused"}
    assert f"DataLog {LOG_A} does not exist" in result["description_placeholders"]["answer"]
    assert f"DataLog {LOG_A} does not exist" in caplog.text
    assert suggested(result)["datalog_sn"] == LOG_A
    [plant] = account(sim)
    assert plant["datalogs"] == []

    stocked = sim.state.inventory()["stock"][0]
    sn, code = stocked["dataLogSn"], stocked["validCode"]
    result = await hass.config_entries.flow.async_configure(flow_id, datalog(sn, code))
    placeholders = result["description_placeholders"]
    assert f"✓ plantId `{plant['plantId']}`" in placeholders["plant"]
    assert placeholders["datalogs"] == f"- `{sn}` · validCode `{code}`"
    result = await hass.config_entries.flow.async_configure(flow_id, {})
    result = await past_energy_step(hass, result)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    [plant] = account(sim)  # the plant was not created twice
    assert [log["dataLogSn"] for log in plant["datalogs"]] == [sn]


async def test_a_refused_plant_comes_back_with_the_clouds_answer_and_the_input(
    hass: HomeAssistant, start_simulator: SimulatorFactory
) -> None:
    """The cloud refuses the plant: its form again, filled in; resubmitting goes to the summary."""
    sim = await start_simulator(plants=0)
    flow_id = await onboard(hass, sim)
    await to_confirm(hass, flow_id, datalog(LOG_A, "1234"))
    sim.state.set_faults(error_rate=1.0)
    result = await hass.config_entries.flow.async_configure(flow_id, {})
    assert result["step_id"] == "create_plant"
    assert result["errors"] == {"base": "cloud_refused"}
    assert "code 500: fail" in result["description_placeholders"]["answer"]
    assert suggested(result) == {
        CONF_NAME: "Roof",
        CONF_TIME_ZONE: "Asia/Shanghai",
        "nominal_power": 12.5,
    }
    assert account(sim) == []

    sim.state.set_faults(error_rate=0.0)
    result = await hass.config_entries.flow.async_configure(flow_id, {**ROOF, CONF_NAME: "Roof 2"})
    assert result["step_id"] == "onboard_confirm"  # the DataLog is still known
    result = await hass.config_entries.flow.async_configure(flow_id, {})
    result = await past_energy_step(hass, result)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "ATESS Roof 2"
    [plant] = account(sim)
    assert [log["dataLogSn"] for log in plant["datalogs"]] == [LOG_A]


async def test_a_plant_answer_without_id_is_found_by_name(
    hass: HomeAssistant, start_simulator: SimulatorFactory
) -> None:
    """The docs do not say what add-plant answers: without an id, the plant list names it."""
    sim = await start_simulator(
        plants=0, rewrite=rewriting({PLANT_ADD: lambda body: {**body, "data": None}})
    )
    flow_id = await onboard(hass, sim)
    await to_confirm(hass, flow_id, datalog(LOG_A, "1234"))
    result = await hass.config_entries.flow.async_configure(flow_id, {})
    result = await past_energy_step(hass, result)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    [plant] = account(sim)
    assert [log["dataLogSn"] for log in plant["datalogs"]] == [LOG_A]


@pytest.mark.parametrize("answer_has_id", [True, False])
async def test_a_plant_the_list_does_not_show_aborts(
    hass: HomeAssistant, start_simulator: SimulatorFactory, answer_has_id: bool
) -> None:
    """A cloud that creates the plant but does not list it (yet): say so instead of an entry."""
    answers = {PLANT_LIST: lambda body: {**body, "data": {"datas": []}}}
    if not answer_has_id:
        answers[PLANT_ADD] = lambda body: {**body, "data": None}
    sim = await start_simulator(plants=0, rewrite=rewriting(answers))
    flow_id = await onboard(hass, sim)
    await to_confirm(hass, flow_id, datalog(LOG_A, "1234"))
    result = await hass.config_entries.flow.async_configure(flow_id, {})
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "plant_not_listed"
    assert len(account(sim)) == 1


async def test_a_failing_plant_list_after_sending_is_retried_without_resending(
    hass: HomeAssistant, start_simulator: SimulatorFactory
) -> None:
    """The list fails after everything was accepted: retrying only lists again."""
    failing = {"on": False}

    def plant_list(body: dict[str, Any]) -> dict[str, Any]:
        return {"code": 500, "msg": "busy", "data": None} if failing["on"] else body

    def plant_add(body: dict[str, Any]) -> dict[str, Any]:
        failing["on"] = True
        return body

    sim = await start_simulator(
        plants=0, rewrite=rewriting({PLANT_LIST: plant_list, PLANT_ADD: plant_add})
    )
    flow_id = await onboard(hass, sim)
    await to_confirm(hass, flow_id, datalog(LOG_A, "1234"))
    result = await hass.config_entries.flow.async_configure(flow_id, {})
    assert result["step_id"] == "onboard_confirm"
    assert result["errors"] == {"base": "cannot_connect"}
    assert result["description_placeholders"]["datalogs"] == f"- `{LOG_A}` · validCode `1234` ✓"
    failing["on"] = False
    result = await hass.config_entries.flow.async_configure(flow_id, {})
    result = await past_energy_step(hass, result)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    [plant] = account(sim)
    assert [log["dataLogSn"] for log in plant["datalogs"]] == [LOG_A]


@pytest.mark.parametrize("method", ["async_add_plant", "async_add_datalog"])
async def test_a_lost_connection_keeps_the_summary(
    hass: HomeAssistant, start_simulator: SimulatorFactory, method: str
) -> None:
    """A request that does not reach the cloud is not a refusal: the summary stays, to retry."""
    sim = await start_simulator(plants=0)
    flow_id = await onboard(hass, sim)
    await to_confirm(hass, flow_id, datalog(LOG_A, "1234"))
    with patch.object(AtessClient, method, side_effect=AtessConnectionError("unreachable")):
        result = await hass.config_entries.flow.async_configure(flow_id, {})
    assert result["step_id"] == "onboard_confirm"
    assert result["errors"] == {"base": "cannot_connect"}
    result = await hass.config_entries.flow.async_configure(flow_id, {})
    result = await past_energy_step(hass, result)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    [plant] = account(sim)
    assert [log["dataLogSn"] for log in plant["datalogs"]] == [LOG_A]


@pytest.mark.parametrize(
    ("answer", "plant_id"),
    [
        ({"plantId": 1005, "plantName": "Roof"}, "1005"),
        ({"id": "77"}, "77"),
        ({"plantName": "Roof"}, None),
        ("1006", "1006"),
        (1007, "1007"),
        (" ", None),
        (True, None),
        (None, None),
        ([], None),
    ],
)
def test_created_plant_id_reads_what_the_answer_names(answer: Any, plant_id: str | None) -> None:
    """An object with an id, or the bare id; anything else names no plant."""
    assert created_plant_id(answer) == plant_id


def test_the_plant_body_sends_watts() -> None:
    """The plant object is read in watts, so nominalPower is sent in watts."""
    body = PlantRequest(name="Roof", timezone="UTC", nominal_power_kw=0.25).body
    assert body == {"plantName": "Roof", "timezone": "UTC", "nominalPower": 250}
