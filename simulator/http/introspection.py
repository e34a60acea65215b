"""`/_simulator/` endpoints: inventory, stats, faults, dialects, uploads, device control.

No token, never faulted.
"""

from __future__ import annotations

from aiohttp import web

from simulator.cloud.envelope import ApiError
from simulator.cloud.faults import FaultKnobError
from simulator.config import DIALECTS
from simulator.http.app_keys import STATE_KEY
from simulator.http.routes import ROUTES

PREFIX = "/_simulator"
# A week of 5-minute uploads.
MAX_UPLOADS_LISTED = 2016


async def inventory(request: web.Request) -> web.Response:
    """GET /_simulator/inventory."""
    return web.json_response(request.app[STATE_KEY].inventory())


async def stats(request: web.Request) -> web.Response:
    """GET /_simulator/stats."""
    return web.json_response(request.app[STATE_KEY].stats())


async def get_faults(request: web.Request) -> web.Response:
    """GET /_simulator/faults: the current knobs."""
    return web.json_response(request.app[STATE_KEY].set_faults())


async def set_faults(request: web.Request) -> web.Response:
    """POST /_simulator/faults with a JSON object of knobs; answers with all knobs."""
    try:
        changes = await request.json()
    except ValueError:
        return web.json_response({"error": "body must be JSON"}, status=400)
    if not isinstance(changes, dict):
        return web.json_response({"error": "body must be a JSON object"}, status=400)
    try:
        knobs = request.app[STATE_KEY].set_faults(**changes)
    except FaultKnobError as err:
        return web.json_response({"error": str(err)}, status=400)
    return web.json_response(knobs)


async def dialects(request: web.Request) -> web.Response:
    """GET /_simulator/dialects: the active dialects and where every operation answers."""
    active = request.app[STATE_KEY].config.dialects
    routes = [
        {
            "group": route.group,
            "operation": route.operation,
            "method": route.method,
            "candidates": list(route.candidates),
            "served": list(route.served_paths(active)),
        }
        for route in ROUTES
    ]
    return web.json_response(
        {"dialects": sorted(active), "known": list(DIALECTS), "routes": routes}
    )


async def uploads(request: web.Request) -> web.Response:
    """GET /_simulator/uploads?deviceSn=|dataLogSn=[&count=N]: upload timing, oldest first."""
    serial = request.query.get("deviceSn") or request.query.get("dataLogSn")
    if not serial:
        return web.json_response({"error": "deviceSn or dataLogSn is required"}, status=400)
    try:
        count = min(MAX_UPLOADS_LISTED, max(1, int(request.query.get("count", "12"))))
    except ValueError:
        return web.json_response({"error": "count must be an integer"}, status=400)
    try:
        report = request.app[STATE_KEY].uploads(serial, count)
    except ApiError:
        return web.json_response({"error": f"unknown serial {serial}"}, status=404)
    return web.json_response(report)


async def _json_object(request: web.Request) -> dict[str, object] | None:
    """The request's JSON object body, or None when it is not one."""
    try:
        body = await request.json()
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


async def device_status(request: web.Request) -> web.Response:
    """POST /_simulator/device-status {"deviceSn", "status": code or null}: force a state."""
    body = await _json_object(request)
    status = None if body is None else body.get("status")
    if body is None or not (status is None or type(status) is int):
        return web.json_response({"error": "body must be {deviceSn, status: int|null}"}, status=400)
    try:
        request.app[STATE_KEY].force_status(str(body.get("deviceSn")), status)
    except ApiError:
        return web.json_response({"error": "unknown deviceSn"}, status=404)
    return web.json_response({"ok": True})


async def datalog_silence(request: web.Request) -> web.Response:
    """POST /_simulator/datalog-silence {"dataLogSn", "silent": bool}: stop or resume uploads."""
    body = await _json_object(request)
    if body is None or not isinstance(body.get("silent"), bool):
        return web.json_response({"error": "body must be {dataLogSn, silent: bool}"}, status=400)
    try:
        request.app[STATE_KEY].silence_datalog(
            str(body.get("dataLogSn")), silent=bool(body["silent"])
        )
    except ApiError:
        return web.json_response({"error": "unknown dataLogSn"}, status=404)
    return web.json_response({"ok": True})


async def reset_stats(request: web.Request) -> web.Response:
    """POST /_simulator/reset-stats."""
    request.app[STATE_KEY].reset_stats()
    return web.json_response({"ok": True})


def add_introspection_routes(app: web.Application) -> None:
    """Register the `/_simulator/` routes."""
    app.router.add_get(f"{PREFIX}/inventory", inventory)
    app.router.add_get(f"{PREFIX}/stats", stats)
    app.router.add_get(f"{PREFIX}/faults", get_faults)
    app.router.add_post(f"{PREFIX}/faults", set_faults)
    app.router.add_post(f"{PREFIX}/reset-stats", reset_stats)
    app.router.add_post(f"{PREFIX}/device-status", device_status)
    app.router.add_post(f"{PREFIX}/datalog-silence", datalog_silence)
    app.router.add_get(f"{PREFIX}/dialects", dialects)
    app.router.add_get(f"{PREFIX}/uploads", uploads)
