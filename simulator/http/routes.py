"""The 45 operations of the contract: kind or group, operation, method and path.

This is the simulator's own copy of the path table in docs/cloud-contract.md; keep the two equal.
"""

from __future__ import annotations

from dataclasses import dataclass

from simulator.model.kinds import DeviceKind

BASE = "/api/v1"


@dataclass(frozen=True, slots=True)
class Route:
    """One documented operation."""

    group: str
    operation: str
    method: str
    path: str


# Per device kind: base info, base info list, history, realtime, get/modify setting.
DEVICE_PATHS: dict[DeviceKind, dict[str, str]] = {
    DeviceKind.BCU: {
        "base_info": "/bms/buc-base-info",
        "base_info_list": "/bms/buc-base-info/list",
        "history": "/bms/bcu-data-list",
        "realtime": "/bms/bcu-data-last",
        "setting": "/bms/bcu-setting",
    },
    DeviceKind.MBMS: {
        "base_info": "/bms/mbms-base-info",
        "base_info_list": "/bms/mbms-base-info/list",
        "history": "/bms/mbms-data-list",
        "realtime": "/bms/mbms-data-last",
        "setting": "/bms/mbms-setting",
    },
    DeviceKind.HPS_BIG: {
        "base_info": "/hps/big-base-info",
        "base_info_list": "/hps/big-base-info/list",
        "history": "/hps/data-list",
        "realtime": "/hps/data-last",
        "setting": "/hps/big-setting",
    },
    DeviceKind.HPS_SMALL: {
        "base_info": "/hps/small-base-info",
        "base_info_list": "/hps/small-base-info/list",
        "history": "/hps/data-list-small",
        "realtime": "/hps/data-last-small",
        "setting": "/hps/small-setting",
    },
    DeviceKind.PBD: {
        "base_info": "/pbd/base-info",
        "base_info_list": "/pbd/base-info/list",
        "history": "/pbd/data-list",
        "realtime": "/pbd/data-last",
        "setting": "/pbd/setting",
    },
    DeviceKind.PCS: {
        "base_info": "/pcs/base-info",
        "base_info_list": "/pcs/base-info/list",
        "history": "/pcs/data-list",
        "realtime": "/pcs/data-last",
        "setting": "/pcs/setting",
    },
}


def _device_routes() -> list[Route]:
    routes: list[Route] = []
    for kind, paths in DEVICE_PATHS.items():
        routes.extend(
            Route(kind.value, operation, "GET", BASE + paths[operation])
            for operation in ("base_info", "base_info_list", "history", "realtime")
        )
        routes.append(Route(kind.value, "get_setting", "GET", BASE + paths["setting"]))
        routes.append(Route(kind.value, "modify_setting", "PUT", BASE + paths["setting"]))
    return routes


ACCOUNT_ROUTES: tuple[Route, ...] = (
    Route("datalog", "get", "GET", f"{BASE}/datalog"),
    Route("datalog", "add", "POST", f"{BASE}/datalog"),
    Route("datalog", "delete", "DELETE", f"{BASE}/datalog"),
    Route("datalog", "list", "GET", f"{BASE}/datalog/list"),
    Route("plant", "get", "GET", f"{BASE}/plant"),
    Route("plant", "add", "POST", f"{BASE}/plant"),
    Route("plant", "modify", "PUT", f"{BASE}/plant"),
    Route("plant", "delete", "DELETE", f"{BASE}/plant"),
    Route("plant", "list", "GET", f"{BASE}/plant/list"),
)

ROUTES: tuple[Route, ...] = (*_device_routes(), *ACCOUNT_ROUTES)

# Operations that change state: a fault that spoils the answer means the change is not applied.
MUTATING_METHODS = frozenset({"PUT", "POST", "DELETE"})
