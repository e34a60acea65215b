"""Build the aiohttp application: the 45 API routes, introspection, request counting."""

from __future__ import annotations

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
from simulator.model.kinds import DeviceKind


@web.middleware
async def count_requests(request: web.Request, handler: AiohttpHandler) -> web.StreamResponse:
    """Count every request except introspection, including unknown paths (client bugs)."""
    if not request.path.startswith(PREFIX + "/"):
        request.app[STATE_KEY].count_request(request.method, request.path)
    return await handler(request)


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
    app = web.Application(middlewares=[count_requests])
    app[STATE_KEY] = SimulatorState(config or SimulatorConfig())
    handlers = _handlers()
    for route in ROUTES:
        handler = handlers[route.group, route.operation]
        app.router.add_route(
            route.method,
            route.path,
            api_endpoint(handler, mutating=route.method in MUTATING_METHODS),
        )
    add_introspection_routes(app)
    app.on_shutdown.append(_release_held_requests)
    return app
