"""Handlers of the plant and datalog operations; they really change the account."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from simulator.cloud.envelope import CODE_NOT_FOUND, ApiError, ok, page, write_ok
from simulator.http.handlers_device import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, Handler
from simulator.http.request_context import RequestContext
from simulator.jsontypes import JsonObject, JsonValue
from simulator.model.layout import Datalog

# Fields a client may set on a plant; anything else in the body is ignored.
PLANT_FIELDS = frozenset(
    {
        "plantName",
        "country",
        "city",
        "plantAddress",
        "plantLat",
        "plantLng",
        "timezone",
        "nominalPower",
        "installDate",
    }
)
DATALOG_INTERVAL_MINUTES = 5


def _zone(ctx: RequestContext, name: str | None) -> ZoneInfo:
    if name is None:
        return ZoneInfo(ctx.state.config.timezone)
    try:
        return ZoneInfo(name)
    except ZoneInfoNotFoundError, ValueError:
        raise ApiError(CODE_NOT_FOUND, "bad_timezone", name=name) from None


def _editable(body: JsonObject) -> JsonObject:
    return {key: value for key, value in body.items() if key in PLANT_FIELDS}


def datalog_object(ctx: RequestContext, log: Datalog) -> JsonObject:
    """Return the API object of a datalog."""
    return {
        "dataLogSn": log.sn,
        "deviceModel": log.model,
        "firmwareVersion": log.firmware,
        "interval": DATALOG_INTERVAL_MINUTES,
        "lastUpdate": ctx.state.latest_time_text(log),
        "lost": False,
        "plantId": log.plant_id,
    }


async def get_plant(ctx: RequestContext) -> JsonObject:
    """GET /plant?plantId."""
    return ok(dict(ctx.state.plant(ctx.param("plantId")).info), ctx.lang)


async def add_plant(ctx: RequestContext) -> JsonObject:
    """POST /plant: plantName is required; the zone defaults to the simulator's."""
    body = ctx.body()
    ctx.param("plantName")
    zone_name = body.get("timezone")
    tz = _zone(ctx, str(zone_name) if zone_name else None)
    info = _editable(body)
    info["timezone"] = tz.key
    plant = ctx.state.add_plant(info, tz)
    return write_ok(dict(plant.info))


async def modify_plant(ctx: RequestContext) -> JsonObject:
    """PUT /plant: change the given fields of a plant."""
    plant = ctx.state.plant(ctx.param("plantId"))
    changes = _editable(ctx.body())
    if "timezone" in changes:
        changes["timezone"] = _zone(ctx, str(changes["timezone"])).key
    plant.info.update(changes)
    return write_ok(dict(plant.info))


async def delete_plant(ctx: RequestContext) -> JsonObject:
    """DELETE /plant?plantId: its datalogs and their devices leave the account too."""
    ctx.state.delete_plant(ctx.state.plant(ctx.param("plantId")))
    return write_ok()


async def list_plants(ctx: RequestContext) -> JsonObject:
    """GET /plant/list: a paging object; pageNo/pageSize are optional."""
    page_no = max(1, ctx.param_int("pageNo", 1))
    page_size = min(MAX_PAGE_SIZE, max(1, ctx.param_int("pageSize", DEFAULT_PAGE_SIZE)))
    plants = list(ctx.state.account.plants.values())
    offset = (page_no - 1) * page_size
    datas: list[JsonValue] = [dict(plant.info) for plant in plants[offset : offset + page_size]]
    return ok(page(datas, page_no=page_no, page_size=page_size, total=len(plants)), ctx.lang)


async def get_datalog(ctx: RequestContext) -> JsonObject:
    """GET /datalog?dataLogSn."""
    return ok(datalog_object(ctx, ctx.state.datalog(ctx.param("dataLogSn"))), ctx.lang)


async def add_datalog(ctx: RequestContext) -> JsonObject:
    """POST /datalog {plantId, dataLogSn, validCode?}: attaches a datalog with its devices."""
    plant = ctx.state.plant(ctx.param("plantId"))
    log = ctx.state.add_datalog(plant, ctx.param("dataLogSn"), ctx.optional("validCode"))
    return write_ok(datalog_object(ctx, log))


async def delete_datalog(ctx: RequestContext) -> JsonObject:
    """DELETE /datalog?dataLogSn: its devices disappear with it."""
    ctx.state.delete_datalog(ctx.state.datalog(ctx.param("dataLogSn")))
    return write_ok()


async def list_datalogs(ctx: RequestContext) -> JsonObject:
    """GET /datalog/list?plantId: an array."""
    plant = ctx.state.plant(ctx.param("plantId"))
    items: list[JsonValue] = [
        datalog_object(ctx, log) for log in ctx.state.account.datalogs_of(plant.plant_id)
    ]
    return ok(items, ctx.lang)


ACCOUNT_HANDLERS: dict[tuple[str, str], Handler] = {
    ("plant", "get"): get_plant,
    ("plant", "add"): add_plant,
    ("plant", "modify"): modify_plant,
    ("plant", "delete"): delete_plant,
    ("plant", "list"): list_plants,
    ("datalog", "get"): get_datalog,
    ("datalog", "add"): add_datalog,
    ("datalog", "delete"): delete_datalog,
    ("datalog", "list"): list_datalogs,
}
