"""Handlers of the six per-kind device operations."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from simulator.cloud.envelope import ok, write_ok
from simulator.http.request_context import RequestContext
from simulator.jsontypes import JsonObject, JsonValue
from simulator.model.kinds import DeviceKind
from simulator.model.layout import Device

Handler = Callable[[RequestContext], Awaitable[JsonObject]]

DEFAULT_PAGE_SIZE = 10
MAX_PAGE_SIZE = 100
# Base-info `status` is a string in the documented example; "1" = online (Growatt's code list).
ONLINE_STATUS = "1"


def base_info_object(ctx: RequestContext, device: Device) -> JsonObject:
    """Return a device's base info, the shape of the documented BCU list item."""
    return {
        "address": device.address,
        "dataLogSn": device.datalog_sn,
        "deviceModel": device.model,
        "deviceNo": device.device_no,
        "deviceSn": device.sn,
        "firmwareVersion": device.firmware,
        "lost": False,
        "status": ONLINE_STATUS,
        "systemNo": device.system_no,
        "updateTime": ctx.state.latest_time_text(ctx.state.datalog(device.datalog_sn)),
    }


def device_handlers(kind: DeviceKind) -> dict[str, Handler]:
    """Return the handlers of one kind, keyed by operation name."""

    async def base_info(ctx: RequestContext) -> JsonObject:
        device = ctx.state.device(ctx.param("deviceSn"), kind)
        return ok(base_info_object(ctx, device), ctx.lang)

    async def base_info_list(ctx: RequestContext) -> JsonObject:
        log = ctx.state.datalog(ctx.param("dataLogSn"))
        items: list[JsonValue] = [
            base_info_object(ctx, device)
            for device in ctx.state.account.devices_of(log.sn)
            if device.kind is kind
        ]
        return ok(items, ctx.lang)

    async def realtime(ctx: RequestContext) -> JsonObject:
        device = ctx.state.device(ctx.param("deviceSn"), kind)
        return ok(ctx.state.realtime(device), ctx.lang)

    async def history(ctx: RequestContext) -> JsonObject:
        device = ctx.state.device(ctx.param("deviceSn"), kind)
        start = ctx.param_date("startDate")
        end = ctx.param_date("endDate")
        page_no = max(1, ctx.param_int("pageNo"))
        page_size = min(MAX_PAGE_SIZE, max(1, ctx.param_int("pageSize", DEFAULT_PAGE_SIZE)))
        return ok(ctx.state.history(device, start, end, page_no, page_size), ctx.lang)

    async def get_setting(ctx: RequestContext) -> JsonObject:
        device = ctx.state.device(ctx.param("deviceSn"), kind)
        return ok(dict(ctx.state.settings[device.sn]), ctx.lang)

    async def modify_setting(ctx: RequestContext) -> JsonObject:
        device = ctx.state.device(ctx.param("deviceSn"), kind)
        key = ctx.param("key")
        value = ctx.param("value")
        ctx.state.write_setting(device, key, value)
        return write_ok()

    return {
        "base_info": base_info,
        "base_info_list": base_info_list,
        "realtime": realtime,
        "history": history,
        "get_setting": get_setting,
        "modify_setting": modify_setting,
    }
