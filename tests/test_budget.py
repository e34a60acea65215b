"""The write budget's own file, unreadable: the entry loads, and no device gets more than 10 writes
in 24 hours (what cannot be read counts as spent). The broken-JSON case with a real file is in
the real-`hass` test (tests/e2e), which overwrites the file while Home Assistant is stopped."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.atess.budget import STORAGE_KEY, UNKNOWN, WINDOW, WriteBudget

from .conftest import Simulator
from .test_write import serial_of


@pytest.mark.parametrize(
    "stored",
    [
        pytest.param(["SN1"], id="a list instead of an object"),
        pytest.param("garbage", id="a text"),
        pytest.param(None, id="null"),
    ],
)
async def test_a_budget_file_of_another_shape_counts_every_device_as_spent(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    freezer: FrozenDateTimeFactory,
    stored: Any,
) -> None:
    """Nothing can be read: every device has spent its 10 for 24 hours, and a restart agrees."""
    hass_storage[STORAGE_KEY] = {"version": 1, "data": stored}
    budget = WriteBudget(hass)
    await budget.async_load()
    if stored is None:  # an empty file is a budget never used
        assert budget.left("SN1") == 10
        return
    assert budget.left("SN1") == 0
    assert budget.left("ANY") == 0
    assert hass_storage[STORAGE_KEY]["data"][UNKNOWN]  # kept: a restart does not forget it
    again = WriteBudget(hass)
    await again.async_load()
    assert again.left("ANY") == 0
    freezer.tick(WINDOW - timedelta(seconds=1))
    assert again.left("ANY") == 0
    freezer.tick(timedelta(seconds=2))
    assert again.left("ANY") == 10


async def test_a_device_whose_entry_is_not_a_list_has_spent_its_writes(
    hass: HomeAssistant, hass_storage: dict[str, Any]
) -> None:
    """One device's entry unreadable: that device is spent; the others keep what they had."""
    now = "2026-01-01T00:00:00+00:00"
    hass_storage[STORAGE_KEY] = {
        "version": 1,
        "data": {"SN1": {"oops": 1}, "SN2": [now], "SN3": "2099-01-01T00:00:00+00:00"},
    }
    budget = WriteBudget(hass)
    await budget.async_load()
    assert budget.left("SN1") == 0
    assert budget.left("SN3") == 0
    assert budget.left("OTHER") == 10


async def test_the_entry_loads_with_an_unreadable_budget_and_refuses_writes(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    config_entry: MockConfigEntry,
    simulator: Simulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """The entry loads; a write is refused by the integration, the cloud never sees it."""
    hass_storage[STORAGE_KEY] = {"version": 1, "data": [1, 2, 3]}
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    assert config_entry.state is ConfigEntryState.LOADED
    sn = serial_of(simulator, "hps_big")
    device = config_entry.runtime_data.devices[sn]
    with pytest.raises(ServiceValidationError, match="10 setting writes"):
        await config_entry.runtime_data.writer.async_write(device, "chargeCutoffSoc", 77)
    assert simulator.state.stats()["writes_applied"] == {}
