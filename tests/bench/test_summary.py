"""The scripts' last lines: "every goal met" only when every goal of the script was judged and met.

The goal lines are written by the real `Figures.check`, as the benchmark tests write them.
"""

from __future__ import annotations

import contextlib

import pytest

from .conftest import Figures
from .goals import goals_of
from .summary import SCRIPT_GROUPS, goals_of_script, summarize


def _lines(
    capsys: pytest.CaptureFixture[str], groups: tuple[str, ...], **values: float
) -> list[str]:
    """The goal lines of tests that ran `groups`, each figure at its limit unless given."""
    figures = Figures(capsys)
    for group in groups:
        for goal in goals_of(group):
            figures.add(goal.figure, values.get(goal.figure, goal.limit), goal.unit)
        # a missed goal fails its test; its lines are written all the same
        with contextlib.suppress(AssertionError):
            figures.check([], goals=group)
    return figures.lines


def test_every_goal_of_the_soak_judged_and_met(capsys: pytest.CaptureFixture[str]) -> None:
    lines = _lines(capsys, SCRIPT_GROUPS["scripts/soak"])
    assert summarize("scripts/soak", lines, 0) == 0
    out = capsys.readouterr()
    assert (
        out.out == f"scripts/soak: every goal met ({len(goals_of_script('scripts/soak'))} goals)\n"
    )
    assert out.err == ""


def test_a_partial_soak_names_the_goals_it_did_not_judge(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`scripts/soak -k test_fuzz`: the fuzz goals met, every soak goal unjudged."""
    lines = _lines(capsys, ("fuzz",))
    assert summarize("scripts/soak", lines, 0) == 1
    out = capsys.readouterr()
    assert "every goal met" not in out.out + out.err
    unjudged = [g.figure for g in goals_of_script("scripts/soak") if g.group == "soak"]
    assert len(unjudged) > 1
    for figure in unjudged:
        assert f"  {figure}: not run (" in out.err
    assert "fuzz_crashes" not in out.err
    total = len(goals_of_script("scripts/soak"))
    assert f"{len(unjudged)} of {total} goal(s) not judged" in out.err


def test_machine_goals_not_checked_at_this_size_are_not_called_met(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The bench at a small size: wall time, CPU and memory are printed but not judged."""
    lines = _lines(capsys, SCRIPT_GROUPS["scripts/bench"])
    machine = [g.figure for g in goals_of_script("scripts/bench") if g.machine]
    assert machine
    assert any(line.startswith("# goal not checked at this size") for line in lines)
    assert summarize("scripts/bench", lines, 0) == 1
    out = capsys.readouterr()
    assert "every goal met" not in out.out + out.err
    for figure in machine:
        assert f"  {figure}: not checked at this size (" in out.err


def test_a_missed_goal_and_a_failed_run_fail(capsys: pytest.CaptureFixture[str]) -> None:
    lines = _lines(capsys, SCRIPT_GROUPS["scripts/soak"], fuzz_crashes=3)
    assert summarize("scripts/soak", lines, 1) == 1
    out = capsys.readouterr()
    assert "1 goal(s) missed:\n  fuzz_crashes = 3 exceptions" in out.err
    assert "every goal met" not in out.out
    every = _lines(capsys, SCRIPT_GROUPS["scripts/soak"])
    assert summarize("scripts/soak", every, 4) == 4
    assert "pytest exit 4" in capsys.readouterr().err


def test_an_empty_run_judges_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    for script in SCRIPT_GROUPS:
        assert summarize(script, [], 0) == 1
        count = len(goals_of_script(script))
        assert f"{count} of {count} goal(s) not judged" in capsys.readouterr().err
