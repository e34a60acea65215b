"""The automation blueprints: valid for Home Assistant, and what each spends of the write budget.

Each blueprint runs as an automation in a real Home Assistant core with the integration loaded
against the simulator on loopback; the PUTs counted are those that reached the simulator.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path
import re
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components import persistent_notification
from homeassistant.components.automation.config import AUTOMATION_BLUEPRINT_SCHEMA
from homeassistant.components.blueprint import Blueprint
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import entity_registry as er
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util, yaml as yaml_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.atess.const import DOMAIN

from .conftest import Simulator, advance, run_until
from .test_write import put_count, serial_of, setting_entity, writes_to

BLUEPRINTS = Path(__file__).parent.parent / "blueprints" / "automation" / "ha-atess"
FILES = sorted(p.name for p in BLUEPRINTS.glob("*.yaml"))
# a weekday morning in the test zone (US/Pacific): every test stays within that calendar day
START = datetime.fromisoformat("2026-12-07T16:00:00+00:00")
# most of the device's 10 daily writes each blueprint may spend (its description says so)
WRITES_AT_MOST = {
    "alerts.yaml": 0,
    "negative_price_export_limit.yaml": 2,
    "storm_reserve.yaml": 2,
    "tariff_charging_hps.yaml": 2,
    "tariff_charging_pcs.yaml": 2,
}
SETTING_DOMAINS = {"number", "select", "text"}
IMPORT = "https://my.home-assistant.io/redirect/blueprint_import/"
RAW = "https://raw.githubusercontent.com/ha-atess/ha-atess/main"


def load(name: str) -> Blueprint:
    """A blueprint file, parsed and validated by Home Assistant's own blueprint schema."""
    data = yaml_util.load_yaml(BLUEPRINTS / name)
    return Blueprint(
        data, path=name, expected_domain="automation", schema=AUTOMATION_BLUEPRINT_SCHEMA
    )


def test_the_blueprints_are_valid_and_say_their_budget() -> None:
    """Home Assistant's schema accepts each; each states its budget and picks ATESS settings."""
    assert set(FILES) == set(WRITES_AT_MOST)
    for name in FILES:
        blueprint = load(name)
        assert blueprint.domain == "automation"
        metadata = blueprint.metadata
        assert metadata["source_url"].endswith(f"/main/blueprints/automation/ha-atess/{name}")
        description = " ".join(metadata["description"].split())
        spent = WRITES_AT_MOST[name]
        said = "none; it writes no setting" if spent == 0 else f"at most **{spent}** of"
        assert said in description, name
        assert "Guard" in description, name
        for key, spec in blueprint.inputs.items():
            entity = (spec or {}).get("selector", {}).get("entity")
            if entity is None:
                continue
            filters = entity.get("filter", [])
            domains = {d for f in filters for d in f.get("domain", [])}  # normalised to lists
            if domains & SETTING_DOMAINS:  # every setting is an ATESS entity
                assert all(f.get("integration") == DOMAIN for f in filters), (name, key)


def test_the_readme_links_every_blueprint() -> None:
    """Each blueprint has its one-click import link (its raw URL on the main branch)."""
    readme = (BLUEPRINTS.parents[2] / "README.md").read_text(encoding="utf-8")
    for name in FILES:
        link = f"{IMPORT}?blueprint_url={RAW}/blueprints/automation/ha-atess/{name})"
        assert link in readme, name


@pytest.fixture
def blueprints_in_config(hass: HomeAssistant, tmp_path: Path) -> None:
    """The repository's blueprints where an import by URL puts them: `ha-atess/<file>`."""
    folder = tmp_path / "blueprints" / "automation"
    folder.mkdir(parents=True)
    (folder / "ha-atess").symlink_to(BLUEPRINTS)
    hass.config.config_dir = str(tmp_path)


@pytest.fixture
async def loaded(
    hass: HomeAssistant,
    config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    blueprints_in_config: None,
) -> AsyncIterator[MockConfigEntry]:
    """The demo account loaded at START (time frozen first, as `setup_entry` does)."""
    freezer.move_to(START)
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    yield config_entry
    # an automation's triggers hold timers (a time of day); turning it off releases them
    if hass.services.has_service("automation", "turn_off"):
        await hass.services.async_call(
            "automation", "turn_off", {"entity_id": "all"}, blocking=True
        )


async def automation_from(hass: HomeAssistant, name: str, inputs: dict[str, Any]) -> str:
    """An automation made from a blueprint, set up; it must be on."""
    config = {
        "id": "from_blueprint",
        "alias": "From blueprint",
        "use_blueprint": {"path": f"ha-atess/{name}", "input": inputs},
    }
    assert await async_setup_component(hass, "automation", {"automation": [config]})
    await hass.async_block_till_done()
    state = hass.states.get("automation.from_blueprint")
    assert state is not None, f"{name} did not make an automation"
    assert state.state == "on"
    return state.entity_id


def local_time(moment: datetime) -> str:
    """A time input: the local wall-clock time of a moment."""
    return dt_util.as_local(moment).strftime("%H:%M:%S")


async def until(hass: HomeAssistant, freezer: FrozenDateTimeFactory, delta: timedelta) -> None:
    """Let `delta` pass with every timer on time: polls and `for:` timers in their true order."""
    await run_until(hass, freezer, dt_util.utcnow() + delta)


def entity_of(hass: HomeAssistant, platform: str, unique_id: str) -> str:
    """The entity id behind a unique id."""
    entity_id = er.async_get(hass).async_get_entity_id(platform, DOMAIN, unique_id)
    assert entity_id, unique_id
    return entity_id


async def test_tariff_hps_writes_only_what_differs(
    hass: HomeAssistant,
    loaded: MockConfigEntry,
    simulator: Simulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """The window is set already, the work mode is not: one PUT; the next day none."""
    sn = serial_of(simulator, "hps_big")
    assert simulator.state.settings[sn]["valleyPeriodTime1"] == "00:00-06:00"
    check_at = START + timedelta(minutes=2)
    await automation_from(
        hass,
        "tariff_charging_hps.yaml",
        {
            "valley_period": setting_entity(hass, "text", sn, "valleyPeriodTime1"),
            "work_mode": setting_entity(hass, "select", sn, "workMode"),
            "window_start": "00:00:00",
            "window_end": "06:00:00",
            "check_at": local_time(check_at),
        },
    )
    await advance(hass, freezer, timedelta(minutes=1))
    assert put_count(simulator) == 0  # not yet its time
    await advance(hass, freezer, timedelta(minutes=2))
    assert put_count(simulator) == 1
    assert [(w["key"], w["value"]) for w in writes_to(simulator, sn)] == [("workMode", 4)]
    await advance(hass, freezer, timedelta(days=1))  # the next check: everything is set
    assert put_count(simulator) == 1


async def test_tariff_pcs_charges_in_the_window_and_restores(
    hass: HomeAssistant,
    loaded: MockConfigEntry,
    simulator: Simulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """One PUT when the window starts, one when it ends, none for a start already applied."""
    sn = serial_of(simulator, "pcs")
    power = setting_entity(hass, "number", sn, "activePowerSetting")
    await automation_from(
        hass,
        "tariff_charging_pcs.yaml",
        {
            "active_power": power,
            "charge_power": -50,
            "normal_power": 0,
            "window_start": local_time(START + timedelta(minutes=2)),
            "window_end": local_time(START + timedelta(minutes=30)),
        },
    )
    await advance(hass, freezer, timedelta(minutes=3))
    assert [(w["key"], w["value"]) for w in writes_to(simulator, sn)] == [
        ("activePowerSetting", -50.0)
    ]
    await advance(hass, freezer, timedelta(minutes=30))
    assert [w["value"] for w in writes_to(simulator, sn)] == [-50.0, 0.0]
    assert put_count(simulator) == 2
    # the next day the power is already at the window's value when the window starts
    await hass.services.async_call(
        "number", "set_value", {"entity_id": power, "value": -50}, blocking=True
    )
    assert put_count(simulator) == 3
    await advance(hass, freezer, timedelta(days=1) - timedelta(minutes=31))
    assert put_count(simulator) == 3


async def test_storm_reserve_raises_once_and_restores_once(
    hass: HomeAssistant,
    loaded: MockConfigEntry,
    simulator: Simulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Raise after the warning held, ignore a flicker, restore once it is over: two PUTs."""
    sn = serial_of(simulator, "hps_big")
    warning = "binary_sensor.storm_warning"
    hass.states.async_set(warning, "off")
    await automation_from(
        hass,
        "storm_reserve.yaml",
        {
            "warning": warning,
            "cutoff": setting_entity(hass, "number", sn, "dischargeCutoffSoc"),
            "reserve_soc": 80,
            "normal_soc": 20,
            "on_for": {"minutes": 5},
            "off_for": {"hours": 1},
        },
    )

    async def warn(state: str, then: timedelta) -> None:
        hass.states.async_set(warning, state)
        await advance(hass, freezer, then)

    await warn("on", timedelta(minutes=3))
    assert put_count(simulator) == 0  # not on long enough yet
    await advance(hass, freezer, timedelta(minutes=3))
    assert [(w["key"], w["value"]) for w in writes_to(simulator, sn)] == [
        ("dischargeCutoffSoc", 80)
    ]
    await warn("off", timedelta(minutes=20))  # a flicker: not over for an hour
    await warn("on", timedelta(minutes=20))  # on again: the reserve is set already
    assert put_count(simulator) == 1
    await warn("off", timedelta(minutes=61))
    assert [w["value"] for w in writes_to(simulator, sn)] == [80, 20]
    # a second warning the same day: the day's two writes are spent, nothing more is sent
    await warn("on", timedelta(minutes=10))
    await warn("off", timedelta(minutes=61))
    assert put_count(simulator) == 2


async def test_negative_price_limits_once_and_restores_once(
    hass: HomeAssistant,
    loaded: MockConfigEntry,
    simulator: Simulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A negative spell limits the PBD's output and restores it; a second spell writes nothing."""
    sn = serial_of(simulator, "pbd")
    price = "sensor.feed_in_price"
    hass.states.async_set(price, "0.05")
    await automation_from(
        hass,
        "negative_price_export_limit.yaml",
        {
            "price": price,
            "threshold": 0,
            "output": setting_entity(hass, "number", sn, "outPowerMax"),
            "limited_power": 0,
            "normal_power": 250,
            "below_for": {"minutes": 15},
            "above_for": {"minutes": 15},
        },
    )
    for value, minutes in (("-0.02", 5), ("0.01", 20), ("-0.03", 16), ("-0.05", 60)):
        hass.states.async_set(price, value)
        await advance(hass, freezer, timedelta(minutes=minutes))
    assert [(w["key"], w["value"]) for w in writes_to(simulator, sn)] == [("outPowerMax", 0.0)]
    hass.states.async_set(price, "0.04")
    await advance(hass, freezer, timedelta(minutes=16))
    assert [w["value"] for w in writes_to(simulator, sn)] == [0.0, 250.0]
    for value in ("-0.01", "0.02"):
        hass.states.async_set(price, value)
        await advance(hass, freezer, timedelta(minutes=20))
    assert put_count(simulator) == 2


async def test_alerts_for_a_fault_and_a_silent_datalog(
    hass: HomeAssistant,
    loaded: MockConfigEntry,
    simulator: Simulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A device forced into fault and a DataLog whose uploads stop: one notification each."""
    assert await async_setup_component(hass, "persistent_notification", {})
    notes: dict[str, persistent_notification.Notification] = {}

    @callback
    def seen(_kind: Any, notifications: dict[str, persistent_notification.Notification]) -> None:
        notes.update(notifications)

    persistent_notification.async_register_callback(hass, seen)
    hps, pcs = serial_of(simulator, "hps_big"), serial_of(simulator, "pcs")
    devices = simulator.state.account.devices
    quiet, busy = devices[pcs].datalog_sn, devices[hps].datalog_sn
    assert quiet != busy
    await automation_from(
        hass,
        "alerts.yaml",
        {
            "running_states": [entity_of(hass, "sensor", f"{sn}_status") for sn in (hps, pcs)],
            "last_uploads": [
                entity_of(hass, "sensor", f"{log}_last_update") for log in (quiet, busy)
            ],
            "silent_for": {"minutes": 20},
        },
    )
    await until(hass, freezer, timedelta(minutes=10))
    assert notes == {}  # everything uploads, nothing faults

    simulator.state.force_status(hps, 3)
    await until(hass, freezer, timedelta(minutes=6))  # the next upload shows the fault
    messages = messages_of(notes)
    assert len(messages) == 1
    assert re.search(r": fault$", messages[0])

    simulator.state.silence_datalog(quiet, silent=True)
    await until(hass, freezer, timedelta(minutes=15))
    assert len(messages_of(notes)) == 1  # silent, but not for 20 minutes yet
    await until(hass, freezer, timedelta(minutes=10))
    messages = messages_of(notes)
    assert len(messages) == 2
    assert quiet in messages[1]
    assert "no upload since" in messages[1]
    await until(hass, freezer, timedelta(minutes=30))
    assert len(messages_of(notes)) == 2  # one alert per silence; the other DataLog uploads


def messages_of(notes: dict[str, persistent_notification.Notification]) -> list[str]:
    """The notifications' messages, oldest first."""
    return [n["message"] for n in sorted(notes.values(), key=lambda n: n["created_at"])]
