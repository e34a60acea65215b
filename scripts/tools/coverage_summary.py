"""The coverage lines of the summary at the end of scripts/test: one figure per part, nothing more.

    .venv/bin/python scripts/tools/coverage_summary.py [--data-file .coverage] PART...

Prints `coverage PART  FIGURE %` per part (a `--include` pattern), or `no data` when nothing
measured matches it. The gates themselves are the `coverage report --fail-under` steps of
scripts/test; this summary judges nothing, so a part without a gate (the simulator) is not
reported as a failure against the configuration's own `fail_under`.
"""

from __future__ import annotations

import argparse
import io
from pathlib import Path
import sys

import coverage
from coverage.exceptions import NoDataError

ROOT = Path(__file__).resolve().parents[2]


def figure(cov: coverage.Coverage, part: str) -> str:
    """The part's total (lines and branches, one figure), or "no data"."""
    try:
        total = cov.report(include=[part], file=io.StringIO(), precision=2)
    except NoDataError:
        return "no data"
    return f"{total:.2f} %"


def main(argv: list[str]) -> int:
    """Print one line per part."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("parts", nargs="+", help="--include patterns, e.g. 'simulator/*'")
    parser.add_argument("--data-file", default=str(ROOT / ".coverage"))
    args = parser.parse_args(argv)
    cov = coverage.Coverage(data_file=args.data_file, config_file=str(ROOT / "setup.cfg"))
    cov.load()
    for part in args.parts:
        sys.stdout.write(f"  coverage {part:<42} {figure(cov, part)}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
