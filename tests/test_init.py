"""The integration loads and unloads in a real Home Assistant core."""

from __future__ import annotations

from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import CONF_TOKEN
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.atess.const import DOMAIN


async def test_entry_loads_and_unloads(hass: HomeAssistant) -> None:
    """A config entry reaches LOADED, then NOT_LOADED after unload."""
    entry = MockConfigEntry(domain=DOMAIN, data={CONF_TOKEN: "t"}, unique_id="acct")
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    assert await hass.config_entries.async_unload(entry.entry_id)
    assert entry.state is ConfigEntryState.NOT_LOADED
