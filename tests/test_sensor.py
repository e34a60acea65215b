"""Sensors and binary sensors: every value the cloud sends, with units, for every device kind."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.sensor import (
    ATTR_STATE_CLASS,
    SensorDeviceClass,
    SensorStateClass,
)
from homeassistant.const import ATTR_UNIT_OF_MEASUREMENT, STATE_UNAVAILABLE, Platform
from homeassistant.core import HomeAssistant, State
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    mock_restore_cache_with_extra_data,
)
from syrupy.assertion import SnapshotAssertion

from custom_components.atess.api import RealtimeData
from custom_components.atess.const import DOMAIN
from custom_components.atess.coordinator import AtessDevice

from .conftest import Simulator

pytestmark = pytest.mark.freeze_time("2026-06-21 10:02:00+00:00")

META = {"time", "recordtime", "lost", "devicesn", "serialnum", "datalogsn"}


@pytest.mark.parametrize(
    "platform",
    [Platform.SENSOR, Platform.BINARY_SENSOR, Platform.NUMBER, Platform.SELECT, Platform.TEXT],
)
async def test_entities_snapshot(
    hass: HomeAssistant,
    setup_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
    platform: Platform,
) -> None:
    """States and registry entries of the demo plant, per platform."""
    entries = er.async_entries_for_config_entry(entity_registry, setup_entry.entry_id)
    assert any(e.domain == platform for e in entries)
    for entity_entry in entries:
        if entity_entry.domain != platform:
            continue
        assert entity_entry == snapshot(name=f"{entity_entry.unique_id}-entry")
        state = hass.states.get(entity_entry.entity_id)
        if entity_entry.disabled_by is None:
            assert state == snapshot(name=f"{entity_entry.unique_id}-state")
        else:
            assert state is None


async def test_devices_snapshot(
    hass: HomeAssistant,
    setup_entry: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    """The device registry of the demo plant."""
    devices = dr.async_entries_for_config_entry(device_registry, setup_entry.entry_id)
    for device in sorted(devices, key=lambda d: sorted(d.identifiers)):
        assert device == snapshot(name=str(sorted(device.identifiers)))


async def test_every_field_the_cloud_sends_becomes_an_entity(
    hass: HomeAssistant, setup_entry: MockConfigEntry, simulator: Simulator
) -> None:
    """No value is dropped: curated fields are enabled sensors, unknown ones disabled ones."""
    registry = er.async_get(hass)
    for device in setup_entry.runtime_data.devices.values():
        payload = device.realtime.data
        assert payload is not None
        for field in payload.keys():  # noqa: SIM118
            if field.lower() in META:
                continue
            entity_id = registry.async_get_entity_id(
                "sensor", DOMAIN, f"{device.sn}_{field.lower()}"
            )
            assert entity_id, f"{device.ref.kind} {field} has no entity"


async def test_unknown_fields_are_disabled_diagnostic_entities(
    hass: HomeAssistant, setup_entry: MockConfigEntry
) -> None:
    """A field no catalogue knows still reaches Home Assistant, disabled by default."""
    registry = er.async_get(hass)
    unknown = [
        e
        for e in er.async_entries_for_config_entry(registry, setup_entry.entry_id)
        if e.translation_key == "unknown_field"
    ]
    assert unknown
    assert all(e.disabled_by is er.RegistryEntryDisabler.INTEGRATION for e in unknown)


async def test_energy_counters_feed_the_energy_dashboard(
    hass: HomeAssistant, setup_entry: MockConfigEntry, simulator: Simulator
) -> None:
    """PV, battery, grid and load counters are kWh and total_increasing."""
    energy = [
        state
        for state in hass.states.async_all("sensor")
        if state.attributes.get("device_class") == SensorDeviceClass.ENERGY
    ]
    assert len(energy) >= 10
    for state in energy:
        assert state.attributes[ATTR_STATE_CLASS] == SensorStateClass.TOTAL_INCREASING
        assert state.attributes[ATTR_UNIT_OF_MEASUREMENT] == "kWh"
        assert float(state.state) >= 0


async def test_a_lost_device_shows_offline_and_no_stale_values(
    hass: HomeAssistant, setup_entry: MockConfigEntry
) -> None:
    """`lost: true` turns connectivity off and makes the value sensors unavailable."""
    device = next(iter(setup_entry.runtime_data.devices.values()))
    data = device.realtime.data
    assert data is not None
    device.realtime.async_set_updated_data(RealtimeData.from_api({**data.raw, "lost": True}))
    await hass.async_block_till_done()
    registry = er.async_get(hass)
    connection = registry.async_get_entity_id(
        "binary_sensor", DOMAIN, f"{device.sn}_cloud_connection"
    )
    assert connection
    assert hass.states.get(connection).state == "off"
    some_value = next(
        e.entity_id
        for e in er.async_entries_for_config_entry(registry, setup_entry.entry_id)
        if e.unique_id.startswith(device.sn)
        and e.domain == "sensor"
        and e.disabled_by is None
        and e.translation_key not in {"data_updated", "writes_left", "unknown_field"}
    )
    assert hass.states.get(some_value).state == STATE_UNAVAILABLE


def pv_total_of_central_hps(
    hass: HomeAssistant, entry: MockConfigEntry, simulator: Simulator
) -> tuple[AtessDevice, RealtimeData, str]:
    """The central HPS of the demo, its latest record and its lifetime PV energy sensor."""
    sn = next(d["deviceSn"] for d in simulator.devices() if d["kind"] == "hps_big")
    device: AtessDevice = entry.runtime_data.devices[sn]
    assert device.realtime.data is not None
    entity_id = er.async_get(hass).async_get_entity_id("sensor", DOMAIN, f"{sn}_epvtotal")
    assert entity_id
    return device, device.realtime.data, entity_id


async def test_a_lifetime_counter_never_goes_down(
    hass: HomeAssistant, setup_entry: MockConfigEntry, simulator: Simulator
) -> None:
    """A lower lifetime total (a cloud glitch) keeps the last value instead of a meter reset."""
    device, data, entity_id = pv_total_of_central_hps(hass, setup_entry, simulator)
    before = float(hass.states.get(entity_id).state)
    device.realtime.async_set_updated_data(RealtimeData.from_api({**data.raw, "epvTotal": 0}))
    await hass.async_block_till_done()
    assert float(hass.states.get(entity_id).state) == before
    device.realtime.async_set_updated_data(
        RealtimeData.from_api({**data.raw, "epvTotal": before + 1.5})
    )
    await hass.async_block_till_done()
    assert float(hass.states.get(entity_id).state) == pytest.approx(before + 1.5)


async def test_a_value_is_written_again_only_when_it_changed(
    hass: HomeAssistant,
    setup_entry: MockConfigEntry,
    simulator: Simulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """An unchanged value costs no state write; a new value or unavailability does."""
    device, data, entity_id = pv_total_of_central_hps(hass, setup_entry, simulator)
    total = float(hass.states.get(entity_id).state)

    async def feed(raw: dict[str, Any]) -> State:
        freezer.tick(timedelta(minutes=5))
        device.realtime.async_set_updated_data(RealtimeData.from_api(raw))
        await hass.async_block_till_done()
        state = hass.states.get(entity_id)
        assert state is not None
        return state

    first = await feed({**data.raw, "epvTotal": total + 1})  # a new value: written
    assert float(first.state) == pytest.approx(total + 1)
    written = first.last_reported  # (the state machine updates this in place)
    same = await feed({**data.raw, "epvTotal": total + 1})  # the same value: not written
    assert same.last_reported == written
    lost = await feed({**data.raw, "epvTotal": total + 1, "lost": True})  # offline: written
    assert lost.state == STATE_UNAVAILABLE
    back = await feed({**data.raw, "epvTotal": total + 1})  # back, same value: written
    assert float(back.state) == pytest.approx(total + 1)
    assert back.last_reported > written


async def test_freshness_and_datalog_sensors(
    hass: HomeAssistant, setup_entry: MockConfigEntry, simulator: Simulator
) -> None:
    """Each device says when its sample was taken; each datalog says whether it is connected."""
    registry = er.async_get(hass)
    runtime = setup_entry.runtime_data
    for sn, device in runtime.devices.items():
        entity_id = registry.async_get_entity_id("sensor", DOMAIN, f"{sn}_data_updated")
        assert entity_id
        data = device.realtime.data
        assert data is not None
        assert data.sample_time is not None
        shown = dt_util.parse_datetime(hass.states.get(entity_id).state)
        # the cloud's plant-local time, placed in the plant's zone: the same moment
        assert shown == device.localize(data.sample_time)
        assert shown is not None
        assert timedelta(0) <= dt_util.utcnow() - shown < timedelta(minutes=10)
    for plant in simulator.state.inventory()["plants"]:
        for datalog in plant["datalogs"]:
            entity_id = registry.async_get_entity_id(
                "binary_sensor", DOMAIN, f"{datalog['dataLogSn']}_connection"
            )
            assert entity_id
            assert hass.states.get(entity_id).state == "on"


async def test_a_lifetime_counter_keeps_its_floor_across_a_restart(
    hass: HomeAssistant, config_entry: MockConfigEntry, simulator: Simulator, freezer: Any
) -> None:
    """A counter restored from before the restart is the floor for what the cloud sends next."""
    entity_id = "sensor.hps150hv_tnd0j58009_pv_energy_total"
    mock_restore_cache_with_extra_data(
        hass,
        [
            (
                State(entity_id, "999999.0"),
                {"native_value": 999999.0, "native_unit_of_measurement": "kWh"},
            )
        ],
    )
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    assert float(hass.states.get(entity_id).state) == 999999.0
