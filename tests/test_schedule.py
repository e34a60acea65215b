"""The upload schedule against a fake DataLog on a fake clock (no Home Assistant, no network).

A fake DataLog uploads every 5 minutes at its own phase; each record becomes visible after a
delay, some uploads are missed, and its clock may drift or jump. `drive` polls it the way the
realtime coordinator does (at the schedule's delay, plus the event loop's slack) and measures, for
every record, the time from its becoming visible to the first poll that showed it (or a newer one).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
import itertools
import random
import statistics
from zoneinfo import ZoneInfo

import pytest

from custom_components.atess.schedule import (
    MARGIN,
    PERIOD,
    RETRY_DELAY,
    RetryAllowance,
    UploadSchedule,
    utc_timestamp,
)

T0 = datetime(2025, 6, 2, tzinfo=UTC).timestamp()
HOUR = 3600.0
# the coordinator adds a second to every interval (the event loop truncates its clock)
SLACK = 1.3


@dataclass
class FakeDataLog:
    """Uploads at T0 + phase + k * PERIOD; record k is visible `delay(k)` seconds later."""

    phase: float = 37.0
    delay: Callable[[int], float] = lambda _k: 40.0
    missed: set[int] = field(default_factory=set)
    # the DataLog's clock minus the true time, at a true time (drift, jumps)
    clock: Callable[[float], float] = lambda _t: 0.0

    def upload(self, k: int) -> float:
        return T0 + self.phase + k * PERIOD

    def stamp(self, k: int) -> float:
        return self.upload(k) + self.clock(self.upload(k))

    def visible(self, k: int) -> float:
        return self.upload(k) + self.delay(k)

    def latest(self, now: float) -> int | None:
        """The latest record visible at `now` (what data-last answers)."""
        k = int((now - T0 - self.phase) // PERIOD)
        for candidate in range(k, max(k - 300, -1), -1):
            if candidate not in self.missed and self.visible(candidate) <= now:
                return candidate
        return None


@dataclass
class Run:
    """The polls of one drive: (time, record index), the offset after each, and the lags."""

    polls: list[tuple[float, int | None]]
    offsets: list[float | None]
    lags: list[float]
    schedule: UploadSchedule

    def times(self, start: float = 0.0, end: float = float("inf")) -> list[float]:
        return [t for t, _ in self.polls if start <= t < end]

    def offset_at(self, moment: float) -> float | None:
        """The offset after the last poll before `moment`."""
        return [o for (t, _), o in zip(self.polls, self.offsets, strict=True) if t < moment][-1]


def drive(
    cloud: FakeDataLog,
    hours: float,
    *,
    schedule: UploadSchedule | None = None,
    start: float = T0,
    measure_after: float = 2 * HOUR,
    seed: int = 1,
) -> Run:
    """Poll `cloud` as the schedule says for `hours`; lags of records visible after warm-up."""
    schedule = schedule or UploadSchedule()
    rng = random.Random(seed)  # noqa: S311 - reproducible timing, not security
    now = start
    end = start + hours * HOUR
    polls: list[tuple[float, int | None]] = []
    offsets: list[float | None] = []
    while now < end:
        k = cloud.latest(now)
        polls.append((now, k))
        delay = schedule.polled(now, None if k is None else cloud.stamp(k))
        offsets.append(schedule.offset)
        now += delay + SLACK * rng.random()
    lags = []
    first = int((start + measure_after - T0 - cloud.phase) // PERIOD) + 1
    last = int((end - T0 - cloud.phase) // PERIOD) - 2
    for k in range(first, last):
        if k in cloud.missed:
            continue
        shown = next(t for t, seen in polls if seen is not None and seen >= k)
        lags.append(shown - cloud.visible(k))
    return Run(polls, offsets, lags, schedule)


def p95(values: list[float]) -> float:
    return sorted(values)[int(0.95 * len(values))]


def test_learns_the_phase_and_polls_just_after_each_upload() -> None:
    """From a plain 5-minute interval to polls a few seconds after each record appears."""
    cloud = FakeDataLog(phase=123.0, delay=lambda k: 40.0 + (k * 7) % 11)
    run = drive(cloud, 12)
    assert run.schedule.aligned
    assert statistics.median(run.lags) <= 15
    assert p95(run.lags) <= 30
    # the first two polls are 5 minutes apart: nothing is known yet
    assert run.polls[1][0] - run.polls[0][0] == pytest.approx(PERIOD, abs=SLACK)
    # one poll per upload, once learned
    uploads = 12 * HOUR / PERIOD
    assert len(run.polls) <= uploads + run.schedule.stats.retries + 1


def test_the_schedule_lags_far_less_than_a_fixed_interval() -> None:
    """The same cloud, the polls starting at every moment of an upload period: polled every 5
    minutes, a record waits half a period on average; the schedule cuts that to seconds."""
    cloud = FakeDataLog(phase=123.0, delay=lambda k: 40.0 + (k * 7) % 11)
    fixed: list[float] = []
    scheduled: list[float] = []
    for start in range(0, 300, 30):
        polls = [T0 + start + n * PERIOD for n in range(40)]
        for k in range(2, 30):
            shown = next(t for t in polls if t >= cloud.visible(k))
            fixed.append(shown - cloud.visible(k))
        run = drive(cloud, 8, start=T0 + start, seed=start)
        assert run.schedule.aligned
        scheduled += run.lags
    assert 130 < statistics.median(fixed) < 170
    assert len(scheduled) > 300
    assert statistics.median(scheduled) <= statistics.median(fixed) / 5
    assert p95(scheduled) <= 30


def test_a_missed_upload_costs_one_retry_and_moves_little() -> None:
    """The planned poll finds nothing, one retry finds nothing; the next upload is on time."""
    missed = 50
    cloud = FakeDataLog(delay=lambda _k: 30.0, missed={missed})
    run = drive(cloud, 8, schedule=UploadSchedule(retries_per_day=24))
    slot = cloud.upload(missed)
    before = run.offset_at(slot)
    after = run.offset_at(slot + PERIOD + 60)
    assert before is not None
    assert after is not None
    # planned poll, one retry, then the next upload's poll
    around = run.times(slot, slot + PERIOD + 60)
    assert len(around) == 3
    assert around[1] - around[0] == pytest.approx(RETRY_DELAY, abs=SLACK + 0.1)
    # a record that never came may have been late: the polls move by about the margin
    assert after <= before + MARGIN + SLACK
    assert run.schedule.stats.unseen == 1
    assert run.schedule.stats.resets == 0
    assert statistics.median(run.lags) <= 15
    assert max(run.lags) <= RETRY_DELAY + SLACK


def test_retries_once_when_the_record_is_not_there_yet() -> None:
    """A record later than usual is fetched by the retry, not five minutes later."""
    late = 60
    cloud = FakeDataLog(delay=lambda k: 50.0 if k == late else 30.0)
    run = drive(cloud, 8, schedule=UploadSchedule(retries_per_day=24))
    shown = next(t for t, k in run.polls if k is not None and k >= late)
    assert shown - cloud.visible(late) <= RETRY_DELAY
    assert run.schedule.stats.late >= 1


def test_without_allowance_a_late_record_waits_for_the_next_upload() -> None:
    """The retry comes only from the allowance; with none, polls stay one per upload."""
    late = 60
    cloud = FakeDataLog(delay=lambda k: 50.0 if k == late else 30.0)
    run = drive(cloud, 8, schedule=UploadSchedule(retries_per_day=0, retry_burst=0))
    assert run.schedule.stats.retries == 0
    shown = next(t for t, k in run.polls if k is not None and k >= late)
    assert shown - cloud.visible(late) > PERIOD - 60
    assert len(run.polls) <= 8 * HOUR / PERIOD + 1


def test_a_phase_change_falls_back_then_learns_the_new_phase() -> None:
    """A DataLog that restarts on another phase: plain interval, then aligned again."""
    change = T0 + 4 * HOUR
    cloud = FakeDataLog(
        phase=20.0,
        delay=lambda _k: 25.0,
        clock=lambda t: 130.0 if t >= change else 0.0,
    )
    run = drive(cloud, 10, measure_after=6 * HOUR)
    assert run.schedule.stats.resets == 1
    assert run.schedule.aligned
    assert statistics.median(run.lags) <= 3 * MARGIN
    # right after the change, two polls a plain period apart (the phase is being learned)
    after = run.times(change, change + 2 * HOUR)
    gaps = [b - a for a, b in itertools.pairwise(after)]
    assert any(gap == pytest.approx(PERIOD, abs=SLACK) for gap in gaps[:3])


def test_a_clock_that_jumps_by_whole_hours_is_relearned() -> None:
    """Record times an hour ahead keep the phase but not the delay: learned again."""
    change = T0 + 4 * HOUR
    cloud = FakeDataLog(delay=lambda _k: 25.0, clock=lambda t: HOUR if t >= change else 0.0)
    run = drive(cloud, 10, measure_after=6 * HOUR)
    assert run.schedule.stats.resets == 1
    assert statistics.median(run.lags) <= 3 * MARGIN


@pytest.mark.parametrize("per_day", [5.0, -5.0], ids=["clock gains", "clock loses"])
def test_clock_drift_is_followed(per_day: float) -> None:
    """A DataLog whose clock drifts by 5 s a day (58 ppm) stays aligned, with no reset."""
    cloud = FakeDataLog(
        delay=lambda k: 30.0 + (k * 7) % 11, clock=lambda t: (t - T0) * per_day / (24 * HOUR)
    )
    run = drive(cloud, 48)
    assert run.schedule.stats.resets == 0
    assert statistics.median(run.lags) <= 15
    assert p95(run.lags) <= 30


@pytest.mark.parametrize(
    ("day", "hours_from_utc_midnight"),
    [
        pytest.param("2025-10-26", (-0.5, 3.5), id="clocks go back"),
        pytest.param("2025-03-30", (-0.5, 3.5), id="clocks go forward"),
    ],
)
def test_dst_changes_go_unnoticed(day: str, hours_from_utc_midnight: tuple[float, float]) -> None:
    """Plant-local record times across a DST change read as a steady 5-minute grid in UTC."""
    zone = ZoneInfo("Europe/Berlin")
    midnight = datetime.fromisoformat(day).replace(tzinfo=UTC).timestamp()
    start, end = (midnight + h * HOUR for h in hours_from_utc_midnight)
    schedule = UploadSchedule()
    now = start
    polls = 0
    while now < end:
        upload = (now - 25.0) // PERIOD * PERIOD  # visible 25 s after upload
        naive = datetime.fromtimestamp(upload, zone).replace(tzinfo=None)
        stamp = utc_timestamp(naive, zone, now)
        assert stamp == upload
        now += schedule.polled(now, stamp) + 0.5
        polls += 1
    assert schedule.stats.resets == 0
    assert schedule.aligned
    assert polls <= (end - start) / PERIOD + schedule.stats.retries + 1


def test_the_first_reading_of_a_repeated_hour_would_go_back() -> None:
    """Why utc_timestamp chooses: the naive reading of the second 02:30 is an hour early."""
    zone = ZoneInfo("Europe/Berlin")
    second = datetime(2025, 10, 26, 1, 30, tzinfo=UTC).timestamp()  # 02:30 CET
    naive = datetime(2025, 10, 26, 2, 30)  # noqa: DTZ001 - a plant-local record time
    assert naive.replace(tzinfo=zone).timestamp() == second - HOUR
    assert utc_timestamp(naive, zone, second + 40) == second
    assert utc_timestamp(naive, zone, second - HOUR + 40) == second - HOUR


def test_unknown_phase_polls_on_the_plain_interval() -> None:
    """Records without a time, and the very first record, give the plain 5-minute interval."""
    schedule = UploadSchedule()
    assert schedule.polled(T0, None) == PERIOD
    assert schedule.polled(T0 + PERIOD, None) == PERIOD
    assert not schedule.aligned
    assert schedule.polled(T0 + 2 * PERIOD, T0 + 2 * PERIOD - 40) == PERIOD
    assert not schedule.aligned


def test_irregular_uploads_keep_the_plain_interval() -> None:
    """Record times on no 5-minute grid: never aligned, polls every 5 minutes."""
    rng = random.Random(3)  # noqa: S311 - reproducible timing, not security
    schedule = UploadSchedule()
    now = T0
    stamp = T0 - 100
    for _ in range(50):
        stamp += rng.uniform(170, 250)
        assert schedule.polled(now, min(stamp, now)) == PERIOD
        now += PERIOD
    assert not schedule.aligned


def test_an_offline_device_gets_no_retries_and_is_picked_up_again() -> None:
    """No record for hours: one poll per 5 minutes, no retries; back on the same phase after."""
    offline = set(range(40, 80))
    cloud = FakeDataLog(delay=lambda _k: 30.0, missed=offline)
    run = drive(cloud, 10)
    silent = run.times(cloud.upload(43), cloud.upload(79))
    gaps = [b - a for a, b in itertools.pairwise(silent)]
    assert min(gaps) > PERIOD - 10
    assert run.schedule.stats.retries <= 2
    assert run.schedule.stats.resets == 0
    assert statistics.median(run.lags) <= 3 * MARGIN


def test_never_faster_than_the_uploads_on_average() -> None:
    """Jittered delays, missed uploads, late records: one poll per upload plus the allowance."""
    rng = random.Random(7)  # noqa: S311 - reproducible timing, not security
    delays = [45 + rng.uniform(0, 25) for _ in range(2000)]
    missed = {k for k in range(2000) if rng.random() < 0.02}
    cloud = FakeDataLog(delay=lambda k: delays[k], missed=missed)
    days = 3
    run = drive(cloud, days * 24)
    uploads = days * 24 * HOUR / PERIOD
    assert run.schedule.stats.retries <= 2 * days + 2
    assert len(run.polls) <= uploads + run.schedule.stats.retries + 1
    assert statistics.median(run.lags) <= 30
    assert p95(run.lags) <= 90


def test_a_throttled_poll_waits_the_clouds_time() -> None:
    """retry_after is a minimum; once aligned, a cloud that keeps throttling is asked once per
    upload (after one retry from the allowance), not at every retry_after."""
    plain = UploadSchedule()
    assert plain.failed(T0, retry_after=45) == 45
    cloud = FakeDataLog(delay=lambda _k: 30.0)
    run = drive(cloud, 3, schedule=UploadSchedule(retries_per_day=24))
    schedule = run.schedule
    offset = schedule.offset
    assert offset is not None
    k = cloud.latest(run.polls[-1][0])
    assert k is not None
    planned = cloud.stamp(k) + PERIOD + offset
    # a retry of that upload, no sooner than the cloud allows
    assert schedule.failed(planned, retry_after=45) == 45
    # its retry is spent: the next upload's poll
    assert schedule.failed(planned + 45, retry_after=45) == pytest.approx(PERIOD - 45)
    # and never sooner than the cloud allows
    assert schedule.failed(planned + PERIOD, retry_after=600) == 600


def test_a_failed_planned_poll_retries_from_the_allowance_then_waits() -> None:
    """A passing failure at the planned poll: one retry, then the next upload's poll."""
    cloud = FakeDataLog(delay=lambda _k: 30.0)
    run = drive(cloud, 3, schedule=UploadSchedule(retries_per_day=24))
    schedule = run.schedule
    offset = schedule.offset
    assert offset is not None
    k = cloud.latest(run.polls[-1][0])
    assert k is not None
    planned = cloud.stamp(k) + PERIOD + offset
    assert schedule.failed(planned) == RETRY_DELAY
    assert schedule.failed(planned + RETRY_DELAY) == pytest.approx(PERIOD - RETRY_DELAY)


def test_the_allowance_refills_at_its_daily_rate() -> None:
    """Two retries in a row, then one per half day at two a day."""
    allowance = RetryAllowance(per_day=2, burst=2)
    assert allowance.take(0)
    assert allowance.take(1)
    assert not allowance.take(2)
    assert not allowance.take(0.4 * 86_400)
    assert allowance.take(0.51 * 86_400)
    assert not allowance.take(0.52 * 86_400)
