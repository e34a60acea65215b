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

# One operation a row: device kind ("-" for the plant and datalog operations), operation kind,
# source, candidate paths in order -- as in docs/cloud-contract.md, which says why each
# alternative follows from the documented naming. Only inferred operations have more than one
# candidate. The BCU base-info list keeps the docs' "buc" spelling.
_TABLE: tuple[str, ...] = (
    "bcu       base_info       inferred     /bms/buc-base-info /bms/bcu-base-info",
    "bcu       base_info_list  doc          /bms/buc-base-info/list",
    "bcu       history         inferred     /bms/bcu-data-list /bms/buc-data-list",
    "bcu       realtime        inferred     /bms/bcu-data-last /bms/buc-data-last",
    "bcu       get_setting     doc          /bms/bcu-setting",
    "bcu       modify_setting  inferred     /bms/bcu-setting",
    "mbms      base_info       inferred     /bms/mbms-base-info /mbms/base-info",
    "mbms      base_info_list  inferred     /bms/mbms-base-info/list /mbms/base-info/list",
    "mbms      history         inferred     /bms/mbms-data-list /mbms/data-list",
    "mbms      realtime        inferred     /bms/mbms-data-last /mbms/data-last",
    "mbms      get_setting     inferred     /bms/mbms-setting",
    "mbms      modify_setting  seed         /bms/mbms-setting",
    "hps_big   base_info       inferred     /hps/big-base-info /hps/base-info",
    "hps_big   base_info_list  inferred     /hps/big-base-info/list /hps/base-info/list",
    "hps_big   history         doc          /hps/data-list",
    "hps_big   realtime        third-party  /hps/data-last",
    "hps_big   get_setting     doc          /hps/big-setting",
    "hps_big   modify_setting  inferred     /hps/big-setting",
    "hps_small base_info       inferred     /hps/small-base-info /hps/base-info-small",
    "hps_small base_info_list  inferred     /hps/small-base-info/list /hps/base-info-small/list",
    "hps_small history         third-party  /hps/data-list-small",
    "hps_small realtime        doc          /hps/data-last-small",
    "hps_small get_setting     doc          /hps/small-setting",
    "hps_small modify_setting  inferred     /hps/small-setting",
    "pbd       base_info       inferred     /pbd/base-info /pbd/pbd-base-info",
    "pbd       base_info_list  inferred     /pbd/base-info/list /pbd/pbd-base-info/list",
    "pbd       history         inferred     /pbd/data-list /pbd/pbd-data-list",
    "pbd       realtime        doc          /pbd/data-last",
    "pbd       get_setting     inferred     /pbd/setting /pbd/pbd-setting",
    "pbd       modify_setting  inferred     /pbd/setting /pbd/pbd-setting",
    "pcs       base_info       inferred     /pcs/base-info /pcs/pcs-base-info",
    "pcs       base_info_list  inferred     /pcs/base-info/list /pcs/pcs-base-info/list",
    "pcs       history         inferred     /pcs/data-list /pcs/pcs-data-list",
    "pcs       realtime        inferred     /pcs/data-last /pcs/pcs-data-last",
    "pcs       get_setting     inferred     /pcs/setting /pcs/pcs-setting",
    "pcs       modify_setting  inferred     /pcs/setting /pcs/pcs-setting",
    "-         datalog_get     inferred     /datalog /datalog/base-info",
    "-         datalog_add     inferred     /datalog /datalog/add",
    "-         datalog_delete  inferred     /datalog /datalog/delete",
    "-         datalog_list    inferred     /datalog/list /datalog/base-info/list",
    "-         plant_get       inferred     /plant /plant/base-info",
    "-         plant_add       inferred     /plant /plant/add",
    "-         plant_modify    inferred     /plant /plant/modify",
    "-         plant_delete    inferred     /plant /plant/delete",
    "-         plant_list      inferred     /plant/list /plant/base-info/list",
)

# Every operation reads with GET but these.
_METHODS: dict[str, str] = {
    "modify_setting": "PUT",
    "datalog_add": "POST",
    "datalog_delete": "DELETE",
    "plant_add": "POST",
    "plant_modify": "PUT",
    "plant_delete": "DELETE",
}


def _candidates(paths: list[str], source: Source) -> tuple[Candidate, ...]:
    """Number the candidates of an operation that has several."""
    if len(paths) == 1:
        return (Candidate(_P + paths[0], source),)
    return tuple(Candidate(_P + path, source, n) for n, path in enumerate(paths, start=1))


def _operation(row: str) -> Operation:
    """Read one row of _TABLE."""
    kind, op, src, *paths = row.split()
    return Operation(
        None if kind == "-" else DeviceKind(kind),
        OperationKind(op),
        _METHODS.get(op, "GET"),
        _candidates(paths, Source(src)),
        Source(src),
    )


OPERATIONS: tuple[Operation, ...] = tuple(_operation(row) for row in _TABLE)

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
