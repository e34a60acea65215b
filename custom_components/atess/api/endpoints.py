"""The one table of every operation of the ATESS cloud OpenAPI.

Each row says where its paths come from, because most paths were inferred from the naming
pattern of the few documented ones (see docs/cloud-contract.md). An inferred operation lists
its candidate paths in order; the route book (routes.py) remembers which one the cloud answers.
When a real owner reports a real path, one row changes here, and nothing else in the client does.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class DeviceKind(StrEnum):
    """A device family with its own group of endpoints."""

    BCU = "bcu"
    MBMS = "mbms"
    HPS_BIG = "hps_big"  # the docs' "Central type" HPS
    HPS_SMALL = "hps_small"  # the docs' "String type" HPS
    PBD = "pbd"
    PCS = "pcs"


class OperationKind(StrEnum):
    """What an operation does."""

    BASE_INFO = "base_info"
    BASE_INFO_LIST = "base_info_list"
    HISTORY = "history"
    REALTIME = "realtime"
    GET_SETTING = "get_setting"
    MODIFY_SETTING = "modify_setting"
    DATALOG_GET = "datalog_get"
    DATALOG_ADD = "datalog_add"
    DATALOG_DELETE = "datalog_delete"
    DATALOG_LIST = "datalog_list"
    PLANT_GET = "plant_get"
    PLANT_ADD = "plant_add"
    PLANT_MODIFY = "plant_modify"
    PLANT_DELETE = "plant_delete"
    PLANT_LIST = "plant_list"


class Source(StrEnum):
    """Where a path comes from; only "doc" is the vendor's word."""

    DOC = "doc"
    THIRD_PARTY = "third-party"
    SEED = "seed"
    INFERRED = "inferred"


@dataclass(frozen=True, slots=True)
class Candidate:
    """One path an operation may answer at.

    ``number`` counts the candidates of an operation from 1; it is None when the operation has
    a single path. ``origin`` says where the path comes from, for the contract report.
    """

    path: str
    source: Source
    number: int | None = None

    @property
    def origin(self) -> str:
        """Return "doc", "seed", "third-party", "inferred", or "candidate n" (n from 1)."""
        return str(self.source) if self.number is None else f"candidate {self.number}"


@dataclass(frozen=True, slots=True)
class Operation:
    """One HTTP operation of the OpenAPI, with the paths it may answer at, in order."""

    kind: DeviceKind | None  # None for the plant and datalog operations
    operation_kind: OperationKind
    method: str
    candidates: tuple[Candidate, ...]
    source: Source

    @property
    def path(self) -> str:
        """Return the first candidate path (the one the docs' naming suggests first)."""
        return self.candidates[0].path

    @property
    def paths(self) -> tuple[str, ...]:
        """Return every candidate path, in the order they are tried."""
        return tuple(candidate.path for candidate in self.candidates)

    @property
    def label(self) -> str:
        """Name the operation in errors and logs, e.g. "realtime hps_big"."""
        if self.kind is None:
            return str(self.operation_kind)
        return f"{self.operation_kind} {self.kind}"


_P = "/api/v1"

# kind, operation kind, method, candidate paths in order, source -- as in docs/cloud-contract.md,
# which says why each alternative follows from the documented naming. Only inferred operations
# have more than one candidate. The BCU base-info list keeps the docs' "buc" spelling.
_TABLE: tuple[tuple[str | None, str, str, tuple[str, ...], str], ...] = (
    ("bcu", "base_info", "GET", ("/bms/buc-base-info", "/bms/bcu-base-info"), "inferred"),
    ("bcu", "base_info_list", "GET", ("/bms/buc-base-info/list",), "doc"),
    ("bcu", "history", "GET", ("/bms/bcu-data-list", "/bms/buc-data-list"), "inferred"),
    ("bcu", "realtime", "GET", ("/bms/bcu-data-last", "/bms/buc-data-last"), "inferred"),
    ("bcu", "get_setting", "GET", ("/bms/bcu-setting",), "doc"),
    ("bcu", "modify_setting", "PUT", ("/bms/bcu-setting",), "inferred"),
    ("mbms", "base_info", "GET", ("/bms/mbms-base-info", "/mbms/base-info"), "inferred"),
    (
        "mbms",
        "base_info_list",
        "GET",
        ("/bms/mbms-base-info/list", "/mbms/base-info/list"),
        "inferred",
    ),
    ("mbms", "history", "GET", ("/bms/mbms-data-list", "/mbms/data-list"), "inferred"),
    ("mbms", "realtime", "GET", ("/bms/mbms-data-last", "/mbms/data-last"), "inferred"),
    ("mbms", "get_setting", "GET", ("/bms/mbms-setting",), "inferred"),
    ("mbms", "modify_setting", "PUT", ("/bms/mbms-setting",), "seed"),
    ("hps_big", "base_info", "GET", ("/hps/big-base-info", "/hps/base-info"), "inferred"),
    (
        "hps_big",
        "base_info_list",
        "GET",
        ("/hps/big-base-info/list", "/hps/base-info/list"),
        "inferred",
    ),
    ("hps_big", "history", "GET", ("/hps/data-list",), "doc"),
    ("hps_big", "realtime", "GET", ("/hps/data-last",), "third-party"),
    ("hps_big", "get_setting", "GET", ("/hps/big-setting",), "doc"),
    ("hps_big", "modify_setting", "PUT", ("/hps/big-setting",), "inferred"),
    ("hps_small", "base_info", "GET", ("/hps/small-base-info", "/hps/base-info-small"), "inferred"),
    (
        "hps_small",
        "base_info_list",
        "GET",
        ("/hps/small-base-info/list", "/hps/base-info-small/list"),
        "inferred",
    ),
    ("hps_small", "history", "GET", ("/hps/data-list-small",), "third-party"),
    ("hps_small", "realtime", "GET", ("/hps/data-last-small",), "doc"),
    ("hps_small", "get_setting", "GET", ("/hps/small-setting",), "doc"),
    ("hps_small", "modify_setting", "PUT", ("/hps/small-setting",), "inferred"),
    ("pbd", "base_info", "GET", ("/pbd/base-info", "/pbd/pbd-base-info"), "inferred"),
    (
        "pbd",
        "base_info_list",
        "GET",
        ("/pbd/base-info/list", "/pbd/pbd-base-info/list"),
        "inferred",
    ),
    ("pbd", "history", "GET", ("/pbd/data-list", "/pbd/pbd-data-list"), "inferred"),
    ("pbd", "realtime", "GET", ("/pbd/data-last",), "doc"),
    ("pbd", "get_setting", "GET", ("/pbd/setting", "/pbd/pbd-setting"), "inferred"),
    ("pbd", "modify_setting", "PUT", ("/pbd/setting", "/pbd/pbd-setting"), "inferred"),
    ("pcs", "base_info", "GET", ("/pcs/base-info", "/pcs/pcs-base-info"), "inferred"),
    (
        "pcs",
        "base_info_list",
        "GET",
        ("/pcs/base-info/list", "/pcs/pcs-base-info/list"),
        "inferred",
    ),
    ("pcs", "history", "GET", ("/pcs/data-list", "/pcs/pcs-data-list"), "inferred"),
    ("pcs", "realtime", "GET", ("/pcs/data-last", "/pcs/pcs-data-last"), "inferred"),
    ("pcs", "get_setting", "GET", ("/pcs/setting", "/pcs/pcs-setting"), "inferred"),
    ("pcs", "modify_setting", "PUT", ("/pcs/setting", "/pcs/pcs-setting"), "inferred"),
    (None, "datalog_get", "GET", ("/datalog", "/datalog/base-info"), "inferred"),
    (None, "datalog_add", "POST", ("/datalog", "/datalog/add"), "inferred"),
    (None, "datalog_delete", "DELETE", ("/datalog", "/datalog/delete"), "inferred"),
    (None, "datalog_list", "GET", ("/datalog/list", "/datalog/base-info/list"), "inferred"),
    (None, "plant_get", "GET", ("/plant", "/plant/base-info"), "inferred"),
    (None, "plant_add", "POST", ("/plant", "/plant/add"), "inferred"),
    (None, "plant_modify", "PUT", ("/plant", "/plant/modify"), "inferred"),
    (None, "plant_delete", "DELETE", ("/plant", "/plant/delete"), "inferred"),
    (None, "plant_list", "GET", ("/plant/list", "/plant/base-info/list"), "inferred"),
)


def _candidates(paths: tuple[str, ...], source: Source) -> tuple[Candidate, ...]:
    """Number the candidates of an operation that has several."""
    if len(paths) == 1:
        return (Candidate(_P + paths[0], source),)
    return tuple(Candidate(_P + path, source, n) for n, path in enumerate(paths, start=1))


OPERATIONS: tuple[Operation, ...] = tuple(
    Operation(
        None if kind is None else DeviceKind(kind),
        OperationKind(op),
        method,
        _candidates(paths, Source(src)),
        Source(src),
    )
    for kind, op, method, paths, src in _TABLE
)

_BY_KEY: dict[tuple[DeviceKind | None, OperationKind], Operation] = {
    (operation.kind, operation.operation_kind): operation for operation in OPERATIONS
}

# The operations every device kind has; plant and datalog operations have no kind.
DEVICE_OPERATION_KINDS: tuple[OperationKind, ...] = (
    OperationKind.BASE_INFO,
    OperationKind.BASE_INFO_LIST,
    OperationKind.HISTORY,
    OperationKind.REALTIME,
    OperationKind.GET_SETTING,
    OperationKind.MODIFY_SETTING,
)


def get_operation(kind: DeviceKind | str | None, operation_kind: OperationKind | str) -> Operation:
    """Return the operation for a device kind (None for plant and datalog operations).

    Raises ValueError for an unknown kind or a combination the API does not have.
    """
    key = (None if kind is None else DeviceKind(kind), OperationKind(operation_kind))
    try:
        return _BY_KEY[key]
    except KeyError:
        raise ValueError(f"no operation {key[1]} for device kind {key[0]}") from None
