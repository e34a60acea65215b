"""The write path: validation, no-ops, queueing, the persisted 10-per-24h budget, read-back."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.number import ATTR_VALUE, SERVICE_SET_VALUE
from homeassistant.components.select import ATTR_OPTION, SERVICE_SELECT_OPTION
from homeassistant.components.text import SERVICE_SET_VALUE as TEXT_SET_VALUE
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import ATTR_ENTITY_ID
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import (
    device_registry as dr,
    entity_registry as er,
    issue_registry as ir,
)
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
)

from custom_components.atess.budget import BUDGET_KEY, WINDOW
from custom_components.atess.const import DOMAIN
from custom_components.atess.write import READBACK_DELAY
from simulator.cloud.faults import RETRY_AFTER_SECONDS

from .conftest import Simulator, advance


def serial_of(simulator: Simulator, kind: str) -> str:
    """The demo device of a kind."""
    return next(d["deviceSn"] for d in simulator.devices() if d["kind"] == kind)


def setting_entity(hass: HomeAssistant, platform: str, sn: str, key: str) -> str:
    """The entity id of a setting (enabling it first if the catalogue disables it)."""
    registry = er.async_get(hass)
    entity_id = registry.async_get_entity_id(platform, DOMAIN, f"{sn}_setting_{key.lower()}")
    assert entity_id, f"no {platform} for {key}"
    return entity_id


def writes_to(simulator: Simulator, sn: str) -> list[dict[str, object]]:
    """The writes the simulator applied to a device, in order."""
    return [w for w in simulator.state.stats()["writes"] if w["deviceSn"] == sn]


def put_count(simulator: Simulator) -> int:
    """How many modify-setting PUTs reached the simulator."""
    return sum(n for k, n in simulator.state.stats()["requests"].items() if k.startswith("PUT "))


async def set_number(hass: HomeAssistant, entity_id: str, value: float) -> None:
    """number.set_value, waiting for the result."""
    await hass.services.async_call(
        "number", SERVICE_SET_VALUE, {ATTR_ENTITY_ID: entity_id, ATTR_VALUE: value}, blocking=True
    )


async def readback(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    """Let the read-back after a write happen."""
    await advance(hass, freezer, timedelta(seconds=READBACK_DELAY + 1))


async def test_a_number_write_sends_one_put_and_shows_the_value(
    hass: HomeAssistant,
    setup_entry: MockConfigEntry,
    simulator: Simulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """One accepted write = one PUT with the documented body; the state follows at once."""
    sn = serial_of(simulator, "hps_big")
    entity_id = setting_entity(hass, "number", sn, "chargeCutoffSoc")
    await set_number(hass, entity_id, 87)
    assert writes_to(simulator, sn)[-1]["key"] == "chargeCutoffSoc"
    assert float(str(writes_to(simulator, sn)[-1]["value"])) == 87
    assert put_count(simulator) == 1
    assert float(hass.states.get(entity_id).state) == 87
    await readback(hass, freezer)
    assert float(hass.states.get(entity_id).state) == 87
    writes_left = er.async_get(hass).async_get_entity_id("sensor", DOMAIN, f"{sn}_writes_left")
    assert writes_left
    assert hass.states.get(writes_left).state == "9"


async def test_a_write_that_changes_nothing_sends_nothing(
    hass: HomeAssistant, setup_entry: MockConfigEntry, simulator: Simulator
) -> None:
    """Setting the current value again is not a write."""
    sn = serial_of(simulator, "hps_big")
    entity_id = setting_entity(hass, "number", sn, "chargeCutoffSoc")
    current = float(hass.states.get(entity_id).state)
    await set_number(hass, entity_id, current)
    assert put_count(simulator) == 0
    assert setup_entry.runtime_data.writer.budget.left(sn) == 10


async def test_out_of_range_is_refused_before_any_request(
    hass: HomeAssistant, setup_entry: MockConfigEntry, simulator: Simulator
) -> None:
    """The catalogue's range is enforced by the integration, with a translated error."""
    sn = serial_of(simulator, "hps_big")
    writer = setup_entry.runtime_data.writer
    device = setup_entry.runtime_data.devices[sn]
    with pytest.raises(ServiceValidationError) as err:
        await writer.async_write(device, "chargeCutoffSoc", 150)
    assert err.value.translation_key == "out_of_range"
    with pytest.raises(ServiceValidationError) as err:
        await writer.async_write(device, "chargeCutoffSoc", "lots")
    assert err.value.translation_key == "not_a_number"
    with pytest.raises(ServiceValidationError) as err:
        await writer.async_write(device, "noSuchKey", 1)
    assert err.value.translation_key == "unknown_setting"
    assert put_count(simulator) == 0


async def test_select_and_text_write_through_the_same_path(
    hass: HomeAssistant,
    setup_entry: MockConfigEntry,
    simulator: Simulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A select sends the option's code; a text is checked against its pattern."""
    sn = serial_of(simulator, "hps_big")
    select_id = setting_entity(hass, "select", sn, "workMode")
    options = hass.states.get(select_id).attributes["options"]
    target = next(o for o in options if o != hass.states.get(select_id).state)
    await hass.services.async_call(
        "select",
        SERVICE_SELECT_OPTION,
        {ATTR_ENTITY_ID: select_id, ATTR_OPTION: target},
        blocking=True,
    )
    assert writes_to(simulator, sn)[-1]["key"] == "workMode"
    assert hass.states.get(select_id).state == target

    text_id = setting_entity(hass, "text", sn, "valleyPeriodTime1")
    # Home Assistant's text platform checks the entity's pattern itself ...
    with pytest.raises(ValueError, match="pattern"):
        await hass.services.async_call(
            "text", TEXT_SET_VALUE, {ATTR_ENTITY_ID: text_id, "value": "midnight"}, blocking=True
        )
    # ... and the write path checks it again for the action
    device = setup_entry.runtime_data.devices[sn]
    with pytest.raises(ServiceValidationError) as err:
        await setup_entry.runtime_data.writer.async_write(
            device, "valleyPeriodTime1", "25:00-26:00"
        )
    assert err.value.translation_key == "pattern_mismatch"
    await hass.services.async_call(
        "text", TEXT_SET_VALUE, {ATTR_ENTITY_ID: text_id, "value": "01:00-05:30"}, blocking=True
    )
    assert writes_to(simulator, sn)[-1] | {"time": None} == {
        "deviceSn": sn,
        "key": "valleyPeriodTime1",
        "value": "01:00-05:30",
        "time": None,
    }
    assert put_count(simulator) == 2
    await readback(hass, freezer)
    assert hass.states.get(text_id).state == "01:00-05:30"


async def test_the_eleventh_write_is_refused_without_a_request(
    hass: HomeAssistant,
    setup_entry: MockConfigEntry,
    simulator: Simulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Ten writes pass; the 11th is refused by the integration; a repair issue says until when.

    The budget survives a reload and a fresh start (the store is read again), and the issue
    clears once the oldest write leaves the 24-hour window.
    """
    sn = serial_of(simulator, "hps_big")
    entity_id = setting_entity(hass, "number", sn, "chargeCutoffSoc")
    for value in range(60, 70):
        await set_number(hass, entity_id, value)
    assert len(writes_to(simulator, sn)) == 10
    issue_id = f"write_quota_spent_{sn}"
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is not None
    with pytest.raises(ServiceValidationError) as err:
        await set_number(hass, entity_id, 70)
    assert err.value.translation_key == "write_quota_spent"
    assert put_count(simulator) == 10

    # reload: still refused
    await readback(hass, freezer)
    assert await hass.config_entries.async_reload(setup_entry.entry_id)
    await hass.async_block_till_done()
    with pytest.raises(ServiceValidationError):
        await set_number(hass, entity_id, 71)

    # a fresh start: forget the in-memory budget, it is read back from storage
    assert await hass.config_entries.async_unload(setup_entry.entry_id)
    hass.data.pop(BUDGET_KEY)
    assert await hass.config_entries.async_setup(setup_entry.entry_id)
    await hass.async_block_till_done()
    assert setup_entry.state is ConfigEntryState.LOADED
    with pytest.raises(ServiceValidationError):
        await set_number(hass, entity_id, 72)
    assert put_count(simulator) == 10
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is not None

    # 24 hours after the first write the budget frees up and the issue goes away
    await advance(hass, freezer, WINDOW)
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is None
    simulator.state.reset_write_budget()  # the cloud's own day has turned too
    await set_number(hass, entity_id, 73)
    assert put_count(simulator) == 11


async def test_concurrent_writes_to_one_device_are_queued(
    hass: HomeAssistant,
    setup_entry: MockConfigEntry,
    simulator: Simulator,
) -> None:
    """Two writes at once reach the cloud one after the other, both applied, in order."""
    sn = serial_of(simulator, "hps_big")
    writer = setup_entry.runtime_data.writer
    device = setup_entry.runtime_data.devices[sn]
    real_write = device.settings.client_write
    in_flight = 0
    most = 0

    async def counting_write(key: str, value: object) -> None:
        nonlocal in_flight, most
        in_flight += 1
        most = max(most, in_flight)
        try:
            await real_write(key, value)  # type: ignore[arg-type]
        finally:
            in_flight -= 1

    device.settings.client_write = counting_write  # type: ignore[method-assign]
    await asyncio.gather(
        writer.async_write(device, "chargeCutoffSoc", 81),
        writer.async_write(device, "dischargeCutoffSoc", 12),
    )
    assert most == 1
    keys = [w["key"] for w in writes_to(simulator, sn)]
    assert keys == ["chargeCutoffSoc", "dischargeCutoffSoc"]


async def test_a_cloud_refusal_is_an_error_and_not_shown_as_applied(
    hass: HomeAssistant, setup_entry: MockConfigEntry, simulator: Simulator
) -> None:
    """An error envelope on the PUT raises a translated error; the entity keeps the old value."""
    sn = serial_of(simulator, "hps_big")
    entity_id = setting_entity(hass, "number", sn, "chargeCutoffSoc")
    before = hass.states.get(entity_id).state
    simulator.state.set_faults(error_rate=1.0)
    with pytest.raises(HomeAssistantError) as err:
        await set_number(hass, entity_id, 55)
    assert err.value.translation_key == "write_failed"
    assert hass.states.get(entity_id).state == before
    assert writes_to(simulator, sn) == []


async def test_the_clouds_own_daily_limit_spends_the_budget(
    hass: HomeAssistant, setup_entry: MockConfigEntry, simulator: Simulator
) -> None:
    """If another app used the cloud's 10 writes, the refusal fills our budget too."""
    sn = serial_of(simulator, "hps_big")
    device = setup_entry.runtime_data.devices[sn]
    sim_device = simulator.state.device(sn)
    for value in range(40, 50):
        simulator.state.write_setting(sim_device, "chargeCutoffSoc", str(value))
    writer = setup_entry.runtime_data.writer
    with pytest.raises(ServiceValidationError) as err:
        await writer.async_write(device, "dischargeCutoffSoc", 15)
    assert err.value.translation_key == "write_quota_spent"
    assert writer.budget.left(sn) == 0


async def test_a_read_back_that_disagrees_is_reported(
    hass: HomeAssistant,
    setup_entry: MockConfigEntry,
    simulator: Simulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """If the cloud reports another value after the write, a repair issue says so."""
    sn = serial_of(simulator, "hps_big")
    entity_id = setting_entity(hass, "number", sn, "chargeCutoffSoc")
    await set_number(hass, entity_id, 77)
    simulator.state.settings[sn]["chargeCutoffSoc"] = 70  # the device did not take it
    await readback(hass, freezer)
    assert float(hass.states.get(entity_id).state) == 70
    issue_id = f"readback_mismatch_{sn}_chargeCutoffSoc"
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is not None
    # the next write that sticks clears the report
    await set_number(hass, entity_id, 78)
    await readback(hass, freezer)
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is None


async def test_set_setting_action_writes_any_key(
    hass: HomeAssistant, setup_entry: MockConfigEntry, simulator: Simulator
) -> None:
    """The action writes a value given as text in the cloud's type, also to a key whose entity
    is disabled (an uncatalogued setting), through the same guarded path."""
    sn = serial_of(simulator, "mbms")
    device = dr.async_get(hass).async_get_device_by_identifier((DOMAIN, sn), setup_entry.entry_id)
    assert device is not None

    async def set_setting(device_id: str, key: str, value: str) -> None:
        await hass.services.async_call(
            DOMAIN,
            "set_setting",
            {"device_id": device_id, "key": key, "value": value},
            blocking=True,
        )

    await set_setting(device.id, "batSwitchOnDiffVolt", "12.5")
    written = writes_to(simulator, sn)[-1]
    assert (written["key"], written["value"]) == ("batSwitchOnDiffVolt", 12.5)
    assert simulator.state.settings[sn]["batSwitchOnDiffVolt"] == 12.5

    hidden = er.async_get(hass).async_get(setting_entity(hass, "number", sn, "vendorReserved1"))
    assert hidden is not None
    assert hidden.disabled_by is er.RegistryEntryDisabler.INTEGRATION
    assert hass.states.get(hidden.entity_id) is None
    await set_setting(device.id, "vendorReserved1", "7")
    written = writes_to(simulator, sn)[-1]
    assert (written["key"], written["value"]) == ("vendorReserved1", 7)
    assert setup_entry.runtime_data.writer.budget.left(sn) == 8
    with pytest.raises(ServiceValidationError) as err:
        await set_setting("not-a-device", "x", "1")
    assert err.value.translation_key == "unknown_device"


async def test_a_throttled_write_gives_its_budget_back(
    hass: HomeAssistant,
    setup_entry: MockConfigEntry,
    simulator: Simulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A definite refusal (HTTP 429) spent nothing at the cloud, so nothing is spent here."""
    sn = serial_of(simulator, "hps_big")
    entity_id = setting_entity(hass, "number", sn, "chargeCutoffSoc")
    simulator.state.set_faults(throttle_rate=1.0)
    with pytest.raises(HomeAssistantError):
        await set_number(hass, entity_id, 66)
    assert setup_entry.runtime_data.writer.budget.left(sn) == 10
    simulator.state.set_faults(error_rate=1.0, throttle_rate=0.0)
    # within the cloud's Retry-After the write does not even leave: refused, nothing spent
    with pytest.raises(HomeAssistantError):
        await set_number(hass, entity_id, 66)
    assert setup_entry.runtime_data.writer.budget.left(sn) == 10
    freezer.tick(timedelta(seconds=RETRY_AFTER_SECONDS + 1))
    with pytest.raises(HomeAssistantError):
        await set_number(hass, entity_id, 66)
    # an error envelope may or may not have reached the device: it stays counted
    assert setup_entry.runtime_data.writer.budget.left(sn) == 9


async def test_a_text_setting_in_another_format_is_shown_and_writable(
    hass: HomeAssistant,
    setup_entry: MockConfigEntry,
    simulator: Simulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """The docs show valley periods only as "string": a cloud format that differs from the
    assumed HH:mm-HH:mm is shown as it is, and then only the cloud judges a new value."""
    sn = serial_of(simulator, "hps_big")
    simulator.state.settings[sn]["valleyPeriodTime2"] = "0000~0600"
    device = setup_entry.runtime_data.devices[sn]
    await device.settings.async_refresh()
    await hass.async_block_till_done()
    text_id = setting_entity(hass, "text", sn, "valleyPeriodTime2")
    state = hass.states.get(text_id)
    assert state.state == "0000~0600"
    assert state.attributes["pattern"] is None
    await hass.services.async_call(
        "text", TEXT_SET_VALUE, {ATTR_ENTITY_ID: text_id, "value": "0100~0500"}, blocking=True
    )
    assert writes_to(simulator, sn)[-1]["value"] == "0100~0500"
    with pytest.raises(ServiceValidationError) as err:
        await setup_entry.runtime_data.writer.async_write(device, "valleyPeriodTime1", "x" * 300)
    assert err.value.translation_key == "text_too_long"
