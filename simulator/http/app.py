"""Build the aiohttp application: the 45 API routes, Spring's 404, introspection, counting."""

from __future__ import annotations

from datetime import UTC, datetime

from aiohttp import web
from aiohttp.typedefs import Handler as AiohttpHandler

from simulator.cloud.state import SimulatorState
from simulator.config import SimulatorConfig
from simulator.http.app_keys import STATE_KEY
from simulator.http.handlers_account import ACCOUNT_HANDLERS
from simulator.http.handlers_device import Handler, device_handlers
from simulator.http.introspection import PREFIX, add_introspection_routes
from simulator.http.pipeline import api_endpoint
from simulator.http.routes import MUTATING_METHODS, ROUTES
from simulator.jsontypes import JsonObject
from simulator.model.kinds import DeviceKind


@web.middleware
async def count_requests(request: web.Request, handler: AiohttpHandler) -> web.StreamResponse:
    """Count every request except introspection, including unknown paths (client bugs)."""
    if not request.path.startswith(PREFIX + "/"):
        request.app[STATE_KEY].count_request(request.method, request.path)
    return await handler(request)


def spring_not_found_body(path: str) -> JsonObject:
    """Return the body Spring Boot's error controller sends for an unknown route."""
    now = datetime.now(UTC)
    stamp = now.strftime("%Y-%m-%dT%H:%M:%S") + f".{now.microsecond // 1000:03d}+00:00"
    return {"timestamp": stamp, "status": 404, "error": "Not Found", "path": path}


@web.middleware
async def spring_not_found(request: web.Request, handler: AiohttpHandler) -> web.StreamResponse:
    """Answer every unknown route (any method) with HTTP 404 and Spring's JSON body.

    The cloud is a Spring back end; aiohttp's own 404/405 pages would tell a client nothing about
    how the real one answers a path it does not have.
    """
    try:
        return await handler(request)
    except web.HTTPNotFound, web.HTTPMethodNotAllowed:
        if request.path.startswith(PREFIX + "/"):
            raise
        return web.json_response(spring_not_found_body(request.path), status=404)


async def _release_held_requests(app: web.Application) -> None:
    # Requests held by an injected timeout would otherwise delay shutdown by a minute.
    app[STATE_KEY].closing.set()


def _handlers() -> dict[tuple[str, str], Handler]:
    table: dict[tuple[str, str], Handler] = dict(ACCOUNT_HANDLERS)
    for kind in DeviceKind:
        for operation, handler in device_handlers(kind).items():
            table[kind.value, operation] = handler
    return table


def build_app(config: SimulatorConfig | None = None) -> web.Application:
    """Return a ready-to-run application; its state is at `app[STATE_KEY]`."""
    config = config or SimulatorConfig()
    app = web.Application(middlewares=[count_requests, spring_not_found])
    app[STATE_KEY] = SimulatorState(config)
    handlers = _handlers()
    for route in ROUTES:
        endpoint = api_endpoint(
            handlers[route.group, route.operation], mutating=route.method in MUTATING_METHODS
        )
        for path in route.served_paths(config.dialects):
            app.router.add_route(route.method, path, endpoint)
    add_introspection_routes(app)
    app.on_shutdown.append(_release_held_requests)
    return app
