"""A plant's series is computed once per process and shared: the same values as a fresh one."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from simulator.model import timeline
from simulator.model.timeline import PlantTimeline, shared_timeline

BERLIN = ZoneInfo("Europe/Berlin")
START = datetime(2026, 6, 14, 10, 2, tzinfo=UTC)
PLANT = {"tz": BERLIN, "lat": 52.5, "lng": 13.4, "seed_key": "1:1001"}


def test_a_shared_series_has_the_values_of_a_fresh_one() -> None:
    """Two simulators of one account get one series; its slots equal a series of their own."""
    first = shared_timeline(**PLANT, start=START)
    # the same plant-local day: the same anchor, so the same series
    assert shared_timeline(**PLANT, start=START + timedelta(hours=3)) is first
    fresh = PlantTimeline(**PLANT, start=START)
    for index in (0, 5, 288, 3 * 288 + 17):
        assert first.slot(index) == fresh.slot(index)
        assert first.cumulative_kwh(0, index) == fresh.cumulative_kwh(0, index)
    # anything the series depends on makes another one
    assert shared_timeline(**{**PLANT, "seed_key": "2:1001"}, start=START) is not first
    assert shared_timeline(**PLANT, start=START + timedelta(days=1)) is not first


def test_the_cache_keeps_the_most_recently_used_series(monkeypatch: pytest.MonkeyPatch) -> None:
    """Beyond its bound the least recently used series goes; a used one stays."""
    monkeypatch.setattr(timeline, "SHARED_MAX", 2)
    monkeypatch.setattr(timeline, "_SHARED", type(timeline._SHARED)())
    days = [START + timedelta(days=n) for n in range(3)]
    first = shared_timeline(**PLANT, start=days[0])
    second = shared_timeline(**PLANT, start=days[1])
    assert shared_timeline(**PLANT, start=days[0]) is first  # used again: the newest now
    shared_timeline(**PLANT, start=days[2])  # the bound is 2: the oldest (second) goes
    assert len(timeline._SHARED) == 2
    assert shared_timeline(**PLANT, start=days[0]) is first
    assert shared_timeline(**PLANT, start=days[1]) is not second
