"""The mapping of HTTP statuses and envelope codes to data or errors, without the network."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
import json
from typing import Any

import pytest

from custom_components.atess.api import (
    AtessApiError,
    AtessAuthError,
    AtessError,
    AtessNotFoundError,
    AtessRateLimitError,
    AtessResponseError,
    AtessRouteMissingError,
    AtessWriteLimitError,
    decode_response,
)
from custom_components.atess.api.envelope import read_answer, retry_after

OP = "realtime hps_big"


def _decode(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Any:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return decode_response(OP, status, headers or {}, raw, secrets=("s3cret-token",))


@pytest.mark.parametrize("code", [0, 200, "0", "200", 200.0])
def test_code_0_and_200_both_mean_success(code: object) -> None:
    assert _decode({"code": code, "data": {"ppv": 1}, "msg": "operate successfully"}) == {"ppv": 1}


@pytest.mark.parametrize(
    ("body", "error", "text"),
    [
        ({"code": 403, "msg": "No access"}, AtessAuthError, "refused the token"),
        ({"code": "401"}, AtessAuthError, "code 401"),
        ({"code": 400, "msg": "not fount"}, AtessNotFoundError, "not fount"),
        ({"code": 429, "msg": "busy"}, AtessRateLimitError, "throttled"),
        ({"code": 500, "msg": "fail"}, AtessApiError, "code 500: fail"),
        ({"code": 7}, AtessApiError, "code 7"),
        (
            {"code": 500, "msg": "The device supports Settings 10 times per day", "data": None},
            AtessWriteLimitError,
            "daily setting limit",
        ),
        ({"code": 500, "msg": "setting limit: 10 times a day"}, AtessWriteLimitError, "limit"),
        ({"code": 500, "msg": "每天最多设置10次"}, AtessWriteLimitError, "limit"),
        ({"code": None, "data": {}}, AtessResponseError, "no valid code"),
        ({"code": True}, AtessResponseError, "no valid code"),
        ({"code": "ok"}, AtessResponseError, "no valid code"),
        ({"code": 1.5}, AtessResponseError, "no valid code"),
        ({"code": "9" * 5000}, AtessResponseError, "no valid code"),
        ({"code": "²"}, AtessResponseError, "no valid code"),
        (b"<html>502</html>", AtessResponseError, "not JSON"),
        (b'{"code": 0, "data": {"pp', AtessResponseError, "not JSON"),
        (b"\xff\xfe\x00", AtessResponseError, "not JSON"),
        (b"", AtessResponseError, "not JSON"),
        (b"[" * 100_000, AtessResponseError, "not JSON"),
    ],
)
def test_envelope_codes_map_to_errors(body: Any, error: type[AtessError], text: str) -> None:
    with pytest.raises(error, match=text) as caught:
        _decode(body)
    assert type(caught.value) is error
    assert caught.value.operation == OP
    assert str(caught.value).startswith(f"{OP} failed: ")


SPRING_404 = {
    "timestamp": "2026-12-03T08:00:00.000+00:00",
    "status": 404,
    "error": "Not Found",
    "path": "/api/v1/pcs/data-last",
}


@pytest.mark.parametrize(
    ("body", "text"),
    [
        (SPRING_404, r"HTTP 200, not the cloud's envelope: Not Found \(404\)"),
        ({"data": {}}, r"HTTP 200, not the cloud's envelope\)"),
        ({"error": "Not Found"}, r"Not Found \(\?\)"),
        ([1, 2], "not the cloud's envelope"),
        (None, "not the cloud's envelope"),
        ("Not Found", "not the cloud's envelope"),
    ],
)
def test_json_that_is_not_the_envelope_is_a_missing_route_even_at_http_200(
    body: Any, text: str
) -> None:
    with pytest.raises(AtessRouteMissingError, match=text) as caught:
        _decode(body)
    assert caught.value.status == 200
    assert caught.value.operation == OP


@pytest.mark.parametrize("status", [404, 405])
@pytest.mark.parametrize(
    "body", [SPRING_404, {"code": 400, "msg": "not fount"}, b"<html>Not Found</html>", b""]
)
def test_http_404_and_405_are_a_missing_route_whatever_the_body(status: int, body: Any) -> None:
    with pytest.raises(AtessRouteMissingError, match=f"no such route \\(HTTP {status}") as caught:
        _decode(body, status=status)
    assert caught.value.status == status
    assert caught.value.paths == ()


def test_the_envelopes_own_not_found_is_a_missing_resource_not_a_route() -> None:
    with pytest.raises(AtessNotFoundError) as caught:
        _decode({"code": 400, "msg": "not fount", "data": None})
    assert not isinstance(caught.value, AtessRouteMissingError)


def test_read_answer_keeps_the_envelope_code_without_raising() -> None:
    ok = read_answer(OP, 200, {}, b'{"code": "200", "data": [1]}')
    assert (ok.status, ok.code, ok.data, ok.error) == (200, 200, [1], None)
    refused = read_answer(OP, 200, {}, b'{"code": 500, "msg": "fail"}')
    assert (refused.code, type(refused.error)) == (500, AtessApiError)
    http = read_answer(OP, 503, {}, b'{"code": 500}')
    assert (http.status, http.code, type(http.error)) == (503, 500, AtessApiError)
    spring = read_answer(OP, 200, {}, json.dumps(SPRING_404).encode())
    assert (spring.code, type(spring.error)) == (None, AtessRouteMissingError)
    garbage = read_answer(OP, 200, {}, b"<html>")
    assert (garbage.code, type(garbage.error)) == (None, AtessResponseError)


def test_api_error_keeps_code_and_msg() -> None:
    with pytest.raises(AtessApiError) as caught:
        _decode({"code": 500, "msg": "fail"})
    assert (caught.value.code, caught.value.msg) == (500, "fail")


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (401, AtessAuthError),
        (403, AtessAuthError),
        (400, AtessNotFoundError),
        (404, AtessRouteMissingError),
        (405, AtessRouteMissingError),
        (429, AtessRateLimitError),
        (500, AtessApiError),
        (503, AtessApiError),
        (302, AtessApiError),
        (418, AtessApiError),
    ],
)
def test_http_status_maps_to_errors_whatever_the_body(status: int, error: type[AtessError]) -> None:
    for body in (b"oops", {"code": 0, "data": {}}):
        with pytest.raises(error) as caught:
            _decode(body, status=status)
        assert type(caught.value) is error
        assert f"HTTP {status}" in str(caught.value)
        if isinstance(caught.value, AtessApiError):
            assert caught.value.code == status


def test_http_error_quotes_the_envelope_message_and_spots_the_write_limit() -> None:
    with pytest.raises(AtessWriteLimitError, match=r"(?i)10 times per day") as caught:
        _decode({"code": 500, "msg": "Settings 10 TIMES PER DAY"}, status=500)
    assert caught.value.code == 500


def test_token_echoed_by_the_cloud_is_cut_out_and_long_messages_are_cut_short() -> None:
    with pytest.raises(AtessApiError) as caught:
        _decode({"code": 500, "msg": "bad token s3cret-token\n" + "x" * 500})
    assert "s3cret-token" not in str(caught.value)
    assert "s3cret-token" not in caught.value.msg
    assert "\n" not in caught.value.msg
    assert len(caught.value.msg) < 250
    with pytest.raises(AtessAuthError) as auth:
        _decode({"code": 403, "msg": "s3cret-token"}, status=403)
    assert "s3cret-token" not in str(auth.value)


def test_non_string_message_is_shown_as_text() -> None:
    with pytest.raises(AtessApiError, match=r"code 500: \['a'\]"):
        _decode({"code": 500, "msg": ["a"]})


def test_retry_after_reads_seconds_and_http_dates() -> None:
    assert retry_after({"Retry-After": "7"}) == 7.0
    assert retry_after({"Retry-After": " 1.5 "}) == 1.5
    assert retry_after({"Retry-After": "-3"}) == 0.0
    assert retry_after({}) is None
    assert retry_after({"Retry-After": "soon"}) is None
    assert retry_after({"Retry-After": "inf"}) is None
    later = format_datetime(datetime.now(UTC) + timedelta(seconds=120), usegmt=True)
    assert 100 < (retry_after({"Retry-After": later}) or 0) <= 120
    naive = "Sun, 06 Nov 1994 08:49:37 -0000"  # RFC 850 style zone: read as GMT
    assert retry_after({"Retry-After": naive}) == 0.0
    with pytest.raises(AtessRateLimitError) as caught:
        _decode({"code": 429}, status=429, headers={"Retry-After": "30"})
    assert caught.value.retry_after == 30.0


def test_with_operation_keeps_class_and_fields() -> None:
    err = AtessRateLimitError("slow down", retry_after=3.0)
    assert str(err) == "slow down"
    bound = err.with_operation("plant_list")
    assert type(bound) is AtessRateLimitError
    assert bound.retry_after == 3.0
    assert str(bound) == "plant_list failed: slow down"
