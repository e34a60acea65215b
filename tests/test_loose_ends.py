"""Small promises that once were broken: the read-back retry log, the quality-scale claims, the
README's use cases, and time zones resolved once instead of in entity properties."""

from __future__ import annotations

from datetime import timedelta
import logging
from pathlib import Path
from typing import Any
from unittest.mock import patch

from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
import yaml

from custom_components.atess.api import OperationKind, get_operation
from custom_components.atess.const import SETTINGS_RETRY

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


def test_quality_scale_entity_event_setup_is_done() -> None:
    """Entities subscribe in async_added_to_hass and unsubscribe with async_on_remove."""
    rules = yaml.safe_load(
        (ROOT / "custom_components/atess/quality_scale.yaml").read_text(encoding="utf-8")
    )["rules"]
    assert rules["entity-event-setup"] == "done"
    for path in (ROOT / "custom_components/atess").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        if "async_added_to_hass" in source and "add_listener" in source:
            assert "async_on_remove" in source, path.name


def test_the_readme_has_worked_use_cases() -> None:
    """docs-use-cases: a section with a worked example for each promised use."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Use cases", 1)[1].split("\n## ", 1)[0]
    for topic in ("Tariff charging", "Storm reserve", "Export limit", "Alerts"):
        assert f"**{topic}" in section, topic
    assert section.count("```yaml") >= 4
