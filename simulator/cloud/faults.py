"""Fault injection: what can go wrong with one API request, decided before it is handled."""

from __future__ import annotations

from dataclasses import dataclass
import random

from simulator.cloud.envelope import map_objects, numbers_as_text
from simulator.config import FAULT_KNOBS
from simulator.jsontypes import JsonObject, JsonValue

# Faults that replace the whole answer; the first one drawn wins, in this order.
TERMINAL_FAULTS: tuple[tuple[str, str], ...] = (
    ("timeout", "timeout_rate"),
    ("http_error", "http_error_rate"),
    ("throttle", "throttle_rate"),
    ("error", "error_rate"),
)
# Faults that damage the serialized body; the first one drawn wins.
BODY_FAULTS: tuple[tuple[str, str], ...] = (
    ("malformed", "malformed_rate"),
    ("truncated", "truncated_rate"),
)
RETRY_AFTER_SECONDS = 30
MALFORMED_BODY = b'{"code":0,"data":{"time":"\xff\xfe\x00<html>'


class FaultKnobError(ValueError):
    """A fault knob name or value is not acceptable."""


def validated_knobs(current: dict[str, float], changes: dict[str, object]) -> dict[str, float]:
    """Return `current` updated with `changes`; rates must be 0..1, latency >= 0."""
    updated = dict(current)
    for name, value in changes.items():
        if name not in FAULT_KNOBS:
            raise FaultKnobError(f"unknown fault knob {name}")
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise FaultKnobError(f"{name} must be a number")
        number = float(value)
        if number < 0.0 or (name != "latency" and number > 1.0):
            raise FaultKnobError(f"{name} out of range")
        updated[name] = number
    return updated


@dataclass(frozen=True, slots=True)
class FaultPlan:
    """The faults drawn for one request."""

    terminal: str | None = None
    body: str | None = None
    missing_fields: bool = False
    extra_fields: bool = False
    string_numbers: bool = False
    http_status: int = 502
    mutation_seed: int = 0

    @property
    def any(self) -> bool:
        """Return whether the request will not get a clean answer."""
        return bool(
            self.terminal
            or self.body
            or self.missing_fields
            or self.extra_fields
            or self.string_numbers
        )


def draw(knobs: dict[str, float], rng: random.Random) -> FaultPlan:
    """Draw the faults of one request. Every knob consumes a draw so sequences stay stable."""
    terminal = _first_hit(TERMINAL_FAULTS, knobs, rng)
    body = _first_hit(BODY_FAULTS, knobs, rng)
    return FaultPlan(
        terminal=terminal,
        body=body,
        missing_fields=rng.random() < knobs["missing_fields_rate"],
        extra_fields=rng.random() < knobs["extra_fields_rate"],
        string_numbers=rng.random() < knobs["string_numbers_rate"],
        http_status=rng.choice((502, 503)),
        mutation_seed=rng.randrange(1 << 30),
    )


def _first_hit(
    faults: tuple[tuple[str, str], ...], knobs: dict[str, float], rng: random.Random
) -> str | None:
    hit: str | None = None
    for name, knob in faults:
        if rng.random() < knobs[knob] and hit is None:
            hit = name
    return hit


def mutate_data(data: JsonValue, plan: FaultPlan) -> JsonValue:
    """Apply the field-level faults to every record or object inside `data`."""
    if not (plan.missing_fields or plan.extra_fields or plan.string_numbers):
        return data
    rng = random.Random(plan.mutation_seed)  # noqa: S311 - simulation, not security
    return map_objects(data, lambda obj: _mutate_object(obj, plan, rng))


def _mutate_object(obj: JsonObject, plan: FaultPlan, rng: random.Random) -> JsonObject:
    result = dict(obj)
    if plan.missing_fields and len(result) > 1:
        count = max(1, min(len(result) - 1, len(result) // 4))
        for key in rng.sample(sorted(result), count):
            del result[key]
    if plan.extra_fields:
        for number in range(2):
            result[f"injectedField{number + 1}"] = round(rng.uniform(0, 1000), 2)
    if plan.string_numbers:
        result = numbers_as_text(result)
    return result


def damage_body(body: bytes, plan: FaultPlan) -> bytes:
    """Apply the body-level fault: invalid bytes, or the JSON cut in half."""
    if plan.body == "malformed":
        return MALFORMED_BODY
    if plan.body == "truncated":
        return body[: len(body) // 2]
    return body


def html_error_page(status: int) -> str:
    """Return the HTML a gateway shows for a 5xx (what a proxy in front of the cloud sends)."""
    title = {502: "502 Bad Gateway", 503: "503 Service Temporarily Unavailable"}.get(
        status, f"{status} Error"
    )
    return f"<html><head><title>{title}</title></head><body><center><h1>{title}</h1></center></body></html>"
