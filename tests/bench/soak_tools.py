"""What the soak uses besides the test itself: a log scanner, fault counters, route faults.

The simulator's own knobs cover the faults of a working route (timeouts, error envelopes, HTTP
5xx, throttling, damaged bodies and fields); `RouteFaults` adds the one a cloud deployment shows
when a route is missing for a while: HTTP 404 with the JSON body Spring Boot answers it with.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
import logging
import math
import random
import traceback

from aiohttp import web
from aiohttp.typedefs import Handler

from custom_components.atess.catalogue import SettingPlatform
from custom_components.atess.catalogue.settings import setting_specs_for
from custom_components.atess.coordinator import AtessDevice
from simulator import FAULT_KNOBS
from simulator.cloud import faults

TOKEN = "soak-token-5f1c9e2a7b3d4c60"  # distinctive, so any leak is found by plain search
RATE_KNOBS = tuple(k for k in FAULT_KNOBS if k != "latency")
ROUTE = "route"
# every kind of fault the soak injects: the simulator's rate knobs, and missing routes
FAULT_KINDS = (*(knob.removesuffix("_rate") for knob in RATE_KNOBS), ROUTE)


class Scanner(logging.Handler):
    """Reads every log record: token occurrences, and records that carry an exception."""

    def __init__(self) -> None:
        """Start with nothing seen."""
        super().__init__(logging.DEBUG)
        self.records = 0
        self.token_hits = 0
        self.token_samples: list[str] = []
        self.exceptions: list[str] = []
        self.levels: Counter[str] = Counter()

    def emit(self, record: logging.LogRecord) -> None:
        """Look at one record."""
        try:
            text = record.getMessage()
        except Exception as err:  # noqa: BLE001 - a broken log call is itself a finding
            text = f"{record.msg!r} {record.args!r}"
            self.exceptions.append(f"unformattable log record: {text} ({err!r})")
        if record.exc_info and record.exc_info[1] is not None:
            text += "\n" + "".join(traceback.format_exception(record.exc_info[1]))
            if record.levelno >= logging.ERROR:
                self.exceptions.append(f"{record.name}: {record.getMessage()}: {text[-600:]}")
        self.records += 1
        self.levels[record.levelname] += 1
        if (hits := text.count(TOKEN)) > 0:
            self.token_hits += hits
            if len(self.token_samples) < 5:
                self.token_samples.append(f"{record.name}: {text[:300]}")


@contextmanager
def scanning() -> Iterator[Scanner]:
    """Attach a Scanner to the root logger at DEBUG for the duration of the block.

    The other root handlers (pytest's log capture) are quietened meanwhile: a soak logs tens of
    thousands of records, which would bury a failure's report; the figures carry the evidence.
    """
    scanner = Scanner()
    root = logging.getLogger()
    level = root.level
    others = {handler: handler.level for handler in root.handlers}
    for handler in others:
        handler.setLevel(logging.CRITICAL)
    root.addHandler(scanner)
    root.setLevel(logging.DEBUG)
    try:
        yield scanner
    finally:
        root.removeHandler(scanner)
        root.setLevel(level)
        for handler, handler_level in others.items():
            handler.setLevel(handler_level)


def exception_texts(err: BaseException | None) -> str:
    """str() and repr() of an exception and of everything it was raised from."""
    parts: list[str] = []
    seen: set[int] = set()
    while err is not None and id(err) not in seen:
        seen.add(id(err))
        parts += [str(err), repr(err), *map(str, err.args)]
        err = err.__cause__ or err.__context__
    return "\n".join(parts)


def writable_numbers(device: AtessDevice) -> list[tuple[str, int, int]]:
    """(key, low, high) of every number setting with a range that the device reports."""
    data = device.settings.data
    out = []
    for key, spec in setting_specs_for(device.ref.kind).items():
        if spec.platform is not SettingPlatform.NUMBER:
            continue
        if spec.native_min is None or spec.native_max is None:
            continue
        if data is not None and key not in data:
            continue
        low, high = math.ceil(spec.native_min), math.floor(spec.native_max)
        if high - low >= 2:
            out.append((key, low, high))
    return out


def most_in_24h(times: list[datetime]) -> int:
    """The largest number of events inside any 24-hour window."""
    times = sorted(times)
    best = 0
    start = 0
    for end, moment in enumerate(times):
        while moment - times[start] >= timedelta(hours=24):
            start += 1
        best = max(best, end - start + 1)
    return best


class RouteFaults:
    """An aiohttp middleware: API requests answered as a route the cloud lacks.

    At `rate`, any API request; always, a request to one of the `missing` paths.
    """

    def __init__(self, seed: int) -> None:
        """Off until `rate` or `missing` is set; drawn from its own seeded generator."""
        self.rate = 0.0
        self.missing: frozenset[str] = frozenset()
        self.injected = 0
        self._rng = random.Random(seed)  # noqa: S311 - a reproducible schedule, not security

    @web.middleware
    async def middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """Answer 404 with Spring's error body instead of calling the route."""
        if request.path in self.missing or (
            request.path.startswith("/api/") and self._rng.random() < self.rate
        ):
            self.injected += 1
            body = {
                "timestamp": datetime.now(UTC).isoformat(timespec="milliseconds"),
                "status": 404,
                "error": "Not Found",
                "path": request.path,
            }
            return web.json_response(body, status=404)
        return await handler(request)


def count_faults(seen: Counter[str]) -> Callable[..., faults.FaultPlan]:
    """A stand-in for `simulator.faults.draw` that counts the faults each answer really gets.

    A terminal fault (timeout, HTTP error, throttle, error envelope) replaces the answer, so the
    body and field faults drawn with it never reach the client and are not counted.
    """
    draw = faults.draw

    def counting(knobs: dict[str, float], rng: random.Random) -> faults.FaultPlan:
        plan = draw(knobs, rng)
        if plan.terminal:
            seen[plan.terminal] += 1
        else:
            seen.update(
                name
                for name, hit in (
                    (plan.body, plan.body is not None),
                    ("missing_fields", plan.missing_fields),
                    ("extra_fields", plan.extra_fields),
                    ("string_numbers", plan.string_numbers),
                )
                if hit and name
            )
        return plan

    return counting
