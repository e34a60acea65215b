"""Upload timing: a phase per DataLog, a visibility delay, missed uploads and clock drift."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
import itertools
import statistics
from typing import Any
from zoneinfo import ZoneInfo

from aiohttp.test_utils import TestClient
import freezegun
import pytest

from simulator import SimulatorConfig
from simulator.__main__ import config_from_args, parse_args
from tests.simulator.helpers import AUTH, MakeClient, serials, state_of

NOW = datetime(2024, 6, 20, 12, 2, 30, tzinfo=UTC)
BERLIN = ZoneInfo("Europe/Berlin")
REALISTIC = {"upload_model": "realistic"}


def _local(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%d %H:%M:%S").replace(tzinfo=BERLIN)


async def _uploads(client: TestClient[Any, Any], serial: str, count: int = 12) -> Any:
    resp = await client.get("/_simulator/uploads", params={"deviceSn": serial, "count": str(count)})
    assert resp.status == 200
    return await resp.json()


async def _realtime_time(client: TestClient[Any, Any], serial: str) -> str:
    resp = await client.get("/api/v1/hps/data-last", params={"deviceSn": serial}, headers=AUTH)
    body = await resp.json()
    assert body["code"] == 0
    return str(body["data"]["time"])


async def _history_times(client: TestClient[Any, Any], serial: str, start: str, end: str) -> Any:
    resp = await client.get(
        "/api/v1/hps/data-list",
        params={
            "deviceSn": serial,
            "startDate": start,
            "endDate": end,
            "pageNo": "1",
            "pageSize": "100",
        },
        headers=AUTH,
    )
    page = (await resp.json())["data"]
    return page["total"], [record["time"] for record in page["datas"]]


async def test_aligned_is_the_default_and_keeps_the_grid(client: TestClient[Any, Any]) -> None:
    sn = serials(state_of(client))["hps_big"]
    with freezegun.freeze_time(NOW, real_asyncio=True):
        report = await _uploads(client, sn, 3)
        assert await _realtime_time(client, sn) == "2024-06-20 14:00:00"
    assert (report["uploadModel"], report["phaseSeconds"], report["clockDriftPpm"]) == (
        "aligned",
        0.0,
        0.0,
    )
    assert [u["time"] for u in report["uploads"]] == [
        "2024-06-20 13:50:00",
        "2024-06-20 13:55:00",
        "2024-06-20 14:00:00",
    ]
    for upload in report["uploads"]:
        assert datetime.fromisoformat(upload["visibleAt"]) == _local(upload["time"])
        assert (upload["missed"], upload["visible"]) == (False, True)


async def test_each_datalog_has_its_own_seeded_phase(make_client: MakeClient) -> None:
    phases: dict[int, list[float]] = {}
    for seed in (1, 1, 2):
        client = await make_client(seed=seed, **REALISTIC)
        state = state_of(client)
        with freezegun.freeze_time(NOW, real_asyncio=True):
            found = []
            for log_sn in state.account.datalogs:
                resp = await client.get("/_simulator/uploads", params={"dataLogSn": log_sn})
                found.append((await resp.json())["phaseSeconds"])
        assert phases.setdefault(seed, found) == found  # the same seed, the same phases
        assert all(0.0 <= phase < 300.0 for phase in found)
        assert len(set(found)) == len(found)
    assert phases[1] != phases[2]


async def test_record_time_carries_the_phase(make_client: MakeClient) -> None:
    client = await make_client(**REALISTIC, clock_drift_ppm=0.0)
    sn = serials(state_of(client))["hps_big"]
    with freezegun.freeze_time(NOW, real_asyncio=True):
        report = await _uploads(client, sn, 24)
        latest = await _realtime_time(client, sn)
    times = [_local(u["time"]) for u in report["uploads"]]
    phase = report["phaseSeconds"]
    for moment in times:
        # plant-local time, off the 5-minute grid by the phase (whole seconds)
        grid = moment.replace(minute=moment.minute - moment.minute % 5, second=0)
        assert (moment - grid).total_seconds() == pytest.approx(phase % 300, abs=1.0)
    assert {(b - a).total_seconds() for a, b in itertools.pairwise(times)} == {300.0}
    visible = [u["time"] for u in report["uploads"] if u["visible"]]
    assert latest == visible[-1]


async def test_a_record_appears_only_after_its_delay(make_client: MakeClient) -> None:
    client = await make_client(**REALISTIC, missed_upload_rate=0.0)
    sn = serials(state_of(client))["hps_big"]
    with freezegun.freeze_time(NOW, real_asyncio=True) as frozen:
        report = await _uploads(client, sn, 288)
        delays = [
            (datetime.fromisoformat(u["visibleAt"]) - _local(u["time"])).total_seconds()
            for u in report["uploads"]
        ]
        assert all(5.0 <= delay <= 91.0 for delay in delays)
        assert statistics.pstdev(delays) > 2.0  # jittered, not one fixed delay
        previous, newest = report["uploads"][-2], report["uploads"][-1]
        visible_at = datetime.fromisoformat(newest["visibleAt"])
        start, end = "2024-06-20 00:00:00", "2024-06-20 23:59:59"
        frozen.move_to(visible_at - timedelta(seconds=1))
        assert await _realtime_time(client, sn) == previous["time"]
        total, times = await _history_times(client, sn, start, end)
        assert newest["time"] not in times
        frozen.move_to(visible_at + timedelta(seconds=1))
        assert await _realtime_time(client, sn) == newest["time"]
        total_after, _ = await _history_times(client, sn, start, end)
        assert total_after == total + 1


async def test_missed_uploads_never_appear(make_client: MakeClient) -> None:
    client = await make_client(**REALISTIC)
    sn = serials(state_of(client))["hps_big"]
    with freezegun.freeze_time(NOW, real_asyncio=True) as frozen:
        week = (await _uploads(client, sn, 2016))["uploads"]
        missed = [u for u in week if u["missed"]]
        assert 0.005 * len(week) <= len(missed) <= 0.04 * len(week)
        assert not any(u["visible"] for u in missed)
        day = "2024-06-19"
        total, _ = await _history_times(client, sn, f"{day} 00:00:00", f"{day} 23:59:59")
        shown = [u for u in week if u["time"].startswith(day) and not u["missed"]]
        assert total == len(shown)
        # Right after a missed upload was due, the cloud still shows the one before it.
        position = next(
            i for i, u in enumerate(week) if u["missed"] and i > 0 and not week[i - 1]["missed"]
        )
        frozen.move_to(datetime.fromisoformat(week[position]["visibleAt"]) + timedelta(seconds=5))
        assert await _realtime_time(client, sn) == week[position - 1]["time"]


async def test_clock_drift_moves_record_times_a_little(make_client: MakeClient) -> None:
    client = await make_client(**REALISTIC, clock_drift_ppm=200.0)
    sn = serials(state_of(client))["hps_big"]
    with freezegun.freeze_time(NOW, real_asyncio=True):
        report = await _uploads(client, sn, 2016)
    drift = report["clockDriftPpm"] * 1e-6
    assert 0 < abs(drift) <= 200e-6
    times = [_local(u["time"]) for u in report["uploads"]]
    steps = [(b - a).total_seconds() for a, b in itertools.pairwise(times)]
    # Each upload comes drift * 300 s late (or early); once a week the clock is set right.
    irregular = [n for n, step in enumerate(steps) if abs(step - 300.0) > 1.0]
    assert len(irregular) == 1
    assert steps[irregular[0]] - 300.0 == pytest.approx(-drift * 7 * 86400, abs=1.5)
    segment = times[: irregular[0] + 1]
    if len(segment) < len(times) // 2:
        segment = times[irregular[0] + 1 :]
    wander = (segment[-1] - segment[0]).total_seconds() - 300.0 * (len(segment) - 1)
    assert wander == pytest.approx(drift * 300.0 * (len(segment) - 1), abs=1.5)
    assert abs(wander) > 10.0


def test_upload_knobs_on_the_command_line() -> None:
    config = config_from_args(
        parse_args(
            [
                "--upload-model",
                "realistic",
                "--missed-upload-rate",
                "0.05",
                "--visibility-delay",
                "10,40",
                "--clock-drift-ppm",
                "5",
            ]
        )
    )
    assert (config.upload_model, config.missed_upload_rate) == ("realistic", 0.05)
    assert (config.visibility_delay, config.clock_drift_ppm) == ((10.0, 40.0), 5.0)
    assert config_from_args(parse_args([])).upload_model == "aligned"
    for bad in (["--visibility-delay", "40"], ["--missed-upload-rate", "0.9"]):
        with pytest.raises(SystemExit):
            parse_args(bad)
    with pytest.raises(ValueError, match="visibility delay"):
        SimulatorConfig(visibility_delay=(50.0, 10.0))
