"""Every goal of scripts/bench and scripts/soak, in one table, and how a figure is held to it.

Each benchmark test names its group; `Figures.check_goals` then asserts every goal of that group
(a goal whose figure was not printed fails too, so no goal can be dropped by accident). Goals on
wall time, CPU time and memory hold only at full size, on the quiet machine scripts/bench wants:
the normal suite prints them as "not checked at this size". Every other goal is a count that
does not depend on the machine, and holds at every size.
"""

from __future__ import annotations

from dataclasses import dataclass
import math
import operator

_COMPARE = {"<=": operator.le, ">=": operator.ge, "==": operator.eq}


@dataclass(frozen=True, slots=True, kw_only=True)
class Goal:
    """One promise: `figure <op> limit`."""

    figure: str
    op: str  # "<=", ">=" or "=="
    limit: float
    unit: str
    what: str
    group: str  # the test that prints the figure: day, lag, refresh, cpu, setup, soak, fuzz
    machine: bool = False  # wall time, CPU or memory: checked at full size only

    def met(self, value: float) -> bool:
        """Whether a value meets the goal (NaN and infinity never do)."""
        return math.isfinite(value) and _COMPARE[self.op](value, self.limit)

    def describe(self, value: float) -> str:
        """`figure = value unit (goal <op> limit: what)`."""
        shown = f"{value:.0f}" if math.isfinite(value) and value.is_integer() else f"{value:.4g}"
        return f"{self.figure} = {shown} {self.unit} (goal {self.op} {self.limit:g}: {self.what})"


GOALS: tuple[Goal, ...] = (
    # scripts/bench
    Goal(
        figure="requests_per_device_per_day",
        op="<=",
        limit=300,
        unit="requests",
        what="requests per device per day, counted at the simulator",
        group="day",
    ),
    Goal(
        figure="duplicate_requests_total",
        op="==",
        limit=0,
        unit="requests",
        what="the same request twice within one 5-minute cycle",
        group="day",
    ),
    Goal(
        figure="realtime_lag_median_s",
        op="<=",
        limit=30,
        unit="s",
        what="median lag from a record visible at the cloud to Home Assistant having it",
        group="lag",
    ),
    Goal(
        figure="realtime_lag_p95_s",
        op="<=",
        limit=90,
        unit="s",
        what="95th percentile of that lag",
        group="lag",
    ),
    Goal(
        figure="realtime_refresh_failed",
        op="==",
        limit=0,
        unit="devices",
        what="devices whose timed refresh failed (the ratio would mean nothing)",
        group="refresh",
    ),
    Goal(
        figure="realtime_refresh_ratio",
        op="<=",
        limit=1.2,
        unit="x",
        what="refresh of 100 devices at 200 ms against ceil(N / C) * latency",
        group="refresh",
        machine=True,
    ),
    Goal(
        figure="cpu_per_device_refresh",
        op="<=",
        limit=1,
        unit="ms",
        what="Home Assistant-side CPU per device refresh (parse + state writes)",
        group="cpu",
        machine=True,
    ),
    Goal(
        figure="setup_time",
        op="<=",
        limit=5,
        unit="s",
        what="setup of ~100 devices at 50 ms",
        group="setup",
        machine=True,
    ),
    Goal(
        figure="memory_rss_delta",
        op="<=",
        limit=30,
        unit="MiB",
        what="resident memory an entry of ~100 devices adds",
        group="setup",
        machine=True,
    ),
    # scripts/soak
    Goal(
        figure="soak_fault_kinds_missing",
        op="==",
        limit=0,
        unit="kinds",
        what="fault kinds the soak never injected (the soak would prove less)",
        group="soak",
    ),
    Goal(
        figure="soak_cycles_short",
        op="==",
        limit=0,
        unit="cycles",
        what="device refreshes fewer than the soak was sized for",
        group="soak",
    ),
    Goal(
        figure="unhandled_exceptions",
        op="==",
        limit=0,
        unit="exceptions",
        what="exceptions escaped, logged with a traceback, or reaching the event loop",
        group="soak",
    ),
    Goal(
        figure="writes_lost",
        op="==",
        limit=0,
        unit="writes",
        what="writes reported done that the simulator never applied",
        group="soak",
    ),
    Goal(
        figure="writes_applied_twice",
        op="==",
        limit=0,
        unit="writes",
        what="writes the simulator applied more often than reported",
        group="soak",
    ),
    Goal(
        figure="max_writes_one_device_24h",
        op="<=",
        limit=10,
        unit="writes",
        what="writes one device received in any 24 hours (the cloud allows 10)",
        group="soak",
    ),
    Goal(
        figure="devices_dropped_by_faulty_inventory",
        op="==",
        limit=0,
        unit="devices",
        what="devices removed while the cloud was failing",
        group="soak",
    ),
    Goal(
        figure="recovery_cycles",
        op="<=",
        limit=1,
        unit="cycles",
        what="cycles until every device is available again after the faults stop",
        group="soak",
    ),
    Goal(
        figure="devices_missing_after_recovery",
        op="==",
        limit=0,
        unit="devices",
        what="devices of the account missing after the fault-free cycles",
        group="soak",
    ),
    Goal(
        figure="token_occurrences",
        op="==",
        limit=0,
        unit="occurrences",
        what="the token in logs, diagnostics, exception texts and repair issues",
        group="soak",
    ),
    Goal(
        figure="fuzz_payloads",
        op=">=",
        limit=10_000,
        unit="payloads",
        what="generated payloads fed to the client's parsing and every value function",
        group="fuzz",
    ),
    Goal(
        figure="fuzz_crashes",
        op="==",
        limit=0,
        unit="exceptions",
        what="exceptions outside the client's error tree",
        group="fuzz",
    ),
)


def goals_of(group: str) -> tuple[Goal, ...]:
    """The goals one test must meet."""
    found = tuple(goal for goal in GOALS if goal.group == group)
    assert found, f"no goals for group {group}"
    return found
