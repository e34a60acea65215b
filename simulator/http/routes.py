"""The 45 operations of the contract: kind or group, operation, method and candidate paths.

This is the simulator's own copy of the path table in docs/cloud-contract.md; keep the two equal.
The first candidate is the path the contract uses; an operation whose path is inferred has a
second candidate that follows another reading of the documented naming (the `alt-routes` dialect
serves only that one).
"""

from __future__ import annotations

from dataclasses import dataclass

from simulator.model.kinds import DeviceKind

BASE = "/api/v1"


@dataclass(frozen=True, slots=True)
class Route:
    """One operation and the paths it may live at, the contract's first."""

    group: str
    operation: str
    method: str
    candidates: tuple[str, ...]

    @property
    def path(self) -> str:
        """Return the contract's path."""
        return self.candidates[0]

    def served_paths(self, dialects: frozenset[str]) -> tuple[str, ...]:
        """Return the paths at which this operation answers under `dialects`."""
        if "no-pcs-realtime" in dialects and (self.group, self.operation) == ("pcs", "realtime"):
            return ()
        if "alt-routes" in dialects:
            return self.candidates[-1:]
        return self.candidates[:1]


# Per device kind: base info, base info list, history, realtime, setting (GET and PUT), each
# with its candidate paths. Why each alternative: docs/cloud-contract.md, "Route candidates".
DEVICE_ROWS: tuple[str, ...] = (
    "bcu       base_info       /bms/buc-base-info /bms/bcu-base-info",
    "bcu       base_info_list  /bms/buc-base-info/list",
    "bcu       history         /bms/bcu-data-list /bms/buc-data-list",
    "bcu       realtime        /bms/bcu-data-last /bms/buc-data-last",
    "bcu       setting         /bms/bcu-setting",
    "mbms      base_info       /bms/mbms-base-info /mbms/base-info",
    "mbms      base_info_list  /bms/mbms-base-info/list /mbms/base-info/list",
    "mbms      history         /bms/mbms-data-list /mbms/data-list",
    "mbms      realtime        /bms/mbms-data-last /mbms/data-last",
    "mbms      setting         /bms/mbms-setting",
    "hps_big   base_info       /hps/big-base-info /hps/base-info",
    "hps_big   base_info_list  /hps/big-base-info/list /hps/base-info/list",
    "hps_big   history         /hps/data-list",
    "hps_big   realtime        /hps/data-last",
    "hps_big   setting         /hps/big-setting",
    "hps_small base_info       /hps/small-base-info /hps/base-info-small",
    "hps_small base_info_list  /hps/small-base-info/list /hps/base-info-small/list",
    "hps_small history         /hps/data-list-small",
    "hps_small realtime        /hps/data-last-small",
    "hps_small setting         /hps/small-setting",
    "pbd       base_info       /pbd/base-info /pbd/pbd-base-info",
    "pbd       base_info_list  /pbd/base-info/list /pbd/pbd-base-info/list",
    "pbd       history         /pbd/data-list /pbd/pbd-data-list",
    "pbd       realtime        /pbd/data-last",
    "pbd       setting         /pbd/setting /pbd/pbd-setting",
    "pcs       base_info       /pcs/base-info /pcs/pcs-base-info",
    "pcs       base_info_list  /pcs/base-info/list /pcs/pcs-base-info/list",
    "pcs       history         /pcs/data-list /pcs/pcs-data-list",
    "pcs       realtime        /pcs/data-last /pcs/pcs-data-last",
    "pcs       setting         /pcs/setting /pcs/pcs-setting",
)

# Plant and DataLog (nothing documented): REST style on the resource, or Spring's verb paths.
# Group, operation, method, candidate paths.
ACCOUNT_ROWS: tuple[str, ...] = (
    "datalog  get     GET     /datalog /datalog/base-info",
    "datalog  add     POST    /datalog /datalog/add",
    "datalog  delete  DELETE  /datalog /datalog/delete",
    "datalog  list    GET     /datalog/list /datalog/base-info/list",
    "plant    get     GET     /plant /plant/base-info",
    "plant    add     POST    /plant /plant/add",
    "plant    modify  PUT     /plant /plant/modify",
    "plant    delete  DELETE  /plant /plant/delete",
    "plant    list    GET     /plant/list /plant/base-info/list",
)


def _device_paths() -> dict[DeviceKind, dict[str, tuple[str, ...]]]:
    table: dict[DeviceKind, dict[str, tuple[str, ...]]] = {}
    for kind, operation, *paths in (row.split() for row in DEVICE_ROWS):
        table.setdefault(DeviceKind(kind), {})[operation] = tuple(paths)
    return table


DEVICE_PATHS = _device_paths()


def _prefixed(paths: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(BASE + path for path in paths)


def _device_routes() -> list[Route]:
    routes: list[Route] = []
    for kind, paths in DEVICE_PATHS.items():
        routes.extend(
            Route(kind.value, operation, "GET", _prefixed(paths[operation]))
            for operation in ("base_info", "base_info_list", "history", "realtime")
        )
        setting = _prefixed(paths["setting"])
        routes.append(Route(kind.value, "get_setting", "GET", setting))
        routes.append(Route(kind.value, "modify_setting", "PUT", setting))
    return routes


ROUTES: tuple[Route, ...] = (
    *_device_routes(),
    *(
        Route(group, op, method, _prefixed(tuple(paths)))
        for group, op, method, *paths in (row.split() for row in ACCOUNT_ROWS)
    ),
)

# Operations that change state: a fault that spoils the answer means the change is not applied.
MUTATING_METHODS = frozenset({"PUT", "POST", "DELETE"})
