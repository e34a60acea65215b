"""`/_simulator/` endpoints: inventory, stats, faults, dialects, uploads. No token, never faulted."""

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
    app.router.add_get(f"{PREFIX}/dialects", dialects)
    app.router.add_get(f"{PREFIX}/uploads", uploads)
