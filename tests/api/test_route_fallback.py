"""Candidate paths over loopback: a cloud whose routes differ from the table's first guess.

The routes are rearranged by a proxy in front of the simulator (conftest.RouteProxy): the tests
take every path from the table and never assume that a guessed path is the right one.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
import json
from typing import Any

import aiohttp
from aiohttp import web
from aiohttp.test_utils import TestServer
import pytest

from custom_components.atess.api import (
    OPERATIONS,
    AtessApiError,
    AtessAuthError,
    AtessClient,
    AtessConnectionError,
    AtessError,
    AtessNotFoundError,
    AtessRateLimitError,
    AtessResponseError,
    AtessRouteMissingError,
    DeviceKind,
    RouteBook,
    get_operation,
)
from custom_components.atess.api.throttle import MAX_QUIET, Throttle

from .conftest import STRIKES, TWELVE_HOURS, FakeCloud, RouteProxy, spring_404

type MakeClient = Callable[..., AtessClient]
OK = {"code": 0, "data": {"ppv": "1"}, "msg": ""}


class Clock:
    """A wall clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


def _move_every_inferred_operation(proxy: RouteProxy) -> None:
    """Serve every operation with two candidates only at its second (as an alternative cloud)."""
    for operation in OPERATIONS:
        if len(operation.candidates) == 2:
            proxy.move(operation.method, operation.paths[0], operation.paths[1])


async def _read_every_device(client: AtessClient, proxy: RouteProxy) -> None:
    """Walk the account the way the integration does: plants, datalogs, devices, values."""
    plants = await client.async_get_plants()
    assert plants
    for plant in plants:
        for datalog in await client.async_get_datalogs(plant.plant_id):
            for kind in DeviceKind:
                for info in await client.async_get_base_info_list(kind, datalog.sn):
                    assert (await client.async_get_realtime(kind, info.device_sn)).keys()
                    assert (await client.async_get_settings(kind, info.device_sn)).keys()
    assert {device["kind"] for device in await proxy.simulator.devices()} == set(DeviceKind)


async def test_the_client_finds_every_route_at_its_second_candidate(
    route_proxy: RouteProxy, make_client: MakeClient
) -> None:
    _move_every_inferred_operation(route_proxy)
    client = make_client(route_proxy.base_url)
    await _read_every_device(client, route_proxy)
    await _read_every_device(client, route_proxy)  # a second round asks no missing path again
    book = client.route_book
    for label in ("plant_list", "datalog_list", "realtime pcs", "base_info_list hps_small"):
        operation = next(op for op in OPERATIONS if op.label == label)
        assert book.path_in_use(operation) == operation.paths[1]
        assert route_proxy.asked(operation.method, operation.paths[0]) == 1
        assert book.known_missing(operation) == (operation.paths[0],)
    documented = get_operation("hps_small", "realtime")
    assert book.candidate_in_use(documented).origin == "doc"  # type: ignore[union-attr]

    # after a restart with the kept state: not one request to a path known missing
    state = json.loads(json.dumps(book.as_dict()))
    route_proxy.hits.clear()
    again = make_client(route_proxy.base_url, route_book=RouteBook(state))
    await _read_every_device(again, route_proxy)
    assert not route_proxy.missing & set(route_proxy.hits)


async def test_concurrent_requests_ask_a_missing_candidate_once(
    route_proxy: RouteProxy, make_client: MakeClient
) -> None:
    operation = get_operation("pcs", "realtime")
    route_proxy.move("GET", operation.paths[0], operation.paths[1])
    device = await route_proxy.simulator.device("pcs")
    client = make_client(route_proxy.base_url)
    results = await asyncio.gather(
        *(client.async_get_realtime("pcs", device["deviceSn"]) for _ in range(6))
    )
    assert all(result.keys() for result in results)
    assert route_proxy.asked("GET", operation.paths[0]) == 1
    assert route_proxy.asked("GET", operation.paths[1]) == 6


async def test_a_route_missing_everywhere_is_asked_once_per_candidate_per_twelve_hours(
    route_proxy: RouteProxy, make_client: MakeClient
) -> None:
    operation = get_operation("pcs", "realtime")
    route_proxy.missing.update(("GET", path) for path in operation.paths)
    route_proxy.missing_status = 200  # Spring's body even with HTTP 200
    device = await route_proxy.simulator.device("pcs")
    other = await route_proxy.simulator.device("hps_big")
    clock = Clock()
    client = make_client(route_proxy.base_url, route_book=RouteBook(clock=clock))
    for _ in range(3):
        with pytest.raises(AtessRouteMissingError) as caught:
            await client.async_get_realtime("pcs", device["deviceSn"])
        assert caught.value.paths == operation.paths
        assert caught.value.operation == "realtime pcs"
        assert all(path in str(caught.value) for path in operation.paths)
        assert device["deviceSn"] not in str(caught.value)
    assert [route_proxy.asked("GET", path) for path in operation.paths] == [1, 1]
    assert (await client.async_get_realtime("hps_big", other["deviceSn"])).keys()  # the rest works
    assert client.route_book.missing_operations() == (operation,)

    clock.now += TWELVE_HOURS
    route_proxy.missing.discard(("GET", operation.paths[0]))  # the cloud has it now
    assert (await client.async_get_realtime("pcs", device["deviceSn"])).keys()
    assert [route_proxy.asked("GET", path) for path in operation.paths] == [2, 1]
    assert client.route_book.missing_operations() == ()


async def test_a_kept_path_that_goes_missing_is_resolved_again(
    route_proxy: RouteProxy, make_client: MakeClient
) -> None:
    operation = get_operation("pcs", "base_info_list")
    book = RouteBook()
    book.record_answer(operation, operation.candidates[1])
    route_proxy.missing.add(("GET", operation.paths[1]))  # the simulator serves the first
    device = await route_proxy.simulator.device("pcs")
    client = make_client(route_proxy.base_url, route_book=book)
    # a path that answered before is not dropped on one "no such route"
    for _ in range(STRIKES - 1):
        with pytest.raises(AtessRouteMissingError):
            await client.async_get_base_info_list("pcs", device["dataLogSn"])
        assert book.path_in_use(operation) == operation.paths[1]
    infos = await client.async_get_base_info_list("pcs", device["dataLogSn"])
    assert device["deviceSn"] in {info.device_sn for info in infos}
    assert book.path_in_use(operation) == operation.paths[0]
    assert book.known_missing(operation) == (operation.paths[1],)
    assert [route_proxy.asked("GET", path) for path in operation.paths] == [1, STRIKES]


async def test_a_path_that_answered_is_asked_again_when_no_other_answers(
    route_proxy: RouteProxy, make_client: MakeClient
) -> None:
    """A passing outage of every candidate never costs a once-good path 12 hours."""
    operation = get_operation("pcs", "base_info_list")
    device = await route_proxy.simulator.device("pcs")
    client = make_client(route_proxy.base_url)
    await client.async_get_base_info_list("pcs", device["dataLogSn"])
    route_proxy.missing.add(("GET", operation.paths[0]))
    for _ in range(STRIKES):
        with pytest.raises(AtessRouteMissingError):
            await client.async_get_base_info_list("pcs", device["dataLogSn"])
    assert client.route_book.all_missing(operation)
    route_proxy.missing.clear()
    infos = await client.async_get_base_info_list("pcs", device["dataLogSn"])
    assert device["deviceSn"] in {info.device_sn for info in infos}
    assert client.route_book.path_in_use(operation) == operation.paths[0]
    assert route_proxy.asked("GET", operation.paths[1]) == 1


async def test_a_missing_write_route_moves_to_the_next_candidate_with_the_same_body(
    fake_cloud: FakeCloud, make_client: MakeClient
) -> None:
    operation = get_operation("pbd", "modify_setting")
    fake_cloud.answer(b"", status=405)
    fake_cloud.answer({"code": 200, "data": None, "msg": ""})
    client = make_client(fake_cloud.base_url)
    await client.async_modify_setting("pbd", "PBD1", "k", 2)
    assert [r["path"] for r in fake_cloud.requests] == list(operation.paths)
    assert fake_cloud.requests[0]["body"] == fake_cloud.requests[1]["body"]
    assert client.route_book.path_in_use(operation) == operation.paths[1]


@pytest.mark.parametrize(
    ("status", "body", "error"),
    [
        (200, {"code": 403, "msg": "No access"}, AtessAuthError),
        (401, b"", AtessAuthError),
        (429, b"", AtessRateLimitError),
        (503, b"<html>Service Unavailable</html>", AtessApiError),
        (500, spring_404("/x") | {"status": 500, "error": "Internal Server Error"}, AtessApiError),
        (200, {"code": 500, "msg": "fail"}, AtessApiError),
        (200, {"code": 400, "msg": "not fount"}, AtessNotFoundError),
        (200, b'{"code": 0, "data": {"pp', AtessResponseError),
        (200, {"code": 0, "data": [1]}, AtessResponseError),
    ],
)
async def test_only_a_missing_route_moves_on_or_marks_anything(
    fake_cloud: FakeCloud,
    make_client: MakeClient,
    status: int,
    body: Any,
    error: type[AtessError],
) -> None:
    operation = get_operation("pcs", "realtime")
    fake_cloud.answer(body, status=status)
    fake_cloud.answer(OK)
    now = [0.0]
    client = make_client(fake_cloud.base_url, throttle=Throttle(clock=lambda: now[0]))
    with pytest.raises(error) as caught:
        await client.async_get_realtime("pcs", "PCD1")
    assert type(caught.value) is error
    assert [r["path"] for r in fake_cloud.requests] == [operation.paths[0]]
    assert client.route_book.known_missing(operation) == ()
    now[0] += MAX_QUIET  # after a 429 the account keeps quiet first (throttle.py)
    await client.async_get_realtime("pcs", "PCD1")
    assert fake_cloud.requests[-1]["path"] == operation.paths[0]


async def test_a_time_out_does_not_move_on_either(make_client: MakeClient) -> None:
    client = make_client("http://127.0.0.1:9", request_timeout=0.5)
    operation = get_operation("pcs", "realtime")
    with pytest.raises(AtessConnectionError):
        await client.async_get_realtime("pcs", "PCD1")
    assert client.route_book.known_missing(operation) == ()
    assert client.route_book.as_dict()["operations"] == {}


async def test_a_request_that_found_the_path_in_use_missing_while_another_kept_it_moves_on(
    session: aiohttp.ClientSession,
) -> None:
    """Answers that cross: the cloud flaps, and no request may spin on a stale decision."""
    operation = get_operation("pcs", "realtime")
    first, second = operation.paths
    arrived = {key: asyncio.Event() for key in ("B", "D", "A")}
    release = {key: asyncio.Event() for key in ("B", "D", "A")}
    asked: list[tuple[str, str]] = []

    async def handle(request: web.Request) -> web.Response:
        sn = request.query["deviceSn"]
        asked.append((request.path, sn))
        if request.path == second and sn in ("B", "D"):
            arrived[sn].set()
            await release[sn].wait()
            return web.json_response(OK if sn == "B" else spring_404(second), status=200)
        if request.path == second:
            return web.json_response(spring_404(second), status=404)
        if sn == "A":
            arrived["A"].set()
            await release["A"].wait()
            return web.json_response({"code": 500, "msg": "busy"})
        return web.json_response(OK)

    app = web.Application()
    app.router.add_get("/{tail:.*}", handle)
    async with TestServer(app, host="127.0.0.1") as server:
        # one "no such route" drops a path here, to cross the answers in few requests
        book = RouteBook(strikes_to_drop=1)
        book.record_answer(operation, operation.candidates[1])
        changes: list[str | None] = []
        changed = asyncio.Event()

        def on_change() -> None:
            changes.append(book.path_in_use(operation))
            changed.set()

        async def next_change() -> str | None:
            await changed.wait()
            changed.clear()
            return changes[-1]

        book.on_change = on_change
        client = AtessClient(session, "t", base_url=str(server.make_url("")), route_book=book)
        b = asyncio.create_task(client.async_get_realtime("pcs", "B"))
        d = asyncio.create_task(client.async_get_realtime("pcs", "D"))
        await arrived["B"].wait()
        await arrived["D"].wait()
        a = asyncio.create_task(client.async_get_realtime("pcs", "A"))
        assert await next_change() is None  # A found the second path missing
        await arrived["A"].wait()  # and asks the first, holding the resolution
        release["D"].set()
        assert await next_change() is None  # D found it missing too, and waits for A
        release["B"].set()
        assert await next_change() == second  # B's answer puts the second path back in use
        release["A"].set()
        with pytest.raises(AtessApiError):
            await a
        assert (await b).keys()
        assert (await d).keys()  # D asks the first path itself instead of spinning
    assert (first, "D") in asked
    assert book.path_in_use(operation) == first
