"""What the client sends and how it reads answers, against a scripted fake cloud."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime
import json
import logging
import time

import aiohttp
from aiohttp import web
from aiohttp.test_utils import TestServer
import pytest

from custom_components.atess.api import (
    AtessApiError,
    AtessAuthError,
    AtessClient,
    AtessConnectionError,
    AtessError,
    AtessNotFoundError,
    AtessRateLimitError,
    AtessResponseError,
    AtessRouteMissingError,
    AtessWriteLimitError,
    format_setting_value,
)

from .conftest import FakeCloud

OK_EMPTY = {"code": 200, "data": None, "msg": ""}
SECRET = "Basic czNjcmV0LXRva2Vu"

type MakeClient = Callable[..., AtessClient]


async def test_headers_carry_the_token_verbatim_and_the_language(
    fake_cloud: FakeCloud, make_client: MakeClient
) -> None:
    fake_cloud.answer({"code": 0, "data": [], "msg": "operate successfully"})
    client = make_client(fake_cloud.base_url, token=f"  {SECRET}\n", language="zh")
    assert await client.async_validate() == []
    sent = fake_cloud.requests[0]
    assert sent["headers"]["Authorization"] == SECRET
    assert sent["headers"]["Accept-Language"] == "zh"
    assert (sent["method"], sent["path"]) == ("GET", "/api/v1/plant/list")
    assert sent["query"] == {"pageNo": "1", "pageSize": "100"}


async def test_a_base_url_path_prefix_is_kept(
    fake_cloud: FakeCloud, make_client: MakeClient
) -> None:
    fake_cloud.answer({"code": 0, "data": {"ppv": 1}})
    client = make_client(fake_cloud.base_url + "/proxy/?x=1")
    await client.async_get_realtime("pbd", "UMD1")
    assert fake_cloud.requests[0]["path"] == "/proxy/api/v1/pbd/data-last"
    assert fake_cloud.requests[0]["query"] == {"deviceSn": "UMD1"}


@pytest.mark.parametrize(
    ("value", "sent"),
    [
        (3.5, "3.5"),
        (True, "1"),
        (False, "0"),
        (5.0, "5"),
        (7, "7"),
        ("00:00-06:00", "00:00-06:00"),
        (1e-05, "0.00001"),
        (-0.25, "-0.25"),
    ],
)
async def test_modify_setting_puts_the_value_as_a_string(
    fake_cloud: FakeCloud, make_client: MakeClient, value: object, sent: str
) -> None:
    fake_cloud.answer(OK_EMPTY)
    client = make_client(fake_cloud.base_url)
    await client.async_modify_setting("mbms", "MBD1", "socLow", value)  # type: ignore[arg-type]
    request = fake_cloud.requests[0]
    assert (request["method"], request["path"]) == ("PUT", "/api/v1/bms/mbms-setting")
    assert json.loads(request["body"]) == {"deviceSn": "MBD1", "key": "socLow", "value": sent}


def test_setting_values_must_be_finite() -> None:
    with pytest.raises(ValueError, match="finite"):
        format_setting_value(float("nan"))


async def test_the_eleventh_write_raises_the_write_limit(
    fake_cloud: FakeCloud, make_client: MakeClient
) -> None:
    for _ in range(10):
        fake_cloud.answer(OK_EMPTY)
    fake_cloud.answer({"code": 500, "msg": "The device supports Settings 10 times per day"})
    client = make_client(fake_cloud.base_url)
    for _ in range(10):
        await client.async_modify_setting("pcs", "PCD1", "k", 1)
    with pytest.raises(AtessWriteLimitError) as caught:
        await client.async_modify_setting("pcs", "PCD1", "k", 1)
    assert caught.value.code == 500
    assert caught.value.operation == "modify_setting pcs"
    assert isinstance(caught.value, AtessApiError)


@pytest.mark.parametrize(
    ("status", "body", "headers", "error"),
    [
        (200, {"code": 403, "msg": "No access"}, {}, AtessAuthError),
        (401, b"", {}, AtessAuthError),
        (403, {"code": 403}, {}, AtessAuthError),
        (200, {"code": 400, "msg": "not fount"}, {}, AtessNotFoundError),
        (404, b"Not Found", {}, AtessRouteMissingError),
        (405, b"", {}, AtessRouteMissingError),
        (200, {"status": 404, "error": "Not Found"}, {}, AtessRouteMissingError),
        (429, b"", {"Retry-After": "12"}, AtessRateLimitError),
        (502, b"<html>Bad Gateway</html>", {}, AtessApiError),
        (200, {"code": 500, "msg": "fail"}, {}, AtessApiError),
        (200, b'{"code": 0, "data": {"ppv"', {}, AtessResponseError),
        (200, b"\x00\x01garbage", {}, AtessResponseError),
        (200, {"code": 0, "data": ["not", "an", "object"]}, {}, AtessResponseError),
    ],
)
async def test_every_failure_becomes_its_atess_error(
    fake_cloud: FakeCloud,
    make_client: MakeClient,
    status: int,
    body: object,
    headers: dict[str, str],
    error: type[AtessError],
) -> None:
    fake_cloud.answer(body, status=status, headers=headers)
    client = make_client(fake_cloud.base_url, token=SECRET)
    with pytest.raises(error) as caught:
        await client.async_get_settings("hps_small", "TSD1")
    assert type(caught.value) is error
    assert caught.value.operation == "get_setting hps_small"
    assert "get_setting hps_small" in str(caught.value)
    assert SECRET not in str(caught.value)
    assert SECRET not in repr(caught.value)
    if status == 429:
        assert caught.value.retry_after == 12.0  # type: ignore[attr-defined]
    if status == 502:
        assert caught.value.code == 502  # type: ignore[attr-defined]


async def test_wrong_shapes_name_the_operation(
    fake_cloud: FakeCloud, make_client: MakeClient
) -> None:
    fake_cloud.answer({"code": 0, "data": {"total": 3}})
    client = make_client(fake_cloud.base_url)
    with pytest.raises(
        AtessResponseError, match=r"^datalog_list failed: datalog list: the object holds no list"
    ):
        await client.async_get_datalogs("1")
    fake_cloud.answers.clear()
    fake_cloud.answer({"code": 0, "data": "x"})
    with pytest.raises(AtessResponseError, match=r"^plant_get failed"):
        await client.async_get_plant("1")


async def test_a_cloud_that_echoes_the_token_never_leaks_it(
    fake_cloud: FakeCloud, make_client: MakeClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    fake_cloud.answer({"code": 403, "msg": f"token {SECRET} has no access"})
    client = make_client(fake_cloud.base_url, token=SECRET)
    assert SECRET not in repr(client)
    assert SECRET not in str(client)
    with pytest.raises(AtessAuthError) as caught:
        await client.async_get_plants()
    assert SECRET not in str(caught.value)
    assert SECRET not in repr(caught.value.args)
    assert SECRET not in caplog.text
    assert "GET /api/v1/plant/list -> HTTP 200" in caplog.text


async def test_connection_refused_is_a_connection_error(
    session: aiohttp.ClientSession, unused_tcp_port: int
) -> None:
    client = AtessClient(session, SECRET, base_url=f"http://127.0.0.1:{unused_tcp_port}")
    with pytest.raises(AtessConnectionError, match=r"^plant_list failed: cannot reach") as caught:
        await client.async_get_plants()
    assert SECRET not in str(caught.value)


async def test_a_slow_cloud_times_out_as_a_connection_error(
    session: aiohttp.ClientSession,
) -> None:
    release = asyncio.Event()

    async def stall(request: web.Request) -> web.Response:
        await release.wait()
        return web.json_response(OK_EMPTY)

    app = web.Application()
    app.router.add_get("/api/v1/plant/list", stall)
    async with TestServer(app, host="127.0.0.1") as server:
        client = AtessClient(
            session, SECRET, base_url=str(server.make_url("")), request_timeout=0.1
        )
        with pytest.raises(AtessConnectionError, match=r"no answer within 0\.1 s"):
            await client.async_get_plants()
        release.set()


async def test_concurrency_cap_holds(session: aiohttp.ClientSession) -> None:
    in_flight = peak = 0

    async def slow(request: web.Request) -> web.Response:
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        await asyncio.sleep(0.05)
        in_flight -= 1
        return web.json_response({"code": 0, "data": {"ppv": 1}})

    app = web.Application()
    app.router.add_get("/api/v1/pcs/data-last", slow)
    async with TestServer(app, host="127.0.0.1") as server:
        client = AtessClient(session, SECRET, base_url=str(server.make_url("")), max_concurrency=2)
        assert client.max_concurrency == 2
        started = time.monotonic()
        await asyncio.gather(*(client.async_get_realtime("pcs", f"P{i}") for i in range(8)))
    assert peak == 2
    assert time.monotonic() - started >= 0.2 - 0.02  # four rounds of two


async def test_plant_list_follows_paging(fake_cloud: FakeCloud, make_client: MakeClient) -> None:
    first = [{"plantId": str(i)} for i in range(100)]
    fake_cloud.answer({"code": 0, "data": {"datas": first, "total": 150}})
    fake_cloud.answer({"code": 0, "data": {"datas": [{"plantId": "x"}] * 50, "total": 150}})
    fake_cloud.answer({"code": 0, "data": {"datas": [], "total": 150}})
    plants = await make_client(fake_cloud.base_url).async_get_plants()
    assert len(plants) == 150
    assert [r["query"]["pageNo"] for r in fake_cloud.requests] == ["1", "2"]


async def test_history_pages_until_a_short_page(
    fake_cloud: FakeCloud, make_client: MakeClient
) -> None:
    def page(count: int, total: int = 0) -> dict[str, object]:
        records = [{"time": f"2024-01-01 00:{i:02d}:00", "ppv": str(i)} for i in range(count)]
        return {"code": 0, "data": {"datas": records, "pageNo": 0, "pageSize": 0, "total": total}}

    for count in (3, 3, 1):
        fake_cloud.answer(page(count))
    client = make_client(fake_cloud.base_url)
    start = datetime(2024, 1, 1)  # noqa: DTZ001 - plant-local, as the cloud stores it
    end = datetime(2024, 1, 1, 23, 59, 59)  # noqa: DTZ001
    records = [r async for r in client.iter_history("hps_small", "TSD1", start, end, page_size=3)]
    assert len(records) == 7
    assert records[0].get("PPV") == 0
    queries = [r["query"] for r in fake_cloud.requests]
    assert [q["pageNo"] for q in queries] == ["1", "2", "3"]
    assert queries[0]["startDate"] == "2024-01-01 00:00:00"
    assert queries[0]["endDate"] == "2024-01-01 23:59:59"
    assert fake_cloud.requests[0]["path"] == "/api/v1/hps/data-list-small"

    fake_cloud.requests.clear()
    fake_cloud.answers[:] = []
    fake_cloud.answer(page(3, total=6))
    fake_cloud.answer(page(3, total=6))
    records = [r async for r in client.iter_history("pcs", "P", start, end, page_size=3)]
    assert len(records) == 6
    assert len(fake_cloud.requests) == 2


async def test_history_page_refuses_pages_below_one(make_client: MakeClient) -> None:
    client = make_client("http://127.0.0.1:9")
    moment = datetime(2024, 1, 1)  # noqa: DTZ001
    with pytest.raises(ValueError, match="count from 1"):
        await client.async_get_history_page("pcs", "P", moment, moment, 0)


@pytest.mark.parametrize(
    ("token", "options", "error"),
    [
        ("  ", {}, AtessAuthError),
        ("tök", {}, AtessAuthError),
        ("a\nb", {}, AtessAuthError),
        ("t", {"language": "de"}, ValueError),
        ("t", {"max_concurrency": 0}, ValueError),
        ("t", {"request_timeout": 0}, ValueError),
        ("t", {"base_url": "ftp://x"}, ValueError),
        ("t", {"base_url": "not a url"}, ValueError),
    ],
)
def test_bad_options_are_refused_at_once(
    session: aiohttp.ClientSession, token: str, options: dict[str, object], error: type[Exception]
) -> None:
    with pytest.raises(error):
        AtessClient(session, token, **options)  # type: ignore[arg-type]


def test_client_describes_itself_without_the_token(session: aiohttp.ClientSession) -> None:
    client = AtessClient(session, SECRET)
    assert repr(client) == (
        "AtessClient(base_url='https://www.enerclo-atesspower.com', language='en', "
        "max_concurrency=4)"
    )
    assert (client.base_url, client.language, client.request_timeout) == (
        "https://www.enerclo-atesspower.com",
        "en",
        30.0,
    )
