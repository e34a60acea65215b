"""History pages serve exactly the records realtime served, and only completed slots."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from aiohttp.test_utils import TestClient
import freezegun

from tests.simulator.helpers import AUTH, serials, state_of

# 14:02:30 Berlin summer time: the latest completed slot is 14:00.
NOW = datetime(2024, 6, 20, 12, 2, 30, tzinfo=UTC)


async def _data(client: TestClient[Any, Any], path: str, **params: str) -> Any:
    resp = await client.get(path, params=params, headers=AUTH)
    body = await resp.json()
    assert body["code"] == 0, body
    return body["data"]


async def test_realtime_is_the_latest_slot_and_history_repeats_it(
    client: TestClient[Any, Any],
) -> None:
    sn = serials(state_of(client))["hps_big"]
    with freezegun.freeze_time(NOW, real_asyncio=True) as frozen:
        first = await _data(client, "/api/v1/hps/data-last", deviceSn=sn)
        assert first["time"] == "2024-06-20 14:00:00"
        frozen.tick(timedelta(minutes=5))
        second = await _data(client, "/api/v1/hps/data-last", deviceSn=sn)
        assert second["time"] == "2024-06-20 14:05:00"
        assert second["epvTotal"] >= first["epvTotal"]
        page = await _data(
            client,
            "/api/v1/hps/data-list",
            deviceSn=sn,
            startDate="2024-06-20 13:00:00",
            endDate="2024-06-20 23:59:59",
            pageNo="1",
            pageSize="100",
        )
    # Only slots up to now: 13:00 .. 14:05 is 14 records, ascending.
    assert page["total"] == 14
    times = [rec["time"] for rec in page["datas"]]
    assert times[0] == "2024-06-20 13:00:00"
    assert times == sorted(times)
    assert page["datas"][-2] == first
    assert page["datas"][-1] == second


async def test_paging_and_record_time_of_string_hps(client: TestClient[Any, Any]) -> None:
    state = state_of(client)
    sn = serials(state)["hps_small"]
    with freezegun.freeze_time(NOW, real_asyncio=True):
        pages = [
            await _data(
                client,
                "/api/v1/hps/data-list-small",
                deviceSn=sn,
                startDate="2024-06-19 00:00:00",
                endDate="2024-06-19 23:59:59",
                pageNo=str(page_no),
                pageSize="100",
            )
            for page_no in (1, 2, 3, 4)
        ]
        realtime = await _data(client, "/api/v1/hps/data-last-small", deviceSn=sn)
    assert [page["total"] for page in pages] == [288] * 4
    assert [len(page["datas"]) for page in pages] == [100, 100, 88, 0]
    assert [page["offset"] for page in pages] == [0, 100, 200, 300]
    records = [rec for page in pages for rec in page["datas"]]
    assert all("recordTime" in rec and "time" not in rec for rec in records)
    assert "time" in realtime
    expected = state.counters_at(sn, datetime(2024, 6, 19, 15, 35, tzinfo=UTC))
    assert records[17 * 12 + 7]["recordTime"] == expected["time"]
    assert records[17 * 12 + 7]["epvToday"] == expected["epvToday"]
    # The day's last record carries the day's totals; its deltas add up to them.
    pv = [rec["epvTotal"] for rec in records]
    assert round(pv[-1] - pv[0], 2) == records[-1]["epvToday"]
