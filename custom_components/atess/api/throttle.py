"""The account's quiet period: after a 429, no request goes out before the cloud's Retry-After.

The cloud throttles an account, not a request: when it answers 429, every request of that
account must wait, whichever coordinator, flow or setup retry sends it. A `Throttle` is shared by
every client of one account (its owner keeps it beyond one client: Home Assistant keeps it across
setup retries and reloads), and the transport asks it before every request.

While the quiet period runs, a request is refused at once with `AtessRateLimitError` and the
seconds left, without reaching the cloud. Once it has passed, the first request is a probe: the
others wait for its answer, so a cloud that still throttles gets one request per Retry-After, not
one per device. Any answer other than 429 ends the suspicion and lets requests run in parallel
again. The clock is wall-clock seconds, so that the owner's time (and a test's) rules it.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
import contextlib
import time

from .errors import AtessRateLimitError

# A 429 without a Retry-After (or an envelope code 429) still asks for quiet: this many seconds.
DEFAULT_QUIET = 60.0
# A Retry-After longer than this is taken as this: a broken header must not silence the
# integration for days.
MAX_QUIET = 3600.0


class Throttle:
    """Until when one account must not ask the cloud anything."""

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        """Start open: nothing throttled yet."""
        self._clock = clock
        self._until = 0.0
        self._suspect = False
        self._probe = asyncio.Lock()

    @property
    def quiet_until(self) -> float | None:
        """The wall-clock second before which nothing may be sent, or None when open."""
        return self._until if self._clock() < self._until else None

    def remaining(self) -> float:
        """The seconds of quiet left (0 when requests may go)."""
        return max(self._until - self._clock(), 0.0)

    def hold(self, retry_after: float | None) -> None:
        """The cloud answered 429: keep quiet for its Retry-After (or DEFAULT_QUIET)."""
        seconds = DEFAULT_QUIET if retry_after is None else min(max(retry_after, 0.0), MAX_QUIET)
        self._until = max(self._until, self._clock() + seconds)
        self._suspect = True

    def answered(self) -> None:
        """The cloud answered something other than 429: the throttling is over."""
        self._suspect = False

    def check(self, operation: str | None = None) -> None:
        """Raise AtessRateLimitError, without a request, while the quiet period runs."""
        if (left := self.remaining()) > 0:
            raise AtessRateLimitError(
                f"throttled: the cloud asked for quiet, {left:.0f} s left",
                operation=operation,
                retry_after=left,
            )

    @contextlib.asynccontextmanager
    async def turn(self, operation: str | None = None) -> AsyncIterator[None]:
        """The right to send one request now: after a 429, one at a time until another answer."""
        self.check(operation)
        if not self._suspect:
            yield
            return
        async with self._probe:
            # the probe before this one may have been throttled again
            self.check(operation)
            yield
