"""Small promises that once were broken: the read-back retry log, the quality-scale claims, the
README's use cases, and time zones resolved once instead of in entity properties."""

from __future__ import annotations

from datetime import timedelta
import logging
from pathlib import Path
from typing import Any
from unittest.mock import patch

from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
import yaml

from custom_components.atess.api import OperationKind, get_operation
from custom_components.atess.const import DOMAIN, SETTINGS_RETRY
from custom_components.atess.runtime import AtessRuntimeData

from .conftest import Simulator, advance
from .test_write import readback, serial_of, set_number, setting_entity

ROOT = Path(__file__).resolve().parents[1]


async def test_a_failed_read_back_says_when_it_retries_and_does(
    hass: HomeAssistant,
    setup_entry: MockConfigEntry,
    simulator: Simulator,
    freezer: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The log names the real retry delay, and the settings are asked again after it."""
    sn = serial_of(simulator, "hps_big")
    entity_id = setting_entity(hass, "number", sn, "chargeCutoffSoc")
    await set_number(hass, entity_id, 77)
    path = get_operation("hps_big", OperationKind.GET_SETTING).path
    simulator.answers[path] = (503, {"message": "unavailable"})
    with caplog.at_level(logging.WARNING):
        await readback(hass, freezer)
    minutes = int(SETTINGS_RETRY.total_seconds() // 60)
    assert f"retrying in {minutes} minutes" in caplog.text
    assert "hourly" not in caplog.text
    simulator.answers.clear()
    asked = simulator.state.stats()["requests"].get(f"GET {path}", 0)
    await advance(hass, freezer, SETTINGS_RETRY + timedelta(seconds=1))
    assert simulator.state.stats()["requests"].get(f"GET {path}", 0) == asked + 1
    assert float(hass.states.get(entity_id).state) == 77


async def test_entity_properties_never_resolve_a_time_zone(
    hass: HomeAssistant, setup_entry: MockConfigEntry, freezer: Any
) -> None:
    """Zones are resolved once per inventory (off the loop); states are written without them."""
    with patch("homeassistant.util.dt.get_time_zone") as blocking:
        await advance(hass, freezer, timedelta(minutes=5, seconds=1))
    blocking.assert_not_called()
    zone = setup_entry.runtime_data.inventory.data.zones
    assert zone, "the plant's zone was resolved at the inventory"
    timestamps = [
        s for s in hass.states.async_all("sensor") if s.entity_id.endswith("_data_updated")
    ]
    assert timestamps
    assert all(s.state not in ("unknown", "unavailable") for s in timestamps)


def _listening(runtime: AtessRuntimeData) -> dict[str, int]:
    """How many listeners each coordinator, the writer and the device announcer hold."""
    # none of them has a public count (a coordinator's contexts leave out most listeners)
    counts = {"inventory": len(runtime.inventory._listeners)}
    for sn, device in runtime.devices.items():
        counts[f"{sn} realtime"] = len(device.realtime._listeners)
        counts[f"{sn} settings"] = len(device.settings._listeners)
    counts["writer"] = sum(map(len, runtime.writer._listeners.values()))
    counts["new devices"] = len(runtime._listeners)
    return counts


async def test_entities_stop_listening_when_they_are_removed(
    hass: HomeAssistant, setup_entry: MockConfigEntry
) -> None:
    """entity-event-setup: what an entity subscribes to, it leaves when it is removed.

    A DataLog's connection sensor follows the records of every device behind it; removed on its
    own, it must leave each of them. Unloading the entry leaves no listener anywhere.
    """
    rules = yaml.safe_load(
        (ROOT / "custom_components/atess/quality_scale.yaml").read_text(encoding="utf-8")
    )["rules"]
    assert rules["entity-event-setup"] == "done"
    runtime: AtessRuntimeData = setup_entry.runtime_data
    before = _listening(runtime)
    assert all(before.values()), before
    datalog = next(iter(runtime.inventory.data.datalogs))
    behind = [sn for sn, device in runtime.devices.items() if device.ref.datalog_sn == datalog]
    assert behind
    registry = er.async_get(hass)
    entity_id = registry.async_get_entity_id("binary_sensor", DOMAIN, f"{datalog}_connection")
    assert entity_id is not None
    registry.async_remove(entity_id)
    await hass.async_block_till_done()
    assert hass.states.get(entity_id) is None
    after = _listening(runtime)
    expected = dict(before)
    for sn in behind:
        expected[f"{sn} realtime"] -= 1
    expected["inventory"] -= 1
    expected["new devices"] -= 1
    assert after == expected

    assert await hass.config_entries.async_unload(setup_entry.entry_id)
    await hass.async_block_till_done()
    left = {name: count for name, count in _listening(runtime).items() if count}
    assert left == {}


def test_the_readme_has_worked_use_cases() -> None:
    """docs-use-cases: a section with a worked example for each promised use."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Use cases", 1)[1].split("\n## ", 1)[0]
    for topic in ("Tariff charging", "Storm reserve", "Export limit", "Alerts"):
        assert f"**{topic}" in section, topic
    assert section.count("```yaml") >= 4
