"""`/_simulator/` endpoints and the command line."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import timedelta
import signal
import subprocess
import sys
from typing import Any

from aiohttp.test_utils import TestClient
import freezegun

from tests.simulator.helpers import AUTH, serials, state_of


async def test_inventory_and_stats(client: TestClient[Any, Any]) -> None:
    inventory = await (await client.get("/_simulator/inventory")).json()
    (plant,) = inventory["plants"]
    assert plant["plantId"] == "1001"
    assert plant["timezone"] == "Europe/Berlin"
    kinds = sorted(dev["kind"] for log in plant["datalogs"] for dev in log["devices"])
    assert kinds == ["bcu", "hps_big", "hps_small", "mbms", "pbd", "pcs"]
    sn = serials(state_of(client))["pbd"]
    await client.get("/api/v1/pbd/data-last", params={"deviceSn": sn}, headers=AUTH)
    await client.get("/api/v1/pbd/data-last", params={"deviceSn": sn}, headers=AUTH)
    await client.get("/api/v1/unknown/path", headers=AUTH)
    stats = await (await client.get("/_simulator/stats")).json()
    assert stats["requests"]["GET /api/v1/pbd/data-last"] == 2
    assert stats["requests_total"] == 3
    assert set(stats) == {
        "requests",
        "requests_total",
        "writes_applied",
        "writes_refused",
        "writes",
    }
    assert (await client.post("/_simulator/reset-stats")).status == 200
    assert (await (await client.get("/_simulator/stats")).json())["requests_total"] == 0


async def test_fault_knobs_endpoint(client: TestClient[Any, Any]) -> None:
    knobs = await (await client.post("/_simulator/faults", json={"error_rate": 0.5})).json()
    assert knobs["error_rate"] == 0.5
    assert knobs["timeout_rate"] == 0.0
    assert state_of(client).knobs["error_rate"] == 0.5
    for bad in ({"error_rate": 2}, {"nope": 0.1}, {"latency": "x"}):
        assert (await client.post("/_simulator/faults", json=bad)).status == 400


async def test_a_device_forced_into_fault_and_a_silent_datalog(
    client: TestClient[Any, Any],
) -> None:
    """Device control: a forced running state shows in realtime; a silent DataLog's records stop."""
    state = state_of(client)
    sn = serials(state)["hps_big"]
    log = state.account.devices[sn].datalog_sn
    path = "/api/v1/hps/data-last"

    async def realtime() -> dict[str, Any]:
        resp = await client.get(path, params={"deviceSn": sn}, headers=AUTH)
        return (await resp.json())["data"]  # type: ignore[no-any-return]

    with freezegun.freeze_time("2024-06-20 12:00:00", real_asyncio=True) as frozen:
        assert (await realtime())["status"] == 2
        fault = {"deviceSn": sn, "status": 3}
        assert (await client.post("/_simulator/device-status", json=fault)).status == 200
        assert (await realtime())["status"] == 3
        cleared = {"deviceSn": sn, "status": None}
        assert (await client.post("/_simulator/device-status", json=cleared)).status == 200
        assert (await realtime())["status"] == 2

        before = (await realtime())["time"]
        silence = {"dataLogSn": log, "silent": True}
        assert (await client.post("/_simulator/datalog-silence", json=silence)).status == 200
        frozen.tick(timedelta(minutes=30))
        assert (await realtime())["time"] == before  # no upload arrived in 30 minutes
        assert state.latest_time_text(state.datalog(log)) == before
        resume = {"dataLogSn": log, "silent": False}
        assert (await client.post("/_simulator/datalog-silence", json=resume)).status == 200
        assert (await realtime())["time"] > before

    for bad_path, bad in (
        ("/_simulator/device-status", {"deviceSn": sn, "status": "3"}),
        ("/_simulator/datalog-silence", {"dataLogSn": log, "silent": 1}),
    ):
        assert (await client.post(bad_path, json=bad)).status == 400
    unknown = {"deviceSn": "NOPE", "status": 3}
    assert (await client.post("/_simulator/device-status", json=unknown)).status == 404
    unknown_log = {"dataLogSn": "NOPE", "silent": True}
    assert (await client.post("/_simulator/datalog-silence", json=unknown_log)).status == 404


def test_cli_help() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "simulator", "--help"],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )
    for option in ("--token", "--seed", "--throttle-rate", "--devices-per-kind", "--timezone"):
        assert option in result.stdout


async def test_cli_serves_and_stops_on_sigterm() -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "simulator",
        "--port",
        "0",
        "--token",
        "t",
        stdout=asyncio.subprocess.PIPE,
    )
    try:
        assert process.stdout is not None
        line = (await asyncio.wait_for(process.stdout.readline(), 20)).decode()
        assert "http://127.0.0.1:" in line
    finally:
        with contextlib.suppress(ProcessLookupError):
            process.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(process.wait(), 20) == 0
