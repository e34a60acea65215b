"""The shapes of catalogue entries: realtime sensors and writable settings, and their sources."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from homeassistant.components.number import NumberDeviceClass, NumberMode
from homeassistant.components.sensor import SensorEntityDescription
from homeassistant.const import EntityCategory
from homeassistant.helpers.typing import StateType

from ..api import Value


class Source(StrEnum):
    """Where the meaning (and unit) of a field comes from, strongest first."""

    DOC = "doc"  # the ATESS OpenAPI docs
    THIRD_PARTY = "third_party"  # a public client of this same OpenAPI
    APP = "app"  # the ATESS app's internal API models
    GROWATT = "growatt"  # Growatt's ShineServer OpenAPI, whose vocabulary ATESS shares
    REGISTER = "register"  # the ATESS Modbus register map (scale and unit of the register)
    INFERENCE = "inference"  # the key's name only
    UNKNOWN = "unknown"  # not in the catalogue at all


# The one-letter evidence codes of the catalogue's tables (docs/fields.md#sources-and-confidence).
D = Source.DOC
T = Source.THIRD_PARTY
A = Source.APP
G = Source.GROWATT
R = Source.REGISTER
N = Source.INFERENCE


def as_number(value: Value) -> StateType:
    """A numeric state, or None when the cloud sent something that is not a number."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return value
    return None


@dataclass(frozen=True, kw_only=True)
class AtessSensorEntityDescription(SensorEntityDescription):
    """A realtime field shown as a sensor.

    `key` is the cloud field name lower-cased (the cloud's casing varies, see
    docs/fields.md#spelling-of-keys), and the entity's unique id is `<serial>_<key>`, so a field
    that moves from "unknown" to curated keeps its entity and its history.
    """

    field: str
    source: Source
    value_fn: Callable[[Value], StateType] = as_number
    # lifetime counters never go down; a lower value is a cloud glitch, not a meter reset
    monotonic: bool = False


class SettingPlatform(StrEnum):
    """Which entity platform shows a setting."""

    NUMBER = "number"
    SELECT = "select"
    TEXT = "text"


@dataclass(frozen=True, kw_only=True)
class SettingSpec:
    """A writable setting: its range, options or pattern, and where its meaning comes from."""

    key: str  # the cloud's setting key, exactly as get-setting returns it
    translation_key: str
    platform: SettingPlatform
    source: Source
    native_min: float | None = None
    native_max: float | None = None
    step: float | None = None
    unit: str | None = None
    device_class: NumberDeviceClass | None = None
    mode: NumberMode = NumberMode.BOX
    # select: option name -> cloud value
    options: dict[str, int] = field(default_factory=dict)
    # text: a full-match regular expression
    pattern: str | None = None
    entity_category: EntityCategory = EntityCategory.CONFIG
    entity_registry_enabled_default: bool = True
