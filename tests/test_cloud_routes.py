"""The integration against clouds that differ where the docs are silent (simulator dialects).

The client and the simulator share the same guesses of the inferred paths, so only a cloud that
answers elsewhere proves the integration finds its way: every device appears, the paths that
answer are kept across reloads without asking the missing ones again, an operation that exists
nowhere is reported in a repair issue (and the rest works on), and the diagnostics say it all.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
import logging
from typing import Any

from homeassistant.const import ATTR_UNIT_OF_MEASUREMENT, CONF_TOKEN, CONF_URL, STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er, issue_registry as ir
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.atess.api import OPERATIONS, Source, get_operation
from custom_components.atess.catalogue.realtime import META_FIELDS
from custom_components.atess.cloud_contract import issue_id
from custom_components.atess.const import CONF_PLANTS, DOMAIN
from custom_components.atess.diagnostics import async_get_config_entry_diagnostics

from .conftest import TOKEN, Simulator, SimulatorFactory, advance

DIALECTS = [
    ("alt-routes",),
    ("code-200",),
    ("code-0",),
    ("data-array",),
    ("data-paged",),
    ("text-numbers",),
    ("alt-routes", "code-200", "data-array", "text-numbers"),
]
PCS_REALTIME = get_operation("pcs", "realtime")


async def _set_up(hass: HomeAssistant, sim: Simulator) -> MockConfigEntry:
    entry = MockConfigEntry(
        domain=DOMAIN,
        data={CONF_TOKEN: TOKEN, CONF_URL: sim.url},
        options={CONF_PLANTS: sim.plant_ids()},
        unique_id=min(sim.plant_ids()),
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    return entry


def _requests(sim: Simulator) -> dict[str, int]:
    return dict(sim.state.stats()["requests"])


@pytest.mark.parametrize("dialects", DIALECTS, ids=["+".join(d) for d in DIALECTS])
async def test_every_dialect_gives_every_device_and_value(
    hass: HomeAssistant, start_simulator: SimulatorFactory, dialects: tuple[str, ...]
) -> None:
    """All devices, every curated value with its unit, and no repair issue."""
    sim = await start_simulator(dialects=frozenset(dialects))
    entry = await _set_up(hass, sim)
    assert set(entry.runtime_data.devices) == {d["deviceSn"] for d in sim.devices()}
    registry = er.async_get(hass)
    for device in entry.runtime_data.devices.values():
        data = device.realtime.data
        assert data is not None, device.ref.kind
        for field in data.keys():  # noqa: SIM118
            if field.lower() in META_FIELDS:
                continue
            entity_id = registry.async_get_entity_id(
                "sensor", DOMAIN, f"{device.sn}_{field.lower()}"
            )
            assert entity_id, (device.ref.kind, field)
    with_unit = 0
    for entity in er.async_entries_for_config_entry(registry, entry.entry_id):
        if entity.domain == "sensor" and entity.disabled_by is None and entity.unit_of_measurement:
            state = hass.states.get(entity.entity_id)
            assert state is not None, entity.entity_id
            assert state.attributes[ATTR_UNIT_OF_MEASUREMENT] == entity.unit_of_measurement
            with_unit += state.state != STATE_UNAVAILABLE
    assert with_unit > 50
    assert not [i for (d, i) in ir.async_get(hass).issues if d == DOMAIN]


async def test_resolved_paths_are_kept_and_missing_ones_not_asked_again(
    hass: HomeAssistant, start_simulator: SimulatorFactory, freezer: Any
) -> None:
    """alt-routes: each inferred path is asked once, and after a reload not at all."""
    sim = await start_simulator(dialects=frozenset({"alt-routes"}))
    entry = await _set_up(hass, sim)
    inferred_first = {
        f"{op.method} {op.paths[0]}"
        for op in OPERATIONS
        if op.source is Source.INFERRED and len(op.paths) > 1
    }
    asked = _requests(sim)
    answered_at_second = {
        f"{op.method} {op.paths[1]}"
        for op in OPERATIONS
        if op.source is Source.INFERRED and len(op.paths) > 1
    }
    # the base-info lists, for example, were found at their second candidate
    assert any(key in asked for key in answered_at_second)
    for key in inferred_first & set(asked):
        assert asked[key] <= 2, key  # once per datalog at most, never once per poll
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    await advance(hass, freezer, timedelta(minutes=5, seconds=1))
    after = _requests(sim)
    for key in inferred_first:
        assert after.get(key, 0) == asked.get(key, 0), f"{key} asked again after a reload"
    assert set(entry.runtime_data.devices) == {d["deviceSn"] for d in sim.devices()}


async def test_a_route_that_exists_nowhere_is_reported_once_and_the_rest_works(
    hass: HomeAssistant,
    start_simulator: SimulatorFactory,
    freezer: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """no-pcs-realtime: a translated repair issue names the kind, the operation and the paths."""
    sim = await start_simulator(dialects=frozenset({"no-pcs-realtime"}))
    with caplog.at_level(logging.WARNING):
        entry = await _set_up(hass, sim)
        for _ in range(3):
            await advance(hass, freezer, timedelta(minutes=5, seconds=1))
    issue = ir.async_get(hass).async_get_issue(DOMAIN, issue_id(entry.entry_id, PCS_REALTIME))
    assert issue is not None
    assert issue.translation_key == "route_missing"
    assert issue.translation_placeholders is not None
    assert issue.translation_placeholders["kind"] == "PCS"
    assert issue.translation_placeholders["operation"] == "realtime"
    for path in PCS_REALTIME.paths:
        assert path in issue.translation_placeholders["paths"]
    warnings = [r for r in caplog.records if "at none of its paths" in r.getMessage()]
    assert len(warnings) == 1
    # every other device still has its values
    for device in entry.runtime_data.devices.values():
        assert (device.realtime.data is None) == (device.ref.kind == "pcs")
    asked = _requests(sim).get(f"GET {PCS_REALTIME.paths[0]}", 0)
    # the cloud gains the route, but nothing asks it before the 12-hour recheck: the polls 20
    # minutes and 11 h 50 min after the marks go without a request to it
    pcs = next(d for d in entry.runtime_data.devices.values() if d.ref.kind == "pcs")
    payload = {"code": 0, "msg": "success", "data": {"deviceSn": pcs.sn, "pac": 1.5}}
    sim.answers[PCS_REALTIME.paths[0]] = (200, payload)
    marks = entry.runtime_data.client.route_book.as_dict()["operations"]["realtime pcs"]["missing"]
    assert set(marks) == set(PCS_REALTIME.paths)
    first, last = (datetime.fromtimestamp(f(marks.values()), UTC) for f in (min, max))
    await advance(hass, freezer, timedelta(minutes=5, seconds=1))
    await advance(hass, freezer, first + timedelta(hours=11, minutes=50) - dt_util.utcnow())
    assert _requests(sim).get(f"GET {PCS_REALTIME.paths[0]}", 0) == asked, "asked within 12 h"
    assert pcs.realtime.data is None

    # after the 12-hour recheck the route is asked, and the issue goes
    await advance(hass, freezer, last + timedelta(hours=12, minutes=1) - dt_util.utcnow())
    await advance(hass, freezer, timedelta(minutes=5, seconds=1))
    assert _requests(sim).get(f"GET {PCS_REALTIME.paths[0]}", 0) > asked
    assert (
        ir.async_get(hass).async_get_issue(DOMAIN, issue_id(entry.entry_id, PCS_REALTIME)) is None
    )
    assert pcs.realtime.data is not None


async def test_the_diagnostics_carry_the_contract_report(
    hass: HomeAssistant, start_simulator: SimulatorFactory
) -> None:
    """Per operation the path in use or 'none answers', the dialect, unknown fields, W/kW hints."""

    def huge_power(path: str, body: Any) -> Any:
        if path.endswith("/hps/data-last") and isinstance(body.get("data"), dict):
            body["data"]["pac"] = 150000.0  # 150 MW on a 150 kW inverter: W sent as kW?
            body["data"]["brandNewField"] = "42"
        return body

    sim = await start_simulator(
        dialects=frozenset({"no-pcs-realtime", "code-200"}), rewrite=huge_power
    )
    entry = await _set_up(hass, sim)
    diagnostics = await async_get_config_entry_diagnostics(hass, entry)
    contract = diagnostics["contract"]
    realtime_pcs = contract["operations"]["realtime pcs"]
    assert realtime_pcs["resolution"] == "none answers"
    assert realtime_pcs["path"] is None
    assert realtime_pcs["route_missing"] >= 1
    hps = contract["operations"]["realtime hps_big"]
    assert hps["resolution"] == "answers"
    assert hps["successes"] >= 1
    assert hps["last_code"] == 200
    assert 200 in contract["dialect"]["success_codes"]
    assert contract["unknown_fields"]["hps_big"]["brandNewField"] == 42  # numbers parsed
    hints = [h for h in contract["implausible_power"] if h["field"] == "pac"]
    assert hints
    assert hints[0]["kind"] == "hps_big"
    assert TOKEN not in str(diagnostics)
