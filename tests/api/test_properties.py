"""Property tests: whatever the cloud sends, only an AtessError can come out."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings, strategies as st

from custom_components.atess.api import (
    AtessError,
    BaseInfo,
    DataLog,
    DeviceKind,
    HistoryPage,
    Plant,
    RealtimeData,
    SettingsData,
    decode_response,
)
from custom_components.atess.api.models import parse_list

_SETTINGS = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=20)
    | st.sampled_from(["12.5", "null", "0", "200", "2024-01-01 00:00:00", "1e999", "NaN"])
)
_keys = st.sampled_from(
    [
        "code",
        "data",
        "msg",
        "datas",
        "total",
        "pageSize",
        "pageNo",
        "plantId",
        "deviceSn",
        "dataLogSn",
        "time",
        "recordTime",
        "lost",
        "timezone",
        "plantLat",
        "ppv",
        "list",
        "x",
    ]
) | st.text(max_size=8)
_json = st.recursive(
    _scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(_keys, children, max_size=6),
    max_leaves=30,
)
_envelopes = st.fixed_dictionaries(
    {"code": st.sampled_from([0, 200, "0", 400, 403, 429, 500, "x", None])},
    optional={"data": _json, "msg": _json},
)


def _parse_everything(data: Any) -> None:
    """Feed data to every parser the client uses on a response's data."""
    for parser in (
        RealtimeData.from_api,
        SettingsData.from_api,
        Plant.from_api,
        DataLog.from_api,
        lambda d: BaseInfo.from_api(d, DeviceKind.PCS),
        lambda d: parse_list(d, Plant.from_api, "plants"),
        lambda d: parse_list(d, DataLog.from_api, "datalogs"),
        lambda d: parse_list(d, lambda i: BaseInfo.from_api(i, DeviceKind.BCU), "bcus"),
        lambda d: HistoryPage.from_api(d, page_no=1, page_size=10),
    ):
        try:
            result = parser(data)
        except AtessError:
            continue
        repr(result)


@_SETTINGS
@given(body=st.binary(max_size=200), status=st.integers(100, 599))
def test_any_bytes_decode_or_raise_an_atess_error(body: bytes, status: int) -> None:
    try:
        data = decode_response("plant_list", status, {}, body)
    except AtessError as err:
        failed: AtessError | None = err
    else:
        failed = None
        _parse_everything(data)
    assert failed is None or failed.operation == "plant_list"


@_SETTINGS
@given(envelope=_envelopes | _json, status=st.sampled_from([200, 200, 200, 400, 429, 503]))
def test_any_json_decodes_and_parses_or_raises_an_atess_error(envelope: Any, status: int) -> None:
    body = json.dumps(envelope).encode()
    try:
        data = decode_response("realtime pcs", status, {"Retry-After": "x"}, body)
    except AtessError:
        return
    _parse_everything(data)


@_SETTINGS
@given(data=_json)
def test_open_payloads_keep_every_scalar_key(data: Any) -> None:
    try:
        payload = RealtimeData.from_api(data)
    except AtessError:
        assert data is not None
        assert not isinstance(data, dict)
        return
    scalar_keys = {k for k, v in (data or {}).items() if not isinstance(v, (dict, list))}
    assert set(payload.keys()) == scalar_keys
    for key in scalar_keys:
        assert key.upper() in payload
