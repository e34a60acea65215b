"""Setting writes: typed parsing, unknown keys, and the ration of 10 per device per day."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from aiohttp.test_utils import TestClient
import freezegun

from tests.simulator.helpers import AUTH, serials, state_of

LIMIT_MSG = "The device supports Settings 10 times per day"


async def _put(client: TestClient[Any, Any], path: str, body: dict[str, Any]) -> dict[str, Any]:
    resp = await client.put(path, json=body, headers=AUTH)
    result: dict[str, Any] = await resp.json()
    return result


async def test_ten_writes_apply_and_the_eleventh_is_refused(client: TestClient[Any, Any]) -> None:
    state = state_of(client)
    sn = serials(state)["mbms"]
    path = "/api/v1/bms/mbms-setting"
    with freezegun.freeze_time(datetime(2024, 6, 15, 10, 0, tzinfo=UTC), real_asyncio=True):
        for number in range(10):
            body = {"deviceSn": sn, "key": "batPackNumber", "value": str(number + 1)}
            assert await _put(client, path, body) == {"code": 200, "data": None, "msg": ""}
        refused = await _put(client, path, {"deviceSn": sn, "key": "batPackNumber", "value": "99"})
        assert refused == {"code": 500, "data": None, "msg": LIMIT_MSG}
        resp = await client.get(path, params={"deviceSn": sn}, headers=AUTH)
        assert (await resp.json())["data"]["batPackNumber"] == 10
        stats = state.stats()
        assert stats["writes_applied"] == {sn: 10}
        assert stats["writes_refused"] == {sn: 1}
        assert len(stats["writes"]) == 10
        assert stats["writes"][-1]["value"] == 10
        # Another device still has its own budget.
        other = serials(state)["pcs"]
        ok = await _put(
            client, "/api/v1/pcs/setting", {"deviceSn": other, "key": "onOff", "value": "0"}
        )
        assert ok["code"] == 200
    # The ration is per plant-local calendar day: after midnight in Berlin writes work again.
    with freezegun.freeze_time(datetime(2024, 6, 15, 22, 1, tzinfo=UTC), real_asyncio=True):
        body = {"deviceSn": sn, "key": "batPackNumber", "value": "12"}
        assert (await _put(client, path, body))["code"] == 200


async def test_values_are_parsed_to_the_setting_type(client: TestClient[Any, Any]) -> None:
    state = state_of(client)
    sns = serials(state)
    big = "/api/v1/hps/big-setting"
    cases = [
        (big, sns["hps_big"], "maxGridChargePower", "42.5", 42.5),
        (big, sns["hps_big"], "workMode", "3", 3),
        (big, sns["hps_big"], "valleyPeriodTime2", "22:00-23:30", "22:00-23:30"),
        ("/api/v1/bms/mbms-setting", sns["mbms"], "batSwitchOnDiffVolt", "12", 12.0),
    ]
    for path, sn, key, text, expected in cases:
        assert (await _put(client, path, {"deviceSn": sn, "key": key, "value": text}))[
            "code"
        ] == 200
        assert state.settings[sn][key] == expected
        assert type(state.settings[sn][key]) is type(expected)


async def test_bad_writes(client: TestClient[Any, Any]) -> None:
    state = state_of(client)
    sn = serials(state)["hps_big"]
    path = "/api/v1/hps/big-setting"
    unknown = await _put(client, path, {"deviceSn": sn, "key": "noSuchKey", "value": "1"})
    assert unknown == {"code": 400, "data": None, "msg": "not found"}
    for key, text in (
        ("workMode", "fast"),
        ("workMode", "1.5"),
        ("valleyPeriodTime1", "25:00-26:00"),
    ):
        bad = await _put(client, path, {"deviceSn": sn, "key": key, "value": text})
        assert bad["code"] == 500
        assert key in bad["msg"]
    missing = await _put(client, path, {"deviceSn": sn, "key": "workMode"})
    assert missing["code"] == 400
    assert "value" in missing["msg"]
    wrong_kind = await _put(
        client, "/api/v1/pcs/setting", {"deviceSn": sn, "key": "onOff", "value": "1"}
    )
    assert wrong_kind["code"] == 400
    assert state.stats()["writes_applied"] == {}
