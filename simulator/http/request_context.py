"""What an API handler sees of a request: state, language, parameters and body."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
import json

from simulator.cloud.envelope import CODE_NOT_FOUND, ApiError
from simulator.cloud.state import SimulatorState
from simulator.jsontypes import JsonObject

DATE_FORMAT = "%Y-%m-%d %H:%M:%S"


@dataclass(frozen=True, slots=True)
class RequestContext:
    """Parsed request; the `param_*` helpers raise the envelope a bad parameter deserves."""

    state: SimulatorState
    lang: str
    query: Mapping[str, str]
    raw_body: bytes

    def body(self) -> JsonObject:
        """Return the JSON body (an object), or {} when there is none."""
        if not self.raw_body.strip():
            return {}
        try:
            parsed = json.loads(self.raw_body)
        except ValueError:
            raise ApiError(CODE_NOT_FOUND, "bad_body") from None
        if not isinstance(parsed, dict):
            raise ApiError(CODE_NOT_FOUND, "bad_body")
        return parsed

    def optional(self, name: str) -> str | None:
        """Return a parameter from the query, else from the body (DELETE may use either)."""
        value = self.query.get(name)
        if value is None and self.raw_body:
            found = self.body().get(name)
            if found is not None and not isinstance(found, dict | list):
                value = str(found)
        return value if value not in (None, "") else None

    def param(self, name: str) -> str:
        """Return a required parameter, else raise code 400 naming it."""
        value = self.optional(name)
        if value is None:
            raise ApiError(CODE_NOT_FOUND, "missing", name=name)
        return value

    def param_int(self, name: str, default: int | None = None) -> int:
        """Return an integer parameter (required unless a default is given)."""
        text = self.optional(name)
        if text is None:
            if default is None:
                raise ApiError(CODE_NOT_FOUND, "missing", name=name)
            return default
        try:
            return int(text)
        except ValueError:
            raise ApiError(CODE_NOT_FOUND, "bad_number", name=name) from None

    def param_date(self, name: str) -> datetime:
        """Return a `yyyy-MM-dd HH:mm:ss` parameter as a naive plant-local datetime."""
        text = self.param(name)
        try:
            return datetime.strptime(text.strip(), DATE_FORMAT)  # noqa: DTZ007 - plant-local
        except ValueError:
            raise ApiError(CODE_NOT_FOUND, "bad_date", name=name) from None
