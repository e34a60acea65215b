"""Every operation of docs/cloud-contract.md answers at its path with the documented shape."""

from __future__ import annotations

from typing import Any

from aiohttp.test_utils import TestClient

from simulator.model.settings import BCU_SETTINGS
from tests.simulator.helpers import AUTH, serials, state_of

# Copied from docs/cloud-contract.md on purpose (not imported from the simulator's own table).
CONTRACT: list[tuple[str, str, str, str]] = [
    ("bcu", "base_info", "GET", "/api/v1/bms/buc-base-info"),
    ("bcu", "base_info_list", "GET", "/api/v1/bms/buc-base-info/list"),
    ("bcu", "history", "GET", "/api/v1/bms/bcu-data-list"),
    ("bcu", "realtime", "GET", "/api/v1/bms/bcu-data-last"),
    ("bcu", "get_setting", "GET", "/api/v1/bms/bcu-setting"),
    ("bcu", "modify_setting", "PUT", "/api/v1/bms/bcu-setting"),
    ("mbms", "base_info", "GET", "/api/v1/bms/mbms-base-info"),
    ("mbms", "base_info_list", "GET", "/api/v1/bms/mbms-base-info/list"),
    ("mbms", "history", "GET", "/api/v1/bms/mbms-data-list"),
    ("mbms", "realtime", "GET", "/api/v1/bms/mbms-data-last"),
    ("mbms", "get_setting", "GET", "/api/v1/bms/mbms-setting"),
    ("mbms", "modify_setting", "PUT", "/api/v1/bms/mbms-setting"),
    ("hps_big", "base_info", "GET", "/api/v1/hps/big-base-info"),
    ("hps_big", "base_info_list", "GET", "/api/v1/hps/big-base-info/list"),
    ("hps_big", "history", "GET", "/api/v1/hps/data-list"),
    ("hps_big", "realtime", "GET", "/api/v1/hps/data-last"),
    ("hps_big", "get_setting", "GET", "/api/v1/hps/big-setting"),
    ("hps_big", "modify_setting", "PUT", "/api/v1/hps/big-setting"),
    ("hps_small", "base_info", "GET", "/api/v1/hps/small-base-info"),
    ("hps_small", "base_info_list", "GET", "/api/v1/hps/small-base-info/list"),
    ("hps_small", "history", "GET", "/api/v1/hps/data-list-small"),
    ("hps_small", "realtime", "GET", "/api/v1/hps/data-last-small"),
    ("hps_small", "get_setting", "GET", "/api/v1/hps/small-setting"),
    ("hps_small", "modify_setting", "PUT", "/api/v1/hps/small-setting"),
    ("pbd", "base_info", "GET", "/api/v1/pbd/base-info"),
    ("pbd", "base_info_list", "GET", "/api/v1/pbd/base-info/list"),
    ("pbd", "history", "GET", "/api/v1/pbd/data-list"),
    ("pbd", "realtime", "GET", "/api/v1/pbd/data-last"),
    ("pbd", "get_setting", "GET", "/api/v1/pbd/setting"),
    ("pbd", "modify_setting", "PUT", "/api/v1/pbd/setting"),
    ("pcs", "base_info", "GET", "/api/v1/pcs/base-info"),
    ("pcs", "base_info_list", "GET", "/api/v1/pcs/base-info/list"),
    ("pcs", "history", "GET", "/api/v1/pcs/data-list"),
    ("pcs", "realtime", "GET", "/api/v1/pcs/data-last"),
    ("pcs", "get_setting", "GET", "/api/v1/pcs/setting"),
    ("pcs", "modify_setting", "PUT", "/api/v1/pcs/setting"),
    ("datalog", "get", "GET", "/api/v1/datalog"),
    ("datalog", "add", "POST", "/api/v1/datalog"),
    ("datalog", "delete", "DELETE", "/api/v1/datalog"),
    ("datalog", "list", "GET", "/api/v1/datalog/list"),
    ("plant", "get", "GET", "/api/v1/plant"),
    ("plant", "add", "POST", "/api/v1/plant"),
    ("plant", "modify", "PUT", "/api/v1/plant"),
    ("plant", "delete", "DELETE", "/api/v1/plant"),
    ("plant", "list", "GET", "/api/v1/plant/list"),
]

BASE_INFO_KEYS = {
    "address",
    "dataLogSn",
    "deviceModel",
    "deviceNo",
    "deviceSn",
    "firmwareVersion",
    "lost",
    "status",
    "systemNo",
    "updateTime",
}
PAGE_KEYS = {"datas", "offset", "pageNo", "pageSize", "total"}
TODAY_RANGE = {"startDate": "2000-01-01 00:00:00", "endDate": "2100-01-01 00:00:00"}


def _request_for(
    client: TestClient[Any, Any], group: str, operation: str
) -> tuple[dict[str, str], dict[str, Any] | None]:
    state = state_of(client)
    sn = serials(state).get(group, "")
    plant_id = "1001"
    datalog_sn = next(iter(state.account.datalogs))
    if operation in ("base_info", "realtime", "get_setting"):
        return {"deviceSn": sn}, None
    if operation == "base_info_list":
        return {"dataLogSn": state.account.devices[sn].datalog_sn}, None
    if operation == "history":
        return {"deviceSn": sn, **TODAY_RANGE, "pageNo": "1", "pageSize": "5"}, None
    if operation == "modify_setting":
        key, value = next(iter(state.settings[sn].items()))
        return {}, {"deviceSn": sn, "key": key, "value": str(value)}
    requests: dict[tuple[str, str], tuple[dict[str, str], dict[str, Any] | None]] = {
        ("plant", "get"): ({"plantId": plant_id}, None),
        ("plant", "add"): ({}, {"plantName": "Contract", "timezone": "Europe/Berlin"}),
        ("plant", "modify"): ({}, {"plantId": plant_id, "plantName": "Renamed"}),
        ("plant", "delete"): ({"plantId": "1002"}, None),
        ("plant", "list"): ({}, None),
        ("datalog", "get"): ({"dataLogSn": datalog_sn}, None),
        ("datalog", "add"): (
            {},
            {"plantId": plant_id, "dataLogSn": "NEW0A00001", "validCode": "x"},
        ),
        ("datalog", "delete"): ({"dataLogSn": "NEW0A00001"}, None),
        ("datalog", "list"): ({"plantId": plant_id}, None),
    }
    return requests[group, operation]


async def test_contract_has_45_operations() -> None:
    assert len(CONTRACT) == 45
    assert len({(method, path) for _, _, method, path in CONTRACT}) == 45


async def test_every_operation_answers_with_an_envelope(client: TestClient[Any, Any]) -> None:
    for group, operation, method, path in CONTRACT:
        params, body = _request_for(client, group, operation)
        resp = await client.request(method, path, params=params, json=body, headers=AUTH)
        assert resp.status == 200, (method, path)
        envelope = await resp.json()
        assert set(envelope) == {"code", "data", "msg"}, (method, path)
        if method == "GET":
            assert envelope["code"] == 0, (method, path, envelope)
            assert envelope["msg"] == "operate successfully"
        else:
            assert envelope["code"] == 200, (method, path, envelope)
            assert envelope["msg"] == ""
        data = envelope["data"]
        if operation in ("base_info", "get"):
            assert isinstance(data, dict)
        if operation == "base_info":
            assert set(data) == BASE_INFO_KEYS
            assert data["deviceSn"] == params["deviceSn"]
        if operation == "base_info_list":
            assert isinstance(data, list)
            assert data
            assert set(data[0]) == BASE_INFO_KEYS
        if operation == "history":
            assert set(data) == PAGE_KEYS
            assert len(data["datas"]) == 5
        if operation == "realtime":
            assert "lost" in data
            assert "time" in data
        if operation == "modify_setting":
            assert envelope == {"code": 200, "data": None, "msg": ""}


async def test_realtime_key_ranges_follow_the_docs(client: TestClient[Any, Any]) -> None:
    sns = serials(state_of(client))
    expected = {
        "/api/v1/hps/data-last": ("hps_big", "atsBypass", "vpvwu"),
        "/api/v1/hps/data-last-small": ("hps_small", "bipvBuck1", "vpvwn"),
        "/api/v1/pbd/data-last": ("pbd", "bipvBuck1", "vpv5"),
    }
    for path, (kind, first, last) in expected.items():
        resp = await client.get(path, params={"deviceSn": sns[kind]}, headers=AUTH)
        keys = list((await resp.json())["data"])
        assert keys[0] == first
        assert keys[-1] == last
        assert keys == sorted(keys)


async def test_settings_follow_the_docs(client: TestClient[Any, Any]) -> None:
    sns = serials(state_of(client))

    async def settings(path: str, kind: str) -> dict[str, Any]:
        resp = await client.get(path, params={"deviceSn": sns[kind]}, headers=AUTH)
        data: dict[str, Any] = (await resp.json())["data"]
        return data

    bcu = await settings("/api/v1/bms/bcu-setting", "bcu")
    assert bcu == BCU_SETTINGS
    assert len(bcu) == 35
    assert bcu["level2DischargeTEMPLowFault"] == -10
    big = list(await settings("/api/v1/hps/big-setting", "hps_big"))
    assert (big[0], big[-1]) == ("atsComNo", "valleyPeriodTime5")
    assert "sharedBatteryEnable" in big
    small = list(await settings("/api/v1/hps/small-setting", "hps_small"))
    assert (small[0], small[-1]) == ("batCapacity", "valleyPeriodTime2")
    mbms = await settings("/api/v1/bms/mbms-setting", "mbms")
    assert mbms["batGroupNumber"] == 2
    assert mbms["batPackNumber"] == 16
    assert mbms["batSwitchOnDiffVolt"] == 10.0
    for path, kind in (("/api/v1/pbd/setting", "pbd"), ("/api/v1/pcs/setting", "pcs")):
        assert "vendorReserved1" in await settings(path, kind)


async def test_hv_model_reports_total_pv_as_ppv1(client: TestClient[Any, Any]) -> None:
    state = state_of(client)
    device = state.account.devices[serials(state)["hps_big"]]
    assert device.model == "HPS150HV"
    for index in range(0, 288 * 2, 7):
        record = state.record(device, index)
        strings = record["ppv"] + record["ppv2"] + record["ppv3"]
        assert abs(record["ppv1"] - strings) <= 0.03
