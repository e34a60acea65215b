"""The contract report: per operation what answered, and the envelope dialect seen."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
import json

import pytest

from custom_components.atess.api import (
    OPERATIONS,
    AtessApiError,
    AtessClient,
    AtessConnectionError,
    AtessNotFoundError,
    AtessResponseError,
    AtessRouteMissingError,
    RouteBook,
    get_operation,
)
from custom_components.atess.api.contract import ContractRecorder

from .conftest import TOKEN, FakeCloud, RouteProxy, Simulator

type MakeClient = Callable[..., AtessClient]


async def test_a_fresh_client_reports_every_operation_unresolved(make_client: MakeClient) -> None:
    report = make_client("http://127.0.0.1:9").contract_report()
    assert len(report["operations"]) == len(OPERATIONS) == 45
    realtime = report["operations"]["realtime pcs"]
    assert realtime == {
        "method": "GET",
        "resolution": "unresolved",
        "path": None,
        "origin": None,
        "source": "inferred",
        "candidates": ["/api/v1/pcs/data-last", "/api/v1/pcs/pcs-data-last"],
        "known_missing": [],
        "missing_evidence": {},
        "last_status": None,
        "last_code": None,
        "successes": 0,
        "route_missing": 0,
        "errors": 0,
        "shape_errors": 0,
    }
    assert report["operations"]["history pcs"]["list_shapes"] == []
    assert report["dialect"] == {
        "success_codes": [],
        "list_shapes": [],
        "numbers_as_text": 0,
        "numbers_as_json": 0,
        "timestamp_formats": {},
    }


async def test_the_report_of_a_walk_through_the_simulator(
    route_proxy: RouteProxy, make_client: MakeClient, simulator: Simulator
) -> None:
    moved = get_operation("pcs", "base_info_list")
    route_proxy.move("GET", moved.paths[0], moved.paths[1])
    client = make_client(route_proxy.base_url)
    device = await simulator.device("pcs")
    sn = device["deviceSn"]
    await client.async_get_plants()
    await client.async_get_base_info_list("pcs", device["dataLogSn"])
    for _ in range(2):
        await client.async_get_realtime("pcs", sn)
    now = datetime.now()  # noqa: DTZ005 - the cloud takes naive plant-local times
    await client.async_get_history_page("pcs", sn, now - timedelta(hours=1), now, 1)
    with pytest.raises(AtessNotFoundError):  # the envelope's own "not found": the route is there
        await client.async_modify_setting("pcs", sn, "no-such-key-for-sure", 1)
    report = client.contract_report()
    operations = report["operations"]

    listing = operations["base_info_list pcs"]
    assert (listing["resolution"], listing["path"], listing["origin"]) == (
        "answers",
        moved.paths[1],
        "candidate 2",
    )
    assert (listing["successes"], listing["route_missing"], listing["errors"]) == (1, 1, 0)
    assert listing["known_missing"] == [moved.paths[0]]
    assert (listing["last_status"], listing["last_code"]) == (200, 0)

    realtime = operations["realtime pcs"]
    assert (realtime["successes"], realtime["origin"]) == (2, "candidate 1")
    assert operations["plant_list"]["list_shapes"]
    assert operations["history pcs"]["list_shapes"] == ["paging object (datas)"]
    assert operations["realtime bcu"]["resolution"] == "unresolved"
    write = operations["modify_setting pcs"]
    assert (write["errors"], write["route_missing"], write["last_code"]) == (1, 0, 400)

    dialect = report["dialect"]
    assert 0 in dialect["success_codes"]
    assert "paging object (datas)" in dialect["list_shapes"]
    assert dialect["numbers_as_json"] > 0
    assert dialect["timestamp_formats"]["time"] == ["yyyy-MM-dd HH:mm:ss"]

    text = json.dumps(report)
    assert sn not in text
    assert device["dataLogSn"] not in text
    assert TOKEN not in text


async def test_the_report_names_another_dialect(
    fake_cloud: FakeCloud, make_client: MakeClient
) -> None:
    fake_cloud.answer({"code": 200, "data": [{"plantId": "1", "installDate": "2024-01-01"}]})
    fake_cloud.answer(
        {
            "code": "200",
            "data": {
                "time": 1_767_225_600_000,
                "ppv": "12.5",
                "soc": "80",
                "status": "running",
                "lost": False,
                "pac": 3,
            },
        }
    )
    fake_cloud.answer(
        {"code": 200, "data": {"list": [{"recordTime": "2026-01-01T08:00:00+08:00", "p": "1"}]}}
    )
    fake_cloud.answer({"code": 200, "data": [{"time": "2026/01/01 08:00:00"}]})
    fake_cloud.answer({"code": 200, "data": {"updateTime": "soon", "lastUpdate": 1_767_225_600}})
    client = make_client(fake_cloud.base_url)
    await client.async_get_plants()
    await client.async_get_realtime("pbd", "X")
    moment = datetime(2026, 1, 1)  # noqa: DTZ001
    await client.async_get_history_page("pbd", "X", moment, moment, 1)
    await client.async_get_history_page("hps_big", "X", moment, moment, 1)
    await client.async_get_base_info("pbd", "X")
    dialect = client.contract_report()["dialect"]
    assert dialect["success_codes"] == [200]
    assert dialect["list_shapes"] == ["array", "paging object (list)"]
    assert dialect["numbers_as_text"] == 3  # ppv, soc and p; "running" is no number
    assert dialect["numbers_as_json"] == 1  # pac; the flag is no number
    assert dialect["timestamp_formats"] == {
        "installDate": ["yyyy-MM-dd"],
        "lastUpdate": ["epoch s"],
        "recordTime": ["ISO 8601 with offset"],
        "time": ["epoch ms", "yyyy/MM/dd HH:mm:ss"],
        "updateTime": ["other"],
    }


async def test_the_report_counts_failures_by_kind(
    fake_cloud: FakeCloud, make_client: MakeClient
) -> None:
    fake_cloud.answer({"code": 500, "msg": "busy"})
    fake_cloud.answer(b"<html>bad gateway</html>", status=502)
    fake_cloud.answer({"code": 0, "data": "not a list"})
    fake_cloud.answer({"status": 404, "error": "Not Found"}, status=404)
    client = make_client(fake_cloud.base_url)
    with pytest.raises(AtessApiError):
        await client.async_get_settings("hps_big", "X")
    with pytest.raises(AtessApiError):
        await client.async_get_settings("hps_big", "X")
    with pytest.raises(AtessResponseError):
        await client.async_get_datalogs("1")
    with pytest.raises(AtessRouteMissingError):
        await client.async_get_settings("hps_big", "X")
    with pytest.raises(AtessRouteMissingError):
        await client.async_get_settings("hps_big", "X")  # known missing: no request
    operations = client.contract_report()["operations"]
    setting = operations["get_setting hps_big"]
    assert (setting["successes"], setting["errors"], setting["route_missing"]) == (0, 2, 1)
    assert (setting["last_status"], setting["last_code"]) == (404, None)
    assert (setting["resolution"], setting["path"]) == ("none answers", None)
    datalogs = operations["datalog_list"]
    assert (datalogs["successes"], datalogs["shape_errors"]) == (1, 1)
    assert datalogs["list_shapes"] == ["other"]
    assert len(fake_cloud.requests) == 4


async def test_an_unreachable_cloud_counts_as_an_error_without_a_status(
    make_client: MakeClient,
) -> None:
    client = make_client("http://127.0.0.1:9")
    with pytest.raises(AtessConnectionError):
        await client.async_get_plants()
    listing = client.contract_report()["operations"]["plant_list"]
    assert (listing["errors"], listing["last_status"], listing["resolution"]) == (
        1,
        None,
        "unresolved",
    )


def test_odd_lists_and_time_stamps_are_named_not_kept() -> None:
    recorder = ContractRecorder()
    history = get_operation("bcu", "history")
    recorder.record_success(history, 200, None, None)
    recorder.record_success(history, 200, 0, {"total": 0})
    recorder.record_success(history, 200, 0, {"Datas": [{"time": None}]})
    realtime = get_operation("bcu", "realtime")
    for stamp in (True, ["2026-01-01"], "2026-01-01T08:00:00", "1767225600000", "1767225600"):
        recorder.record_success(realtime, 200, 0, {"time": stamp, 7: "x"})
    report = recorder.report(RouteBook())
    assert report["operations"]["history bcu"]["list_shapes"] == [
        "null",
        "object without a list",
        "paging object (Datas)",
    ]
    assert report["dialect"]["success_codes"] == [0]
    assert report["dialect"]["timestamp_formats"]["time"] == [
        "ISO 8601 without offset",
        "epoch ms as text",
        "epoch s as text",
        "null",
        "other",
    ]
