"""Setup, unload, and the life of devices: new ones, gone ones, a device whose cloud fails."""

from __future__ import annotations

from datetime import timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntryState
from homeassistant.const import CONF_TOKEN, CONF_URL, STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
)

from custom_components.atess.const import (
    CONF_PLANTS,
    DOMAIN,
    INVENTORY_INTERVAL,
    REALTIME_INTERVAL,
)

from .conftest import TOKEN, Simulator, SimulatorFactory, advance


async def test_entry_loads_and_unloads(
    hass: HomeAssistant, setup_entry: MockConfigEntry, simulator: Simulator
) -> None:
    """LOADED with every device in runtime data, then NOT_LOADED after unload."""
    assert setup_entry.state is ConfigEntryState.LOADED
    serials = {d["deviceSn"] for d in simulator.devices()}
    assert set(setup_entry.runtime_data.devices) == serials
    assert await hass.config_entries.async_unload(setup_entry.entry_id)
    assert setup_entry.state is ConfigEntryState.NOT_LOADED


@pytest.mark.parametrize(
    "token",
    [
        pytest.param("revoked", id="the cloud refuses it"),
        pytest.param("bad\ntoken", id="no HTTP header can carry it"),
    ],
)
async def test_a_token_that_does_not_work_starts_reauth(
    hass: HomeAssistant, simulator: Simulator, token: str
) -> None:
    """Setup fails as an auth failure, and a reauth flow starts."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        data={CONF_TOKEN: token, CONF_URL: simulator.url},
        unique_id=simulator.plant_ids()[0],
    )
    entry.add_to_hass(hass)
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.SETUP_ERROR
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [f["context"]["source"] for f in flows] == [SOURCE_REAUTH]


async def test_an_unreachable_cloud_retries_setup(
    hass: HomeAssistant, config_entry: MockConfigEntry, simulator: Simulator
) -> None:
    """A cloud that errors at setup means 'not ready', retried later."""
    simulator.state.set_faults(http_error_rate=1.0)
    await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    assert config_entry.state is ConfigEntryState.SETUP_RETRY


async def test_devices_form_a_plant_datalog_device_tree(
    hass: HomeAssistant, setup_entry: MockConfigEntry, simulator: Simulator
) -> None:
    """Every device hangs under its datalog, every datalog under its plant."""
    registry = dr.async_get(hass)
    inventory = simulator.state.inventory()
    for plant in inventory["plants"]:
        plant_device = registry.async_get_device_by_identifier(
            (DOMAIN, f"plant_{plant['plantId']}"), setup_entry.entry_id
        )
        assert plant_device is not None
        for datalog in plant["datalogs"]:
            datalog_device = registry.async_get_device_by_identifier(
                (DOMAIN, datalog["dataLogSn"]), setup_entry.entry_id
            )
            assert datalog_device is not None
            assert datalog_device.via_device_id == plant_device.id
            for device in datalog["devices"]:
                entry = registry.async_get_device_by_identifier(
                    (DOMAIN, device["deviceSn"]), setup_entry.entry_id
                )
                assert entry is not None
                assert entry.via_device_id == datalog_device.id
                assert entry.manufacturer == "ATESS"
                assert entry.serial_number == device["deviceSn"]


async def test_a_device_gone_from_the_account_leaves_the_registry(
    hass: HomeAssistant,
    setup_entry: MockConfigEntry,
    simulator: Simulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """After two complete inventories without it, a vanished device and its entities go."""
    gone = simulator.devices()[0]["deviceSn"]
    registry = dr.async_get(hass)
    device = registry.async_get_device_by_identifier((DOMAIN, gone), setup_entry.entry_id)
    assert device is not None
    assert er.async_entries_for_device(er.async_get(hass), device.id)
    simulator.state.detach_devices([gone])
    await advance(hass, freezer, INVENTORY_INTERVAL + timedelta(seconds=1))
    await advance(hass, freezer, INVENTORY_INTERVAL + timedelta(seconds=1))
    assert registry.async_get_device_by_identifier((DOMAIN, gone), setup_entry.entry_id) is None
    assert not er.async_entries_for_device(er.async_get(hass), device.id)
    assert gone not in setup_entry.runtime_data.devices


async def test_a_new_device_gets_entities_without_a_restart(
    hass: HomeAssistant,
    simulator: Simulator,
    config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A device hidden at setup and present at the next inventory gets its entities."""
    late = simulator.devices()[-1]["deviceSn"]
    simulator.state.detach_devices([late])
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    assert late not in config_entry.runtime_data.devices
    simulator.state.reattach_devices([late])
    await advance(hass, freezer, INVENTORY_INTERVAL + timedelta(seconds=1))
    assert late in config_entry.runtime_data.devices
    device = dr.async_get(hass).async_get_device_by_identifier(
        (DOMAIN, late), config_entry.entry_id
    )
    assert device is not None
    entities = er.async_entries_for_device(er.async_get(hass), device.id)
    assert any(e.unique_id == f"{late}_cloud_connection" for e in entities)


async def test_one_failing_device_makes_only_its_entities_unavailable(
    hass: HomeAssistant,
    setup_entry: MockConfigEntry,
    simulator: Simulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A device the cloud no longer answers for goes unavailable; the others stay; it recovers."""
    devices = setup_entry.runtime_data.devices
    broken, healthy = list(devices)[:2]
    ent_reg = er.async_get(hass)
    broken_entity = ent_reg.async_get_entity_id(
        "binary_sensor", DOMAIN, f"{broken}_cloud_connection"
    )
    healthy_entity = ent_reg.async_get_entity_id(
        "binary_sensor", DOMAIN, f"{healthy}_cloud_connection"
    )
    assert broken_entity
    assert healthy_entity
    simulator.state.detach_devices([broken])
    await advance(hass, freezer, REALTIME_INTERVAL + timedelta(seconds=1))
    assert hass.states.get(broken_entity).state == STATE_UNAVAILABLE
    assert hass.states.get(healthy_entity).state == "on"
    simulator.state.reattach_devices([broken])
    await advance(hass, freezer, REALTIME_INTERVAL + timedelta(seconds=1))
    assert hass.states.get(broken_entity).state == "on"


async def test_a_user_can_remove_only_devices_the_account_no_longer_has(
    hass: HomeAssistant, setup_entry: MockConfigEntry, simulator: Simulator
) -> None:
    """Removing an active device is refused (it would come back); a stale one may go."""
    assert await async_setup_component(hass, "config", {})
    registry = dr.async_get(hass)
    active = registry.async_get_device_by_identifier(
        (DOMAIN, simulator.devices()[0]["deviceSn"]), setup_entry.entry_id
    )
    assert active is not None
    stale = registry.async_get_or_create(
        config_entry_id=setup_entry.entry_id, identifiers={(DOMAIN, "GONE000000")}
    )
    from custom_components.atess import async_remove_config_entry_device  # noqa: PLC0415

    assert not await async_remove_config_entry_device(hass, setup_entry, active)
    assert await async_remove_config_entry_device(hass, setup_entry, stale)


async def test_plant_selection_limits_the_devices(
    hass: HomeAssistant, start_simulator: SimulatorFactory
) -> None:
    """Only the chosen plant's devices are set up."""
    sim = await start_simulator(plants=2)
    first, second = sim.plant_ids()
    entry = MockConfigEntry(
        domain=DOMAIN,
        data={CONF_TOKEN: TOKEN, CONF_URL: sim.url},
        options={CONF_PLANTS: [second]},
        unique_id=min(first, second),
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    inventory = sim.state.inventory()
    wanted = {
        d["deviceSn"]
        for p in inventory["plants"]
        if str(p["plantId"]) == second
        for dl in p["datalogs"]
        for d in dl["devices"]
    }
    assert set(entry.runtime_data.devices) == wanted


async def test_a_device_list_path_the_cloud_lacks_hides_only_that_kind(
    hass: HomeAssistant, start_simulator: SimulatorFactory
) -> None:
    """An inferred base-info path answered with 404 means no devices of that kind, not a failure."""
    sim = await start_simulator(missing_paths=("/api/v1/pcs/base-info/list",))
    entry = MockConfigEntry(
        domain=DOMAIN,
        data={CONF_TOKEN: TOKEN, CONF_URL: sim.url},
        options={CONF_PLANTS: sim.plant_ids()},
        unique_id=sim.plant_ids()[0],
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    kinds = {d.ref.kind for d in entry.runtime_data.devices.values()}
    assert kinds == {"bcu", "mbms", "hps_big", "hps_small", "pbd"}
