"""Token, language, unknown serials and bad parameters."""

from __future__ import annotations

from typing import Any

from aiohttp.test_utils import TestClient

from tests.simulator.helpers import AUTH, serials, state_of


async def test_wrong_or_missing_token_is_no_access(client: TestClient[Any, Any]) -> None:
    sn = serials(state_of(client))["pcs"]
    for headers in ({}, {"Authorization": "Bearer demo-token"}, {"Authorization": "Demo-Token"}):
        resp = await client.get("/api/v1/pcs/data-last", params={"deviceSn": sn}, headers=headers)
        assert resp.status == 200
        assert await resp.json() == {"code": 403, "data": None, "msg": "No access"}


async def test_chinese_messages(client: TestClient[Any, Any]) -> None:
    sn = serials(state_of(client))["pcs"]
    resp = await client.get(
        "/api/v1/pcs/data-last", params={"deviceSn": sn}, headers={**AUTH, "Accept-Language": "zh"}
    )
    assert (await resp.json())["msg"] == "操作成功"
    resp = await client.get(
        "/api/v1/pcs/data-last", params={"deviceSn": sn}, headers={"Accept-Language": "zh-CN"}
    )
    assert (await resp.json())["msg"] == "无权限"


async def test_unknown_identifiers_are_not_found(client: TestClient[Any, Any]) -> None:
    hps_small = serials(state_of(client))["hps_small"]
    cases = [
        ("/api/v1/pbd/data-last", {"deviceSn": "NOPE000000"}),
        # A string-type HPS is unknown to the central-type endpoint, and the other way round.
        ("/api/v1/hps/data-last", {"deviceSn": hps_small}),
        ("/api/v1/pbd/base-info/list", {"dataLogSn": "NOPE000000"}),
        ("/api/v1/plant", {"plantId": "9999"}),
        ("/api/v1/datalog", {"dataLogSn": "NOPE000000"}),
        ("/api/v1/datalog/list", {"plantId": "9999"}),
    ]
    for path, params in cases:
        resp = await client.get(path, params=params, headers=AUTH)
        assert await resp.json() == {"code": 400, "data": None, "msg": "not found"}, path


async def test_missing_and_bad_parameters(client: TestClient[Any, Any]) -> None:
    sn = serials(state_of(client))["bcu"]
    resp = await client.get("/api/v1/bms/bcu-data-last", headers=AUTH)
    body = await resp.json()
    assert body["code"] == 400
    assert "deviceSn" in body["msg"]
    params = {"deviceSn": sn, "startDate": "2024-01-01", "endDate": "2024-01-02 00:00:00"}
    resp = await client.get(
        "/api/v1/bms/bcu-data-list", params={**params, "pageNo": "1"}, headers=AUTH
    )
    body = await resp.json()
    assert body["code"] == 400
    assert "startDate" in body["msg"]
    params["startDate"] = "2024-01-01 00:00:00"
    resp = await client.get("/api/v1/bms/bcu-data-list", params=params, headers=AUTH)
    body = await resp.json()
    assert body["code"] == 400
    assert "pageNo" in body["msg"]


async def test_page_size_is_clamped(client: TestClient[Any, Any]) -> None:
    sn = serials(state_of(client))["bcu"]
    params = {
        "deviceSn": sn,
        "startDate": "2000-01-01 00:00:00",
        "endDate": "2100-01-01 00:00:00",
        "pageNo": "1",
        "pageSize": "1000",
    }
    resp = await client.get("/api/v1/bms/bcu-data-list", params=params, headers=AUTH)
    data = (await resp.json())["data"]
    assert data["pageSize"] == 100
    assert len(data["datas"]) == 100
    params.pop("pageSize")
    resp = await client.get("/api/v1/bms/bcu-data-list", params=params, headers=AUTH)
    assert (await resp.json())["data"]["pageSize"] == 10
