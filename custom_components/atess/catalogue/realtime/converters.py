"""How a raw realtime value becomes a sensor state, beyond the plain number (`types.as_number`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from homeassistant.helpers.typing import StateType

from ...api import Value
from ..types import as_number


def _code(value: Value) -> int | None:
    """An integer code, or None (bools and fractional numbers are not codes)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            return None
        return int(number) if number.is_integer() else None
    return None


def enum_value_fn(codes: Mapping[int, str]) -> Callable[[Value], StateType]:
    """Map a code to its option; unknown codes become None."""

    def convert(value: Value) -> StateType:
        code = _code(value)
        return None if code is None else codes.get(code)

    return convert


def power_factor_value(value: Value) -> StateType:
    """`loadPf` most likely arrives as PF x 100; values already in 0..1 pass.

    See docs/fields.md#power-factor-scale.
    """
    number = as_number(value)
    if isinstance(number, (int, float)) and abs(number) > 1:
        return number / 100
    return number


def number_in_text(value: Value) -> StateType:
    """A number, also out of a pre-formatted string such as "3.312V" or "25℃"."""
    if isinstance(value, str):
        text = value.strip()
        end = 0
        while end < len(text) and (text[end].isdigit() or text[end] in "+-."):
            end += 1
        try:
            return float(text[:end])
        except ValueError:
            return None
    return as_number(value)
