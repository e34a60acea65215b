"""The fuzz: generated payloads through the client's parsing and every sensor's value function.

Each payload is a body the cloud might send (an envelope around junk data, JSON that is not the
envelope, HTML, bytes, truncated or deeply nested JSON) with an HTTP status and headers, and the
junk data itself: wrong types, missing keys, keys in any letter case, huge and negative numbers,
"NaN" and "" strings, nested lists and objects. It goes through `decode_response`, every model
parser, and every value function of the catalogue (every kind, both HPS naming variants, the
generic one for unknown fields). A crash is any exception outside the client's error tree
(`AtessError`), and any value function result Home Assistant's sensor would refuse at the state
write (a numeric sensor given text or a number float() cannot hold finitely, an enum sensor a
value outside its options, a state longer than 255 characters).

Seeded, so a crash names a payload that can be replayed: `ATESS_FUZZ_SEED`, `ATESS_FUZZ_PAYLOADS`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
import json
import math
import os
import random
from typing import Any

import pytest

from custom_components.atess.api import (
    AtessError,
    BaseInfo,
    DataLog,
    DeviceKind,
    HistoryPage,
    HistoryRecord,
    Plant,
    RealtimeData,
    SettingsData,
    decode_response,
)
from custom_components.atess.api.models import parse_list
from custom_components.atess.catalogue import AtessSensorEntityDescription
from custom_components.atess.catalogue.realtime import descriptions_for
from custom_components.atess.sensor import unknown_description

from .conftest import Figures, isize

pytestmark = pytest.mark.bench

SECRET = "fuzz-token-0d9e8c7b"
MAX_STATE = 255  # Home Assistant's longest state

# every description the catalogue can give a device: every kind, HV and non-HV central HPS
DESCRIPTIONS: tuple[AtessSensorEntityDescription, ...] = tuple(
    {
        id(description): description
        for kind in DeviceKind
        for model in (None, "HPS150", "HPS150HV")
        for description in descriptions_for(kind, model).values()
    }.values()
)
FIELDS = sorted({d.field for d in DESCRIPTIONS})
MODEL_KEYS = (
    "plantId", "id", "plantName", "name", "timezone", "timeZone", "atsTimezoneStr", "plantLat",
    "plantLng", "lat", "lng", "country", "city", "nominalPower", "installDate", "createDate",
    "plantAddress", "dataLogSn", "sn", "serialNum", "deviceSn", "deviceModel", "model",
    "firmwareVersion", "lost", "lastUpdate", "lastUpdateTime", "updateTime", "interval", "status",
    "address", "deviceNo", "systemNo", "time", "recordTime", "dataTime", "datas", "list",
    "records", "rows", "total", "pageNo", "pageSize", "code", "msg", "data",
)  # fmt: skip
NASTY_STRINGS = (
    "", " ", "NaN", "nan", "-nan", "Infinity", "-Infinity", "inf", "1e999", "-1e999", "null",
    "None", "undefined", "--", "-", "+", ".", "e", "1e", "0x1F", "12.5", "-12.5", " 12.5 ",
    "1,5", "3.312V", "25℃", "+-.", "..1", "²", "١٢٣", "\uff11\uff12", "true", "FALSE", "on",
    "2024-02-30", "2024-01-01 00:00:00", "2024/01/01 25:61:61", "1700000000", "00:00-06:00",
    "<html>", "\x00", "\ud800", "🔋", "9" * 400, "-" + "9" * 400, "9" * 400 + "V",
    "9" * 5_000 + "V", "x" * 300,
)  # fmt: skip
HTML = b"<html><head><title>502 Bad Gateway</title></head><body><h1>502</h1></body></html>"
STATUSES = (200,) * 12 + (201, 204, 301, 400, 401, 403, 404, 429, 500, 502, 503, 504, 599)
PARSERS: tuple[Callable[[Any], object], ...] = (
    RealtimeData.from_api,
    SettingsData.from_api,
    HistoryRecord.from_api,
    Plant.from_api,
    DataLog.from_api,
    *(lambda d, k=kind: BaseInfo.from_api(d, k) for kind in DeviceKind),
    lambda d: parse_list(d, Plant.from_api, "plants"),
    lambda d: parse_list(d, DataLog.from_api, "datalogs"),
    lambda d: parse_list(d, lambda i: BaseInfo.from_api(i, DeviceKind.PCS), "devices"),
    lambda d: HistoryPage.from_api(d, page_no=1, page_size=10),
)


class Junk:
    """A seeded generator of what a broken cloud could send."""

    def __init__(self, seed: int) -> None:
        """Reproducible from the seed."""
        self.rng = random.Random(seed)  # noqa: S311 - reproducible junk, not security

    def number(self) -> float | int:
        """Small, negative, huge, tiny and non-finite numbers."""
        rng = self.rng
        match rng.randrange(8):
            case 0:
                return rng.randint(-5, 300)
            case 1:
                return rng.choice((1, -1)) * 10 ** rng.randint(15, 400)
            case 2:
                return rng.choice((math.nan, math.inf, -math.inf, 1e308, -1e308, 5e-324, -0.0))
            case 3:
                return rng.uniform(-1e6, 1e6)
            case 4:
                return rng.choice((0, 1, -1, 2**31, -(2**63), 2**64))
            case _:
                return round(rng.uniform(-100, 1000), rng.randrange(4))

    def scalar(self) -> Any:
        """A JSON scalar."""
        rng = self.rng
        match rng.randrange(10):
            case 0:
                return None
            case 1:
                return rng.random() < 0.5
            case 2 | 3 | 4:
                return self.number()
            case 5:
                return str(self.number()) + rng.choice(("", "", "V", "℃", " %", "kWh"))
            case 6:
                return "".join(chr(rng.randrange(1, 0x3000)) for _ in range(rng.randrange(12)))
            case _:
                return rng.choice(NASTY_STRINGS)

    def value(self, depth: int = 0) -> Any:
        """A scalar, or now and then a list or object of junk (nested)."""
        roll = self.rng.random()
        if depth < 3 and roll < 0.06:
            return [self.value(depth + 1) for _ in range(self.rng.randrange(4))]
        if depth < 3 and roll < 0.1:
            return self.record(depth + 1, size=self.rng.randrange(5))
        return self.scalar()

    def key(self) -> str:
        """A known field or model key in any letter case, or a stranger."""
        rng = self.rng
        roll = rng.random()
        key = rng.choice(FIELDS) if roll < 0.6 else rng.choice(MODEL_KEYS)
        if roll > 0.95:
            return rng.choice(("", " ", "x" * 40, "🔋", "__proto__", "datas", "DATAS"))
        if rng.random() < 0.15:
            return key.upper() if rng.random() < 0.5 else key.lower()
        return key

    def record(self, depth: int = 0, size: int | None = None) -> dict[str, Any]:
        """An object of junk under known and unknown keys."""
        count = self.rng.randrange(25) if size is None else size
        return {self.key(): self.value(depth) for _ in range(count)}

    def data(self) -> Any:
        """What could stand in an envelope's data: an object, a list, a page, anything."""
        rng = self.rng
        match rng.randrange(8):
            case 0 | 1 | 2:
                return self.record()
            case 3:
                return [self.record() if rng.random() < 0.8 else self.value() for _ in range(3)]
            case 4:
                page = {rng.choice(("datas", "list", "records", "rows", "DATAS")): self.data()}
                page.update({k: self.value() for k in ("total", "pageNo", "pageSize")})
                return page
            case 5:
                return [self.value() for _ in range(rng.randrange(4))]
            case _:
                return self.value()

    def body(self, data: Any) -> bytes:
        """The bytes of an answer around `data`."""
        rng = self.rng
        envelope: dict[str, Any] = {"data": data}
        if rng.random() < 0.9:
            envelope["code"] = rng.choice((0, 200, "0", "200", 0.0, 400, 403, 429, 500, None))
            if rng.random() < 0.1:
                envelope["code"] = self.scalar()
        if rng.random() < 0.5:
            envelope["msg"] = self.value() if rng.random() < 0.3 else SECRET + " 10 times per day"
        match rng.randrange(12):
            case 0:
                return HTML
            case 1:
                return rng.randbytes(rng.randrange(64))
            case 2:
                return json.dumps(envelope).encode()[: rng.randrange(1, 40)]
            case 3:  # deeply nested (now and then too deep for the JSON parser's recursion)
                depth = 100_000 if rng.random() < 0.02 else rng.choice((10, 2000))
                return b"[" * depth + b"]" * rng.randrange(depth)
            case 4:
                return json.dumps(data).encode()  # not the envelope
            case 5:
                return b""
            case _:
                return json.dumps(envelope).encode()

    def headers(self) -> dict[str, str]:
        """Headers, with a Retry-After of any shape now and then."""
        if self.rng.random() < 0.3:
            return {"Retry-After": str(self.scalar())}
        return {}


@dataclass
class Outcome:
    """What the fuzz found."""

    payloads: int = 0
    crashes: int = 0
    calls: int = 0
    first: dict[str, str] = field(default_factory=dict)

    def crash(self, where: str, what: object, payload: Any) -> None:
        """Count one crash; keep the first of each place, with its payload, for the report."""
        self.crashes += 1
        if len(self.first) < 10:
            self.first.setdefault(where, f"{what!r} on {repr(payload)[:200]}")


def refused_state(description: AtessSensorEntityDescription, value: object) -> str | None:
    """Why Home Assistant's sensor would refuse `value` as this sensor's state (None: it takes it)."""
    if value is None:
        return None
    if description.options is not None:
        return None if value in description.options else "not one of its options"
    numeric = bool(
        description.device_class
        or description.state_class
        or description.native_unit_of_measurement
        or description.suggested_display_precision is not None
    )
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return f"a {type(value).__name__}"
    if numeric:
        if isinstance(value, str):
            return "text for a numeric sensor"
        try:
            finite = math.isfinite(float(value))
        except OverflowError:
            finite = False
        return None if finite else "a number float() cannot hold finitely"
    text = value if isinstance(value, str) else str(value)
    return None if len(text) <= MAX_STATE else f"a state of {len(text)} characters"


def _judged_alike(description: AtessSensorEntityDescription) -> tuple[object, ...]:
    """Descriptions with the same value function and the same state rules judge alike."""
    return (
        description.value_fn,
        tuple(description.options or ()),
        refused_state(description, "text") is None,
    )


# one description per distinct (value function, state rules): every value function is run
JUDGES: tuple[AtessSensorEntityDescription, ...] = tuple(
    {
        _judged_alike(description): description
        for description in (*DESCRIPTIONS, unknown_description("x"))
    }.values()
)


def judge_values(outcome: Outcome, values: list[Any]) -> None:
    """Every value function on every value (each with the state rules of its sensors)."""
    for description in JUDGES:
        for value in values:
            outcome.calls += 1
            try:
                state = description.value_fn(value)
            except Exception as err:  # noqa: BLE001 - any exception is the finding
                outcome.crash(f"value_fn of {description.key}", err, value)
                continue
            if (why := refused_state(description, state)) is not None:
                outcome.crash(f"value_fn of {description.key}", f"{why}: {state!r}"[:200], value)


def feed(outcome: Outcome, junk: Junk) -> None:
    """One payload: decode the body, parse the data every way, run the value functions."""
    data = junk.data()
    body = junk.body(data)
    status = junk.rng.choice(STATUSES)
    outcome.payloads += 1
    try:
        decoded = decode_response("fuzz", status, junk.headers(), body, secrets=(SECRET,))
    except AtessError as err:
        if SECRET in str(err):
            outcome.crash("decode_response leaked the token", err, body)
    except Exception as err:  # noqa: BLE001 - any exception is the finding
        outcome.crash("decode_response", err, body)
    else:
        data = decoded  # what the client would parse
    values: list[Any] = [None]
    for parser in PARSERS:
        try:
            parsed = parser(data)
            repr(parsed)
        except AtessError:
            continue
        except Exception as err:  # noqa: BLE001 - any exception is the finding
            outcome.crash(f"parser {getattr(parser, '__qualname__', parser)}", err, data)
            continue
        if isinstance(parsed, RealtimeData):
            values += [parsed.get(field) for field in FIELDS if field in parsed]
    judge_values(outcome, values)


def fuzz(payloads: int, seed: int) -> Outcome:
    """Feed `payloads` generated payloads; count the crashes."""
    outcome = Outcome()
    junk = Junk(seed)
    for _ in range(payloads):
        feed(outcome, junk)
    return outcome


def test_fuzz(figures: Figures) -> None:
    """At least 10,000 payloads; no exception outside AtessError, no state HA would refuse."""
    payloads = isize("ATESS_FUZZ_PAYLOADS")
    seed = int(os.environ.get("ATESS_FUZZ_SEED", "12"))
    outcome = fuzz(payloads, seed)
    figures.add("fuzz_payloads", outcome.payloads, "payloads", 0)
    figures.add("fuzz_value_fn_calls", outcome.calls, "calls", 0)
    figures.add("fuzz_crashes", outcome.crashes, "exceptions", 0)
    figures.note(
        f"fuzz seed {seed}: {len(DESCRIPTIONS)} sensor descriptions, "
        f"{len(JUDGES)} distinct value functions and state rules"
    )
    for where, what in outcome.first.items():
        figures.note(f"crash in {where}: {what}")
    figures.check(["fuzz_payloads", "fuzz_crashes"], goals="fuzz")
