"""The coverage summary at the end of scripts/test: figures only, no failure where no gate is."""

from __future__ import annotations

from pathlib import Path
import subprocess
import sys

ROOT = Path(__file__).resolve().parents[1]


def test_the_summary_prints_figures_and_judges_nothing(tmp_path: Path) -> None:
    """A simulator run measured alone: far below the integration's 95 % gate, and no failure."""
    data = tmp_path / ".coverage"
    measure = [sys.executable, "-m", "coverage", "run", f"--data-file={data}", "--rcfile=setup.cfg"]
    subprocess.run(  # noqa: S603 - our own interpreter, module and script
        [*measure, "-m", "simulator", "--help"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=60,
    )
    parts = ["simulator/*", "custom_components/atess/config_flow.py", "nowhere/*"]
    done = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "scripts/tools/coverage_summary.py", f"--data-file={data}", *parts],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    )
    lines = done.stdout.splitlines()
    assert len(lines) == len(parts)
    simulator, config_flow, nowhere = (line.split() for line in lines)
    assert simulator[:2] == ["coverage", "simulator/*"]
    assert simulator[3] == "%"
    assert 0 < float(simulator[2]) < 95  # below the configuration's fail_under, yet quiet
    assert config_flow[1:] == ["custom_components/atess/config_flow.py", "0.00", "%"]
    assert nowhere[1:] == ["nowhere/*", "no", "data"]
    assert "failure" not in (done.stdout + done.stderr).lower()
    assert "?" not in done.stdout
