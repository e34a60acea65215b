"""The last lines of scripts/bench and scripts/soak: which goals were met, missed or not judged.

`python -m tests.bench.summary SCRIPT FIGURES_FILE PYTEST_STATUS` reads the `# goal ...` lines the
tests wrote (tests/bench/conftest.py) and holds them to every goal of the script
(tests/bench/goals.py). "Every goal met" is said only when each of them was judged and met. A
partial run (`-k`, a deselected test, a size at which the machine goals are not checked) names
the goals it did not judge and exits non-zero, as a missed goal or a failed pytest run does.
"""

from __future__ import annotations

from pathlib import Path
import sys

from .goals import GOALS, Goal

# the groups (tests) each script runs
SCRIPT_GROUPS: dict[str, tuple[str, ...]] = {
    "scripts/bench": ("day", "lag", "refresh", "cpu", "setup"),
    "scripts/soak": ("soak", "fuzz"),
}
MET = "# goal met: "
MISSED = "# GOAL MISSED: "
NOT_CHECKED = "# goal not checked at this size: "


def goals_of_script(script: str) -> tuple[Goal, ...]:
    """Every goal a script promises."""
    groups = SCRIPT_GROUPS[script]
    return tuple(goal for goal in GOALS if goal.group in groups)


def _figure(line: str, prefix: str) -> str:
    """The figure a goal line is about: the first word after its prefix."""
    return line.removeprefix(prefix).split(" ", 1)[0]


def summarize(script: str, lines: list[str], pytest_status: int) -> int:
    """Print the summary; return the exit status."""
    missed = [line.removeprefix(MISSED) for line in lines if line.startswith(MISSED)]
    met = {_figure(line, MET) for line in lines if line.startswith(MET)}
    unchecked = {_figure(line, NOT_CHECKED) for line in lines if line.startswith(NOT_CHECKED)}
    judged = met | {_figure(line, MISSED) for line in lines if line.startswith(MISSED)}
    goals = goals_of_script(script)
    met &= {goal.figure for goal in goals}
    not_judged = [
        f"{goal.figure}: {'not checked at this size' if goal.figure in unchecked else 'not run'}"
        f" ({goal.what})"
        for goal in goals
        if goal.figure not in judged
    ]
    if not_judged:
        sys.stderr.write(f"{script}: {len(not_judged)} of {len(goals)} goal(s) not judged:\n")
        sys.stderr.writelines(f"  {line}\n" for line in not_judged)
    if missed:
        sys.stderr.write(f"{script}: {len(missed)} goal(s) missed:\n")
        sys.stderr.writelines(f"  {line}\n" for line in missed)
        return 1
    if pytest_status != 0:
        sys.stderr.write(f"{script}: the run failed (pytest exit {pytest_status})\n")
        return pytest_status
    if not_judged:
        sys.stderr.write(
            f"{script}: {len(met)} goal(s) met, but not every goal was judged (a partial run)\n"
        )
        return 1
    sys.stdout.write(f"{script}: every goal met ({len(goals)} goals)\n")
    return 0


def main(argv: list[str]) -> int:
    """Entry point: SCRIPT FIGURES_FILE PYTEST_STATUS."""
    script, path, status = argv
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return summarize(script, lines, int(status))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
