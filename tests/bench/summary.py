"""The last lines of scripts/bench and scripts/soak: which goals were met, which were missed.

`python -m tests.bench.summary SCRIPT FIGURES_FILE PYTEST_STATUS` reads the `# goal ...` lines the
tests wrote (tests/bench/conftest.py) and exits non-zero when a goal was missed, when no goal was
judged at all, or when pytest failed for another reason.
"""

from __future__ import annotations

from pathlib import Path
import sys


def summarize(script: str, lines: list[str], pytest_status: int) -> int:
    """Print the summary; return the exit status."""
    missed = [line.removeprefix("# GOAL MISSED: ") for line in lines if "GOAL MISSED" in line]
    met = sum(line.startswith("# goal met: ") for line in lines)
    unchecked = sum(line.startswith("# goal not checked") for line in lines)
    if missed:
        sys.stderr.write(f"{script}: {len(missed)} goal(s) missed:\n")
        for line in missed:
            sys.stderr.write(f"  {line}\n")
        return 1
    if pytest_status != 0:
        sys.stderr.write(f"{script}: the run failed (pytest exit {pytest_status})\n")
        return pytest_status
    if met == 0:
        sys.stderr.write(f"{script}: no goal was judged (were the tests deselected?)\n")
        return 1
    note = f", {unchecked} not checked at this size" if unchecked else ""
    sys.stdout.write(f"{script}: every goal met ({met} goals{note})\n")
    return 0


def main(argv: list[str]) -> int:
    """Entry point: SCRIPT FIGURES_FILE PYTEST_STATUS."""
    script, path, status = argv
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return summarize(script, lines, int(status))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
