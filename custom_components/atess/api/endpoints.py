"""The one table of every operation of the ATESS cloud OpenAPI.

Each row says where its path comes from, because most paths were inferred from the naming
pattern of the few documented ones (see docs/cloud-contract.md). When a real owner reports a
real path, one row changes here, and nothing else in the client does.
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
class Operation:
    """One HTTP operation of the OpenAPI."""

    kind: DeviceKind | None  # None for the plant and datalog operations
    operation_kind: OperationKind
    method: str
    path: str
    source: Source

    @property
    def label(self) -> str:
        """Name the operation in errors and logs, e.g. "realtime hps_big"."""
        if self.kind is None:
            return str(self.operation_kind)
        return f"{self.operation_kind} {self.kind}"


# kind, operation kind, method, path, source -- as in docs/cloud-contract.md.
# The BCU base-info paths keep the docs' "buc" spelling on purpose.
_TABLE: tuple[tuple[str | None, str, str, str, str], ...] = (
    ("bcu", "base_info", "GET", "/api/v1/bms/buc-base-info", "inferred"),
    ("bcu", "base_info_list", "GET", "/api/v1/bms/buc-base-info/list", "doc"),
    ("bcu", "history", "GET", "/api/v1/bms/bcu-data-list", "inferred"),
    ("bcu", "realtime", "GET", "/api/v1/bms/bcu-data-last", "inferred"),
    ("bcu", "get_setting", "GET", "/api/v1/bms/bcu-setting", "doc"),
    ("bcu", "modify_setting", "PUT", "/api/v1/bms/bcu-setting", "inferred"),
    ("mbms", "base_info", "GET", "/api/v1/bms/mbms-base-info", "inferred"),
    ("mbms", "base_info_list", "GET", "/api/v1/bms/mbms-base-info/list", "inferred"),
    ("mbms", "history", "GET", "/api/v1/bms/mbms-data-list", "inferred"),
    ("mbms", "realtime", "GET", "/api/v1/bms/mbms-data-last", "inferred"),
    ("mbms", "get_setting", "GET", "/api/v1/bms/mbms-setting", "inferred"),
    ("mbms", "modify_setting", "PUT", "/api/v1/bms/mbms-setting", "seed"),
    ("hps_big", "base_info", "GET", "/api/v1/hps/big-base-info", "inferred"),
    ("hps_big", "base_info_list", "GET", "/api/v1/hps/big-base-info/list", "inferred"),
    ("hps_big", "history", "GET", "/api/v1/hps/data-list", "doc"),
    ("hps_big", "realtime", "GET", "/api/v1/hps/data-last", "third-party"),
    ("hps_big", "get_setting", "GET", "/api/v1/hps/big-setting", "doc"),
    ("hps_big", "modify_setting", "PUT", "/api/v1/hps/big-setting", "inferred"),
    ("hps_small", "base_info", "GET", "/api/v1/hps/small-base-info", "inferred"),
    ("hps_small", "base_info_list", "GET", "/api/v1/hps/small-base-info/list", "inferred"),
    ("hps_small", "history", "GET", "/api/v1/hps/data-list-small", "third-party"),
    ("hps_small", "realtime", "GET", "/api/v1/hps/data-last-small", "doc"),
    ("hps_small", "get_setting", "GET", "/api/v1/hps/small-setting", "doc"),
    ("hps_small", "modify_setting", "PUT", "/api/v1/hps/small-setting", "inferred"),
    ("pbd", "base_info", "GET", "/api/v1/pbd/base-info", "inferred"),
    ("pbd", "base_info_list", "GET", "/api/v1/pbd/base-info/list", "inferred"),
    ("pbd", "history", "GET", "/api/v1/pbd/data-list", "inferred"),
    ("pbd", "realtime", "GET", "/api/v1/pbd/data-last", "doc"),
    ("pbd", "get_setting", "GET", "/api/v1/pbd/setting", "inferred"),
    ("pbd", "modify_setting", "PUT", "/api/v1/pbd/setting", "inferred"),
    ("pcs", "base_info", "GET", "/api/v1/pcs/base-info", "inferred"),
    ("pcs", "base_info_list", "GET", "/api/v1/pcs/base-info/list", "inferred"),
    ("pcs", "history", "GET", "/api/v1/pcs/data-list", "inferred"),
    ("pcs", "realtime", "GET", "/api/v1/pcs/data-last", "inferred"),
    ("pcs", "get_setting", "GET", "/api/v1/pcs/setting", "inferred"),
    ("pcs", "modify_setting", "PUT", "/api/v1/pcs/setting", "inferred"),
    (None, "datalog_get", "GET", "/api/v1/datalog", "inferred"),
    (None, "datalog_add", "POST", "/api/v1/datalog", "inferred"),
    (None, "datalog_delete", "DELETE", "/api/v1/datalog", "inferred"),
    (None, "datalog_list", "GET", "/api/v1/datalog/list", "inferred"),
    (None, "plant_get", "GET", "/api/v1/plant", "inferred"),
    (None, "plant_add", "POST", "/api/v1/plant", "inferred"),
    (None, "plant_modify", "PUT", "/api/v1/plant", "inferred"),
    (None, "plant_delete", "DELETE", "/api/v1/plant", "inferred"),
    (None, "plant_list", "GET", "/api/v1/plant/list", "inferred"),
)

OPERATIONS: tuple[Operation, ...] = tuple(
    Operation(
        None if kind is None else DeviceKind(kind), OperationKind(op), method, path, Source(src)
    )
    for kind, op, method, path, src in _TABLE
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
