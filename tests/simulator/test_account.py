"""Plant and datalog operations really change the account."""

from __future__ import annotations

from typing import Any

from aiohttp.test_utils import TestClient

from tests.simulator.helpers import AUTH, serials, state_of


async def _call(client: TestClient[Any, Any], method: str, path: str, **kwargs: Any) -> Any:
    resp = await client.request(method, path, headers=AUTH, **kwargs)
    return await resp.json()


async def test_plant_lifecycle(client: TestClient[Any, Any]) -> None:
    added = await _call(
        client,
        "POST",
        "/api/v1/plant",
        json={"plantName": "Roof", "timezone": "Asia/Shanghai", "nominalPower": 30000},
    )
    assert added["code"] == 200
    plant_id = added["data"]["plantId"]
    assert plant_id == "1002"
    renamed = await _call(
        client, "PUT", "/api/v1/plant", json={"plantId": plant_id, "plantName": "Barn"}
    )
    assert renamed["data"]["plantName"] == "Barn"
    got = await _call(client, "GET", "/api/v1/plant", params={"plantId": plant_id})
    assert got["data"]["timezone"] == "Asia/Shanghai"
    assert got["data"]["nominalPower"] == 30000
    listed = await _call(client, "GET", "/api/v1/plant/list")
    assert [p["plantId"] for p in listed["data"]["datas"]] == ["1001", "1002"]
    assert listed["data"]["total"] == 2
    bad_zone = await _call(
        client, "POST", "/api/v1/plant", json={"plantName": "X", "timezone": "Mars/Base"}
    )
    assert bad_zone["code"] == 400
    no_name = await _call(client, "POST", "/api/v1/plant", json={"city": "X"})
    assert no_name["code"] == 400
    assert "plantName" in no_name["msg"]
    assert (await _call(client, "DELETE", "/api/v1/plant", params={"plantId": plant_id}))[
        "code"
    ] == 200
    gone = await _call(client, "GET", "/api/v1/plant", params={"plantId": plant_id})
    assert gone["code"] == 400


async def test_datalog_lifecycle_and_device_removal(client: TestClient[Any, Any]) -> None:
    state = state_of(client)
    body = {"plantId": "1001", "dataLogSn": "DLX0Z00001", "validCode": "ABC123"}
    assert (await _call(client, "POST", "/api/v1/datalog", json=body))["code"] == 200
    again = await _call(client, "POST", "/api/v1/datalog", json=body)
    assert again["code"] == 500
    listed = await _call(client, "GET", "/api/v1/datalog/list", params={"plantId": "1001"})
    assert len(listed["data"]) == 3
    assert set(listed["data"][0]) >= {"dataLogSn", "plantId", "lost", "lastUpdate", "interval"}
    # Deleting a datalog with devices makes those devices unknown.
    pcs = serials(state)["pcs"]
    datalog_sn = state.account.devices[pcs].datalog_sn
    deleted = await _call(client, "DELETE", "/api/v1/datalog", json={"dataLogSn": datalog_sn})
    assert deleted["code"] == 200
    gone = await _call(client, "GET", "/api/v1/pcs/data-last", params={"deviceSn": pcs})
    assert gone["code"] == 400
    # Deleting the plant takes the rest with it.
    await _call(client, "DELETE", "/api/v1/plant", params={"plantId": "1001"})
    assert state.account.devices == {}
    inventory = state.inventory()
    assert inventory["plants"] == []
    # The hardware still exists: every datalog is back in stock, ready to be attached again.
    assert {log["dataLogSn"] for log in inventory["stock"]} >= {"DLX0Z00001", datalog_sn}
