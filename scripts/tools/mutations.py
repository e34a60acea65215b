"""Break the product on purpose, once per promise, and check that a test notices.

Each mutation below changes one line of the product the way an audit found unguarded, in a
temporary copy of the working tree (the tree itself is never touched), and runs the tests that
must catch it. A mutation is "caught" when those tests fail; "NOT caught" means the promise has no
guard. With --baseline the same tests run first on the unchanged copy and must pass there, so a
catch is not a test that fails anyway.

    .venv/bin/python scripts/tools/mutations.py [--baseline] [NAME ...]

Exits non-zero when a mutation is not caught, or a baseline fails. Not part of scripts/test: it
runs the chosen tests once per mutation (a few minutes).
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
import os
from pathlib import Path
import shutil
import subprocess
import sys
import tempfile

ROOT = Path(__file__).resolve().parents[2]
# what a copy of the tree does not need: the environment is linked, caches are rebuilt
SKIPPED = (".git", ".venv", "__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache", "config")


@dataclass(frozen=True, slots=True, kw_only=True)
class Mutation:
    """Replace `old` (found exactly once in `path`) by `new`; `tests` must then fail."""

    name: str
    path: str
    old: str
    new: str
    tests: tuple[str, ...]


MUTATIONS: tuple[Mutation, ...] = (
    Mutation(
        name="inventory-miss-not-reset",
        path="custom_components/atess/inventory.py",
        old="        for sn in listed:\n            self.misses.pop(sn, None)\n",
        new="",
        tests=(
            "tests/test_inventory.py::test_a_device_listed_again_after_one_miss_starts_counting_anew",
        ),
    ),
    Mutation(
        name="inventory-misses-to-remove-1",
        path="custom_components/atess/inventory.py",
        old="MISSES_TO_REMOVE = 2 ",
        new="MISSES_TO_REMOVE = 1 ",
        tests=(
            "tests/test_inventory.py::test_a_device_the_cloud_stops_listing_leaves_after_two_complete_inventories",
        ),
    ),
    Mutation(
        name="inventory-misses-to-remove-3",
        path="custom_components/atess/inventory.py",
        old="MISSES_TO_REMOVE = 2 ",
        new="MISSES_TO_REMOVE = 3 ",
        tests=(
            "tests/test_inventory.py::test_a_device_the_cloud_stops_listing_leaves_after_two_complete_inventories",
        ),
    ),
    Mutation(
        name="strikes-to-drop-1",
        path="custom_components/atess/api/routes.py",
        old="STRIKES_TO_DROP = 3\n",
        new="STRIKES_TO_DROP = 1\n",
        tests=("tests/api/test_routes.py", "tests/api/test_route_fallback.py"),
    ),
    Mutation(
        name="recheck-after-1-hour",
        path="custom_components/atess/api/routes.py",
        old="RECHECK_AFTER = 12 * 3600.0",
        new="RECHECK_AFTER = 1 * 3600.0",
        tests=(
            "tests/test_cloud_routes.py::test_a_route_that_exists_nowhere_is_reported_once_and_the_rest_works",
        ),
    ),
    Mutation(
        name="recheck-after-1-hour-book",
        path="custom_components/atess/api/routes.py",
        old="RECHECK_AFTER = 12 * 3600.0",
        new="RECHECK_AFTER = 1 * 3600.0",
        tests=("tests/api/test_routes.py",),
    ),
    Mutation(
        name="diagnostics-token-replace-off",
        path="custom_components/atess/diagnostics.py",
        old="    if token:\n",
        new="    if token and False:\n",
        tests=("tests/test_diagnostics.py",),
    ),
    Mutation(
        name="schedule-fixed-interval",
        path="custom_components/atess/schedule.py",
        old="            self._offset = max(lowest, self._offset - step)\n        return self._next(now)\n",
        new="            self._offset = max(lowest, self._offset - step)\n        return self.period\n",
        tests=("tests/test_schedule.py::test_the_schedule_lags_far_less_than_a_fixed_interval",),
    ),
    Mutation(
        name="config-flow-surprise-not-logged",
        path="custom_components/atess/config_flow.py",
        old='            LOGGER.exception("Unexpected error while checking the ATESS token")\n',
        new="",
        tests=("tests/test_config_flow.py::test_user_flow_shows_unknown_for_a_surprise",),
    ),
    Mutation(
        name="bcu-settings-empty",
        path="custom_components/atess/catalogue/settings.py",
        old="    DeviceKind.BCU: _BCU,\n",
        new="    DeviceKind.BCU: (),\n",
        tests=("tests/test_catalogue.py::test_bcu_thresholds_disabled_by_default",),
    ),
    Mutation(
        name="datalog-listener-not-removed",
        path="custom_components/atess/entity.py",
        old="                self.async_on_remove(device.realtime.async_add_listener("
        "self.async_write_ha_state))\n",
        new="                device.realtime.async_add_listener(self.async_write_ha_state)\n",
        tests=("tests/test_loose_ends.py",),
    ),
    Mutation(
        name="budget-listener-not-removed",
        path="custom_components/atess/sensor.py",
        old="        self.async_on_remove(\n"
        "            self._writer.async_add_listener(self.device.sn, self.async_write_ha_state)\n"
        "        )\n",
        new="        self._writer.async_add_listener(self.device.sn, self.async_write_ha_state)\n",
        tests=("tests/test_loose_ends.py",),
    ),
    Mutation(
        name="connection-timer-not-cancelled",
        path="custom_components/atess/binary_sensor.py",
        old="        self.async_on_remove(\n"
        "            async_track_time_interval(self.hass, self._async_look_again, timedelta(minutes=1))\n"
        "        )\n",
        new="        async_track_time_interval(self.hass, self._async_look_again, timedelta(minutes=1))\n",
        tests=("tests/test_loose_ends.py",),
    ),
)


def copy_tree(target: Path) -> None:
    """The working tree as it is (uncommitted changes included), the environment linked."""
    shutil.copytree(ROOT, target, ignore=shutil.ignore_patterns(*SKIPPED), symlinks=True)
    (target / ".venv").symlink_to((ROOT / ".venv").resolve())


def run_tests(tree: Path, tests: tuple[str, ...]) -> int:
    """Run pytest in the copy; its exit status (1: a test failed)."""
    argv = [sys.executable, "-m", "pytest", *tests, "-x", "-q", "-p", "no:randomly"]
    argv += ["-p", "no:cacheprovider", "-o", "addopts=", "--no-header"]
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    done = subprocess.run(
        argv, cwd=tree, env=env, capture_output=True, text=True, timeout=900, check=False
    )
    return done.returncode


def mutate(tree: Path, mutation: Mutation) -> str:
    """Apply one mutation in the copy; return the original text to restore."""
    path = tree / mutation.path
    text = path.read_text(encoding="utf-8")
    count = text.count(mutation.old)
    if count != 1:
        msg = f"{mutation.name}: the text to change occurs {count} times in {mutation.path}"
        raise SystemExit(msg)
    path.write_text(text.replace(mutation.old, mutation.new), encoding="utf-8")
    return text


def main(argv: list[str]) -> int:
    """Run the chosen mutations (all by default); print one line each."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="mutations to run (default: all)")
    parser.add_argument("--baseline", action="store_true", help="run the tests unchanged first")
    args = parser.parse_args(argv)
    chosen = [m for m in MUTATIONS if not args.names or m.name in args.names]
    if unknown := set(args.names) - {m.name for m in MUTATIONS}:
        parser.error(f"no such mutation: {', '.join(sorted(unknown))}")
    failures = 0
    with tempfile.TemporaryDirectory(prefix="atess-mutations-") as tmp:
        tree = Path(tmp) / "tree"
        copy_tree(tree)
        for mutation in chosen:
            if args.baseline and (status := run_tests(tree, mutation.tests)) != 0:
                print(f"{mutation.name}: BASELINE FAILS (pytest exit {status})", flush=True)
                failures += 1
                continue
            original = mutate(tree, mutation)
            try:
                status = run_tests(tree, mutation.tests)
            finally:
                (tree / mutation.path).write_text(original, encoding="utf-8")
            verdict = "caught" if status == 1 else f"NOT caught (pytest exit {status})"
            failures += status != 1
            print(f"{mutation.name}: {verdict}  [{' '.join(mutation.tests)}]", flush=True)
    print(f"{len(chosen) - failures} of {len(chosen)} mutations caught")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
