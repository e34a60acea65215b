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


# Per device kind: base info, base info list, history, realtime, setting (GET and PUT).
# Why each alternative: docs/cloud-contract.md, "Route candidates".
DEVICE_PATHS: dict[DeviceKind, dict[str, tuple[str, ...]]] = {
    DeviceKind.BCU: {
        "base_info": ("/bms/buc-base-info", "/bms/bcu-base-info"),
        "base_info_list": ("/bms/buc-base-info/list",),
        "history": ("/bms/bcu-data-list", "/bms/buc-data-list"),
        "realtime": ("/bms/bcu-data-last", "/bms/buc-data-last"),
        "setting": ("/bms/bcu-setting",),
    },
    DeviceKind.MBMS: {
        "base_info": ("/bms/mbms-base-info", "/mbms/base-info"),
        "base_info_list": ("/bms/mbms-base-info/list", "/mbms/base-info/list"),
        "history": ("/bms/mbms-data-list", "/mbms/data-list"),
        "realtime": ("/bms/mbms-data-last", "/mbms/data-last"),
        "setting": ("/bms/mbms-setting",),
    },
    DeviceKind.HPS_BIG: {
        "base_info": ("/hps/big-base-info", "/hps/base-info"),
        "base_info_list": ("/hps/big-base-info/list", "/hps/base-info/list"),
        "history": ("/hps/data-list",),
        "realtime": ("/hps/data-last",),
        "setting": ("/hps/big-setting",),
    },
    DeviceKind.HPS_SMALL: {
        "base_info": ("/hps/small-base-info", "/hps/base-info-small"),
        "base_info_list": ("/hps/small-base-info/list", "/hps/base-info-small/list"),
        "history": ("/hps/data-list-small",),
        "realtime": ("/hps/data-last-small",),
        "setting": ("/hps/small-setting",),
    },
    DeviceKind.PBD: {
        "base_info": ("/pbd/base-info", "/pbd/pbd-base-info"),
        "base_info_list": ("/pbd/base-info/list", "/pbd/pbd-base-info/list"),
        "history": ("/pbd/data-list", "/pbd/pbd-data-list"),
        "realtime": ("/pbd/data-last",),
        "setting": ("/pbd/setting", "/pbd/pbd-setting"),
    },
    DeviceKind.PCS: {
        "base_info": ("/pcs/base-info", "/pcs/pcs-base-info"),
        "base_info_list": ("/pcs/base-info/list", "/pcs/pcs-base-info/list"),
        "history": ("/pcs/data-list", "/pcs/pcs-data-list"),
        "realtime": ("/pcs/data-last", "/pcs/pcs-data-last"),
        "setting": ("/pcs/setting", "/pcs/pcs-setting"),
    },
}

# Plant and DataLog (nothing documented): REST style on the resource, or Spring's verb paths.
ACCOUNT_PATHS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("datalog", "get", "GET", ("/datalog", "/datalog/base-info")),
    ("datalog", "add", "POST", ("/datalog", "/datalog/add")),
    ("datalog", "delete", "DELETE", ("/datalog", "/datalog/delete")),
    ("datalog", "list", "GET", ("/datalog/list", "/datalog/base-info/list")),
    ("plant", "get", "GET", ("/plant", "/plant/base-info")),
    ("plant", "add", "POST", ("/plant", "/plant/add")),
    ("plant", "modify", "PUT", ("/plant", "/plant/modify")),
    ("plant", "delete", "DELETE", ("/plant", "/plant/delete")),
    ("plant", "list", "GET", ("/plant/list", "/plant/base-info/list")),
)


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
    *(Route(group, op, method, _prefixed(paths)) for group, op, method, paths in ACCOUNT_PATHS),
)

# Operations that change state: a fault that spoils the answer means the change is not applied.
MUTATING_METHODS = frozenset({"PUT", "POST", "DELETE"})
