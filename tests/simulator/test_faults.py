"""Each injected fault can be produced; spoiled writes are not applied; introspection is exempt."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from aiohttp.test_utils import TestClient
import pytest

from tests.simulator.helpers import AUTH, MakeClient, serials, state_of

SETTING = "/api/v1/pcs/setting"


async def _realtime(client: TestClient[Any, Any]) -> tuple[int, dict[str, str], bytes]:
    sn = serials(state_of(client))["pcs"]
    resp = await client.get("/api/v1/pcs/data-last", params={"deviceSn": sn}, headers=AUTH)
    return resp.status, dict(resp.headers), await resp.read()


async def test_error_envelope(make_client: MakeClient) -> None:
    client = await make_client(error_rate=1.0)
    status, _, body = await _realtime(client)
    assert status == 200
    assert json.loads(body) == {"code": 500, "data": None, "msg": "fail"}


async def test_http_5xx_with_html(make_client: MakeClient) -> None:
    client = await make_client(http_error_rate=1.0)
    status, headers, body = await _realtime(client)
    assert status in (502, 503)
    assert headers["Content-Type"].startswith("text/html")
    assert b"<html>" in body


async def test_throttle(make_client: MakeClient) -> None:
    client = await make_client(throttle_rate=1.0)
    status, headers, _ = await _realtime(client)
    assert status == 429
    assert headers["Retry-After"] == "30"


async def test_malformed_and_truncated(make_client: MakeClient) -> None:
    client = await make_client(malformed_rate=1.0)
    _, _, body = await _realtime(client)
    with pytest.raises(UnicodeDecodeError):
        body.decode()
    with pytest.raises(json.JSONDecodeError):
        json.loads(body.decode(errors="replace"))
    state_of(client).set_faults(malformed_rate=0.0, truncated_rate=1.0)
    _, _, body = await _realtime(client)
    assert body.startswith(b'{"code": 0')
    with pytest.raises(json.JSONDecodeError):
        json.loads(body)


async def test_field_faults(make_client: MakeClient) -> None:
    client = await make_client()
    _, _, clean = await _realtime(client)
    full = json.loads(clean)["data"]
    state = state_of(client)
    state.set_faults(missing_fields_rate=1.0)
    _, _, body = await _realtime(client)
    assert 0 < len(json.loads(body)["data"]) < len(full)
    state.set_faults(missing_fields_rate=0.0, extra_fields_rate=1.0)
    _, _, body = await _realtime(client)
    assert set(json.loads(body)["data"]) - set(full)
    state.set_faults(extra_fields_rate=0.0, string_numbers_rate=1.0)
    _, _, body = await _realtime(client)
    data = json.loads(body)["data"]
    assert isinstance(data["capacity"], str)
    assert float(data["capacity"]) == full["capacity"]
    assert data["lost"] is False


async def test_timeout_holds_the_request(make_client: MakeClient) -> None:
    client = await make_client(timeout_rate=1.0)
    with pytest.raises(TimeoutError):
        async with asyncio.timeout(0.3):
            await _realtime(client)
    # Closing the client (server shutdown) must release the held request at once.


async def test_latency(make_client: MakeClient) -> None:
    client = await make_client(latency=0.2)
    loop = asyncio.get_running_loop()
    start = loop.time()
    status, _, _ = await _realtime(client)
    assert status == 200
    assert loop.time() - start >= 0.2


async def test_spoiled_write_is_not_applied(make_client: MakeClient) -> None:
    client = await make_client(truncated_rate=1.0)
    state = state_of(client)
    sn = serials(state)["pcs"]
    resp = await client.put(
        SETTING, json={"deviceSn": sn, "key": "workMode", "value": "4"}, headers=AUTH
    )
    with pytest.raises(json.JSONDecodeError):
        json.loads(await resp.read())
    for knobs in (
        {"truncated_rate": 0.0, "error_rate": 1.0},
        {"error_rate": 0.0, "throttle_rate": 1.0},
    ):
        state.set_faults(**knobs)
        await client.put(
            SETTING, json={"deviceSn": sn, "key": "workMode", "value": "4"}, headers=AUTH
        )
    assert state.settings[sn]["workMode"] == 0
    assert state.stats()["writes_applied"] == {}


async def test_introspection_is_never_faulted(make_client: MakeClient) -> None:
    client = await make_client(error_rate=1.0, http_error_rate=1.0, malformed_rate=1.0)
    resp = await client.get("/_simulator/inventory")
    assert resp.status == 200
    assert (await resp.json())["plants"]
