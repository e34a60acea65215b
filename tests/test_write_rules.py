"""The write path's rules on their own: value checks, equality, and the budget's arithmetic."""

from __future__ import annotations

from datetime import timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import device_registry as dr
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.atess.budget import WINDOW, WriteBudget
from custom_components.atess.catalogue import SettingPlatform, SettingSpec, Source
from custom_components.atess.const import DOMAIN, REALTIME_INTERVAL
from custom_components.atess.models import mask_serial
from custom_components.atess.write import READBACK_DELAY, same_value, validate
from simulator.http.routes import BASE, DEVICE_PATHS
from simulator.model.kinds import DeviceKind as SimulatorKind

from .conftest import Simulator, advance

SELECT = SettingSpec(
    key="mode",
    translation_key="mode",
    platform=SettingPlatform.SELECT,
    source=Source.DOC,
    options={"off": 0, "on": 1},
)
NUMBER = SettingSpec(
    key="soc",
    translation_key="soc",
    platform=SettingPlatform.NUMBER,
    source=Source.DOC,
    native_min=0,
    native_max=100,
)
TEXT = SettingSpec(
    key="window",
    translation_key="window",
    platform=SettingPlatform.TEXT,
    source=Source.DOC,
    pattern=r"\d\d:\d\d-\d\d:\d\d",
)


@pytest.mark.parametrize(
    ("spec", "current", "value", "expected"),
    [
        (SELECT, 0, "on", 1),
        (SELECT, 0, 1, 1),
        (SELECT, 0, "1", 1),
        (NUMBER, 50, 60.0, 60),
        (NUMBER, 50, " 61 ", 61),
        (NUMBER, 50.5, 60, 60.0),
        (NUMBER, 50.5, "60.25", 60.25),
        (None, 3, "4", 4),
        (None, 3.5, "-4.5", -4.5),
        (None, "a", " text ", "text"),
        (TEXT, "00:00-06:00", "01:00-05:00", "01:00-05:00"),
    ],
)
def test_valid_values_come_out_in_the_clouds_type(
    spec: SettingSpec | None, current: object, value: object, expected: object
) -> None:
    """Options map to codes, integers stay integers, text is trimmed."""
    result = validate("key", spec, current, value)  # type: ignore[arg-type]
    assert result == expected
    assert type(result) is type(expected)


@pytest.mark.parametrize(
    ("spec", "current", "value", "error"),
    [
        (SELECT, 0, "maybe", "not_an_option"),
        (SELECT, 0, 7, "not_an_option"),
        (NUMBER, 50, 101, "out_of_range"),
        (NUMBER, 50, -1, "out_of_range"),
        (NUMBER, 50, "abc", "not_a_number"),
        (NUMBER, 50, float("nan"), "not_a_number"),
        (NUMBER, 50, "inf", "not_a_number"),
        (NUMBER, 50, True, "not_a_number"),
        (NUMBER, 50, None, "not_a_number"),
        (TEXT, "00:00-06:00", "soon", "pattern_mismatch"),
    ],
)
def test_invalid_values_are_refused_with_a_translated_reason(
    spec: SettingSpec, current: object, value: object, error: str
) -> None:
    """Each bad value gets its own translation key."""
    with pytest.raises(ServiceValidationError) as err:
        validate("key", spec, current, value)  # type: ignore[arg-type]
    assert err.value.translation_key == error


def test_same_value_compares_numbers_by_value() -> None:
    """5 and 5.0 are the same setting; 5 and '5' are not."""
    assert same_value(5, 5.0)
    assert not same_value(5, 5.1)
    assert same_value("a", "a")
    assert not same_value(5, "5")


def test_mask_serial_hides_the_tail() -> None:
    """Enough to tell devices apart, not enough to identify the hardware."""
    assert mask_serial("TND0J58009") == "TND0J5****"
    assert mask_serial("AB") == "**"
    assert mask_serial("ABC") == "AB*"


async def test_budget_survives_a_reload_of_storage_and_ignores_garbage(
    hass: HomeAssistant, hass_storage: dict[str, object], freezer: FrozenDateTimeFactory
) -> None:
    """Stored timestamps are read back; unreadable ones count as spent now; old ones expire."""
    hass_storage["atess.write_budget"] = {
        "version": 1,
        "data": {"SN1": ["not a time", 5, "2000-01-01T00:00:00+00:00"]},
    }
    budget = WriteBudget(hass)
    await budget.async_load()
    assert budget.left("SN1") == 8
    for _ in range(8):
        await budget.async_spend("SN1")
    assert budget.left("SN1") == 0
    first_free = budget.next_free("SN1")
    assert first_free is not None
    fresh = WriteBudget(hass)
    await fresh.async_load()
    assert fresh.left("SN1") == 0
    freezer.tick(WINDOW + timedelta(seconds=1))
    assert fresh.left("SN1") == 10
    assert fresh.next_free("SN1") is None


async def test_a_failed_read_back_keeps_the_cloud_as_the_truth(
    hass: HomeAssistant,
    setup_entry: MockConfigEntry,
    simulator: Simulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """If the settings cannot be read back, nothing unconfirmed is shown as the cloud's."""
    sn = next(d["deviceSn"] for d in simulator.devices() if d["kind"] == "hps_big")
    device = setup_entry.runtime_data.devices[sn]
    writer = setup_entry.runtime_data.writer
    await writer.async_write(device, "chargeCutoffSoc", 88)
    assert writer.value(device, "chargeCutoffSoc") == 88
    simulator.state.set_faults(http_error_rate=1.0)
    await advance(hass, freezer, timedelta(seconds=READBACK_DELAY + 1))
    assert writer.pending.get(sn, {}) == {}
    assert not device.settings.last_update_success


async def test_writes_to_an_unloaded_or_unknown_device_are_refused(
    hass: HomeAssistant, setup_entry: MockConfigEntry, simulator: Simulator
) -> None:
    """The action names the problem: not an ATESS device, or not loaded."""
    sn = simulator.devices()[0]["deviceSn"]
    registry = dr.async_get(hass)
    device = registry.async_get_device_by_identifier((DOMAIN, sn), setup_entry.entry_id)
    assert device is not None
    other = registry.async_get_or_create(
        config_entry_id=setup_entry.entry_id, identifiers={(DOMAIN, "NOTADEVICE")}
    )
    call = {"key": "k", "value": "1"}
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            DOMAIN, "set_setting", {"device_id": other.id, **call}, blocking=True
        )
    assert err.value.translation_key == "unknown_device"
    assert await hass.config_entries.async_unload(setup_entry.entry_id)
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            DOMAIN, "set_setting", {"device_id": device.id, **call}, blocking=True
        )
    assert err.value.translation_key == "device_not_loaded"


async def test_a_device_without_settings_refuses_writes(
    hass: HomeAssistant,
    setup_entry: MockConfigEntry,
    simulator: Simulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Before the settings could ever be read, a write cannot be checked, so it is refused."""
    sn = simulator.devices()[0]["deviceSn"]
    device = setup_entry.runtime_data.devices[sn]
    device.settings.data = None
    with pytest.raises(HomeAssistantError) as err:
        await setup_entry.runtime_data.writer.async_write(device, "x", 1)
    assert err.value.translation_key == "device_not_loaded"


async def test_throttling_defers_the_next_poll(
    hass: HomeAssistant,
    setup_entry: MockConfigEntry,
    simulator: Simulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """HTTP 429: the poll fails with the cloud's retry-after; no poll is sent before those 30 s
    are over (counted at the simulator), the first one after them recovers."""
    device = next(iter(setup_entry.runtime_data.devices.values()))
    path = BASE + DEVICE_PATHS[SimulatorKind(device.ref.kind)]["realtime"][0]

    def polls() -> int:
        return int(simulator.state.stats()["requests"].get(f"GET {path}", 0))

    simulator.state.set_faults(throttle_rate=1.0)
    await advance(hass, freezer, REALTIME_INTERVAL + timedelta(seconds=1))
    assert not device.realtime.last_update_success
    assert getattr(device.realtime.last_exception, "retry_after", None) == 30
    throttled = polls()
    simulator.state.set_faults(throttle_rate=0.0)
    # in 5-second steps up to 25 s: Home Assistant's timers also follow the loop's real clock,
    # so a slow machine must not be able to push a step past the 30 s
    for _ in range(5):
        await advance(hass, freezer, timedelta(seconds=5))
        assert polls() == throttled
    assert not device.realtime.last_update_success
    await advance(hass, freezer, timedelta(seconds=6))
    assert polls() == throttled + 1
    assert device.realtime.last_update_success
