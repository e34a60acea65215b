"""Counters and flows over time, read straight from the state (no HTTP)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
import itertools
from zoneinfo import ZoneInfo

import freezegun

from simulator import SimulatorConfig, SimulatorState

BERLIN = ZoneInfo("Europe/Berlin")
FROZEN = datetime(2024, 6, 20, 12, 0, tzinfo=UTC)
# Lifetime counter -> its daily twin, per kind.
COUNTERS: dict[str, dict[str, str]] = {
    "hps_big": {
        "epvTotal": "epvToday",
        "ebatChargeTotal": "echargeToday",
        "ebatDischargeTotal": "edischargeToday",
        "egridTotal": "egridToday",
        "etoGridTotal": "etoGridToday",
        "eloadTotal": "eloadToday",
    },
    "hps_small": {
        "epvTotal": "epvToday",
        "echargeTotal": "echargeToday",
        "egridTotal": "egridToday",
        "eloadTotal": "eloadToday",
    },
    "pcs": {
        "loadTotal": "loadToday",
        "gridTotal": "gridToday",
        "toGridTotal": "toGridToday",
        "echargeTotal": "echargeToday",
        "edischargeTotal": "edischargeToday",
    },
    "pbd": {"epvTotal": "epvToday", "eoutTotal": "eoutToday", "echargeTotal": "echargeToday"},
    "bcu": {"echargeTotal": "echargeToday", "edischargeTotal": "edischargeToday"},
    "mbms": {"echargeTotal": "echargeToday", "edischargeTotal": "edischargeToday"},
}


def _day_records(state: SimulatorState, sn: str, day: datetime) -> list[dict[str, object]]:
    return [state.counters_at(sn, day + timedelta(minutes=5 * n)) for n in range(288)]


def test_counters_grow_reset_at_midnight_and_add_up() -> None:
    with freezegun.freeze_time(FROZEN):
        state = SimulatorState(SimulatorConfig(seed=3))
        day = datetime(2024, 6, 18, tzinfo=BERLIN)
        for device in state.account.devices.values():
            records = _day_records(state, device.sn, day)
            next_midnight = state.counters_at(device.sn, day + timedelta(days=1))
            counters = COUNTERS[device.kind.value]
            for total_key, today_key in counters.items():
                totals = [float(str(rec[total_key])) for rec in records]
                todays = [float(str(rec[today_key])) for rec in records]
                assert totals == sorted(totals), (device.kind, total_key)
                assert todays[0] == 0.0
                assert todays == sorted(todays)
                # The day's deltas of the lifetime counter add up to the daily counter.
                deltas = sum(b - a for a, b in itertools.pairwise(totals))
                assert round(deltas, 2) == round(todays[-1], 2), (device.kind, total_key)
                assert round(totals[-1] - totals[0], 2) == round(todays[-1], 2)
                assert next_midnight[today_key] == 0.0
                assert float(str(next_midnight[total_key])) >= totals[-1]


def test_pv_follows_the_sun_and_the_battery_stays_bounded() -> None:
    with freezegun.freeze_time(FROZEN):
        state = SimulatorState(SimulatorConfig(seed=5))
        big = next(d for d in state.account.devices.values() if d.kind.value == "hps_big")
        day = datetime(2024, 6, 18, tzinfo=BERLIN)
        records = _day_records(state, big.sn, day)
        night = [rec for rec in records if str(rec["time"])[11:13] in ("00", "01", "02", "23")]
        noon = [rec for rec in records if str(rec["time"])[11:13] in ("12", "13")]
        assert all(rec["ppv1"] == 0.0 for rec in night)
        assert all(float(str(rec["ppv1"])) > 5.0 for rec in noon)
        socs = [float(str(rec["capacity"])) for rec in records]
        assert all(10.0 <= soc <= 100.0 for soc in socs)
        assert max(socs) - min(socs) > 10.0
        assert records[100]["time"] == "2024-06-18 08:20:00"


def test_values_are_reproducible_from_the_seed() -> None:
    when = datetime(2024, 6, 19, 15, 35, tzinfo=BERLIN)
    records = []
    for _ in range(2):
        with freezegun.freeze_time(FROZEN):
            state = SimulatorState(SimulatorConfig(seed=9))
            sn = next(iter(state.account.devices))
            records.append((sn, state.counters_at(sn, when)))
    assert records[0] == records[1]
    with freezegun.freeze_time(FROZEN):
        other = SimulatorState(SimulatorConfig(seed=10))
    assert next(iter(other.account.devices)) != records[0][0]


def test_layout_scales() -> None:
    state = SimulatorState(SimulatorConfig(plants=3, devices_per_kind=4))
    assert len(state.account.plants) == 3
    assert len(state.account.datalogs) == 6
    assert len(state.account.devices) == 3 * 6 * 4
    assert all(len(sn) == 10 for sn in state.account.devices)
    plant = state.account.plants["1001"]
    assert plant.info["plantName"] == "Demo Plant"
    assert plant.info["timezone"] == "Europe/Berlin"
    assert isinstance(plant.info["nominalPower"], int)
