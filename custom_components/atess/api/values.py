"""Read the loosely typed values the cloud sends.

The cloud is Java behind Jackson: numbers may arrive as strings, ``null`` means "no value", and
key spelling varies in case (``eChargeToday`` vs ``echargeToday``). These helpers never raise:
an odd value becomes None and the caller keeps the raw one.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
import math
import re
from typing import Any

type Value = float | int | str | bool | None

_INT = re.compile(r"[+-]?[0-9]+")
# One way to match each digit: `[0-9]+\.?[0-9]*` could split a run of digits n ways, and a long
# one that fails at its end ("999…9V") took quadratic time on the event loop.
_FLOAT = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_NONE_WORDS = frozenset({"", "null", "none", "nan", "undefined", "--"})
_TRUE_WORDS = frozenset({"true", "1", "yes", "on"})
_FALSE_WORDS = frozenset({"false", "0", "no", "off"})
# Epoch numbers outside these bounds are not sample times (2000-01-01 .. 2100-01-01, seconds).
_EPOCH_MIN, _EPOCH_MAX = 946_684_800, 4_102_444_800


def parse_value(raw: Any) -> Value:
    """Return a scalar as float, int, bool or str; numeric strings become numbers.

    Strings that are not numbers (such as "00:00-06:00") stay strings. Non-finite floats and
    anything that is not a scalar become None.
    """
    if raw is None or isinstance(raw, (bool, int)):
        return raw
    if isinstance(raw, float):
        return raw if math.isfinite(raw) else None
    if not isinstance(raw, str):
        return None
    text = raw.strip()
    lowered = text.lower()
    if lowered in _NONE_WORDS:
        return None
    if lowered in ("true", "false"):
        return lowered == "true"
    try:
        if _INT.fullmatch(text):
            return int(text)
        if _FLOAT.fullmatch(text):
            number = float(text)
            return number if math.isfinite(number) else None
    except ValueError:  # an integer too long for int(): keep the text
        return raw
    return raw


def parse_float(raw: Any) -> float | None:
    """Return a number as float, or None."""
    value = parse_value(raw)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        return float(value)
    except OverflowError:
        return None


def parse_int(raw: Any) -> int | None:
    """Return a whole number as int, or None."""
    value = parse_value(raw)
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def parse_str(raw: Any) -> str | None:
    """Return a non-empty string (numbers as their text), or None."""
    if isinstance(raw, bool) or raw is None or isinstance(raw, (dict, list)):
        return None
    text = str(raw).strip()
    return text or None


def parse_bool(raw: Any) -> bool | None:
    """Return a flag sent as bool, 0/1 or "true"/"false", or None."""
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, (int, float)) and raw in (0, 1):
        return bool(raw)
    if isinstance(raw, str):
        lowered = raw.strip().lower()
        if lowered in _TRUE_WORDS:
            return True
        if lowered in _FALSE_WORDS:
            return False
    return None


def parse_datetime(raw: Any) -> datetime | None:
    """Return a time stamp, or None.

    "yyyy-MM-dd HH:mm:ss" (the docs' format, plant-local) gives a naive datetime; a string with an
    offset gives an aware one; an epoch number (seconds or milliseconds) gives an aware UTC one.
    """
    if isinstance(raw, bool):
        return None
    if isinstance(raw, (int, float)):
        try:
            seconds = raw / 1000 if abs(raw) > _EPOCH_MAX else raw
        except OverflowError:  # an integer too large for a float
            return None
        if not _EPOCH_MIN <= seconds <= _EPOCH_MAX:
            return None
        return datetime.fromtimestamp(seconds, tz=UTC)
    if not isinstance(raw, str):
        return None
    text = raw.strip().replace("/", "-")
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def parse_date(raw: Any) -> date | None:
    """Return a calendar date from "yyyy-MM-dd" (or a full time stamp), or None."""
    moment = parse_datetime(raw)
    return None if moment is None else moment.date()


def index_keys(data: Mapping[str, Any]) -> dict[str, str]:
    """Map each case-folded key to the first key spelled that way."""
    index: dict[str, str] = {}
    for key in data:
        index.setdefault(key.casefold(), key)
    return index


def pick(data: Mapping[str, Any], index: Mapping[str, str], *aliases: str) -> Any:
    """Return the first alias present with a value (exact spelling first, then any case)."""
    for alias in aliases:
        value = data.get(alias)
        if value is None and (key := index.get(alias.casefold())) is not None:
            value = data[key]
        if value is not None:
            return value
    return None
