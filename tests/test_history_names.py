"""The imported statistics are listed under the names of the sensors they mirror, translated."""

from __future__ import annotations

from homeassistant.components.recorder import Recorder
from homeassistant.components.recorder.statistics import async_list_statistic_ids
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.recorder.common import (
    async_wait_recording_done,
)

from custom_components.atess.history import statistic_id

from .conftest import Simulator

pytestmark = pytest.mark.freeze_time("2026-06-21 10:02:00+00:00")


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(
    recorder_mock: Recorder, enable_custom_integrations: None
) -> None:
    """The recorder must be prepared before Home Assistant starts."""


@pytest.fixture
def language() -> str:
    """Home Assistant's language for the test."""
    return "en"


@pytest.fixture
def history_days() -> int:
    """One day of history lists every statistic (their names are what is checked here;
    tests/test_history.py holds the import of the default seven days to the cloud's counters)."""
    return 1


@pytest.fixture
def config_entry(
    hass: HomeAssistant, config_entry: MockConfigEntry, language: str
) -> MockConfigEntry:
    """The demo entry, with Home Assistant set to the test's language before setup."""
    hass.config.language = language
    return config_entry


@pytest.mark.parametrize(
    ("language", "label"),
    [
        ("en", "Battery charged total"),
        ("zh-Hans", "电池累计充电量"),
        ("xx", "Battery charged total"),
    ],
)
async def test_statistics_carry_the_sensors_translated_names(
    hass: HomeAssistant, setup_entry: MockConfigEntry, simulator: Simulator, label: str
) -> None:
    """'HPS150HV TND0J58009 Battery charged total', in the owner's language; ids unchanged."""
    await hass.async_block_till_done(wait_background_tasks=True)
    await async_wait_recording_done(hass)
    device = next(d for d in simulator.devices() if d["kind"] == "hps_big")
    stat_id = statistic_id(device["deviceSn"], "ebatChargeTotal")
    assert stat_id == f"atess:{device['deviceSn'].lower()}_ebatchargetotal"
    listed = {s["statistic_id"]: s for s in await async_list_statistic_ids(hass)}
    assert listed[stat_id]["name"] == f"{device['model']} {device['deviceSn']} {label}"
    # no statistic is listed by a raw cloud key
    for stat in listed.values():
        if stat["statistic_id"].startswith("atess:"):
            assert not stat["name"].endswith(("Total", "Today")), stat["name"]
