"""Config flow: user, plants, reauth, reconfigure and options, with every error and recovery.

Onboarding a fresh account and the DataLog options are in tests/test_onboarding.py.
"""

from __future__ import annotations

import re
from unittest.mock import patch

from homeassistant.config_entries import SOURCE_USER
from homeassistant.const import CONF_TOKEN, CONF_URL
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker
from yarl import URL

from custom_components.atess.account import CONF_PLANT_IDS
from custom_components.atess.api import AtessClient
from custom_components.atess.config_flow import url_error
from custom_components.atess.const import CONF_HISTORY_DAYS, CONF_PLANTS, DEFAULT_URL, DOMAIN

from .conftest import TOKEN, Simulator, SimulatorFactory
from .flow_helpers import past_energy_step

CLOSED_PORT_URL = "http://127.0.0.1:9"


def user_input(token: str, url: str | None = None) -> dict[str, object]:
    """The user step's input: the token, and the URL in the folded 'advanced' section."""
    return {CONF_TOKEN: token, "advanced": {CONF_URL: url} if url else {}}


async def _start_user_flow(hass: HomeAssistant) -> str:
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "user"
    return result["flow_id"]


async def test_user_flow_single_plant_creates_entry(
    hass: HomeAssistant, simulator: Simulator
) -> None:
    """One plant: no plant step; token and URL stored under CONF_TOKEN and CONF_URL."""
    flow_id = await _start_user_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        flow_id, user_input(f"  {TOKEN} ", simulator.url + "/")
    )
    result = await past_energy_step(hass, result)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"] == {
        CONF_TOKEN: TOKEN,
        CONF_URL: simulator.url,
        CONF_PLANT_IDS: simulator.plant_ids(),
    }
    assert result["options"] == {CONF_PLANTS: simulator.plant_ids()}
    assert result["result"].unique_id == simulator.plant_ids()[0]


async def test_user_flow_defaults_to_the_production_url(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """Without a URL the token goes to the production server, and the entry keeps its URL.

    The production server is answered by a mock of Home Assistant's HTTP session: the tests
    never reach the internet.
    """
    aioclient_mock.get(
        re.compile("^" + re.escape(DEFAULT_URL) + "/"),
        json={"code": 0, "msg": "success", "data": [{"plantId": 1001, "plantName": "Home"}]},
    )
    flow_id = await _start_user_flow(hass)
    with patch("custom_components.atess.async_setup_entry", return_value=True):
        result = await hass.config_entries.flow.async_configure(flow_id, user_input(TOKEN))
        result = await past_energy_step(hass, result)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"] == {
        CONF_TOKEN: TOKEN,
        CONF_URL: "https://www.enerclo-atesspower.com",
        CONF_PLANT_IDS: ["1001"],
    }
    [(method, url, _, headers)] = aioclient_mock.mock_calls
    assert method == "GET"
    assert url.origin() == URL("https://www.enerclo-atesspower.com")
    assert url.path.endswith("/plant/list")
    assert headers["Authorization"] == TOKEN


async def test_user_flow_shows_unknown_for_a_surprise(
    hass: HomeAssistant, simulator: Simulator, caplog: pytest.LogCaptureFixture
) -> None:
    """An unexpected error while checking the token shows 'unknown' on the same form, logs the
    error with its traceback (what an owner can report), and the same flow then goes on.

    Nothing the simulator can answer makes the client raise outside its error tree, so the
    surprise is patched in; everything asserted is the flow's own behaviour.
    """
    flow_id = await _start_user_flow(hass)
    with patch.object(AtessClient, "async_validate", side_effect=RuntimeError("boom")):
        result = await hass.config_entries.flow.async_configure(
            flow_id, user_input(TOKEN, simulator.url)
        )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "user"
    assert result["errors"] == {"base": "unknown"}
    schema_keys = {str(key) for key in result["data_schema"].schema}
    assert schema_keys == {CONF_TOKEN, "advanced"}
    [logged] = [r for r in caplog.records if r.name.startswith("custom_components.atess")]
    assert logged.levelname == "ERROR"
    assert logged.exc_info is not None
    assert isinstance(logged.exc_info[1], RuntimeError)
    assert TOKEN not in caplog.text
    # the surprise has passed: the same form, submitted again, creates the entry
    result = await hass.config_entries.flow.async_configure(
        flow_id, user_input(TOKEN, simulator.url)
    )
    result = await past_energy_step(hass, result)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"] == {
        CONF_TOKEN: TOKEN,
        CONF_URL: simulator.url,
        CONF_PLANT_IDS: simulator.plant_ids(),
    }


async def test_user_flow_several_plants_lets_the_user_choose(
    hass: HomeAssistant, start_simulator: SimulatorFactory
) -> None:
    """Several plants: a plant step, all ticked by default; an empty choice is refused."""
    sim = await start_simulator(plants=2)
    flow_id = await _start_user_flow(hass)
    result = await hass.config_entries.flow.async_configure(flow_id, user_input(TOKEN, sim.url))
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "plants"
    result = await hass.config_entries.flow.async_configure(flow_id, {CONF_PLANTS: []})
    assert result["errors"] == {"base": "no_plant_selected"}
    chosen = sim.plant_ids()[1]
    result = await hass.config_entries.flow.async_configure(flow_id, {CONF_PLANTS: [chosen]})
    result = await past_energy_step(hass, result)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["options"] == {CONF_PLANTS: [chosen]}
    assert result["result"].unique_id == account_id_of(sim)


def account_id_of(sim: Simulator) -> str:
    """The smallest plant id, numerically."""
    return min(sim.plant_ids(), key=int)


@pytest.mark.parametrize(
    ("token", "url", "error"),
    [
        ("wrong-token", None, "invalid_auth"),
        ("bad\u00e9token", None, "invalid_auth"),
        (TOKEN, CLOSED_PORT_URL, "cannot_connect"),
        (TOKEN, "http://192.0.2.10:8900", "insecure_url"),
        (TOKEN, "ftp://example.com", "invalid_url"),
        (TOKEN, "http://[::1", "invalid_url"),
    ],
)
async def test_user_flow_errors_then_recovers(
    hass: HomeAssistant, simulator: Simulator, token: str, url: str | None, error: str
) -> None:
    """Each error shows the form again with its key; a good token then creates the entry."""
    flow_id = await _start_user_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        flow_id, user_input(token, url or simulator.url)
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": error}
    result = await hass.config_entries.flow.async_configure(
        flow_id, user_input(TOKEN, simulator.url)
    )
    result = await past_energy_step(hass, result)
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_user_flow_cloud_error_is_cannot_connect(
    hass: HomeAssistant, simulator: Simulator
) -> None:
    """An error envelope from the cloud reads as 'cannot connect', not as a crash."""
    simulator.state.set_faults(error_rate=1.0)
    flow_id = await _start_user_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        flow_id, user_input(TOKEN, simulator.url)
    )
    assert result["errors"] == {"base": "cannot_connect"}


async def test_user_flow_offers_to_create_a_plant_when_there_is_none(
    hass: HomeAssistant, start_simulator: SimulatorFactory
) -> None:
    """A token that sees no plant leads to the plant form (tests/test_onboarding.py goes on)."""
    sim = await start_simulator(plants=0)
    flow_id = await _start_user_flow(hass)
    result = await hass.config_entries.flow.async_configure(flow_id, user_input(TOKEN, sim.url))
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "create_plant"
    assert sim.plant_ids() == []


async def test_user_flow_aborts_for_an_account_already_configured(
    hass: HomeAssistant, simulator: Simulator, config_entry: MockConfigEntry
) -> None:
    """The same account (same smallest plant) cannot be added twice."""
    flow_id = await _start_user_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        flow_id, user_input(TOKEN, simulator.url)
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"


async def test_reauth_takes_a_new_token(
    hass: HomeAssistant, start_simulator: SimulatorFactory
) -> None:
    """Reauth: a wrong token is refused; the account's new token replaces the old one."""
    sim = await start_simulator(token="new-token")
    entry = MockConfigEntry(
        domain=DOMAIN,
        data={CONF_TOKEN: "old-token", CONF_URL: sim.url},
        options={CONF_PLANTS: sim.plant_ids()},
        unique_id=sim.plant_ids()[0],
    )
    entry.add_to_hass(hass)
    result = await entry.start_reauth_flow(hass)
    assert result["step_id"] == "reauth_confirm"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_TOKEN: "still-wrong"}
    )
    assert result["errors"] == {"base": "invalid_auth"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_TOKEN: "new-token"}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    assert entry.data == {
        CONF_TOKEN: "new-token",
        CONF_URL: sim.url,
        CONF_PLANT_IDS: sim.plant_ids(),
    }


async def test_reauth_refuses_another_account(hass: HomeAssistant, simulator: Simulator) -> None:
    """A token that cannot see the entry's plant belongs to another account."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        data={CONF_TOKEN: "old", CONF_URL: simulator.url},
        unique_id="some-other-plant",
    )
    entry.add_to_hass(hass)
    result = await entry.start_reauth_flow(hass)
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {CONF_TOKEN: TOKEN})
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wrong_account"
    assert entry.data[CONF_TOKEN] == "old"


async def test_reconfigure_changes_token_and_url(
    hass: HomeAssistant, simulator: Simulator, start_simulator: SimulatorFactory
) -> None:
    """Reconfigure: errors show on the form; a good token and URL replace the old ones."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        data={CONF_TOKEN: TOKEN, CONF_URL: CLOSED_PORT_URL},
        options={CONF_PLANTS: simulator.plant_ids()},
        unique_id=simulator.plant_ids()[0],
    )
    entry.add_to_hass(hass)
    result = await entry.start_reconfigure_flow(hass)
    assert result["step_id"] == "reconfigure"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_TOKEN: TOKEN, CONF_URL: CLOSED_PORT_URL}
    )
    assert result["errors"] == {"base": "cannot_connect"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_TOKEN: TOKEN, CONF_URL: simulator.url}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert entry.data == {
        CONF_TOKEN: TOKEN,
        CONF_URL: simulator.url,
        CONF_PLANT_IDS: simulator.plant_ids(),
    }


async def test_reconfigure_refuses_another_account(
    hass: HomeAssistant, simulator: Simulator
) -> None:
    """Reconfigure to a server whose plants differ aborts and changes nothing."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        data={CONF_TOKEN: TOKEN, CONF_URL: DEFAULT_URL},
        unique_id="another",
    )
    entry.add_to_hass(hass)
    result = await entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_TOKEN: TOKEN, CONF_URL: simulator.url}
    )
    assert result["reason"] == "wrong_account"
    assert entry.data[CONF_URL] == DEFAULT_URL


async def test_options_change_the_plant_selection(
    hass: HomeAssistant, start_simulator: SimulatorFactory
) -> None:
    """Options list the account's plants; an empty choice is refused; a choice is stored."""
    sim = await start_simulator(plants=2)
    entry = MockConfigEntry(
        domain=DOMAIN,
        data={CONF_TOKEN: TOKEN, CONF_URL: sim.url},
        options={CONF_PLANTS: sim.plant_ids()},
        unique_id=account_id_of(sim),
    )
    entry.add_to_hass(hass)
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert result["type"] is FlowResultType.MENU
    assert result["menu_options"] == [
        "plants",
        "totals",
        "plant_settings",
        "add_datalog",
        "remove_datalog",
        "energy_dashboard",
    ]
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"next_step_id": "plants"}
    )
    assert result["type"] is FlowResultType.FORM
    result = await hass.config_entries.options.async_configure(result["flow_id"], {CONF_PLANTS: []})
    assert result["errors"] == {"base": "no_plant_selected"}
    keep = sim.plant_ids()[:1]
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {CONF_PLANTS: keep, CONF_HISTORY_DAYS: 14}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert entry.options == {CONF_PLANTS: keep, CONF_HISTORY_DAYS: 14}


async def test_options_abort_when_the_cloud_is_unreachable(
    hass: HomeAssistant, socket_enabled: None
) -> None:
    """Without the plant list there is nothing to choose from, in any of the options."""
    entry = MockConfigEntry(
        domain=DOMAIN, data={CONF_TOKEN: TOKEN, CONF_URL: CLOSED_PORT_URL}, unique_id="1"
    )
    entry.add_to_hass(hass)
    for step in ("plants", "add_datalog", "remove_datalog"):
        result = await hass.config_entries.options.async_init(entry.entry_id)
        result = await hass.config_entries.options.async_configure(
            result["flow_id"], {"next_step_id": step}
        )
        assert result["type"] is FlowResultType.ABORT
        assert result["reason"] == "cannot_connect"


@pytest.mark.parametrize(
    ("url", "error"),
    [
        ("https://www.enerclo-atesspower.com", None),
        ("http://127.0.0.1:8900", None),
        ("http://localhost:8900", None),
        ("http://[::1]:8900", None),
        ("http://cloud.example.com", "insecure_url"),
        ("http://10.0.0.2", "insecure_url"),
        ("example.com", "invalid_url"),
    ],
)
def test_url_error(url: str, error: str | None) -> None:
    """The token goes only over https, or over http to this machine."""
    assert url_error(url) == error
