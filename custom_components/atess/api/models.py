"""Typed models of the cloud's payloads.

Plants, datalogs and base info have known fields, read through every alias seen in the docs
and public clients. Realtime, history and setting payloads stay open: every scalar field the
cloud sends is kept in ``values`` (numbers parsed), and the whole object in ``raw``.

Parsers raise only AtessResponseError, and only when the overall shape is wrong (a list where
an object belongs). A single odd field never loses the others: it reads as None and stays in raw.
"""

from __future__ import annotations

from collections.abc import Callable, KeysView, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
import logging
from typing import Any, ClassVar, Self

from .endpoints import DeviceKind
from .errors import AtessResponseError
from .values import (
    Value,
    index_keys,
    parse_bool,
    parse_date,
    parse_datetime,
    parse_float,
    parse_int,
    parse_str,
    parse_value,
    pick,
)

_LOGGER = logging.getLogger(__name__)

# Keys under which a paging object carries its items; the docs show "datas".
_LIST_KEYS = ("datas", "list", "records", "rows")


def _object(data: Any, what: str) -> dict[str, Any]:
    """Return data if it is a JSON object, else raise AtessResponseError."""
    if not isinstance(data, dict):
        raise AtessResponseError(f"{what}: expected a JSON object, got {_json_type(data)}")
    return data


def _json_type(data: Any) -> str:
    """Name a JSON value's type the way the JSON spec does."""
    if data is None:
        return "null"
    if isinstance(data, bool):
        return "a boolean"
    if isinstance(data, (int, float)):
        return "a number"
    if isinstance(data, str):
        return "a string"
    return "an array" if isinstance(data, list) else "an object"


def list_items(data: Any, what: str) -> list[Any]:
    """Return the items of a list answer: a JSON array, or a paging object holding one.

    ``null`` reads as an empty list (an account with no plants, a datalog with no devices).
    """
    if data is None:
        return []
    if isinstance(data, list):
        return data
    if isinstance(data, dict):
        index = index_keys(data)
        for key in _LIST_KEYS:
            if (found := index.get(key)) is not None:
                items = data[found]
                if items is None:
                    return []
                if isinstance(items, list):
                    return items
        raise AtessResponseError(f"{what}: the object holds no list")
    raise AtessResponseError(f"{what}: expected a list, got {_json_type(data)}")


def parse_list[T](data: Any, parser: Callable[[Any], T], what: str) -> list[T]:
    """Parse every item of a list answer; an unusable item makes the whole answer unusable.

    Lists tell which plants, datalogs and devices exist. Skipping an item without its id would
    read as "that device is gone", and the caller would remove it; refusing the answer keeps
    the last good list instead.
    """
    parsed: list[T] = []
    for position, item in enumerate(list_items(data, what)):
        try:
            parsed.append(parser(item))
        except AtessResponseError as err:
            raise AtessResponseError(f"{what}: item {position} is unusable ({err})") from err
    return parsed


def _identified(
    data: Any, what: str, keys: tuple[str, ...], fallback: str | None
) -> tuple[dict[str, Any], dict[str, str], str]:
    """Return the object, its key index and its id: the first of ``keys``, else ``fallback``."""
    data = _object(data, what)
    index = index_keys(data)
    found = parse_str(pick(data, index, *keys)) or fallback
    if found is None:
        raise AtessResponseError(f"{what}: no {keys[0]}")
    return data, index, found


def _timezone(data: Mapping[str, Any], index: Mapping[str, str]) -> str | None:
    """Prefer an IANA name among the time zone aliases (some carry an hour offset instead)."""
    aliases = ("timezone", "timeZone", "plantTimeZone", "atsTimezoneStr", "timezoneStr")
    found = [text for alias in aliases if (text := parse_str(pick(data, index, alias))) is not None]
    return next((name for name in found if "/" in name), found[0] if found else None)


def _coordinate(raw: Any, limit: float) -> float | None:
    """Return a latitude or longitude within its range, or None."""
    value = parse_float(raw)
    return value if value is not None and -limit <= value <= limit else None


@dataclass(frozen=True, slots=True)
class Plant:
    """A power station ("plant") of the account."""

    plant_id: str
    name: str
    timezone: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    country: str | None = None
    city: str | None = None
    nominal_power_w: float | None = None
    install_date: date | None = None
    address: str | None = None
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, hash=False)

    @classmethod
    def from_api(cls, data: Any, *, plant_id: str | None = None) -> Self:
        """Read a plant object; ``plant_id`` is the fallback when the object lacks one."""
        data, index, found_id = _identified(data, "plant", ("plantId", "id", "plant_id"), plant_id)
        return cls(
            plant_id=found_id,
            # A plant without a name still needs one to show: its id.
            name=parse_str(pick(data, index, "plantName", "name", "plant_name")) or found_id,
            timezone=_timezone(data, index),
            latitude=_coordinate(pick(data, index, "plantLat", "lat", "plant_lat", "latitude"), 90),
            longitude=_coordinate(
                pick(data, index, "plantLng", "plantLon", "lng", "lon", "plant_lng", "longitude"),
                180,
            ),
            country=parse_str(pick(data, index, "country", "plantCountry")),
            city=parse_str(pick(data, index, "city", "plantCity")),
            nominal_power_w=parse_float(
                pick(data, index, "nominalPower", "nominal_power", "plantNominalPower")
            ),
            install_date=parse_date(pick(data, index, "installDate", "install_date", "createDate")),
            address=parse_str(pick(data, index, "plantAddress", "address")),
            raw=data,
        )


@dataclass(frozen=True, slots=True)
class DataLog:
    """A datalogger (the gateway that carries a plant's devices to the cloud)."""

    sn: str
    plant_id: str | None = None
    model: str | None = None
    firmware: str | None = None
    lost: bool | None = None
    last_update: datetime | None = None
    interval_minutes: float | None = None
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, hash=False)

    @classmethod
    def from_api(cls, data: Any, *, sn: str | None = None) -> Self:
        """Read a datalog object; ``sn`` is the fallback when the object lacks one."""
        data, index, found_sn = _identified(data, "datalog", ("dataLogSn", "sn", "serialNum"), sn)
        return cls(
            sn=found_sn,
            plant_id=parse_str(pick(data, index, "plantId", "plant_id")),
            model=parse_str(pick(data, index, "deviceModel", "model", "deviceType")),
            firmware=parse_str(pick(data, index, "firmwareVersion", "firmware", "version")),
            lost=parse_bool(pick(data, index, "lost")),
            last_update=parse_datetime(
                pick(data, index, "lastUpdate", "lastUpdateTime", "updateTime")
            ),
            interval_minutes=parse_float(pick(data, index, "interval", "intervalMinutes")),
            raw=data,
        )


@dataclass(frozen=True, slots=True)
class BaseInfo:
    """The identity of one device, as the base-info operations describe it."""

    device_sn: str
    kind: DeviceKind
    datalog_sn: str | None = None
    model: str | None = None
    firmware: str | None = None
    lost: bool | None = None
    status: str | None = None
    address: int | None = None
    device_no: int | None = None
    system_no: int | None = None
    update_time: datetime | None = None
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, hash=False)

    @classmethod
    def from_api(cls, data: Any, kind: DeviceKind, *, device_sn: str | None = None) -> Self:
        """Read a base-info object; ``device_sn`` is the fallback when the object lacks one."""
        keys = ("deviceSn", "sn", "serialNum")
        data, index, found_sn = _identified(data, f"base info {kind}", keys, device_sn)
        return cls(
            device_sn=found_sn,
            kind=kind,
            datalog_sn=parse_str(pick(data, index, "dataLogSn")),
            model=parse_str(pick(data, index, "deviceModel", "model", "deviceType")),
            firmware=parse_str(pick(data, index, "firmwareVersion", "firmware", "version")),
            lost=parse_bool(pick(data, index, "lost")),
            status=parse_str(pick(data, index, "status")),
            address=parse_int(pick(data, index, "address")),
            device_no=parse_int(pick(data, index, "deviceNo")),
            system_no=parse_int(pick(data, index, "systemNo")),
            update_time=parse_datetime(pick(data, index, "updateTime", "lastUpdateTime")),
            raw=data,
        )


@dataclass(frozen=True, slots=True)
class DevicePayload:
    """An open payload: every field the cloud sent, readable case-insensitively.

    ``values`` holds every scalar field (numeric strings parsed, "null" as None); nested objects
    and arrays stay only in ``raw``. ``sample_time`` is naive plant-local time when the cloud
    sends "yyyy-MM-dd HH:mm:ss", as the docs show.
    """

    values: Mapping[str, Value] = field(default_factory=dict)
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, hash=False)
    sample_time: datetime | None = None
    lost: bool | None = None
    _index: Mapping[str, str] = field(init=False, repr=False, compare=False, hash=False)

    # The first of these keys present gives sample_time.
    TIME_KEYS: ClassVar[tuple[str, ...]] = ("time", "recordTime", "updateTime")

    def __post_init__(self) -> None:
        """Index the keys by lower case once, for get()."""
        object.__setattr__(self, "_index", index_keys(self.values))

    def get(self, key: str, default: Value = None) -> Value:
        """Return a value by key in any letter case (exact spelling wins)."""
        if key in self.values:
            return self.values[key]
        found = self._index.get(key.casefold())
        return default if found is None else self.values[found]

    def keys(self) -> KeysView[str]:
        """Return the keys as the cloud spelled them."""
        return self.values.keys()

    def __contains__(self, key: object) -> bool:
        """Say whether a key is present, in any letter case."""
        return isinstance(key, str) and key.casefold() in self._index

    @classmethod
    def from_api(cls, data: Any) -> Self:
        """Read an open payload; ``null`` reads as an empty one (a device with no data yet)."""
        if data is None:
            data = {}
        data = _object(data, cls.__name__)
        values = {
            key: parse_value(raw) for key, raw in data.items() if not isinstance(raw, (dict, list))
        }
        index = index_keys(data)
        return cls(
            values=values,
            raw=data,
            sample_time=parse_datetime(pick(data, index, *cls.TIME_KEYS)),
            lost=parse_bool(pick(data, index, "lost")),
        )


@dataclass(frozen=True, slots=True)
class RealtimeData(DevicePayload):
    """The latest sample of one device ("data-last")."""


@dataclass(frozen=True, slots=True)
class SettingsData(DevicePayload):
    """The current settings of one device: key -> value."""


@dataclass(frozen=True, slots=True)
class HistoryRecord(DevicePayload):
    """One stored sample of one device.

    Central HPS records carry ``time`` (the docs and Growatt's vocabulary); string HPS records
    carry ``recordTime`` (the public third-party client reads that key from data-list-small).
    """

    TIME_KEYS: ClassVar[tuple[str, ...]] = ("time", "recordTime", "dataTime", "updateTime")


@dataclass(frozen=True, slots=True)
class HistoryPage:
    """One page of history records."""

    records: tuple[HistoryRecord, ...]
    page_no: int
    page_size: int
    total: int | None = None

    @classmethod
    def from_api(cls, data: Any, *, page_no: int, page_size: int) -> Self:
        """Read a paging object (or a bare array); the request's numbers fill any gap."""
        records = tuple(parse_list(data, HistoryRecord.from_api, "history"))
        total: int | None = None
        if isinstance(data, dict):
            index = index_keys(data)
            # The docs' example shows 0 for pageNo and pageSize: only a positive number counts.
            if (size := parse_int(pick(data, index, "pageSize"))) is not None and size > 0:
                page_size = size
            if (no := parse_int(pick(data, index, "pageNo"))) is not None and no > 0:
                page_no = no
            if (count := parse_int(pick(data, index, "total"))) is not None and count >= 0:
                total = count
        return cls(records=records, page_no=page_no, page_size=page_size, total=total)
