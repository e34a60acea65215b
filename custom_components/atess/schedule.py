"""When to poll a device next: just after the cloud shows its next record.

Each DataLog uploads a record every 5 minutes at a moment of its own (its phase), and the cloud
shows the record some seconds later (its delay; it includes any offset of the DataLog's clock,
since both are read from the record's own time). `UploadSchedule` learns both from the records'
times and the moments the polls first saw them, and asks for the next poll just after the next
record should be visible; when it is not there yet, it tries once more shortly after.

It polls on a plain 5-minute interval, on no particular phase, while it knows neither: at the
start, and after the record times jump (a DataLog that changed its phase or its clock). It never
polls faster than the uploads on average: one poll per upload, plus retries from a small daily
allowance; a device whose records stopped coming (offline) gets no retries.

Pure logic on POSIX seconds, UTC, with the time passed in, so it is tested with a fake clock.
`utc_timestamp` turns a record's plant-local time into such seconds, also across a DST change.
"""

from __future__ import annotations

from collections import deque
from dataclasses import asdict, dataclass, field
from datetime import datetime, tzinfo
import math
from typing import Any

PERIOD = 300.0
DAY = 86_400.0
# Record times this close to a whole number of periods apart are on the same phase: a DataLog's
# clock drifts by far less than this between two uploads.
TOLERANCE = 10.0
# Poll this long after the longest delay seen lately, so that a record is there when we ask.
MARGIN = 2.0
# After a late record, poll at most this much later than the longest delay known.
LATE_STEP = 10.0
# While converging, each record found in time moves the polls this share of the way down to the
# longest delay known; once a record came late, they move down by STEP per record.
CONVERGE = 0.5
STEP = 0.5
# After a late record, the polls do not move down for this long.
HOLD = 2 * 3600.0
# How long a delay seen once keeps the polls from coming earlier than it (delays vary by the hour).
WINDOW = DAY
# A record not there at its planned poll and never seen is late or was never uploaded (about 2 %
# are not): its poll's delay counts for an hour, and at most this far above the delays known.
UNSEEN_WINDOW = 3600.0
UNSEEN_CAP = 20.0
# When the record is not there at the planned poll, try once more this much later.
RETRY_DELAY = 30.0
# The allowance of retries: on average, per device per day, and at most this many in a row.
RETRIES_PER_DAY = 2.0
RETRY_BURST = 2.0
# A record seen this much sooner after its time than the delays seen before means its clock jumped.
JUMP = 60.0
# No new record for this many periods: the device is offline and gets no retries.
OFFLINE_PERIODS = 3
# A planned poll may run this much before its time (the event loop's timers are not exact).
EARLY = 2.0
# Never plan the next poll sooner than this after the last one (apart from a retry).
MIN_WAIT = 5.0


def utc_timestamp(naive: datetime, zone: tzinfo, now: float) -> float:
    """POSIX seconds of a plant-local record time, read in the plant's zone.

    When the clocks go back, an hour of local times happens twice; a record is minutes old, so the
    reading closest to `now` is the right one (the other is an hour away).
    """
    if naive.tzinfo is not None:
        return naive.timestamp()
    readings = {naive.replace(tzinfo=zone, fold=fold).timestamp() for fold in (0, 1)}
    return min(readings, key=lambda ts: abs(now - ts))


@dataclass(slots=True)
class RetryAllowance:
    """A token bucket: `per_day` retries a day on average, at most `burst` in a row."""

    per_day: float
    burst: float
    _tokens: float = field(init=False)
    _at: float | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        """Start full."""
        self._tokens = self.burst

    def take(self, now: float) -> bool:
        """Spend one retry if one is left."""
        if self._at is not None:
            self._tokens = min(self.burst, self._tokens + (now - self._at) * self.per_day / DAY)
        self._at = now
        if self._tokens < 1:
            return False
        self._tokens -= 1
        return True


class WindowMax:
    """The largest value noted within the last `window` seconds."""

    def __init__(self, window: float) -> None:
        """Start empty."""
        self.window = window
        # (when, value), each value above all later ones: the front is the largest
        self._values: deque[tuple[float, float]] = deque()

    def note(self, now: float, value: float) -> None:
        """Note a value (an earlier value no larger than it can never be the largest again)."""
        while self._values and self._values[-1][1] <= value:
            self._values.pop()
        self._values.append((now, value))

    def get(self, now: float) -> float:
        """The largest value noted within the window, -inf when none."""
        while self._values and now - self._values[0][0] > self.window:
            self._values.popleft()
        return self._values[0][1] if self._values else -math.inf

    def clear(self) -> None:
        """Forget every value."""
        self._values.clear()


@dataclass(slots=True)
class ScheduleStats:
    """What the schedule did, for diagnostics and the benchmarks."""

    polls: int = 0
    retries: int = 0
    late: int = 0
    unseen: int = 0
    resets: int = 0


class UploadSchedule:
    """Learns one device's upload phase and delay; says when to poll next."""

    def __init__(
        self,
        period: float = PERIOD,
        retries_per_day: float = RETRIES_PER_DAY,
        retry_burst: float = RETRY_BURST,
    ) -> None:
        """Start knowing nothing: poll every period until two records show the phase."""
        self.period = period
        self.stats = ScheduleStats()
        self._retries = RetryAllowance(retries_per_day, retry_burst)
        # the time of the latest record seen
        self._stamp: float | None = None
        # poll this long after a record's time; None while the phase is not known
        self._offset: float | None = None
        # the time of the last successful poll
        self._previous = -math.inf
        # the longest delays known to occur lately: a record was not there at an earlier poll
        self._lows = WindowMax(WINDOW)
        # ... or not there at its planned poll and never seen (late and hidden by a newer one,
        # or never uploaded): remembered for a shorter while, and trusted only so far
        self._unseen = WindowMax(UNSEEN_WINDOW)
        # a late record was seen since the offset was learned: move down slowly from now on
        self._settled = False
        # no moving down before this: a record came late lately
        self._hold = -math.inf
        # the upload whose retry is spent
        self._retried: float | None = None
        # the latest upload whose planned poll has run
        self._served = -math.inf
        # (upload, how long after it) a planned poll did not find its record
        self._missing: tuple[float, float] | None = None

    @property
    def offset(self) -> float | None:
        """How long after a record's time the polls come; None while the phase is unknown."""
        return self._offset

    @property
    def aligned(self) -> bool:
        """Whether the polls follow the uploads (else they come on a plain interval)."""
        return self._offset is not None

    def report(self) -> dict[str, Any]:
        """What the schedule learned and did, for the diagnostics."""
        return {
            "timed_to_uploads": self.aligned,
            "seconds_after_record_time": None if self._offset is None else round(self._offset, 1),
            **asdict(self.stats),
        }

    def polled(self, now: float, stamp: float | None) -> float:
        """A poll at `now` found the latest record, made at `stamp`: seconds to the next poll.

        `stamp` is None for a record without a time (a device with no data yet).
        """
        self._begin(now)
        if stamp is None:
            self._reset(None, now)
            return self.period
        last = self._stamp
        if last is None or stamp < last - TOLERANCE:
            # the first record, or a time that went back: a clock or phase change
            self._reset(stamp, now)
            return self.period
        if stamp <= last + TOLERANCE:
            return self._nothing_new(now)
        return self._new_record(now, last, stamp)

    def failed(self, now: float, retry_after: float | None = None) -> float:
        """A poll at `now` failed: seconds to the next poll.

        The next upload's poll comes as planned, or a retry from the allowance when this was the
        planned poll. A throttled poll (`retry_after`) waits at least the cloud's time; once the
        phase is known, also until then, so that a cloud that keeps throttling is not asked again
        every few seconds.
        """
        self._begin(now)
        if retry_after is not None and self._offset is None:
            return retry_after
        return max(retry_after or 0.0, self._after_empty(now))

    def _begin(self, now: float) -> None:
        """Count a poll, and note the upload it was planned for (if it was)."""
        self.stats.polls += 1
        if self._offset is not None and (due := self._due(now)) is not None:
            self._served = max(self._served, due)

    def _new_record(self, now: float, last: float, stamp: float) -> float:
        gap = stamp - last
        uploads = round(gap / self.period)
        high = now - stamp
        if abs(gap - uploads * self.period) > TOLERANCE or (
            self._offset is not None and high < self._floor(now) - JUMP
        ):
            # another phase, or a record that came much sooner than delays can be: the DataLog's
            # clock moved; what was learned no longer holds
            self._reset(stamp, now)
            return self.period
        # the previous poll did not see this record: its delay was longer than that
        low = self._previous - stamp
        self._lows.note(now, low)
        if self._missing is not None and self._missing[0] < stamp - TOLERANCE:
            self._unseen.note(now, self._missing[1])
            self.stats.unseen += 1
        self._missing = None
        self._stamp = stamp
        self._previous = now
        self._retried = None
        if self._offset is None:
            self._offset = high
        elif low >= self._offset - EARLY:
            # late: not there at its planned poll
            self.stats.late += 1
            self._settled = True
            self._hold = now + HOLD
            self._offset = max(self._offset, min(high, self._floor(now) + LATE_STEP))
        else:
            lowest = self._floor(now) + MARGIN
            step = STEP if self._settled else max(STEP, (self._offset - lowest) * CONVERGE)
            if now < self._hold:
                step = 0.0
            self._offset = max(lowest, self._offset - step)
        return self._next(now)

    def _nothing_new(self, now: float) -> float:
        self._previous = now
        due = self._due(now)
        if due is not None and (self._missing is None or self._missing[0] != due):
            # the record of the upload at `due` was not there at its planned poll
            self._missing = (due, now - due)
        return self._after_empty(now)

    def _after_empty(self, now: float) -> float:
        """After a poll that brought nothing new: retry once per upload, from the allowance."""
        if self._offset is None or self._stamp is None:
            return self.period
        due = self._due(now)
        if (
            due is not None
            and due != self._retried
            and now - self._stamp < OFFLINE_PERIODS * self.period + self._offset
            and self._retries.take(now)
        ):
            self._retried = due
            self.stats.retries += 1
            return RETRY_DELAY
        return self._next(now)

    def _due(self, now: float) -> float | None:
        """The time of the latest upload whose planned poll has come, if any."""
        if self._stamp is None or self._offset is None:
            return None
        uploads = math.floor((now + EARLY - self._offset - self._stamp) / self.period)
        return self._stamp + uploads * self.period if uploads >= 1 else None

    def _next(self, now: float) -> float:
        """Seconds to the poll of the next upload whose poll has not run yet."""
        if self._offset is None or self._stamp is None:
            return self.period
        after = max(self._served, now + MIN_WAIT - self._offset)
        uploads = max(1, math.floor((after - self._stamp) / self.period) + 1)
        return self._stamp + uploads * self.period + self._offset - now

    def _floor(self, now: float) -> float:
        """The longest delay known to have occurred lately."""
        known = self._lows.get(now)
        return max(known, min(self._unseen.get(now), known + UNSEEN_CAP))

    def _reset(self, stamp: float | None, now: float) -> None:
        if self._offset is not None:
            self.stats.resets += 1
        self._stamp = stamp
        self._offset = None
        self._previous = now
        self._served = -math.inf
        self._lows.clear()
        self._unseen.clear()
        self._settled = False
        self._hold = -math.inf
        self._retried = None
        self._missing = None
