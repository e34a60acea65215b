"""scripts/soak: many device refreshes against a cloud that fails 30% of the time, with writes.

Real time (the simulator's injected timeouts are held with asyncio, which a frozen clock would
never release). Each round refreshes every device's realtime data at once, with a setting write
interleaved now and then, the settings every 12 rounds (hourly : 5-minutely) and the inventory
every 24 rounds. Then the faults stop and fault-free rounds follow.

Figures: unhandled exceptions, writes lost or applied twice, the most writes one device got in
any 24 hours at the simulator, rounds until every device is available again, and how often the
token shows up in captured logs, diagnostics, exception texts and repair issues.
"""

from __future__ import annotations

import asyncio
from collections import Counter, defaultdict
from datetime import datetime
import json
import math
import random
import time
from typing import Any

from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import CONF_TOKEN, CONF_URL
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.update_coordinator import UpdateFailed
import pytest

from custom_components.atess.account import THROTTLES, throttle_key
from custom_components.atess.api import Throttle
from custom_components.atess.coordinator import AtessDevice
from custom_components.atess.diagnostics import async_get_config_entry_diagnostics
from simulator.cloud import faults
from simulator.http.routes import BASE, DEVICE_PATHS

from ..conftest import SimulatorFactory
from .conftest import Figures, add_entry, isize, size
from .soak_tools import (
    FAULT_KINDS,
    RATE_KNOBS,
    TOKEN,
    RouteFaults,
    count_faults,
    exception_texts,
    most_in_24h,
    scanning,
    writable_numbers,
)

pytestmark = pytest.mark.bench

REQUEST_TIMEOUT = 0.3  # seconds; the client's own 30 s would make every timeout fault 30 s long
HELD = 0.6  # how long the simulator holds a timed-out request
SETTINGS_EVERY = 12  # rounds (5-minute realtime : hourly settings)
INVENTORY_EVERY = 24  # rounds under faults (more often than 6-hourly: its fault paths matter)
INVENTORY_CYCLES = 72  # rounds between inventory refreshes on the real schedule (6 h / 5 min)
CYCLE_SECONDS = 300.0  # what one round stands for
EXPECTED = (UpdateFailed, HomeAssistantError)
LIST_PATHS = frozenset(  # every candidate path of every device list
    BASE + path for paths in DEVICE_PATHS.values() for path in paths["base_info_list"]
)


async def test_soak(
    hass: HomeAssistant,
    start_simulator: SimulatorFactory,
    monkeypatch: pytest.MonkeyPatch,
    figures: Figures,
) -> None:
    """Faults at 30%, refreshes and writes; then no faults: count what went wrong."""
    target = isize("ATESS_SOAK_CYCLES")
    per_kind = isize("ATESS_SOAK_DEVICES_PER_KIND")
    fault_rate = size("ATESS_SOAK_FAULT_RATE")
    clean_rounds = isize("ATESS_SOAK_CLEAN_CYCLES")
    writes_per_device = 2 if target < 1000 else 15
    rng = random.Random(7)  # noqa: S311 - a reproducible schedule, not security

    routes = RouteFaults(seed=11)
    sim = await start_simulator(
        token=TOKEN,
        devices_per_kind=per_kind,
        timeout_seconds=HELD,
        # the cloud's own limit would hide a budget that lets more through: ours must hold it
        write_limit_per_day=1000,
        middlewares=[routes.middleware],
    )
    state = sim.state
    expected_serials = {d["deviceSn"] for d in sim.devices()}
    injected: Counter[str] = Counter()
    monkeypatch.setattr(faults, "draw", count_faults(injected))

    loop_errors: list[str] = []
    phcc_handler = asyncio.get_running_loop().get_exception_handler()

    def count_loop_error(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        loop_errors.append(f"{context.get('message')}: {context.get('exception')!r}")
        if phcc_handler is not None:  # the harness still fails the test at teardown
            phcc_handler(loop, context)

    asyncio.get_running_loop().set_exception_handler(count_loop_error)

    texts: list[str] = []  # exception texts and diagnostics, searched for the token at the end
    unhandled: list[str] = []
    successes: list[tuple[str, str, float]] = []
    outcomes: Counter[str] = Counter()
    drops = 0
    refreshes = 0
    cpu0, wall0 = time.process_time(), time.perf_counter()

    # every round stands for a 5-minute cycle: the account's quiet period after a 429 (the
    # simulator's Retry-After is 30 s) follows that clock, not the soak's few milliseconds
    cycle = [0]
    hass.data.setdefault(THROTTLES, {})[throttle_key({CONF_URL: sim.url, CONF_TOKEN: TOKEN})] = (
        Throttle(clock=lambda: cycle[0] * CYCLE_SECONDS)
    )

    with scanning() as scanner:
        entry = add_entry(hass, sim.url, TOKEN, sim.plant_ids())
        assert await hass.config_entries.async_setup(entry.entry_id)
        await hass.async_block_till_done()
        assert entry.state is ConfigEntryState.LOADED
        runtime = entry.runtime_data
        runtime.client._request_timeout = REQUEST_TIMEOUT
        devices_total = len(expected_serials)
        rounds = math.ceil(target / devices_total)
        write_every = max(rounds // (devices_total * writes_per_device), 1)
        # the rate is shared evenly by every fault kind: the simulator's knobs, missing routes
        state.set_faults(**dict.fromkeys(RATE_KNOBS, fault_rate / len(FAULT_KINDS)))
        routes.rate = fault_rate / len(FAULT_KINDS)

        async def write_one(device: AtessDevice) -> None:
            choices = writable_numbers(device)
            if not choices:
                outcomes["no_setting"] += 1
                return
            key, low, high = rng.choice(choices)
            current = runtime.writer.value(device, key)
            value = rng.randint(low, high)
            while isinstance(current, (int, float)) and value == current:
                value = rng.randint(low, high)
            outcomes["attempted"] += 1
            try:
                await runtime.writer.async_write(device, key, value)
            except HomeAssistantError as err:  # ServiceValidationError is one too
                outcomes[f"refused:{err.translation_key}"] += 1
                texts.append(exception_texts(err))
            except Exception as err:  # noqa: BLE001 - anything else is the finding
                unhandled.append(f"write {key}={value}: {err!r}")
                texts.append(exception_texts(err))
            else:
                outcomes["succeeded"] += 1
                successes.append((device.sn, key, float(value)))

        last_inventory = 0  # the round of the last inventory refresh

        def available(device: AtessDevice) -> bool:
            return device.realtime.last_update_success and device.settings.last_update_success

        def throttled(coordinator: Any) -> bool:
            err = coordinator.last_exception
            return isinstance(err, UpdateFailed) and err.retry_after is not None

        async def refresh_inventory(number: int) -> None:
            nonlocal drops, last_inventory
            last_inventory = number
            before = set(runtime.devices)
            await runtime.inventory.async_refresh()
            await hass.async_block_till_done()
            gone = before - set(runtime.devices)
            if gone:
                drops += len(gone)
                data = runtime.inventory.data
                drop_notes.append(
                    f"round {number}: the inventory refresh succeeded but listed "
                    f"{len(data.plants)} plants, {len(data.datalogs)} datalogs, "
                    f"{len(data.devices)} devices: {len(gone)} devices were removed"
                )
            if runtime.inventory.last_exception:
                texts.append(exception_texts(runtime.inventory.last_exception))

        async def one_round(number: int, *, clean: bool = False) -> None:
            """One 5-minute cycle: every realtime; settings hourly; inventory now and then."""
            nonlocal refreshes
            cycle[0] += 1
            devices = sorted(runtime.devices.values(), key=lambda d: d.sn)
            jobs = [d.realtime.async_refresh() for d in devices]
            hourly = number % SETTINGS_EVERY == SETTINGS_EVERY - 1
            # a throttled coordinator retries after the cloud's Retry-After (30 s): next cycle
            jobs += [d.settings.async_refresh() for d in devices if hourly or throttled(d.settings)]
            if not clean and number % write_every == 0 and devices:
                jobs.append(write_one(devices[(number // write_every) % len(devices)]))
            refreshes += len(devices)
            for result in await asyncio.gather(*jobs, return_exceptions=True):
                if isinstance(result, BaseException):
                    unhandled.append(f"refresh: {result!r}")
                    texts.append(exception_texts(result))
            inventory_due = number - last_inventory >= (
                INVENTORY_EVERY if not clean else INVENTORY_CYCLES
            ) or throttled(runtime.inventory)
            if inventory_due:
                await refresh_inventory(number)
            texts.extend(
                exception_texts(coordinator.last_exception)
                for device in runtime.devices.values()
                for coordinator in (device.realtime, device.settings)
                if not coordinator.last_update_success
            )

        diagnostics: list[str] = []
        drop_notes: list[str] = []
        number = 0
        while refreshes < target and number < 3 * rounds:
            await one_round(number)
            if number == rounds // 2:
                diag = await async_get_config_entry_diagnostics(hass, entry)
                diagnostics.append(json.dumps(diag, default=str))
            number += 1
        fault_refreshes, fault_rounds = refreshes, number
        fault_counts = Counter(injected)
        fault_counts["route"] = routes.injected
        fault_wall = time.perf_counter() - wall0
        missing_at_stop = len(expected_serials - set(runtime.devices))
        unavailable_at_stop = sum(not available(d) for d in runtime.devices.values())

        # faults stop: cycles on the integration's own schedule (settings hourly, the
        # inventory 6-hourly after its last refresh) until every device of the account is back
        state.set_faults(**dict.fromkeys(RATE_KNOBS, 0.0))
        routes.rate = 0.0
        recovery = recovery_known = recovery_realtime = math.inf
        clean = 0
        while clean < INVENTORY_CYCLES + 2 and (
            clean < clean_rounds or not math.isfinite(recovery)
        ):
            clean += 1
            await one_round(number, clean=True)
            number += 1
            known_ok = all(available(d) for d in runtime.devices.values())
            if all(d.realtime.last_update_success for d in runtime.devices.values()):
                recovery_realtime = min(recovery_realtime, clean)
            if known_ok and not math.isfinite(recovery_known):
                recovery_known = clean
            if known_ok and set(runtime.devices) >= expected_serials:
                recovery = min(recovery, clean)
        missing_after = len(expected_serials - set(runtime.devices))
        still_down = [
            f"{device.ref.kind} {device.sn}: {coordinator.name.split()[1]} "
            f"{getattr(coordinator.last_exception, '__cause__', None)!r}"[:300]
            for device in runtime.devices.values()
            for coordinator in (device.realtime, device.settings)
            if not coordinator.last_update_success
        ]

        # evidence for dropped devices: one inventory refresh whose items miss fields
        state.set_faults(missing_fields_rate=1.0)
        before = len(runtime.devices)
        await runtime.inventory.async_refresh()
        await hass.async_block_till_done()
        evidence_left = len(runtime.devices)
        evidence_ok = runtime.inventory.last_update_success
        state.set_faults(missing_fields_rate=0.0)
        await runtime.inventory.async_refresh()
        await hass.async_block_till_done()

        # a stretch in which every device list is a route the cloud lacks (HTTP 404): two
        # inventories in a row, neither may remove a device (counted in the drops)
        routes.missing = LIST_PATHS
        listed_before = len(runtime.devices)
        for _ in range(2):
            await refresh_inventory(number)
            number += 1
        listed_after = len(runtime.devices)
        routes.missing = frozenset()
        await runtime.inventory.async_refresh()
        await hass.async_block_till_done()
        diag = await async_get_config_entry_diagnostics(hass, entry)
        diagnostics.append(json.dumps(diag, default=str))
        texts.extend(
            json.dumps(issue.translation_placeholders or {})
            for issue in ir.async_get(hass).issues.values()
        )
        assert await hass.config_entries.async_unload(entry.entry_id)
        await hass.async_block_till_done()

    cpu = time.process_time() - cpu0
    wall = time.perf_counter() - wall0

    # writes: what the integration reported as done against what the simulator applied
    applied = state.stats()["writes"]
    expected_writes = Counter(successes)
    applied_writes = Counter((w["deviceSn"], w["key"], float(w["value"])) for w in applied)
    lost = sum((expected_writes - applied_writes).values())
    twice = sum((applied_writes - expected_writes).values())
    times: dict[str, list[datetime]] = defaultdict(list)
    for w in applied:
        times[w["deviceSn"]].append(datetime.fromisoformat(w["time"]))
    most = max((most_in_24h(t) for t in times.values()), default=0)

    haystack = "\n".join([*texts, *diagnostics])
    token_hits = scanner.token_hits + haystack.count(TOKEN)
    logged = [e for e in scanner.exceptions if not e.startswith("unformattable")]
    unhandled_total = len(unhandled) + len(scanner.exceptions) + len(loop_errors)

    figures.add("soak_device_refresh_cycles", fault_refreshes, "cycles", 0)
    figures.add("soak_devices", devices_total, "devices", 0)
    figures.add("soak_rounds", fault_rounds, "rounds", 0)
    figures.add("soak_fault_rate", fault_rate * 100, "%", 0)
    figures.add("soak_cycles_short", max(target - fault_refreshes, 0), "cycles", 0)
    for kind in FAULT_KINDS:
        figures.add(f"soak_faults_injected.{kind}", fault_counts[kind], "faults", 0)
    figures.add(
        "soak_fault_kinds_missing", sum(fault_counts[k] == 0 for k in FAULT_KINDS), "kinds", 0
    )
    figures.add("unhandled_exceptions", unhandled_total, "exceptions", 0)
    figures.add("unhandled_exceptions.escaped", len(unhandled), "exceptions", 0)
    figures.add("unhandled_exceptions.logged", len(logged), "exceptions", 0)
    figures.add("unhandled_exceptions.loop", len(loop_errors), "exceptions", 0)
    figures.add("writes_attempted", outcomes["attempted"], "writes", 0)
    figures.add("writes_succeeded", outcomes["succeeded"], "writes", 0)
    figures.add("writes_refused_quota", outcomes["refused:write_quota_spent"], "writes", 0)
    figures.add("writes_failed", outcomes["refused:write_failed"], "writes", 0)
    figures.add("writes_applied_at_simulator", len(applied), "writes", 0)
    figures.add("writes_lost", lost, "writes", 0)
    figures.add("writes_applied_twice", twice, "writes", 0)
    figures.add("max_writes_one_device_24h", most, "writes", 0)
    figures.add("devices_dropped_by_faulty_inventory", drops, "devices", 0)
    figures.add("devices_missing_when_faults_stop", missing_at_stop, "devices", 0)
    figures.add("devices_unavailable_when_faults_stop", unavailable_at_stop, "devices", 0)
    figures.add("recovery_cycles", recovery, "cycles", 0)
    figures.add("recovery_cycles.known_devices", recovery_known, "cycles", 0)
    figures.add("recovery_cycles.realtime", recovery_realtime, "cycles", 0)
    figures.add("recovery_clean_cycles_run", clean, "cycles", 0)
    figures.add("devices_missing_after_recovery", missing_after, "devices", 0)
    figures.add("evidence_missing_fields_inventory.devices_before", before, "devices", 0)
    figures.add("evidence_missing_fields_inventory.devices_after", evidence_left, "devices", 0)
    figures.add("evidence_missing_fields_inventory.refresh_succeeded", int(evidence_ok), "bool", 0)
    figures.add("evidence_lists_not_found.devices_before", listed_before, "devices", 0)
    figures.add("evidence_lists_not_found.devices_after", listed_after, "devices", 0)
    figures.add("token_occurrences", token_hits, "occurrences", 0)
    figures.add("token_occurrences.logs", scanner.token_hits, "occurrences", 0)
    figures.add("log_records_scanned", scanner.records, "records", 0)
    figures.add("soak_fault_phase_wall", fault_wall, "s", 1)
    figures.add("soak_wall", wall, "s", 1)
    figures.add("soak_cpu", cpu, "s", 1)
    for line in [*unhandled, *scanner.exceptions, *loop_errors][:10]:
        figures.note("unhandled: " + line.replace("\n", " | ")[:400])
    for line in scanner.token_samples:
        figures.note("token in log: " + line.replace("\n", " | "))
    figures.note("write outcomes: " + json.dumps(dict(outcomes), sort_keys=True))
    for line in drop_notes[:10]:
        figures.note("dropped: " + line)
    for line in still_down[:10]:
        figures.note("unavailable after the fault-free cycles: " + line)
    figures.check(["soak_device_refresh_cycles", "soak_wall"], goals="soak")
