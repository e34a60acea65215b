"""The contract report: what the cloud actually answered, per operation and as a dialect.

A maintainer corrects the path table (endpoints.py) and the assumed shapes from one owner's
diagnostics. This module counts, per operation, answers by kind and keeps the last HTTP status
and envelope code; and it notes the envelope dialect: the success codes seen, whether lists
arrive as bare arrays or paging objects, whether numbers arrive as text, and the formats of the
time stamps. It keeps counters and format names only: no payload, no serial, no token.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
import re
from typing import Any

from .endpoints import OPERATIONS, Operation, OperationKind
from .routes import RouteBook
from .values import index_keys

_LIST_OPERATIONS = frozenset(
    {
        OperationKind.BASE_INFO_LIST,
        OperationKind.HISTORY,
        OperationKind.DATALOG_LIST,
        OperationKind.PLANT_LIST,
    }
)
# Open payloads: their numbers are device values, so text numbers there are the dialect's.
_VALUE_OPERATIONS = frozenset(
    {OperationKind.REALTIME, OperationKind.HISTORY, OperationKind.GET_SETTING}
)
_PAGING_KEYS = ("datas", "list", "records", "rows")  # as models.list_items reads them
_TIME_KEYS = {
    key.casefold(): key
    for key in ("time", "recordTime", "updateTime", "lastUpdate", "installDate", "createTime")
}
_NUMBER = re.compile(r"\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*")
_TIME_FORMATS = (
    (re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}"), "yyyy-MM-dd HH:mm:ss"),
    (re.compile(r"\d{4}/\d{2}/\d{2} \d{2}:\d{2}:\d{2}"), "yyyy/MM/dd HH:mm:ss"),
    (re.compile(r"\d{4}-\d{2}-\d{2}"), "yyyy-MM-dd"),
    (re.compile(r"\d{4}-\d{2}-\d{2}T[\d:.]+"), "ISO 8601 without offset"),
    (re.compile(r"\d{4}-\d{2}-\d{2}T[\d:.]+(?:Z|[+-]\d{2}:?\d{2})"), "ISO 8601 with offset"),
    (re.compile(r"\d{12,14}"), "epoch ms as text"),
    (re.compile(r"\d{9,10}"), "epoch s as text"),
)
_EPOCH_MS = 10**11  # larger epoch numbers count milliseconds (10**11 s is the year 5138)


@dataclass(slots=True)
class OperationStats:
    """The counters of one operation since the client started."""

    last_status: int | None = None
    last_code: int | None = None
    successes: int = 0
    route_missing: int = 0
    errors: int = 0
    shape_errors: int = 0
    shapes: set[str] = field(default_factory=set)


class ContractRecorder:
    """Counts answers per operation and notes the dialect; cheap enough for every request."""

    def __init__(self) -> None:
        """Start with nothing seen."""
        self._stats: dict[str, OperationStats] = {}
        self._success_codes: set[int] = set()
        self._text_numbers = 0
        self._json_numbers = 0
        self._time_formats: dict[str, set[str]] = {}

    def _of(self, operation: Operation) -> OperationStats:
        return self._stats.setdefault(operation.label, OperationStats())

    def record_success(
        self, operation: Operation, status: int, code: int | None, data: Any
    ) -> None:
        """Count an envelope with a success code, and look at its data's dialect."""
        stats = self._of(operation)
        stats.last_status, stats.last_code = status, code
        stats.successes += 1
        if code is not None:
            self._success_codes.add(code)
        first: Any = data
        if operation.operation_kind in _LIST_OPERATIONS:
            shape, items = _list_shape(data)
            stats.shapes.add(shape)
            first = items[0] if items else None
        if isinstance(first, dict):
            self._look_at(first, values=operation.operation_kind in _VALUE_OPERATIONS)

    def record_route_missing(self, operation: Operation, status: int) -> None:
        """Count an answer saying the route does not exist."""
        stats = self._of(operation)
        stats.last_status, stats.last_code = status, None
        stats.route_missing += 1

    def record_error(
        self, operation: Operation, status: int | None = None, code: int | None = None
    ) -> None:
        """Count any other failure (status None: no answer at all)."""
        stats = self._of(operation)
        stats.last_status, stats.last_code = status, code
        stats.errors += 1

    def record_shape_error(self, operation: Operation) -> None:
        """Count data the models could not read (the envelope itself was fine)."""
        self._of(operation).shape_errors += 1

    def _look_at(self, item: dict[str, Any], *, values: bool) -> None:
        """Note text numbers and time formats of one object (never its values)."""
        for key, value in item.items():
            time_key = _TIME_KEYS.get(key.casefold()) if isinstance(key, str) else None
            if time_key is not None:
                self._time_formats.setdefault(time_key, set()).add(_time_format(value))
            elif values and not isinstance(value, bool):
                if isinstance(value, (int, float)):
                    self._json_numbers += 1
                elif isinstance(value, str) and _NUMBER.fullmatch(value):
                    self._text_numbers += 1

    def report(self, book: RouteBook) -> dict[str, Any]:
        """Return the contract report as plain JSON: every operation, then the dialect."""
        operations: dict[str, Any] = {}
        shapes: set[str] = set()
        for operation in OPERATIONS:
            stats = self._stats.get(operation.label, OperationStats())
            in_use = book.candidate_in_use(operation)
            if in_use is not None:
                resolution = "answers"
            elif book.all_missing(operation):
                resolution = "none answers"
            else:
                resolution = "unresolved"
            entry: dict[str, Any] = {
                "method": operation.method,
                "resolution": resolution,
                "path": None if in_use is None else in_use.path,
                "origin": None if in_use is None else in_use.origin,
                "source": str(operation.source),
                "candidates": list(operation.paths),
                "known_missing": list(book.known_missing(operation)),
                # kept across restarts: what the cloud answered at each missing path, and when
                "missing_evidence": {
                    path: {
                        "status": proof.status,
                        "code": proof.code,
                        "at": datetime.fromtimestamp(proof.at, UTC).isoformat(timespec="seconds"),
                    }
                    for path, proof in book.evidence(operation).items()
                },
                "last_status": stats.last_status,
                "last_code": stats.last_code,
                "successes": stats.successes,
                "route_missing": stats.route_missing,
                "errors": stats.errors,
                "shape_errors": stats.shape_errors,
            }
            if operation.operation_kind in _LIST_OPERATIONS:
                entry["list_shapes"] = sorted(stats.shapes)
                shapes |= stats.shapes
            operations[operation.label] = entry
        return {
            "operations": operations,
            "dialect": {
                "success_codes": sorted(self._success_codes),
                "list_shapes": sorted(shapes),
                "numbers_as_text": self._text_numbers,
                "numbers_as_json": self._json_numbers,
                "timestamp_formats": {
                    key: sorted(formats) for key, formats in sorted(self._time_formats.items())
                },
            },
        }


def _list_shape(data: Any) -> tuple[str, list[Any]]:
    """Name the shape of a list answer and return its items (as models.list_items finds them)."""
    if data is None:
        return "null", []
    if isinstance(data, list):
        return "array", data
    if isinstance(data, dict):
        index = index_keys(data)
        for key in _PAGING_KEYS:
            if (found := index.get(key)) is not None and isinstance(data[found], list):
                return f"paging object ({found})", data[found]
        return "object without a list", []
    return "other", []


def _time_format(value: Any) -> str:
    """Name the format of a time stamp without keeping it."""
    match value:
        case None:
            return "null"
        case bool():  # before int: JSON true is no epoch
            return "other"
        case int() | float():
            return "epoch ms" if abs(value) >= _EPOCH_MS else "epoch s"
        case str():
            text = value.strip()
            return next(
                (name for pattern, name in _TIME_FORMATS if pattern.fullmatch(text)), "other"
            )
    return "other"
