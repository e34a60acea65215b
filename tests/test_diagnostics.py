"""Diagnostics carry the raw payloads, never the token, coordinates or whole serial numbers."""

from __future__ import annotations

import json
from typing import Any

from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from .conftest import TOKEN, Simulator, SimulatorFactory, add_entry_for


async def test_diagnostics_are_redacted_and_complete(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    setup_entry: MockConfigEntry,
    simulator: Simulator,
) -> None:
    """Raw payloads of every device are there; secrets are not."""
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, setup_entry)
    text = json.dumps(diagnostics)
    assert TOKEN not in text
    assert diagnostics["entry"]["data"]["token"] == "**REDACTED**"
    for device in simulator.devices():
        assert device["deviceSn"] not in text
    plants = {plant["plantId"]: plant for plant in diagnostics["plants"]}
    assert set(plants) == set(simulator.plant_ids())
    for plant_id, plant in plants.items():
        place = simulator.state.account.plants[plant_id]
        assert (plant["plantLat"], plant["plantLng"]) == ("**REDACTED**", "**REDACTED**")
        assert plant["plantName"] == place.info["plantName"]  # the rest of the plant is there
        for coordinate in (place.lat, place.lng):
            assert str(coordinate) not in json.dumps(plant)
    devices = diagnostics["devices"]
    assert len(devices) == len(simulator.devices())
    for device in devices.values():
        assert device["realtime"]["payload"]
        assert device["settings"]["payload"]
        assert device["writes_left"] == 10
        # one poll so far: the upload phase is not known yet, the next poll is a plain interval
        polling = device["realtime"]["polling"]
        assert polling["polls"] == 1
        assert polling["timed_to_uploads"] is False
        assert polling["seconds_after_record_time"] is None
        assert polling["next_poll_in_s"] == 300


async def test_the_token_inside_free_text_is_redacted_too(
    hass: HomeAssistant, hass_client: ClientSessionGenerator, start_simulator: SimulatorFactory
) -> None:
    """A cloud that echoes the token in a URL or a message: no key names it, the text is scrubbed."""
    echo = f"https://cloud.example/api/v1/hps/data-last?token={TOKEN}&lang=en"

    def echo_token(path: str, body: Any) -> Any:
        if path.endswith("/data-last") and isinstance(body.get("data"), dict):
            body["data"]["requestUrl"] = echo
            body["data"]["remark"] = f"token {TOKEN} expires soon"
        return body

    sim = await start_simulator(rewrite=echo_token)
    entry = add_entry_for(hass, sim)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, entry)
    text = json.dumps(diagnostics)
    assert TOKEN not in text
    payloads = [d["realtime"]["payload"] for d in diagnostics["devices"].values()]
    echoed = [p for p in payloads if p and "requestUrl" in p]
    assert echoed, "the echoed texts reached the diagnostics"
    for payload in echoed:
        # the rest of the text is kept: only the token goes
        assert payload["requestUrl"] == echo.replace(TOKEN, "**REDACTED**")
        assert payload["remark"] == "token **REDACTED** expires soon"
