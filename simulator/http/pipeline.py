"""Wraps every API handler: latency, injected faults, token check, serialization.

Order matters: gateway-level faults (timeout, 5xx, 429) happen before the token is looked at, as
in front of a real cloud; faults are drawn before a change is applied so that a write whose answer
is spoiled is never applied.
"""

from __future__ import annotations

import asyncio
import contextlib
import json

from aiohttp import web
from aiohttp.typedefs import Handler as AiohttpHandler

from simulator.cloud import faults
from simulator.cloud.dialects import reshape
from simulator.cloud.envelope import (
    CODE_FAIL,
    CODE_NO_ACCESS,
    ApiError,
    error,
    language,
    message,
    write_ok,
)
from simulator.cloud.faults import FaultPlan
from simulator.cloud.state import SimulatorState
from simulator.http.app_keys import STATE_KEY
from simulator.http.handlers_device import Handler
from simulator.http.request_context import RequestContext
from simulator.jsontypes import JsonObject


def _json_response(envelope: JsonObject, plan: FaultPlan, dialects: frozenset[str]) -> web.Response:
    envelope = reshape(envelope, dialects)
    envelope["data"] = faults.mutate_data(envelope.get("data"), plan)
    body = json.dumps(envelope, ensure_ascii=False).encode()
    return web.Response(
        body=faults.damage_body(body, plan), content_type="application/json", charset="utf-8"
    )


async def _terminal_response(plan: FaultPlan, state: SimulatorState, lang: str) -> web.Response:
    if plan.terminal == "timeout":
        # Hold the request far beyond any client timeout; shutting down releases it at once.
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(state.closing.wait(), state.config.timeout_seconds)
        return web.Response(status=504, text=faults.html_error_page(504), content_type="text/html")
    if plan.terminal == "http_error":
        status = plan.http_status
        return web.Response(
            status=status, text=faults.html_error_page(status), content_type="text/html"
        )
    if plan.terminal == "throttle":
        return web.Response(
            status=429,
            text="Too Many Requests",
            headers={"Retry-After": str(faults.RETRY_AFTER_SECONDS)},
        )
    return _json_response(
        error(CODE_FAIL, message("fail", lang)), FaultPlan(), state.config.dialects
    )


def api_endpoint(handler: Handler, *, mutating: bool) -> AiohttpHandler:
    """Return the aiohttp handler running `handler` behind the fault and token checks."""

    async def endpoint(request: web.Request) -> web.StreamResponse:
        state = request.app[STATE_KEY]
        dialects = state.config.dialects
        lang = language(request.headers.get("Accept-Language"))
        latency = state.knobs["latency"]
        if latency > 0:
            await asyncio.sleep(latency)
        plan = faults.draw(state.knobs, state.fault_rng)
        if plan.terminal:
            return await _terminal_response(plan, state, lang)
        # The token is whatever the user pasted: compare it verbatim, no "Bearer" games.
        if request.headers.get("Authorization") != state.config.token:
            return _json_response(error(CODE_NO_ACCESS, message("no_access", lang)), plan, dialects)
        if mutating and plan.body:
            # The answer will be unreadable: do not apply the change the client cannot confirm.
            return _json_response(write_ok(), plan, dialects)
        ctx = RequestContext(state, lang, request.query, await request.read())
        try:
            envelope = await handler(ctx)
        except ApiError as err:
            envelope = err.envelope(lang)
        return _json_response(envelope, plan, dialects)

    return endpoint
