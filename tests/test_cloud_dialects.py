"""The integration against clouds that read the same docs differently.

The docs show `code` 0 in examples but 200 in the code table, a plant list whose shape is not
shown, ids that may be numbers, and values that may arrive as strings. A cloud that answers in any
of these ways must still give every device and every value, with units.
"""

from __future__ import annotations

from typing import Any

from homeassistant.const import ATTR_UNIT_OF_MEASUREMENT, CONF_TOKEN, CONF_URL
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.atess.const import CONF_PLANTS, DOMAIN

from .conftest import TOKEN, SimulatorFactory

META = {"time", "recordtime", "lost", "devicesn", "serialnum", "datalogsn"}


def code_200_plain_lists_and_text(path: str, body: Any) -> Any:
    """code 200 with an empty msg, plain arrays for lists, numeric ids, numbers as text."""
    if not isinstance(body, dict):
        return body
    out = dict(body)
    if out.get("code") == 0:
        out["code"] = 200
        out["msg"] = ""
    data = out.get("data")
    if path.endswith("/plant/list") and isinstance(data, dict):
        data = data["datas"]
    if isinstance(data, list):
        data = [_numeric_ids(item) for item in data]
    elif isinstance(data, dict) and path.endswith(("data-last", "data-last-small")):
        data = {
            k: str(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else v
            for k, v in data.items()
        }
    out["data"] = data
    return out


def _numeric_ids(item: Any) -> Any:
    if isinstance(item, dict) and str(item.get("plantId", "")).isdigit():
        return {**item, "plantId": int(item["plantId"])}
    return item


async def test_a_cloud_with_another_dialect_gives_every_device_and_value(
    hass: HomeAssistant, start_simulator: SimulatorFactory
) -> None:
    """Every device is set up and every curated value has its unit."""
    sim = await start_simulator(rewrite=code_200_plain_lists_and_text)
    entry = MockConfigEntry(
        domain=DOMAIN,
        data={CONF_TOKEN: TOKEN, CONF_URL: sim.url},
        options={CONF_PLANTS: sim.plant_ids()},
        unique_id=sim.plant_ids()[0],
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    devices = entry.runtime_data.devices
    assert set(devices) == {d["deviceSn"] for d in sim.devices()}
    # the dialect was really spoken: numbers arrived as text
    sample = next(iter(devices.values())).realtime.data
    assert sample is not None
    assert any(isinstance(v, str) and v[:1].isdigit() for v in sample.raw.values())
    registry = er.async_get(hass)
    with_unit = 0
    for device in devices.values():
        data = device.realtime.data
        assert data is not None
        for field in data.keys():  # noqa: SIM118
            if field.lower() in META:
                continue
            entity_id = registry.async_get_entity_id(
                "sensor", DOMAIN, f"{device.sn}_{field.lower()}"
            )
            assert entity_id, f"{device.ref.kind} {field}"
            entity = registry.async_get(entity_id)
            assert entity is not None
            state = hass.states.get(entity_id)
            if entity.disabled_by is None and entity.unit_of_measurement:
                assert state is not None
                assert state.attributes[ATTR_UNIT_OF_MEASUREMENT] == entity.unit_of_measurement
                float(state.state)  # a number, although the cloud sent text
                with_unit += 1
    # the everyday sensors (enabled by default) that carry a unit: power flows, SOC, energy
    assert with_unit > 50
