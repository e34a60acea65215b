"""Dialects: the same cloud read differently where the docs are silent, over loopback HTTP."""

from __future__ import annotations

import re
from typing import Any

from aiohttp.test_utils import TestClient
import pytest

from simulator import SimulatorConfig
from simulator.__main__ import config_from_args, parse_args
from tests.simulator.helpers import AUTH, MakeClient, serials, state_of

SPRING_TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$")
HISTORY = {
    "startDate": "2020-01-01 00:00:00",
    "endDate": "2099-01-01 00:00:00",
    "pageNo": "1",
    "pageSize": "5",
}


def _dialects(*names: str) -> dict[str, Any]:
    return {"dialects": frozenset(names)}


async def _json(
    client: TestClient[Any, Any], method: str, path: str, **kwargs: Any
) -> tuple[int, Any]:
    resp = await client.request(method, path, headers=AUTH, **kwargs)
    return resp.status, await resp.json()


async def _assert_spring_404(client: TestClient[Any, Any], method: str, path: str) -> None:
    status, body = await _json(client, method, path, params={"deviceSn": "X"})
    assert status == 404, (method, path)
    assert set(body) == {"timestamp", "status", "error", "path"}
    assert (body["status"], body["error"], body["path"]) == (404, "Not Found", path)
    assert SPRING_TIMESTAMP.match(body["timestamp"])


async def test_unknown_routes_answer_springs_404(client: TestClient[Any, Any]) -> None:
    await _assert_spring_404(client, "GET", "/api/v1/hps/no-such-thing")
    # A known path with a method it does not have is just as unknown.
    await _assert_spring_404(client, "PATCH", "/api/v1/plant")
    await _assert_spring_404(client, "GET", "/api/v2/plant/list")
    # Introspection keeps aiohttp's own answer: it is not the cloud.
    assert (await client.get("/_simulator/nothing")).status == 404
    requests = state_of(client).stats()["requests"]
    assert isinstance(requests, dict)
    assert requests["GET /api/v1/hps/no-such-thing"] == 1


async def test_alt_routes_serve_only_the_last_candidate(make_client: MakeClient) -> None:
    client = await make_client(**_dialects("alt-routes"))
    routes = (await (await client.get("/_simulator/dialects")).json())["routes"]
    assert len(routes) == 45
    moved = [r for r in routes if len(r["candidates"]) == 2]
    assert len(moved) == 31
    for route in routes:
        assert route["served"] == route["candidates"][-1:]
    # The first candidate of every moved operation is gone, for its method.
    for route in moved:
        await _assert_spring_404(client, route["method"], route["candidates"][0])
    sn = serials(state_of(client))
    log_sn = state_of(client).account.devices[sn["pcs"]].datalog_sn
    for path, params in (
        ("/api/v1/bms/bcu-base-info", {"deviceSn": sn["bcu"]}),
        ("/api/v1/mbms/data-last", {"deviceSn": sn["mbms"]}),
        ("/api/v1/hps/base-info/list", {"dataLogSn": log_sn}),
        ("/api/v1/hps/data-last", {"deviceSn": sn["hps_big"]}),  # third-party: single
        ("/api/v1/pcs/pcs-setting", {"deviceSn": sn["pcs"]}),
        ("/api/v1/plant/base-info", {"plantId": "1001"}),
        ("/api/v1/datalog/base-info/list", {"plantId": "1001"}),
    ):
        status, body = await _json(client, "GET", path, params=params)
        assert (status, body["code"]) == (200, 0), path
    status, body = await _json(client, "POST", "/api/v1/plant/add", json={"plantName": "Barn"})
    assert body["code"] == 200
    await _assert_spring_404(client, "POST", "/api/v1/plant")


async def test_no_pcs_realtime_exists_nowhere(make_client: MakeClient) -> None:
    for names in (("no-pcs-realtime",), ("no-pcs-realtime", "alt-routes")):
        client = await make_client(**_dialects(*names))
        sn = serials(state_of(client))["pcs"]
        await _assert_spring_404(client, "GET", "/api/v1/pcs/data-last")
        await _assert_spring_404(client, "GET", "/api/v1/pcs/pcs-data-last")
        history = "/api/v1/pcs/pcs-data-list" if "alt-routes" in names else "/api/v1/pcs/data-list"
        status, body = await _json(client, "GET", history, params={"deviceSn": sn, **HISTORY})
        assert (status, body["code"]) == (200, 0)


@pytest.mark.parametrize(
    ("dialect", "read_code", "write_code"),
    [(None, 0, 200), ("code-200", 200, 200), ("code-0", 0, 0)],
)
async def test_success_codes(
    make_client: MakeClient, dialect: str | None, read_code: int, write_code: int
) -> None:
    client = await make_client(**_dialects(*([dialect] if dialect else [])))
    sn = serials(state_of(client))["pbd"]
    _, read = await _json(client, "GET", "/api/v1/pbd/data-last", params={"deviceSn": sn})
    assert read["code"] == read_code
    _, write = await _json(
        client, "PUT", "/api/v1/pbd/setting", json={"deviceSn": sn, "key": "socMin", "value": "15"}
    )
    assert write["code"] == write_code
    # Errors keep their own codes.
    _, missing = await _json(client, "GET", "/api/v1/pbd/data-last", params={"deviceSn": "NOPE"})
    assert missing["code"] == 400


async def test_data_array_and_data_paged(make_client: MakeClient) -> None:
    default = await make_client()
    bare = await make_client(**_dialects("data-array"))
    paged = await make_client(**_dialects("data-paged"))
    sn = serials(state_of(default))["hps_big"]
    log_sn = state_of(default).account.devices[sn].datalog_sn
    history_params = {"deviceSn": sn, **HISTORY}

    async def shapes(client: TestClient[Any, Any]) -> list[Any]:
        found = []
        for path, params in (
            ("/api/v1/hps/data-list", history_params),
            ("/api/v1/plant/list", {}),
            ("/api/v1/datalog/list", {"plantId": "1001"}),
            ("/api/v1/hps/big-base-info/list", {"dataLogSn": log_sn}),
        ):
            _, body = await _json(client, "GET", path, params=params)
            found.append(body["data"])
        return found

    history, plants, logs, infos = await shapes(default)
    assert [type(x) for x in (history, plants, logs, infos)] == [dict, dict, list, list]
    b_history, b_plants, b_logs, b_infos = await shapes(bare)
    assert b_history == history["datas"]
    assert len(b_history) == 5
    assert b_plants == plants["datas"]
    assert (b_logs, b_infos) == (logs, infos)
    p_history, p_plants, p_logs, p_infos = await shapes(paged)
    assert (p_history, p_plants) == (history, plants)
    assert p_logs == {"datas": logs, "offset": 0, "pageNo": 1, "pageSize": 2, "total": 2}
    assert p_infos["datas"] == infos
    assert p_infos["total"] == 1


async def test_text_numbers(make_client: MakeClient) -> None:
    client = await make_client(**_dialects("text-numbers", "data-paged"))
    plain = await make_client()
    sn = serials(state_of(client))["pcs"]
    _, record = await _json(client, "GET", "/api/v1/pcs/data-last", params={"deviceSn": sn})
    _, expected = await _json(plain, "GET", "/api/v1/pcs/data-last", params={"deviceSn": sn})
    assert record["data"]["lost"] is False
    assert record["data"]["ppv"] == str(expected["data"]["ppv"])
    assert all(isinstance(value, str) for key, value in record["data"].items() if key != "lost")
    _, settings = await _json(client, "GET", "/api/v1/pcs/setting", params={"deviceSn": sn})
    assert settings["data"]["chargeCutoffSoc"] == "100"
    _, page = await _json(
        client, "GET", "/api/v1/pcs/data-list", params={"deviceSn": sn, **HISTORY}
    )
    # The page's own counters stay numbers; the records inside speak text.
    assert isinstance(page["data"]["total"], int)
    assert isinstance(page["data"]["datas"][0]["capacity"], str)
    _, logs = await _json(client, "GET", "/api/v1/datalog/list", params={"plantId": "1001"})
    assert logs["data"]["datas"][0]["interval"] == "5"


async def test_dialects_are_listed(make_client: MakeClient) -> None:
    client = await make_client(**_dialects("code-200", "alt-routes"))
    listed = await (await client.get("/_simulator/dialects")).json()
    assert listed["dialects"] == ["alt-routes", "code-200"]
    assert "fresh-account" in listed["known"]


def test_dialect_names_are_checked() -> None:
    config = config_from_args(parse_args(["--dialect", "alt-routes, code-200"]))
    assert config.dialects == frozenset({"alt-routes", "code-200"})
    assert config_from_args(parse_args([])).dialects == frozenset()
    with pytest.raises(ValueError, match="unknown dialect"):
        SimulatorConfig(dialects=frozenset({"alt-rotues"}))
    with pytest.raises(ValueError, match="exclude each other"):
        SimulatorConfig(dialects=frozenset({"data-array", "data-paged"}))
    with pytest.raises(SystemExit):
        parse_args(["--dialect", "code-0,code-200"])
