"""The `fresh-account` dialect: no plant, no datalog until the owner adds them (docs' steps 2-3)."""

from __future__ import annotations

from typing import Any

from aiohttp.test_utils import TestClient

from tests.simulator.helpers import AUTH, MakeClient, state_of


async def _call(client: TestClient[Any, Any], method: str, path: str, **kwargs: Any) -> Any:
    resp = await client.request(method, path, headers=AUTH, **kwargs)
    assert resp.status == 200
    return await resp.json()


async def _fresh(make_client: MakeClient, *more: str) -> TestClient[Any, Any]:
    return await make_client(dialects=frozenset({"fresh-account", *more}))


async def test_a_fresh_account_sees_nothing_but_has_datalogs_in_stock(
    make_client: MakeClient,
) -> None:
    client = await _fresh(make_client)
    listed = await _call(client, "GET", "/api/v1/plant/list")
    assert (listed["code"], listed["data"]["datas"], listed["data"]["total"]) == (0, [], 0)
    inventory = await (await client.get("/_simulator/inventory")).json()
    assert inventory["plants"] == []
    assert len(inventory["stock"]) == 2
    for log in inventory["stock"]:
        assert len(log["validCode"]) == 6
        assert log["devices"]
    # The same seed lays out the same hardware as the demo account.
    demo = state_of(await make_client())
    assert {log["dataLogSn"] for log in inventory["stock"]} == set(demo.account.datalogs)


async def test_plant_then_datalog_brings_devices(make_client: MakeClient) -> None:
    client = await _fresh(make_client)
    stock = (await (await client.get("/_simulator/inventory")).json())["stock"]
    plant = await _call(
        client,
        "POST",
        "/api/v1/plant",
        json={"plantName": "Roof", "timezone": "Europe/Berlin", "nominalPower": 50000},
    )
    assert plant["code"] == 200
    plant_id = plant["data"]["plantId"]
    assert plant_id == "1001"
    first = stock[0]
    added = await _call(
        client,
        "POST",
        "/api/v1/datalog",
        json={
            "plantId": plant_id,
            "dataLogSn": first["dataLogSn"],
            "validCode": first["validCode"],
        },
    )
    assert added["code"] == 200
    assert added["data"]["dataLogSn"] == first["dataLogSn"]
    assert added["data"]["plantId"] == plant_id
    # A normal setup continues: lists, base info and values of the devices behind it.
    logs = await _call(client, "GET", "/api/v1/datalog/list", params={"plantId": plant_id})
    assert [log["dataLogSn"] for log in logs["data"]] == [first["dataLogSn"]]
    hps = next(dev for dev in first["devices"] if dev["kind"] == "hps_big")
    infos = await _call(
        client, "GET", "/api/v1/hps/big-base-info/list", params={"dataLogSn": first["dataLogSn"]}
    )
    assert [info["deviceSn"] for info in infos["data"]] == [hps["deviceSn"]]
    realtime = await _call(
        client, "GET", "/api/v1/hps/data-last", params={"deviceSn": hps["deviceSn"]}
    )
    assert realtime["code"] == 0
    assert realtime["data"]["epvTotal"] > 0
    # The second datalog needs no code when the owner has none.
    second = await _call(
        client,
        "POST",
        "/api/v1/datalog",
        json={"plantId": plant_id, "dataLogSn": stock[1]["dataLogSn"]},
    )
    assert second["code"] == 200
    inventory = await (await client.get("/_simulator/inventory")).json()
    assert inventory["stock"] == []
    assert len(inventory["plants"][0]["datalogs"]) == 2


async def test_refusals_say_why(make_client: MakeClient) -> None:
    client = await _fresh(make_client)
    stock = (await (await client.get("/_simulator/inventory")).json())["stock"]
    sn = stock[0]["dataLogSn"]
    plant_id = (await _call(client, "POST", "/api/v1/plant", json={"plantName": "Roof"}))["data"][
        "plantId"
    ]
    unknown = await _call(
        client, "POST", "/api/v1/datalog", json={"plantId": plant_id, "dataLogSn": "DLX0A99999"}
    )
    assert (unknown["code"], unknown["msg"]) == (400, "DataLog DLX0A99999 does not exist")
    wrong = await _call(
        client,
        "POST",
        "/api/v1/datalog",
        json={"plantId": plant_id, "dataLogSn": sn, "validCode": "WRONG1"},
    )
    assert wrong["code"] == 500
    assert wrong["msg"] == f"the validation code does not match DataLog {sn}"
    chinese = await client.post(
        "/api/v1/datalog",
        json={"plantId": plant_id, "dataLogSn": sn, "validCode": "WRONG1"},
        headers={**AUTH, "Accept-Language": "zh-CN"},
    )
    assert sn in (await chinese.json())["msg"]
    no_plant = await _call(
        client, "POST", "/api/v1/datalog", json={"plantId": "4242", "dataLogSn": sn}
    )
    assert no_plant["code"] == 400
    body = {"plantId": plant_id, "dataLogSn": sn, "validCode": stock[0]["validCode"]}
    assert (await _call(client, "POST", "/api/v1/datalog", json=body))["code"] == 200
    duplicate = await _call(client, "POST", "/api/v1/datalog", json=body)
    assert (duplicate["code"], duplicate["msg"]) == (500, f"{sn} already exists")
    missing = await _call(client, "POST", "/api/v1/datalog", json={"plantId": plant_id})
    assert (missing["code"], missing["msg"]) == (400, "dataLogSn is required")


async def test_deleting_a_datalog_takes_its_devices_and_it_can_come_back(
    make_client: MakeClient,
) -> None:
    client = await _fresh(make_client, "alt-routes")
    log = (await (await client.get("/_simulator/inventory")).json())["stock"][0]
    device = log["devices"][0]
    plant_id = (await _call(client, "POST", "/api/v1/plant/add", json={"plantName": "Roof"}))[
        "data"
    ]["plantId"]
    body = {"plantId": plant_id, "dataLogSn": log["dataLogSn"]}
    assert (await _call(client, "POST", "/api/v1/datalog/add", json=body))["code"] == 200
    assert device["deviceSn"] in state_of(client).account.devices
    deleted = await _call(
        client, "DELETE", "/api/v1/datalog/delete", params={"dataLogSn": log["dataLogSn"]}
    )
    assert deleted["code"] == 200
    assert device["deviceSn"] not in state_of(client).account.devices
    gone = await _call(
        client, "GET", "/api/v1/datalog/base-info", params={"dataLogSn": log["dataLogSn"]}
    )
    assert gone["code"] == 400
    assert (await _call(client, "POST", "/api/v1/datalog/add", json=body))["code"] == 200
    assert device["deviceSn"] in state_of(client).account.devices
