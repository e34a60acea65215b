"""The inventory: a passing error never removes a device, failed lists are retried soon, and a
DataLog's connection follows its devices' records rather than a 12-hour-old list."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er, issue_registry as ir
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.atess.api import DeviceKind, OperationKind, get_operation
from custom_components.atess.const import DOMAIN, INVENTORY_INTERVAL, INVENTORY_RETRY

from .conftest import Simulator, advance

LIST_PATHS = [get_operation(kind, OperationKind.BASE_INFO_LIST).path for kind in DeviceKind]
NOT_FOUND = (200, {"code": 400, "msg": "not fount", "data": None})
FAILURES = {
    "not found envelope": NOT_FOUND,
    "server error envelope": (200, {"code": 500, "msg": "fail", "data": None}),
    "HTTP 503": (503, {"message": "Service Unavailable"}),
}


def _registered(hass: HomeAssistant, entry: MockConfigEntry) -> tuple[set[str], set[str]]:
    """The entry's device identifiers and entity ids in the registries."""
    devices = {
        ident
        for device in dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id)
        for _, ident in device.identifiers
    }
    entities = {
        e.entity_id for e in er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
    }
    return devices, entities


def _requests(simulator: Simulator, path: str) -> int:
    return int(simulator.state.stats()["requests"].get(f"GET {path}", 0))


@pytest.mark.parametrize("answer", FAILURES.values(), ids=FAILURES.keys())
async def test_failing_device_lists_remove_nothing_even_across_a_reload(
    hass: HomeAssistant,
    setup_entry: MockConfigEntry,
    simulator: Simulator,
    freezer: Any,
    answer: tuple[int, Any],
) -> None:
    """Every device list fails for a while and the entry is reloaded meanwhile: all stays."""
    before = _registered(hass, setup_entry)
    serials = {d["deviceSn"] for d in simulator.devices()}
    assert serials <= before[0]
    for path in LIST_PATHS:
        simulator.answers[path] = answer
    await advance(hass, freezer, INVENTORY_INTERVAL + timedelta(seconds=1))
    assert _registered(hass, setup_entry) == before
    assert await hass.config_entries.async_reload(setup_entry.entry_id)
    await hass.async_block_till_done()
    assert setup_entry.state is ConfigEntryState.LOADED
    assert set(setup_entry.runtime_data.devices) == serials
    assert _registered(hass, setup_entry) == before
    # the cloud recovers: still the same devices, nothing duplicated
    simulator.answers.clear()
    await advance(hass, freezer, INVENTORY_INTERVAL + timedelta(seconds=1))
    assert _registered(hass, setup_entry) == before


async def test_a_device_the_cloud_stops_listing_leaves_after_two_complete_inventories(
    hass: HomeAssistant, setup_entry: MockConfigEntry, simulator: Simulator, freezer: Any
) -> None:
    """One complete inventory without the device keeps it; the second removes it."""
    gone = simulator.devices()[0]["deviceSn"]
    registry = dr.async_get(hass)
    simulator.state.detach_devices([gone])
    await advance(hass, freezer, INVENTORY_INTERVAL + timedelta(seconds=1))
    assert registry.async_get_device_by_identifier((DOMAIN, gone), setup_entry.entry_id) is not None
    assert gone in setup_entry.runtime_data.devices
    await advance(hass, freezer, INVENTORY_INTERVAL + timedelta(seconds=1))
    assert registry.async_get_device_by_identifier((DOMAIN, gone), setup_entry.entry_id) is None
    assert gone not in setup_entry.runtime_data.devices


async def test_a_device_listed_again_after_one_miss_starts_counting_anew(
    hass: HomeAssistant, setup_entry: MockConfigEntry, simulator: Simulator, freezer: Any
) -> None:
    """Missing, back, missing, back: never two misses in a row, so the device never leaves.

    It is checked after every inventory: a device removed at the second miss and added again
    at the next one would end up registered too, with a new device entry and lost history.
    """
    flaky = simulator.devices()[0]["deviceSn"]
    registry = dr.async_get(hass)
    known = registry.async_get_device_by_identifier((DOMAIN, flaky), setup_entry.entry_id)
    assert known is not None
    for _ in range(2):
        for change in (simulator.state.detach_devices, simulator.state.reattach_devices):
            change([flaky])
            await advance(hass, freezer, INVENTORY_INTERVAL + timedelta(seconds=1))
            device = registry.async_get_device_by_identifier((DOMAIN, flaky), setup_entry.entry_id)
            assert device is not None
            assert device.id == known.id
            assert flaky in setup_entry.runtime_data.devices


async def test_the_first_miss_is_remembered_across_a_reload(
    hass: HomeAssistant, setup_entry: MockConfigEntry, simulator: Simulator, freezer: Any
) -> None:
    """The count of complete inventories without a device survives a reload."""
    gone = simulator.devices()[0]["deviceSn"]
    simulator.state.detach_devices([gone])
    await advance(hass, freezer, INVENTORY_INTERVAL + timedelta(seconds=1))
    assert await hass.config_entries.async_reload(setup_entry.entry_id)
    await hass.async_block_till_done()
    assert (
        dr.async_get(hass).async_get_device_by_identifier((DOMAIN, gone), setup_entry.entry_id)
        is None
    )


async def test_a_failed_list_is_asked_again_in_minutes(
    hass: HomeAssistant, setup_entry: MockConfigEntry, simulator: Simulator, freezer: Any
) -> None:
    """A list that failed by chance is retried after INVENTORY_RETRY, not after 12 hours."""
    path = LIST_PATHS[0]
    simulator.answers[path] = FAILURES["HTTP 503"]
    await advance(hass, freezer, INVENTORY_INTERVAL + timedelta(seconds=1))
    datalogs = len(simulator.state.inventory()["plants"][0]["datalogs"])
    asked = _requests(simulator, path)
    simulator.answers.clear()
    await advance(hass, freezer, INVENTORY_RETRY + timedelta(seconds=1))
    assert _requests(simulator, path) == asked + datalogs
    # once it answered, the inventory is back on its slow interval
    await advance(hass, freezer, INVENTORY_RETRY + timedelta(seconds=1))
    assert _requests(simulator, path) == asked + datalogs


async def test_a_definite_not_found_is_not_retried_every_few_minutes(
    hass: HomeAssistant, setup_entry: MockConfigEntry, simulator: Simulator, freezer: Any
) -> None:
    """'Not found' will not change in minutes: the list waits for the next inventory."""
    path = LIST_PATHS[0]
    simulator.answers[path] = NOT_FOUND
    await advance(hass, freezer, INVENTORY_INTERVAL + timedelta(seconds=1))
    asked = _requests(simulator, path)
    await advance(hass, freezer, INVENTORY_RETRY + timedelta(seconds=1))
    assert _requests(simulator, path) == asked


async def test_a_failed_plant_list_recovers_in_minutes(
    hass: HomeAssistant, setup_entry: MockConfigEntry, simulator: Simulator, freezer: Any
) -> None:
    """The plant and DataLog entities are unavailable for minutes, not for 12 hours."""
    plant_path = get_operation(None, OperationKind.PLANT_LIST).path
    plant_id = simulator.plant_ids()[0]
    entity_id = er.async_get(hass).async_get_entity_id(
        "sensor", DOMAIN, f"plant_{plant_id}_nominal_power"
    )
    assert entity_id is not None
    simulator.answers[plant_path] = FAILURES["HTTP 503"]
    await advance(hass, freezer, INVENTORY_INTERVAL + timedelta(seconds=1))
    assert hass.states.get(entity_id).state == STATE_UNAVAILABLE
    simulator.answers.clear()
    await advance(hass, freezer, INVENTORY_RETRY + timedelta(seconds=1))
    assert hass.states.get(entity_id).state != STATE_UNAVAILABLE


async def test_a_datalog_goes_offline_when_its_devices_stop_uploading(
    hass: HomeAssistant, setup_entry: MockConfigEntry, simulator: Simulator, freezer: Any
) -> None:
    """The DataLog list says 'connected' for 12 hours; its devices' records say otherwise."""
    inventory = simulator.state.inventory()
    datalog = inventory["plants"][0]["datalogs"][0]
    entity_id = er.async_get(hass).async_get_entity_id(
        "binary_sensor", DOMAIN, f"{datalog['dataLogSn']}_connection"
    )
    assert entity_id is not None
    assert hass.states.get(entity_id).state == "on"
    simulator.state.detach_devices([d["deviceSn"] for d in datalog["devices"]])
    for _ in range(4):
        await advance(hass, freezer, timedelta(minutes=5, seconds=1))
    assert hass.states.get(entity_id).state == "off"


async def test_removing_the_entry_removes_its_repair_issues(
    hass: HomeAssistant, setup_entry: MockConfigEntry, simulator: Simulator
) -> None:
    """Issues about the entry's devices go with the entry; others stay."""
    sn = simulator.devices()[0]["deviceSn"]
    for issue_id in (f"write_quota_spent_{sn}", f"readback_mismatch_{sn}_socMin", "other_XYZ"):
        ir.async_create_issue(
            hass,
            DOMAIN,
            issue_id,
            is_fixable=False,
            severity=ir.IssueSeverity.WARNING,
            translation_key="write_quota_spent",
            translation_placeholders={"device": sn, "next_write": "now"},
        )
    assert await hass.config_entries.async_remove(setup_entry.entry_id)
    await hass.async_block_till_done()
    left = {issue_id for domain, issue_id in ir.async_get(hass).issues if domain == DOMAIN}
    assert left == {"other_XYZ"}
