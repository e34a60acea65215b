"""The owner's language inside a real Home Assistant: names, states, a repair, a statistic.

Home Assistant is set to German (and, the same test, French) before the entry is set up
against the simulator. Entity names come out of translations/<lang>.json through Home
Assistant's own translation cache (`has_entity_name` + `translation_key`); enum states and
repair issues are stored as keys and rendered by the frontend from the same cache, so they are
rendered here the way the frontend does it: with `async_get_translations` for that language.
"""

from __future__ import annotations

from homeassistant.components.recorder import Recorder
from homeassistant.components.recorder.statistics import async_list_statistic_ids
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er, issue_registry as ir
from homeassistant.helpers.translation import async_get_translations
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.recorder.common import (
    async_wait_recording_done,
)

from custom_components.atess.const import DOMAIN
from custom_components.atess.history import statistic_id

from .conftest import Simulator
from .test_write import set_number, setting_entity

pytestmark = pytest.mark.freeze_time("2026-06-21 10:02:00+00:00")

# What an owner reads, per language: written out by hand, not read from the files under test.
EXPECTED = {
    "de": {
        "state_of_charge": "Ladezustand",
        "charge_cutoff_soc": "Ladeschluss-SOC",
        "status": "Zustand",
        "status_states": {
            "waiting": "Warten",
            "on_grid": "Netzparallelbetrieb",
            "off_grid": "Inselbetrieb",
            "fault": "Fehler",
        },
        "issue_title": "{device} hat seine täglichen Schreibvorgänge für Einstellungen verbraucht",
        "issue_start": "Die ATESS-Cloud erlaubt 10 Änderungen an Einstellungen pro Gerät und Tag",
        "statistic": "Batterieladung gesamt",
    },
    "fr": {
        "state_of_charge": "État de charge",
        "charge_cutoff_soc": "SOC de fin de charge",
        "status": "État",
        "status_states": {
            "waiting": "En attente",
            "on_grid": "Sur réseau",
            "off_grid": "Hors réseau",
            "fault": "Défaut",
        },
        "issue_title": "{device} a utilisé ses écritures de paramètres du jour",
        "issue_start": "Le cloud ATESS autorise 10 modifications de paramètres par appareil",
        "statistic": "Batterie chargée au total",
    },
}


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(
    recorder_mock: Recorder, enable_custom_integrations: None
) -> None:
    """The recorder must be prepared before Home Assistant starts (the statistics need it)."""


@pytest.fixture(params=sorted(EXPECTED))
def language(request: pytest.FixtureRequest) -> str:
    """The owner's language."""
    return str(request.param)


@pytest.fixture
def history_days() -> int:
    """One day of history is enough to name the statistics (and keeps the test quick)."""
    return 1


@pytest.fixture
def config_entry(
    hass: HomeAssistant, config_entry: MockConfigEntry, language: str
) -> MockConfigEntry:
    """The demo entry, with Home Assistant in the owner's language before setup."""
    hass.config.language = language
    return config_entry


async def test_the_owner_reads_the_integration_in_their_language(
    hass: HomeAssistant, setup_entry: MockConfigEntry, simulator: Simulator, language: str
) -> None:
    """A central HPS: translated entity names and enum states, repair issue and statistic."""
    want = EXPECTED[language]
    await hass.async_block_till_done(wait_background_tasks=True)
    device = next(d for d in simulator.devices() if d["kind"] == "hps_big")
    sn = device["deviceSn"]
    registry = er.async_get(hass)
    device_name = f"{device['model']} {sn}"

    # entity names on the device, as Home Assistant composes them (device name + entity name)
    def friendly_name(platform: str, unique_id: str) -> str:
        entity_id = registry.async_get_entity_id(platform, DOMAIN, unique_id)
        assert entity_id, unique_id
        state = hass.states.get(entity_id)
        assert state is not None, entity_id
        return str(state.attributes["friendly_name"])

    assert friendly_name("sensor", f"{sn}_capacity") == f"{device_name} {want['state_of_charge']}"
    assert friendly_name("sensor", f"{sn}_status") == f"{device_name} {want['status']}"
    soc_limit = setting_entity(hass, "number", sn, "chargeCutoffSoc")
    soc_state = hass.states.get(soc_limit)
    assert soc_state is not None
    assert soc_state.attributes["friendly_name"] == f"{device_name} {want['charge_cutoff_soc']}"

    # enum states: the state is the option key; the frontend shows the translated label
    entity = registry.async_get(str(registry.async_get_entity_id("sensor", DOMAIN, f"{sn}_status")))
    assert entity is not None
    assert entity.translation_key == "status"
    status = hass.states.get(entity.entity_id)
    assert status is not None
    labels = await async_get_translations(hass, language, "entity", {DOMAIN})
    english = await async_get_translations(hass, "en", "entity", {DOMAIN})
    prefix = f"component.{DOMAIN}.entity.sensor.status.state"
    for option, label in want["status_states"].items():
        assert option in status.attributes["options"]
        assert labels[f"{prefix}.{option}"] == label
    # the state the device is in right now reads in the owner's language too
    shown = labels[f"{prefix}.{status.state}"]
    assert shown not in {"", status.state, english[f"{prefix}.{status.state}"]}

    # a repair issue: spend the day's 10 writes
    for value in range(60, 70):
        await set_number(hass, soc_limit, value)
    issue = ir.async_get(hass).async_get_issue(DOMAIN, f"write_quota_spent_{sn}")
    assert issue is not None
    assert issue.translation_key == "write_quota_spent"
    placeholders = issue.translation_placeholders or {}
    texts = await async_get_translations(hass, language, "issues", {DOMAIN})
    title = texts[f"component.{DOMAIN}.issues.write_quota_spent.title"].format(**placeholders)
    description = texts[f"component.{DOMAIN}.issues.write_quota_spent.description"]
    # the repair names the device as the device page does
    assert placeholders["device"] == device_name
    assert title == want["issue_title"].format(device=placeholders["device"])
    assert description.format(**placeholders).startswith(want["issue_start"])
    assert placeholders["next_write"] in description.format(**placeholders)

    # the long-term statistic imported from the cloud's history carries the translated name
    await hass.async_block_till_done(wait_background_tasks=True)
    await async_wait_recording_done(hass)
    listed = {s["statistic_id"]: s for s in await async_list_statistic_ids(hass)}
    stat = listed[statistic_id(sn, "ebatChargeTotal")]
    assert stat["name"] == f"{device_name} {want['statistic']}"
