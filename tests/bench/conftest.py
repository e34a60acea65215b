"""Shared pieces of the benchmarks: sizes, the figure printer, a simulator in its own process.

Sizes come from environment variables so that the normal suite runs every benchmark on a tiny
configuration (the soak at CI size: about a minute) and scripts/bench and scripts/soak run the
full one: `ATESS_BENCH_SIZE=full` picks the full defaults, and each size can be set on its own.
Every figure with a goal is held to it (tests/bench/goals.py) at every size, except the goals on
wall time, CPU and memory, which only the full size on a quiet machine can judge.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
import math
import os
from pathlib import Path
import re
import subprocess
import sys
from typing import Any

from aiohttp import ClientSession
from homeassistant.const import CONF_TOKEN, CONF_URL
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.atess.const import CONF_PLANTS, DOMAIN

from .goals import goals_of

REPO = Path(__file__).resolve().parents[2]
FULL = os.environ.get("ATESS_BENCH_SIZE", "tiny") == "full"

# name: (tiny, full)
_SIZES: dict[str, tuple[float, float]] = {
    # requests per device per day: simulated hours (a whole day at every size: the first hours
    # carry the retries the allowance starts with, which a shorter run would multiply),
    # plants and devices of every kind per plant
    "ATESS_BENCH_DAY_HOURS": (24, 24),
    "ATESS_BENCH_DAY_DEVICES_PER_KIND": (1, 1),
    # realtime refresh and setup: devices of every kind (6 kinds) and how many to refresh
    "ATESS_BENCH_DEVICES_PER_KIND": (1, 17),
    "ATESS_BENCH_REFRESH_DEVICES": (6, 100),
    "ATESS_BENCH_REFRESH_LATENCY": (0.2, 0.2),
    "ATESS_BENCH_SETUP_LATENCY": (0.05, 0.05),
    # lag from a record becoming visible to Home Assistant having it: simulated hours per
    # measurement (the first is for learning) and devices of every kind
    "ATESS_BENCH_LAG_HOURS": (8, 12),
    "ATESS_BENCH_LAG_DEVICES_PER_KIND": (1, 3),
    # CPU per device refresh: iterations
    "ATESS_BENCH_CPU_ITERATIONS": (20, 1000),
    # soak: device-refresh cycles, devices of every kind, fault rate (sum of all fault kinds);
    # the normal suite runs it at CI size: 1,000 refreshes of 6 devices, about a minute
    "ATESS_SOAK_CYCLES": (1000, 10_000),
    "ATESS_SOAK_DEVICES_PER_KIND": (1, 3),
    "ATESS_SOAK_FAULT_RATE": (0.30, 0.30),
    "ATESS_SOAK_CLEAN_CYCLES": (3, 5),
    # fuzz: generated payloads
    "ATESS_FUZZ_PAYLOADS": (10_000, 50_000),
}

FIGURE_RE = re.compile(r"^(?P<name>[a-z0-9_.]+): (?P<value>\S+) (?P<unit>\S.*)$")


def size(name: str) -> float:
    """A size: the environment's value, else the tiny or full default."""
    tiny, full = _SIZES[name]
    return float(os.environ.get(name, full if FULL else tiny))


def isize(name: str) -> int:
    """An integer size."""
    return round(size(name))


class Figures:
    """Collects `name: value unit` lines; prints them and appends them to $ATESS_BENCH_OUT."""

    def __init__(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Start with no figures."""
        self._capsys = capsys
        self.values: dict[str, float] = {}
        self.lines: list[str] = []

    def add(self, name: str, value: float, unit: str, digits: int = 2) -> None:
        """Record one figure."""
        number = float(value)
        text = str(int(number)) if digits == 0 and math.isfinite(number) else f"{number:.{digits}f}"
        self.values[name] = number
        self.lines.append(f"{name}: {text} {unit}")

    def note(self, text: str) -> None:
        """A comment line (evidence, context), printed with a leading '#'."""
        self.lines.append(f"# {text}")

    def flush(self) -> None:
        """Print every line (outside pytest's capture) and append them to $ATESS_BENCH_OUT."""
        with self._capsys.disabled():
            for line in self.lines:
                print(line, flush=True)  # noqa: T201 - the figures are the output
        if out := os.environ.get("ATESS_BENCH_OUT"):
            with Path(out).open("a", encoding="utf-8") as handle:
                handle.writelines(line + "\n" for line in self.lines)

    def check(self, names: list[str], *, goals: str) -> None:
        """Every figure is there with a number, and every goal of the group `goals` is met.

        Each goal adds a `# goal met`, `# GOAL MISSED` or `# goal not checked at this size`
        line (the scripts list the missed ones at the end); a missed goal fails the test.
        """
        for name in names:
            assert name in self.values, f"figure {name} was not printed"
            assert math.isfinite(self.values[name]), f"figure {name} is not a number"
        for line in self.lines:
            assert line.startswith("# ") or FIGURE_RE.match(line), line
        missed: list[str] = []
        for goal in goals_of(goals):
            value = self.values.get(goal.figure)
            if value is None:
                missed.append(f"{goal.figure} was not printed ({goal.what})")
                self.note(f"GOAL MISSED: {missed[-1]}")
            elif goal.machine and not FULL:
                self.note(f"goal not checked at this size: {goal.describe(value)}")
            elif goal.met(value):
                self.note(f"goal met: {goal.describe(value)}")
            else:
                missed.append(goal.describe(value))
                self.note(f"GOAL MISSED: {missed[-1]}")
        assert not missed, "goals missed:\n" + "\n".join(missed)


@pytest.fixture
def figures(capsys: pytest.CaptureFixture[str]) -> Iterator[Figures]:
    """A figure collector; its lines are printed when the test ends (also on failure)."""
    collected = Figures(capsys)
    yield collected
    collected.flush()


def rss_bytes() -> int:
    """The resident set size of this process now."""
    for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0  # pragma: no cover - Linux only


@dataclass
class ExternalSimulator:
    """A simulator in its own process (python -m simulator), so its CPU and memory are not ours."""

    url: str
    process: subprocess.Popen[str]
    token: str
    args: dict[str, Any] = field(default_factory=dict)

    async def set_faults(self, **knobs: float) -> dict[str, float]:
        """POST /_simulator/faults."""
        async with (
            ClientSession() as session,
            session.post(f"{self.url}/_simulator/faults", json=knobs) as resp,
        ):
            result: dict[str, float] = await resp.json()
            return result

    async def get(self, path: str) -> Any:
        """GET an introspection endpoint."""
        async with (
            ClientSession() as session,
            session.get(f"{self.url}/_simulator/{path}") as resp,
        ):
            return await resp.json()

    async def plant_ids(self) -> list[str]:
        """The account's plant ids."""
        inventory = await self.get("inventory")
        return [str(p["plantId"]) for p in inventory["plants"]]


@asynccontextmanager
async def external_simulator(token: str, **options: Any) -> AsyncIterator[ExternalSimulator]:
    """Run `python -m simulator --port 0 ...` for the duration of the block."""
    argv = [sys.executable, "-m", "simulator", "--port", "0", "--token", token]
    for key, value in options.items():
        argv += [f"--{key.replace('_', '-')}", str(value)]
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
        argv, cwd=REPO, stdout=subprocess.PIPE, text=True
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        match = re.search(r"http://\S+", line)
        assert match, f"the simulator did not start: {line!r}"
        yield ExternalSimulator(match.group(0), process, token, dict(options))
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:  # pragma: no cover
            process.kill()
            process.wait()


def add_entry(hass: HomeAssistant, url: str, token: str, plant_ids: list[str]) -> MockConfigEntry:
    """A config entry for a simulator account (not yet set up)."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="ATESS bench",
        data={CONF_TOKEN: token, CONF_URL: url},
        options={CONF_PLANTS: plant_ids},
        unique_id=min(plant_ids),
    )
    entry.add_to_hass(hass)
    return entry


@pytest.fixture
async def production_loop(enable_event_loop_debug: None) -> None:
    """The event loop as Home Assistant runs it: without asyncio's debug mode.

    The test harness turns debug mode on for every test; it records a traceback for every
    callback scheduled, which would be counted as the integration's CPU time and memory.
    """
    asyncio.get_running_loop().set_debug(False)
