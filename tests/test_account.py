"""What belongs to the account beyond one run of its entry: the cloud's quiet period, its plants.

A cloud that throttles gets no request before its Retry-After, counting Home Assistant's setup
retries and a reload. A renewed token is recognised by any plant the entry knows, even after the
plant whose id is the entry's unique id was deleted; that plant's devices leave by the usual
two-inventory rule.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from aiohttp import web
from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntryState
from homeassistant.const import CONF_TOKEN, CONF_URL
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import device_registry as dr
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.atess.account import CONF_PLANT_IDS
from custom_components.atess.const import CONF_PLANTS, DOMAIN, INVENTORY_INTERVAL

from .conftest import TOKEN, SimulatorFactory, add_entry_for, advance, run_until

RETRY_AFTER = 120


class Throttling:
    """A cloud that answers every API request with HTTP 429 and Retry-After while `on`."""

    def __init__(self) -> None:
        """Count every API request that reaches the cloud."""
        self.on = False
        self.requests = 0

    @web.middleware
    async def middleware(self, request: web.Request, handler: Any) -> web.StreamResponse:
        """Answer 429 while throttling; count the API's requests in any case."""
        if request.path.startswith("/api/"):
            self.requests += 1
            if self.on:
                return web.json_response(
                    {"code": 429, "msg": "Too Many Requests"},
                    status=429,
                    headers={"Retry-After": str(RETRY_AFTER)},
                )
        return await handler(request)


async def test_a_throttling_cloud_gets_no_request_before_its_retry_after(
    hass: HomeAssistant, start_simulator: SimulatorFactory, freezer: Any
) -> None:
    """429 with Retry-After 120 for 150 s, across setup retries and a reload: 2 requests."""
    cloud = Throttling()
    sim = await start_simulator(middlewares=[cloud.middleware])
    entry = add_entry_for(hass, sim)
    cloud.on = True
    start = dt_util.utcnow()
    assert not await hass.config_entries.async_setup(entry.entry_id)
    assert entry.state is ConfigEntryState.SETUP_RETRY
    assert cloud.requests == 1
    # Home Assistant retries the setup after 5, 10, 20, 40 s; the owner reloads at 60 s
    await run_until(hass, freezer, start + timedelta(seconds=60))
    assert entry.state is ConfigEntryState.SETUP_RETRY
    assert cloud.requests == 1
    assert entry.reason is not None
    assert "asked for quiet until" in entry.reason
    await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert cloud.requests == 1
    await run_until(hass, freezer, start + timedelta(seconds=150))
    assert cloud.requests <= 2
    assert entry.state is ConfigEntryState.SETUP_RETRY

    # the cloud answers again: the entry loads at the next retry after the quiet period
    cloud.on = False
    await run_until(hass, freezer, start + timedelta(minutes=15))
    assert entry.state is ConfigEntryState.LOADED
    assert set(entry.runtime_data.devices) == {d["deviceSn"] for d in sim.devices()}


async def test_polls_of_every_device_wait_for_the_accounts_quiet_period(
    hass: HomeAssistant, start_simulator: SimulatorFactory, freezer: Any
) -> None:
    """A 429 silences the whole account: then one probe per Retry-After, not one per device."""
    cloud = Throttling()
    sim = await start_simulator(middlewares=[cloud.middleware], devices_per_kind=2)
    entry = add_entry_for(hass, sim)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    cloud.on = True
    start = dt_util.utcnow()
    asked = cloud.requests
    # every device polls within the next 5 minutes: the polls in flight together all meet it
    await run_until(hass, freezer, start + timedelta(minutes=5))
    assert cloud.requests > asked
    # from then on each device retries after the Retry-After, but one probe goes per period
    mark, window = cloud.requests, 10 * 60
    await run_until(hass, freezer, start + timedelta(minutes=5, seconds=window))
    assert 1 <= cloud.requests - mark <= window // RETRY_AFTER + 1
    assert len(entry.runtime_data.devices) > window // RETRY_AFTER + 1


async def test_a_renewed_token_after_the_first_plant_was_deleted_is_the_same_account(
    hass: HomeAssistant, start_simulator: SimulatorFactory, freezer: Any
) -> None:
    """Reauth accepts a token that sees the entry's other plant; the deleted plant's devices
    leave after two complete inventories, the other plant's stay."""
    renewed = {"on": False}

    @web.middleware
    async def renew(request: web.Request, handler: Any) -> web.StreamResponse:
        # the account's token was renewed: the old one is refused, the new one is the account's
        if renewed["on"] and request.path.startswith("/api/"):
            if request.headers.get("Authorization") != "renewed-token":
                return web.json_response({"code": 401, "msg": "token invalid"}, status=401)
            request = request.clone(headers={**request.headers, "Authorization": TOKEN})
        return await handler(request)

    sim = await start_simulator(plants=2, middlewares=[renew])
    first, second = sim.plant_ids()
    entry = add_entry_for(hass, sim)
    assert entry.unique_id == first
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.data[CONF_PLANT_IDS] == [first, second]  # 1.1 -> 1.2: known plants kept
    assert entry.minor_version == 2
    of_plant = {
        plant_id: {
            str(device["deviceSn"])
            for plant in sim.state.inventory()["plants"]
            if str(plant["plantId"]) == plant_id
            for log in plant["datalogs"]
            for device in log["devices"]
        }
        for plant_id in (first, second)
    }
    assert of_plant[first]
    assert of_plant[second]

    sim.state.delete_plant(sim.state.plant(first))
    renewed["on"] = True
    await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.SETUP_ERROR
    [flow] = hass.config_entries.flow.async_progress_by_handler(
        DOMAIN, match_context={"source": SOURCE_REAUTH}
    )
    result = await hass.config_entries.flow.async_configure(
        flow["flow_id"], {CONF_TOKEN: "renewed-token"}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    assert entry.unique_id == first  # stable: nothing the owner customised moves
    assert entry.data[CONF_TOKEN] == "renewed-token"
    assert set(entry.runtime_data.devices) >= of_plant[second]

    registry = dr.async_get(hass)

    def registered(serials: set[str]) -> set[str]:
        return {
            sn
            for sn in serials
            if registry.async_get_device_by_identifier((DOMAIN, sn), entry.entry_id)
        }

    # the first complete inventory without the plant keeps its devices; the second removes them
    assert registered(of_plant[first]) == of_plant[first]
    await advance(hass, freezer, INVENTORY_INTERVAL + timedelta(seconds=1))
    assert registered(of_plant[first]) == set()
    assert registered(of_plant[second]) == of_plant[second]
    assert entry.state is ConfigEntryState.LOADED


async def test_reconfigure_and_a_second_entry_know_the_account_by_any_of_its_plants(
    hass: HomeAssistant, start_simulator: SimulatorFactory
) -> None:
    """An entry whose unique id is a deleted plant: reconfigure accepts the account's token, and
    adding the same account again aborts."""
    sim = await start_simulator(plants=2)
    first, second = sim.plant_ids()
    entry = MockConfigEntry(
        domain=DOMAIN,
        version=1,
        minor_version=2,
        data={CONF_TOKEN: "old", CONF_URL: sim.url, CONF_PLANT_IDS: ["999", second]},
        options={CONF_PLANTS: ["999", second]},
        unique_id="999",  # the plant that was deleted
    )
    entry.add_to_hass(hass)
    result = await entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_TOKEN: TOKEN, CONF_URL: sim.url}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert entry.unique_id == "999"
    assert entry.data[CONF_PLANT_IDS] == sorted(["999", first, second])

    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": "user", "show_advanced_options": True}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_TOKEN: TOKEN, "advanced": {CONF_URL: sim.url}}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
