"""Turn one HTTP answer of the cloud into its ``data``, or into the right error.

This is the only place that maps HTTP statuses and envelope codes to exceptions, and it is
made of pure functions so the property tests can feed it any bytes at all.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
import json
import math
import re
from typing import Any

from .errors import (
    AtessApiError,
    AtessAuthError,
    AtessError,
    AtessNotFoundError,
    AtessRateLimitError,
    AtessResponseError,
    AtessRouteMissingError,
    AtessWriteLimitError,
)

# The docs show code 0 in every example and 200 in their code table: both mean success.
SUCCESS_CODES = frozenset({0, 200})

# The only known wording is "The device supports Settings 10 times per day"; match loosely so a
# reworded message still reads as the daily write limit.
_WRITE_LIMIT = re.compile(
    r"times?\s*(?:per|a|/|each)\s*day|per\s*day|daily\s*limit|每天|每日", re.IGNORECASE
)
_MAX_MSG = 200
_INVALID: Any = object()  # what _load returns for a body that is not JSON
_REDACTED = "**REDACTED**"

type Headers = Mapping[str, str]  # the answer's HTTP headers


@dataclass(frozen=True, slots=True)
class Answer:
    """One HTTP answer read: the envelope's data, or the error it means.

    ``code`` is the envelope's code when the body was the envelope (also on errors), else None.
    """

    status: int
    code: int | None
    data: Any = None
    error: AtessError | None = None


def decode_response(
    operation: str, status: int, headers: Headers, body: bytes, *, secrets: Iterable[str] = ()
) -> Any:
    """Return the envelope's ``data``, or raise the AtessError the answer means.

    ``secrets`` (the token) are cut out of any text the cloud sent before it reaches an error.
    """
    answer = read_answer(operation, status, headers, body, secrets=secrets)
    if answer.error is not None:
        raise answer.error
    return answer.data


def read_answer(
    operation: str, status: int, headers: Headers, body: bytes, *, secrets: Iterable[str] = ()
) -> Answer:
    """Read one answer without raising: data and envelope code, or the error (see decode_response).

    A route the cloud does not have (HTTP 404/405, or well-formed JSON that is not the
    envelope, as Spring's error body) is AtessRouteMissingError; the envelope's own "not found"
    (code 400) is AtessNotFoundError; a body that is not JSON at all is AtessResponseError.
    """
    secrets = tuple(secret for secret in secrets if secret)
    envelope = _load(body)
    code = _code(envelope.get("code")) if isinstance(envelope, dict) else None
    if not 200 <= status < 300:
        return Answer(
            status, code, error=_http_error(operation, status, headers, envelope, secrets)
        )
    if envelope is _INVALID:
        return Answer(
            status, None, error=AtessResponseError("the answer is not JSON", operation=operation)
        )
    if not isinstance(envelope, dict) or "code" not in envelope:
        return Answer(status, None, error=_not_an_envelope(operation, status, envelope, secrets))
    if code is None:
        return Answer(
            status,
            None,
            error=AtessResponseError("the answer has no valid code", operation=operation),
        )
    if code in SUCCESS_CODES:
        return Answer(status, code, data=envelope.get("data"))
    msg = _clean_msg(envelope.get("msg"), secrets)
    return Answer(status, code, error=_code_error(operation, code, msg, headers))


def _not_an_envelope(
    operation: str, status: int, body: Any, secrets: tuple[str, ...]
) -> AtessRouteMissingError:
    """A JSON answer without the envelope: no route of the OpenAPI answered."""
    said = ""
    if isinstance(body, dict) and (error := _clean_msg(body.get("error"), secrets)):
        # Spring's error body names its own status: quote it, the HTTP status may say 200
        said = f": {error} ({_clean_msg(body.get('status'), secrets) or '?'})"
    return AtessRouteMissingError(
        f"no such route (HTTP {status}, not the cloud's envelope{said})",
        operation=operation,
        status=status,
    )


def _load(body: bytes) -> Any:
    """Parse the body as JSON; _INVALID when it is not JSON at all."""
    try:
        return json.loads(body)
    # ValueError covers bad JSON, bad UTF-8 and over-long integers; RecursionError deep nesting.
    except ValueError, RecursionError:
        return _INVALID


def _code(value: Any) -> int | None:
    """Read the envelope code, which may arrive as a number or a numeric string."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().lstrip("+-").isdigit():
        try:
            return int(value.strip())
        except ValueError:
            return None
    return None


def _clean_msg(value: Any, secrets: tuple[str, ...]) -> str:
    """Make the cloud's message safe to show: a short string without the token."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    for secret in secrets:
        text = text.replace(secret, _REDACTED)
    text = "".join(char if char.isprintable() else " " for char in text).strip()
    if len(text) > _MAX_MSG:
        text = text[:_MAX_MSG] + "…"
    return text


def _code_error(operation: str, code: int, msg: str, headers: Headers) -> AtessError:
    """Map a non-success envelope code to its error."""
    said = f"code {code}: {msg}" if msg else f"code {code}"
    if code in (401, 403):
        return AtessAuthError(f"the cloud refused the token ({said})", operation=operation)
    if code in (400, 404):
        return AtessNotFoundError(f"not found ({said})", operation=operation)
    if _WRITE_LIMIT.search(msg):
        return AtessWriteLimitError(
            f"daily setting limit reached ({said})", operation=operation, code=code, msg=msg
        )
    if code == 429:
        return AtessRateLimitError(
            f"throttled ({said})", operation=operation, retry_after=retry_after(headers)
        )
    return AtessApiError(f"the cloud answered {said}", operation=operation, code=code, msg=msg)


def _http_error(
    operation: str,
    status: int,
    headers: Headers,
    envelope: Any,
    secrets: tuple[str, ...],
) -> AtessError:
    """Map a non-2xx HTTP status to its error, quoting the envelope's msg when there is one."""
    msg = _clean_msg(envelope.get("msg"), secrets) if isinstance(envelope, dict) else ""
    said = f"HTTP {status}: {msg}" if msg else f"HTTP {status}"
    if status in (401, 403):
        return AtessAuthError(f"the cloud refused the token ({said})", operation=operation)
    if status in (404, 405):
        return AtessRouteMissingError(f"no such route ({said})", operation=operation, status=status)
    if status == 400:
        return AtessNotFoundError(f"not found ({said})", operation=operation)
    if status == 429:
        return AtessRateLimitError(
            f"throttled ({said})", operation=operation, retry_after=retry_after(headers)
        )
    if _WRITE_LIMIT.search(msg):
        return AtessWriteLimitError(
            f"daily setting limit reached ({said})", operation=operation, code=status, msg=msg
        )
    return AtessApiError(f"the cloud answered {said}", operation=operation, code=status, msg=msg)


def retry_after(headers: Headers) -> float | None:
    """Read ``Retry-After`` as seconds (a number, or an HTTP date counted from now)."""
    value = headers.get("Retry-After")
    if value is None:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
        except TypeError, ValueError, IndexError:
            return None
        if when.tzinfo is None:  # RFC 9110 dates are GMT
            when = when.replace(tzinfo=UTC)
        seconds = (when - datetime.now(UTC)).total_seconds()
    if not math.isfinite(seconds):
        return None
    return max(seconds, 0.0)
