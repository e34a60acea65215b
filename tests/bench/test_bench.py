"""scripts/bench: calls per device per day, refresh wall time, CPU per refresh, setup and memory.

Every test prints `name: value unit` lines (see conftest.Figures) and holds its figures to their
goals (tests/bench/goals.py). Sizes: tests/bench/conftest.py.
"""

from __future__ import annotations

import asyncio
from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable
from datetime import timedelta
import gc
import importlib
import json
import math
import statistics
import time
import tracemalloc
from typing import Any
from unittest.mock import PropertyMock, patch

from aiohttp import web
from aiohttp.typedefs import Handler
from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.entity import Entity
from homeassistant.setup import async_setup_component
import pytest

from custom_components.atess.api import RealtimeData
from custom_components.atess.coordinator import AtessDevice

from ..conftest import TOKEN, Simulator, SimulatorFactory, advance
from .conftest import (
    REPO,
    Figures,
    add_entry,
    external_simulator,
    isize,
    rss_bytes,
    size,
)

pytestmark = [pytest.mark.bench, pytest.mark.usefixtures("production_loop")]

CYCLE = timedelta(minutes=5)
# CPU per refresh: the refreshes run in this many batches; the least costly batch counts
BATCHES = 5
STEP = timedelta(seconds=30)
# The simulated day starts here, every run: the realistic uploads (phases, delays, missed ones)
# depend on the date, so a day that moved with the calendar would count differently each run.
DAY_START = "2026-06-02 00:00:07+00:00"


def endpoint_kind(method: str, path: str) -> str:
    """Which kind of call a request is: realtime, settings, writes, inventory, history, other."""
    if method != "GET":
        return "writes" if path.endswith("setting") else "other"
    if "data-last" in path:
        return "realtime"
    if path.endswith("setting"):
        return "settings"
    if path.endswith(("/plant/list", "/datalog/list", "base-info/list")):
        return "inventory"
    if "data-list" in path:
        return "history"
    return "other"


KINDS = ("realtime", "settings", "inventory", "history", "writes", "other")


# --- requests per device per day ----------------------------------------------------------------


@pytest.mark.freeze_time(DAY_START)
async def test_requests_per_device_per_day(
    hass: HomeAssistant,
    start_simulator: SimulatorFactory,
    freezer: FrozenDateTimeFactory,
    figures: Figures,
) -> None:
    """A simulated day at default settings, counted at the simulator, per endpoint kind.

    Time is frozen before setup and moved in 30-second steps (polls follow each device's upload
    moment, between cycles); every request is also recorded with its query, so that the same
    request twice within one step shows as a duplicate. The schedule's one retry after a poll
    that found nothing new comes 30 s later, in the next step: it is counted, not a duplicate.
    """
    hours = isize("ATESS_BENCH_DAY_HOURS")
    per_kind = isize("ATESS_BENCH_DAY_DEVICES_PER_KIND")
    cycle = -1  # -1 = setup
    seen: dict[int, Counter[tuple[str, str, str]]] = defaultdict(Counter)

    @web.middleware
    async def record(request: web.Request, handler: Handler) -> web.StreamResponse:
        if not request.path.startswith("/_simulator"):
            seen[cycle][request.method, request.path, request.query_string] += 1
        return await handler(request)

    sim = await start_simulator(
        devices_per_kind=per_kind, upload_model="realistic", middlewares=[record]
    )
    state = sim.state
    entry = add_entry(hass, sim.url, TOKEN, sim.plant_ids())
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert entry.state is ConfigEntryState.LOADED
    devices = len(entry.runtime_data.devices)
    setup_requests = state.stats()["requests_total"]
    state.reset_stats()

    # in 30-second steps: polls follow each device's upload moment, which falls between cycles;
    # whole-cycle steps would fire a poll due just after a step only at the next one
    steps_per_cycle = int(CYCLE / STEP)
    for step in range(hours * 12 * steps_per_cycle):
        cycle = step
        await advance(hass, freezer, STEP)
    counted = state.stats()["requests"]
    assert await hass.config_entries.async_unload(entry.entry_id)

    scale = 24 / hours / devices
    by_kind: Counter[str] = Counter()
    for key, count in counted.items():
        method, path = key.split(" ", 1)
        by_kind[endpoint_kind(method, path)] += count
    duplicates = [
        sum(n - 1 for n in requests.values() if n > 1)
        for number, requests in seen.items()
        if number >= 0
    ]
    figures.add("requests_per_device_per_day", sum(by_kind.values()) * scale, "requests", 1)
    for kind in KINDS:
        figures.add(f"requests_per_device_per_day.{kind}", by_kind[kind] * scale, "requests", 1)
    figures.add("requests_per_device_per_day.floor", 288, "requests", 0)
    figures.add("duplicate_requests_per_cycle_max", max(duplicates, default=0), "requests", 0)
    figures.add("duplicate_requests_total", sum(duplicates), "requests", 0)
    figures.add("setup_requests_per_device", setup_requests / devices, "requests", 1)
    figures.add("requests_day.devices", devices, "devices", 0)
    figures.add("requests_day.simulated", hours, "h", 0)
    figures.check(
        [
            "requests_per_device_per_day",
            *(f"requests_per_device_per_day.{k}" for k in KINDS),
            "duplicate_requests_per_cycle_max",
            "setup_requests_per_device",
        ],
        goals="day",
    )


# --- one realtime refresh of 100 devices at 200 ms ----------------------------------------------


def _preload_platforms() -> None:
    """Import what the first setup imports, so memory figures count the entry, not imports."""
    for module in (
        "custom_components.atess.sensor",
        "custom_components.atess.binary_sensor",
        "custom_components.atess.number",
        "custom_components.atess.select",
        "custom_components.atess.text",
        "custom_components.atess.diagnostics",
    ):
        importlib.import_module(module)


async def _setup_platforms(hass: HomeAssistant) -> None:
    for domain in ("sensor", "binary_sensor", "number", "select", "text"):
        assert await async_setup_component(hass, domain, {})
    await hass.async_block_till_done()


async def test_realtime_refresh_wall_time(
    hass: HomeAssistant, socket_enabled: None, figures: Figures
) -> None:
    """One refresh of every device's realtime data at 200 ms latency, against ceil(N/C)*latency.

    Real time (no freezer: the simulator's latency is an asyncio.sleep). The simulator runs in its
    own process, so the CPU figure is Home Assistant's alone.
    """
    per_kind = isize("ATESS_BENCH_DEVICES_PER_KIND")
    wanted = isize("ATESS_BENCH_REFRESH_DEVICES")
    latency = size("ATESS_BENCH_REFRESH_LATENCY")
    async with external_simulator(TOKEN, devices_per_kind=per_kind) as sim:
        entry = add_entry(hass, sim.url, TOKEN, await sim.plant_ids())
        assert await hass.config_entries.async_setup(entry.entry_id)
        await hass.async_block_till_done()
        runtime = entry.runtime_data
        devices = sorted(runtime.devices.values(), key=lambda d: d.sn)[:wanted]
        cap = runtime.client.max_concurrency
        await sim.set_faults(latency=latency)
        walls: list[float] = []
        cpus: list[float] = []
        for _ in range(3):
            cpu0, wall0 = time.process_time(), time.perf_counter()
            await asyncio_gather_refresh(devices)
            walls.append(time.perf_counter() - wall0)
            cpus.append(time.process_time() - cpu0)
        failed = sum(not d.realtime.last_update_success for d in devices)
        assert await hass.config_entries.async_unload(entry.entry_id)

    ideal = math.ceil(len(devices) / cap) * latency
    wall = statistics.median(walls)
    figures.add("realtime_refresh_wall", wall, "s")
    figures.add("realtime_refresh_wall_max", max(walls), "s")
    figures.add("realtime_refresh_ideal", ideal, "s")
    figures.add("realtime_refresh_ratio", wall / ideal, "x")
    figures.add("realtime_refresh_devices", len(devices), "devices", 0)
    figures.add("realtime_refresh_latency", latency * 1000, "ms", 0)
    figures.add("realtime_refresh_concurrency_cap", cap, "requests", 0)
    figures.add("realtime_refresh_failed", failed, "devices", 0)
    figures.add(
        "cpu_per_device_refresh_incl_http",
        statistics.median(cpus) / len(devices) * 1000,
        "ms",
        3,
    )
    figures.check(
        ["realtime_refresh_wall", "realtime_refresh_ideal", "realtime_refresh_ratio"],
        goals="refresh",
    )


async def asyncio_gather_refresh(devices: list[AtessDevice]) -> None:
    """Refresh the realtime data of every device at once (the client caps the concurrency)."""
    await asyncio.gather(*(d.realtime.async_refresh() for d in devices))


# --- setup time and memory of 100 devices at 50 ms ----------------------------------------------


async def test_setup_time_and_memory(
    hass: HomeAssistant, socket_enabled: None, figures: Figures
) -> None:
    """Setup of an entry with ~100 devices at 50 ms latency; resident memory it adds.

    RSS is read before and after (platforms and modules loaded beforehand, so imports are not
    counted), with the event loop as Home Assistant runs it (no asyncio debug mode, which the
    test harness turns on and which keeps a traceback per callback); tracemalloc gives a second, allocation-exact figure from a second setup of the
    same account at zero latency.
    """
    per_kind = isize("ATESS_BENCH_DEVICES_PER_KIND")
    latency = size("ATESS_BENCH_SETUP_LATENCY")
    _preload_platforms()
    await _setup_platforms(hass)
    async with external_simulator(TOKEN, devices_per_kind=per_kind, latency=latency) as sim:
        plant_ids = await sim.plant_ids()
        entry = add_entry(hass, sim.url, TOKEN, plant_ids)
        gc.collect()
        rss0 = rss_bytes()
        started = time.perf_counter()
        assert await hass.config_entries.async_setup(entry.entry_id)
        await hass.async_block_till_done()
        elapsed = time.perf_counter() - started
        gc.collect()
        rss1 = rss_bytes()
        assert entry.state is ConfigEntryState.LOADED
        devices = len(entry.runtime_data.devices)
        registry = er.async_get(hass)
        entities = len(er.async_entries_for_config_entry(registry, entry.entry_id))
        states = len(hass.states.async_all())

        stats = await sim.get("stats")
        inventory_requests = sum(
            n
            for key, n in stats["requests"].items()
            if endpoint_kind(*key.split(" ", 1)) == "inventory"
        )
        device_requests = stats["requests_total"] - inventory_requests
        cap = entry.runtime_data.client.max_concurrency
        floor = (inventory_requests + math.ceil(device_requests / cap)) * latency

        # the same setup without latency: what is left is Home Assistant's CPU
        assert await hass.config_entries.async_remove(entry.entry_id)
        await hass.async_block_till_done()
        await sim.set_faults(latency=0)
        again = add_entry(hass, sim.url, TOKEN, plant_ids)
        started = time.perf_counter()
        cpu0 = time.process_time()
        assert await hass.config_entries.async_setup(again.entry_id)
        await hass.async_block_till_done()
        zero_latency = time.perf_counter() - started
        zero_latency_cpu = time.process_time() - cpu0

        # second memory figure: allocations of a fresh setup of the same account, traced
        assert await hass.config_entries.async_remove(again.entry_id)
        await hass.async_block_till_done()
        gc.collect()
        tracemalloc.start()
        traced0 = tracemalloc.get_traced_memory()[0]
        third = add_entry(hass, sim.url, TOKEN, plant_ids)
        assert await hass.config_entries.async_setup(third.entry_id)
        await hass.async_block_till_done()
        gc.collect()
        traced = tracemalloc.get_traced_memory()[0] - traced0
        snapshot = tracemalloc.take_snapshot()
        tracemalloc.stop()
        assert await hass.config_entries.async_unload(third.entry_id)

    top: Counter[str] = Counter()
    for stat in snapshot.statistics("filename"):
        name = stat.traceback[0].filename
        for marker in ("site-packages/", str(REPO) + "/", "lib/python3.14/"):
            name = name.split(marker, 1)[-1]
        top[name] += stat.size

    top_registry = top["homeassistant/helpers/entity_registry.py"]
    mib = 1024 * 1024
    figures.add("setup_time", elapsed, "s")
    figures.add("setup_time.network_floor", floor, "s")
    figures.add("setup_time.zero_latency", zero_latency, "s")
    figures.add("setup_cpu.zero_latency", zero_latency_cpu, "s")
    figures.add("setup_requests.inventory_sequential", inventory_requests, "requests", 0)
    figures.add("setup_requests.devices", device_requests, "requests", 0)
    figures.add("setup_devices", devices, "devices", 0)
    figures.add("setup_latency", latency * 1000, "ms", 0)
    figures.add("setup_entities", entities, "entities", 0)
    figures.add("setup_states", states, "states", 0)
    figures.add("memory_rss_delta", (rss1 - rss0) / mib, "MiB", 1)
    figures.add("memory_traced", traced / mib, "MiB", 1)
    figures.add("memory_per_device_traced", traced / devices / 1024, "KiB", 0)
    # per entity: the whole entry's resident memory over its states (enabled entities; a state,
    # listeners, an object), and the registry's traced memory over all entities (a disabled one
    # costs only its registry entry)
    figures.add("memory_rss_per_state", (rss1 - rss0) / states / 1024, "KiB", 1)
    figures.add("memory_per_registry_entry_traced", top_registry / entities / 1024, "KiB", 2)
    for where, amount in top.most_common(8):
        figures.note(f"traced by {where}: {amount / mib:.1f} MiB")
    figures.check(["setup_time", "memory_rss_delta", "memory_traced"], goals="setup")


# --- Home Assistant-side CPU per device refresh --------------------------------------------------


type Step = Callable[[int], Awaitable[None]]


def _refresh_steps(
    hass: HomeAssistant, device: AtessDevice, raws: list[dict[str, Any]]
) -> tuple[Step, Step, Step]:
    """Parsing alone; parsing plus state writes; the harness's own cost (to subtract)."""

    async def parse_only(i: int) -> None:
        RealtimeData.from_api(raws[i % len(raws)])

    async def refresh(i: int) -> None:
        # listeners (the entities' state writes) run inside async_set_updated_data
        device.realtime.async_set_updated_data(RealtimeData.from_api(raws[i % len(raws)]))
        await hass.async_block_till_done()

    async def harness(_i: int) -> None:
        await hass.async_block_till_done()

    return parse_only, refresh, harness


async def _least_cpu(step: Step, batch: int) -> float:
    """CPU seconds per step: the least of BATCHES batches (the least disturbed one)."""
    best = math.inf
    for first in range(0, batch * BATCHES, batch):
        cpu0 = time.process_time()
        for i in range(first, first + batch):
            await step(i)
        best = min(best, (time.process_time() - cpu0) / batch)
    return best


async def test_cpu_per_device_refresh(
    hass: HomeAssistant, simulator: Simulator, socket_enabled: None, figures: Figures
) -> None:
    """Parsing plus state writes of one device refresh, every entity of the catalogue enabled.

    Each figure is the least of BATCHES batches of refreshes (CPU time of this process; the
    least disturbed batch, as timeit does, since other work on the machine slows every batch).
    Payloads are real records of the simulator at different five-minute slots (values change
    from one refresh to the next, as they do every 5 minutes), fed to the coordinator the way a
    refresh does: RealtimeData.from_api, then async_set_updated_data (listeners write states).
    """
    iterations = isize("ATESS_BENCH_CPU_ITERATIONS")
    with patch.object(
        Entity, "entity_registry_enabled_default", new_callable=PropertyMock, return_value=True
    ):
        entry = add_entry(hass, simulator.url, TOKEN, simulator.plant_ids())
        assert await hass.config_entries.async_setup(entry.entry_id)
        await hass.async_block_till_done()
    registry = er.async_get(hass)
    state = simulator.state
    per_kind: dict[str, float] = {}
    for device in sorted(
        entry.runtime_data.devices.values(), key=lambda d: (d.ref.kind != "hps_big", d.ref.kind)
    ):
        kind = str(device.ref.kind)
        sim_device = state.device(device.sn)
        series = state.timeline(state.account.plants[sim_device.plant_id])
        latest = series.latest_index(time.time())
        raws = [json.loads(json.dumps(state.record(sim_device, latest - k))) for k in range(1, 13)]
        enabled = [
            e
            for e in er.async_entries_for_config_entry(registry, entry.entry_id)
            if e.unique_id.startswith(device.sn) and e.disabled_by is None
        ]
        rounds = iterations if kind == "hps_big" else max(iterations // 5, 4)
        await hass.async_block_till_done()

        batch = max(rounds // BATCHES, 1)
        parse_only, refresh, harness = _refresh_steps(hass, device, raws)
        parse = await _least_cpu(parse_only, batch)
        total = await _least_cpu(refresh, batch)
        idle = await _least_cpu(harness, batch)
        total = max(total - idle, 0.0)
        per_kind[kind] = total
        if kind == "hps_big":
            figures.add("cpu_per_device_refresh", total * 1000, "ms", 3)
            figures.add("cpu_per_device_refresh.parse", parse * 1000, "ms", 3)
            figures.add("cpu_per_device_refresh.state_writes", (total - parse) * 1000, "ms", 3)
            figures.add("cpu_per_device_refresh.entities", len(enabled), "entities", 0)
            figures.add("cpu_per_device_refresh.fields", len(raws[0]), "fields", 0)
        figures.add(f"cpu_per_device_refresh.{kind}", total * 1000, "ms", 3)
    assert await hass.config_entries.async_unload(entry.entry_id)
    figures.add("cpu_per_device_refresh.max_kind", max(per_kind.values()) * 1000, "ms", 3)
    figures.check(
        [
            "cpu_per_device_refresh",
            "cpu_per_device_refresh.parse",
            "cpu_per_device_refresh.state_writes",
        ],
        goals="cpu",
    )
