"""Plant totals on the plant device, against the simulator: each total is its rule's sum.

The expected sums are computed here from the devices' raw records with the simulator's own field
names and signs (not with the integration's rule table), so a wrong rule or a wrong field fails.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.sensor import ATTR_STATE_CLASS, SensorStateClass
from homeassistant.const import STATE_UNAVAILABLE, STATE_UNKNOWN
from homeassistant.core import HomeAssistant, State
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    mock_restore_cache_with_extra_data,
)

from custom_components.atess.api import RealtimeData
from custom_components.atess.const import DOMAIN, INVENTORY_INTERVAL
from custom_components.atess.coordinator import AtessDevice
from custom_components.atess.plant_rules import CONF_TOTAL_SOURCES
from custom_components.atess.plant_sensor import COOLDOWN

from .conftest import Simulator, SimulatorFactory, add_entry_for, advance

pytestmark = pytest.mark.freeze_time("2026-06-21 10:02:00+00:00")

KW = 1000.0
# The simulator's records: per total, per kind, (field, factor). Power totals in W.
CONVERTER_BATTERY = {
    "battery_charge_energy": {
        "hps_big": ("ebatChargeTotal", 1.0),
        "hps_small": ("echargeTotal", 1.0),
        "pcs": ("echargeTotal", 1.0),
        "pbd": ("echargeTotal", 1.0),
    },
    "battery_discharge_energy": {
        "hps_big": ("ebatDischargeTotal", 1.0),
        "hps_small": ("edischargeTotal", 1.0),
        "pcs": ("edischargeTotal", 1.0),
        "pbd": ("edischargeTotal", 1.0),
    },
    "battery_power": {
        "hps_big": ("pac", KW),
        "hps_small": ("pac", KW),
        "pcs": ("pacToBattery", -KW),
    },
}
SUMS: dict[str, dict[str, tuple[str, float]]] = {
    "pv_power": {"hps_big": ("ppv1", KW), "hps_small": ("ppv", KW), "pbd": ("ppv", 1.0)},
    "grid_power": {
        "hps_big": ("bactivePower", KW),
        "hps_small": ("pacToGrid", -KW),
        "pcs": ("bactivePower", KW),
    },
    "load_power": dict.fromkeys(("hps_big", "hps_small", "pcs"), ("loadActivePower", KW)),
    "pv_energy": dict.fromkeys(("hps_big", "hps_small", "pbd"), ("epvTotal", 1.0)),
    "grid_import_energy": {
        "hps_big": ("egridTotal", 1.0),
        "hps_small": ("egridTotal", 1.0),
        "pcs": ("gridTotal", 1.0),
    },
    "grid_export_energy": {
        "hps_big": ("etoGridTotal", 1.0),
        "hps_small": ("etoGridTotal", 1.0),
        "pcs": ("toGridTotal", 1.0),
    },
    "load_energy": {
        "hps_big": ("eloadTotal", 1.0),
        "hps_small": ("eloadTotal", 1.0),
        "pcs": ("loadTotal", 1.0),
    },
    "battery_charge_energy": {"mbms": ("echargeTotal", 1.0)},
    "battery_discharge_energy": {"mbms": ("edischargeTotal", 1.0)},
}


def raw(device: AtessDevice, field: str) -> float:
    """A field of the device's latest record as the cloud sent it (text numbers too)."""
    assert device.realtime.data is not None
    return float(device.realtime.data.raw[field])


def bms_power(device: AtessDevice) -> float:
    """A BMS's power in W, + discharging: its voltage, current and flow flag."""
    return raw(device, "vbat") * raw(device, "cbat") * raw(device, "batFlag")


def expected(
    devices: list[AtessDevice], key: str, table: dict[str, dict[str, tuple[str, float]]]
) -> float:
    """The rule's sum of one total over a plant's devices."""
    if key == "battery_power" and key not in table:
        return sum(bms_power(d) for d in devices if d.ref.kind == "mbms")
    if key == "battery_soc":
        return raw(next(d for d in devices if d.ref.kind == "mbms"), "soc")
    today = key.endswith("_today")
    rows = table[key.removesuffix("_today")]
    total = 0.0
    for device in devices:
        if (found := rows.get(str(device.ref.kind))) is not None:
            field, factor = found
            total += raw(device, field.replace("Total", "Today") if today else field) * factor
    return total


def plant_sensor(hass: HomeAssistant, plant_id: str, key: str) -> str | None:
    """The entity id of a plant total, found by the unique id the contract names (None: the
    plant has none)."""
    return er.async_get(hass).async_get_entity_id("sensor", DOMAIN, f"plant_{plant_id}_{key}")


def total_state(hass: HomeAssistant, plant_id: str, key: str) -> Any:
    """The state of a plant total."""
    entity_id = plant_sensor(hass, plant_id, key)
    assert entity_id, f"plant_{plant_id}_{key} has no entity"
    return hass.states.get(entity_id)


def value(hass: HomeAssistant, plant_id: str, key: str) -> float:
    """A plant total as a number."""
    state = total_state(hass, plant_id, key)
    assert state.state not in (STATE_UNAVAILABLE, STATE_UNKNOWN), key
    return float(state.state)


def plant_devices(entry: MockConfigEntry, plant_id: str) -> list[AtessDevice]:
    """The loaded devices of one plant."""
    return [d for d in entry.runtime_data.devices.values() if d.ref.plant_id == plant_id]


ALL_KEYS = (
    *SUMS,
    *(f"{k}_today" for k in SUMS if k.endswith("energy")),
    "battery_power",
    "battery_soc",
)


async def settle(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    """Past the plant's recompute cooldown: the totals reflect every record."""
    await advance(hass, freezer, timedelta(seconds=COOLDOWN + 1))


async def load(
    hass: HomeAssistant, simulator: Simulator, freezer: FrozenDateTimeFactory, **options: Any
) -> MockConfigEntry:
    """An entry for the simulator's account with more `options`, loaded and settled."""
    entry = add_entry_for(hass, simulator)
    hass.config_entries.async_update_entry(entry, options={**entry.options, **options})
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    await settle(hass, freezer)
    return entry


async def test_mixed_plant_each_total_is_its_rule_sum(
    hass: HomeAssistant,
    setup_entry: MockConfigEntry,
    simulator: Simulator,
    freezer: FrozenDateTimeFactory,
    device_registry: dr.DeviceRegistry,
) -> None:
    """Central + string HPS, PBD, PCS, MBMS and BCU: every total, the battery counted once."""
    await settle(hass, freezer)
    [plant_id] = simulator.plant_ids()
    devices = plant_devices(setup_entry, plant_id)
    assert {str(d.ref.kind) for d in devices} == {
        "hps_big",
        "hps_small",
        "pbd",
        "pcs",
        "mbms",
        "bcu",
    }
    for key in ALL_KEYS:
        assert value(hass, plant_id, key) == pytest.approx(
            expected(devices, key, SUMS), abs=0.01
        ), key
    # two DataLogs, one plant
    assert len({d.ref.datalog_sn for d in devices}) == 2
    # the battery once: the MBMS alone, not the BCU under it nor the converters
    mbms = next(d for d in devices if d.ref.kind == "mbms")
    assert value(hass, plant_id, "battery_charge_energy") == pytest.approx(
        raw(mbms, "echargeTotal")
    )
    assert value(hass, plant_id, "pv_power") > 0  # midday: the PV of three devices
    state = total_state(hass, plant_id, "pv_energy")
    assert state.attributes[ATTR_STATE_CLASS] == SensorStateClass.TOTAL_INCREASING
    assert state.attributes["unit_of_measurement"] == "kWh"
    assert total_state(hass, plant_id, "grid_power").attributes["unit_of_measurement"] == "W"
    # on the plant device
    entity = er.async_get(hass).async_get(total_state(hass, plant_id, "pv_power").entity_id)
    assert entity is not None
    assert entity.device_id is not None
    plant_device = device_registry.async_get(entity.device_id)
    assert plant_device is not None
    assert (DOMAIN, f"plant_{plant_id}") in plant_device.identifiers


async def test_a_stale_or_unavailable_part_makes_its_totals_unavailable(
    hass: HomeAssistant,
    setup_entry: MockConfigEntry,
    simulator: Simulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A PCS record 20 minutes old, then a failing PCS: grid and load go unavailable, PV stays."""
    await settle(hass, freezer)
    [plant_id] = simulator.plant_ids()
    pcs = next(d for d in plant_devices(setup_entry, plant_id) if d.ref.kind == "pcs")
    assert pcs.realtime.data is not None
    old = dt_util.as_local(dt_util.utcnow() - timedelta(minutes=20))
    stale = {**pcs.realtime.data.raw, "time": old.strftime("%Y-%m-%d %H:%M:%S")}
    pcs.realtime.async_set_updated_data(RealtimeData.from_api(stale))
    await settle(hass, freezer)
    for key in ("grid_power", "load_power", "grid_import_energy", "load_energy_today"):
        assert total_state(hass, plant_id, key).state == STATE_UNAVAILABLE, key
    assert value(hass, plant_id, "pv_power") > 0
    assert value(hass, plant_id, "battery_charge_energy") > 0  # the MBMS side, not the PCS

    await pcs.realtime.async_refresh()
    await settle(hass, freezer)
    assert value(hass, plant_id, "grid_power") == pytest.approx(
        expected(plant_devices(setup_entry, plant_id), "grid_power", SUMS), abs=0.01
    )

    simulator.answers["/api/v1/pcs/data-last"] = (503, {"error": "maintenance"})
    await pcs.realtime.async_refresh()
    await settle(hass, freezer)
    assert not pcs.realtime.last_update_success
    assert total_state(hass, plant_id, "load_energy").state == STATE_UNAVAILABLE
    assert value(hass, plant_id, "pv_energy") > 0


async def test_a_lifetime_glitch_of_one_device_never_lowers_the_total(
    hass: HomeAssistant,
    setup_entry: MockConfigEntry,
    simulator: Simulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """The central HPS's epvTotal drops to 0 for one record: the plant's PV energy holds."""
    await settle(hass, freezer)
    [plant_id] = simulator.plant_ids()
    before = value(hass, plant_id, "pv_energy")
    hps = next(d for d in plant_devices(setup_entry, plant_id) if d.ref.kind == "hps_big")
    assert hps.realtime.data is not None
    good = hps.realtime.data.raw
    hps.realtime.async_set_updated_data(RealtimeData.from_api({**good, "epvTotal": 0}))
    await settle(hass, freezer)
    assert value(hass, plant_id, "pv_energy") == pytest.approx(before)
    hps.realtime.async_set_updated_data(
        RealtimeData.from_api({**good, "epvTotal": float(good["epvTotal"]) + 2.5})
    )
    await settle(hass, freezer)
    assert value(hass, plant_id, "pv_energy") == pytest.approx(before + 2.5)


async def test_the_owner_takes_the_battery_from_the_converters(
    hass: HomeAssistant, simulator: Simulator, freezer: FrozenDateTimeFactory
) -> None:
    """The options' source for the battery: the converters instead of the MBMS."""
    entry = await load(hass, simulator, freezer, **{CONF_TOTAL_SOURCES: {"battery": "converters"}})
    [plant_id] = simulator.plant_ids()
    devices = plant_devices(entry, plant_id)
    for key in ("battery_charge_energy", "battery_discharge_energy", "battery_power"):
        assert value(hass, plant_id, key) == pytest.approx(
            expected(devices, key, CONVERTER_BATTERY), abs=0.01
        ), key


async def test_two_plants_in_one_entry(
    hass: HomeAssistant, start_simulator: SimulatorFactory, freezer: FrozenDateTimeFactory
) -> None:
    """Each plant has its own totals, over its own devices only."""
    simulator = await start_simulator(plants=2)
    entry = await load(hass, simulator, freezer)
    first, second = simulator.plant_ids()
    for plant_id in (first, second):
        devices = plant_devices(entry, plant_id)
        assert len(devices) == 6
        for key in ("pv_energy", "grid_power", "battery_charge_energy", "load_energy_today"):
            assert value(hass, plant_id, key) == pytest.approx(
                expected(devices, key, SUMS), abs=0.01
            ), (plant_id, key)


@pytest.mark.parametrize(
    "dialects", [frozenset({"text-numbers", "data-paged"}), frozenset({"data-array"})]
)
async def test_totals_under_the_cloud_dialects(
    hass: HomeAssistant,
    start_simulator: SimulatorFactory,
    freezer: FrozenDateTimeFactory,
    dialects: frozenset[str],
) -> None:
    """Numbers sent as text and paged lists give the same sums."""
    simulator = await start_simulator(dialects=dialects)
    entry = await load(hass, simulator, freezer)
    [plant_id] = simulator.plant_ids()
    devices = plant_devices(entry, plant_id)
    assert len(devices) == 6
    if "text-numbers" in dialects:  # the counters really came as text
        hps = next(d for d in devices if d.ref.kind == "hps_big")
        assert isinstance(hps.realtime.data.raw["epvTotal"], str)  # type: ignore[union-attr]
    for key in ALL_KEYS:
        assert value(hass, plant_id, key) == pytest.approx(
            expected(devices, key, SUMS), abs=0.01
        ), key


# The base-info list of every kind (the first candidate path the client asks).
LISTS = {
    "bcu": "/api/v1/bms/buc-base-info/list",
    "mbms": "/api/v1/bms/mbms-base-info/list",
    "hps_big": "/api/v1/hps/big-base-info/list",
    "hps_small": "/api/v1/hps/small-base-info/list",
    "pbd": "/api/v1/pbd/base-info/list",
    "pcs": "/api/v1/pcs/base-info/list",
}
# what a plant of one kind has: the totals it feeds (the battery from its own side)
ALONE = {
    "hps_big": {"pv_energy", "grid_import_energy", "load_energy", "battery_charge_energy"},
    "hps_small": {"pv_power", "grid_power", "load_energy_today", "battery_discharge_energy"},
    "pbd": {"pv_energy", "battery_charge_energy"},
    "pcs": {"grid_export_energy", "load_power", "battery_charge_energy", "battery_power"},
    "mbms": {"battery_charge_energy", "battery_power", "battery_soc"},
    "bcu": {"battery_discharge_energy", "battery_power", "battery_soc"},
}


@pytest.mark.parametrize("kind", list(ALONE))
async def test_a_plant_of_one_device_kind(
    hass: HomeAssistant,
    start_simulator: SimulatorFactory,
    freezer: FrozenDateTimeFactory,
    kind: str,
) -> None:
    """Only one kind listed: its totals exist and are its own values; the others do not exist."""
    hidden = {path for other, path in LISTS.items() if other != kind}

    def only(path: str, body: Any) -> Any:
        return {**body, "data": []} if path in hidden else body

    simulator = await start_simulator(rewrite=only)
    entry = await load(hass, simulator, freezer)
    [plant_id] = simulator.plant_ids()
    devices = plant_devices(entry, plant_id)
    assert [str(d.ref.kind) for d in devices] == [kind]
    table = SUMS if kind == "mbms" else {**SUMS, **CONVERTER_BATTERY}
    if kind == "bcu":
        table = {
            "battery_charge_energy": {"bcu": ("echargeTotal", 1.0)},
            "battery_discharge_energy": {"bcu": ("edischargeTotal", 1.0)},
        }
    for key in ALONE[kind]:
        if key in ("battery_power", "battery_soc") and kind in ("mbms", "bcu"):
            bms = devices[0]
            want = bms_power(bms) if key == "battery_power" else raw(bms, "soc")
        else:
            want = expected(devices, key, table)
        assert value(hass, plant_id, key) == pytest.approx(want, abs=0.01), key
    # a flow no device of the plant feeds has no entity
    fed = {k for k in ALL_KEYS if plant_sensor(hass, plant_id, k)}
    if kind in ("mbms", "bcu"):
        assert not fed & {"pv_power", "grid_power", "load_energy"}
    if kind == "pbd":
        assert not fed & {"grid_power", "load_power", "grid_import_energy"}


async def test_a_restart_keeps_the_floor_only_for_the_same_devices(
    hass: HomeAssistant, simulator: Simulator, freezer: FrozenDateTimeFactory
) -> None:
    """The lifetime value from before a restart is a floor for the same devices, not others'."""
    pv_parts = sorted(
        d["deviceSn"] for d in simulator.devices() if d["kind"] in ("hps_big", "hps_small", "pbd")
    )
    stored = {"native_value": 1e9, "native_unit_of_measurement": "kWh"}
    mock_restore_cache_with_extra_data(
        hass,
        [
            (State("sensor.demo_plant_pv_energy_total", "1e9"), {**stored, "parts": pv_parts}),
            (State("sensor.demo_plant_grid_import_total", "1e9"), {**stored, "parts": ["X"]}),
        ],
    )
    entry = await load(hass, simulator, freezer)
    [plant_id] = simulator.plant_ids()
    assert total_state(hass, plant_id, "pv_energy").entity_id == "sensor.demo_plant_pv_energy_total"
    assert value(hass, plant_id, "pv_energy") == pytest.approx(1e9)
    assert value(hass, plant_id, "grid_import_energy") == pytest.approx(
        expected(plant_devices(entry, plant_id), "grid_import_energy", SUMS), abs=0.01
    )


@pytest.mark.freeze_time("2026-06-21 22:02:30+00:00")  # 00:02:30 on the 22nd in Berlin
async def test_today_totals_count_a_part_still_on_yesterday_as_nothing(
    hass: HomeAssistant, setup_entry: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    """Just after the plant's midnight, a part whose last record is of 23:55 has made nothing
    today: its daily counter (yesterday's) is not added, and its first record of today is."""
    await settle(hass, freezer)
    [plant_id] = setup_entry.runtime_data.inventory.data.plants
    devices = plant_devices(setup_entry, plant_id)
    pcs = next(d for d in devices if d.ref.kind == "pcs")
    assert pcs.realtime.data is not None
    today = pcs.realtime.data.raw
    assert str(today["time"]).startswith("2026-06-22")
    others = expected([d for d in devices if d is not pcs], "load_energy_today", SUMS)
    late = {**today, "time": "2026-06-21 23:55:00", "loadToday": 999.0}
    pcs.realtime.async_set_updated_data(RealtimeData.from_api(late))
    await settle(hass, freezer)
    assert value(hass, plant_id, "load_energy_today") == pytest.approx(others, abs=0.01)
    pcs.realtime.async_set_updated_data(RealtimeData.from_api({**today, "loadToday": 0.4}))
    await settle(hass, freezer)
    assert value(hass, plant_id, "load_energy_today") == pytest.approx(others + 0.4, abs=0.01)


async def test_a_device_replaced_in_one_inventory_changes_the_parts(
    hass: HomeAssistant, simulator: Simulator, freezer: FrozenDateTimeFactory
) -> None:
    """The string HPS leaves in the inventory that brings a PBD: as many devices as before,
    other parts. The PV power is then the central HPS's and the PBD's, not the old string's."""
    [plant_id] = simulator.plant_ids()
    kinds = {d["kind"]: d["deviceSn"] for d in simulator.devices()}
    old, new = kinds["hps_small"], kinds["pbd"]
    simulator.state.detach_devices([new])
    entry = await load(hass, simulator, freezer)
    count = len(entry.runtime_data.devices)
    simulator.state.detach_devices([old])
    await advance(hass, freezer, INVENTORY_INTERVAL + timedelta(seconds=1))
    simulator.state.reattach_devices([new])
    await advance(hass, freezer, INVENTORY_INTERVAL + timedelta(seconds=1))
    await settle(hass, freezer)
    devices = plant_devices(entry, plant_id)
    assert len(entry.runtime_data.devices) == count
    serials = {d.sn for d in devices}
    assert new in serials
    assert old not in serials
    assert value(hass, plant_id, "pv_power") == pytest.approx(
        expected(devices, "pv_power", SUMS), abs=0.01
    )
