"""The account's quiet period: after a 429, nothing reaches the cloud before its Retry-After, and
then one probe goes before the others."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest

from custom_components.atess.api import AtessClient, AtessRateLimitError, Throttle
from custom_components.atess.api.throttle import DEFAULT_QUIET, MAX_QUIET

from .conftest import FakeCloud

OK = {"code": 0, "msg": "success", "data": {"deviceSn": "PCD1", "pac": 1.0}}
THROTTLED = {"code": 429, "msg": "Too Many Requests"}


async def test_no_request_leaves_before_the_retry_after(
    fake_cloud: FakeCloud, make_client: Callable[..., AtessClient]
) -> None:
    """Any client of the account is refused at once; after the Retry-After one asks again."""
    now = [1000.0]
    throttle = Throttle(clock=lambda: now[0])
    fake_cloud.answer(THROTTLED, status=429, headers={"Retry-After": "120"})
    fake_cloud.answer(OK)
    client = make_client(fake_cloud.base_url, throttle=throttle)
    with pytest.raises(AtessRateLimitError):
        await client.async_get_realtime("pcs", "PCD1")
    assert len(fake_cloud.requests) == 1
    # another client of the same account (a setup retry, a reload) is refused as well
    other = make_client(fake_cloud.base_url, throttle=throttle)
    now[0] += 119
    with pytest.raises(AtessRateLimitError) as refused:
        await other.async_get_realtime("pcs", "PCD1")
    assert refused.value.retry_after == pytest.approx(1)
    assert len(fake_cloud.requests) == 1
    now[0] += 1
    await other.async_get_realtime("pcs", "PCD1")
    assert len(fake_cloud.requests) == 2
    assert throttle.quiet_until is None


async def test_after_the_quiet_one_probe_goes_before_the_others(
    fake_cloud: FakeCloud, make_client: Callable[..., AtessClient]
) -> None:
    """Ten requests due at once after the quiet period: one request while the cloud still
    throttles; once it answers, all of them."""
    now = [0.0]
    throttle = Throttle(clock=lambda: now[0])
    client = make_client(fake_cloud.base_url, throttle=throttle)
    fake_cloud.answer(OK)  # the path is known: requests no longer resolve it one at a time
    fake_cloud.answer(THROTTLED, status=429, headers={"Retry-After": "30"})
    await client.async_get_realtime("pcs", "PCD1")
    with pytest.raises(AtessRateLimitError):
        await client.async_get_realtime("pcs", "PCD1")
    now[0] += 30
    results = await asyncio.gather(
        *(client.async_get_realtime("pcs", "PCD1") for _ in range(10)), return_exceptions=True
    )
    assert all(isinstance(r, AtessRateLimitError) for r in results)
    assert len(fake_cloud.requests) == 3  # the answer, the first 429, and one probe
    now[0] += 30
    fake_cloud.answers.clear()
    fake_cloud.answer(OK)
    results = await asyncio.gather(
        *(client.async_get_realtime("pcs", "PCD1") for _ in range(10)), return_exceptions=True
    )
    assert not any(isinstance(r, Exception) for r in results)
    assert len(fake_cloud.requests) == 13


def test_the_quiet_period_without_or_with_an_absurd_retry_after() -> None:
    """No Retry-After: DEFAULT_QUIET; a huge one is capped; a negative one is none."""
    now = [0.0]
    throttle = Throttle(clock=lambda: now[0])
    throttle.hold(None)
    assert throttle.remaining() == DEFAULT_QUIET
    throttle.hold(10**9)
    assert throttle.remaining() == MAX_QUIET
    fresh = Throttle(clock=lambda: now[0])
    fresh.hold(-5)
    assert fresh.quiet_until is None
