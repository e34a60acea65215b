"""The reading of Home Assistant's log that makes every real-`hass` test fail on what it must not
accept: deprecations naming the integration, its errors and its tracebacks."""

from __future__ import annotations

import re

from scripts.e2e_support.hass_log import integration_problems

DEPRECATION = (
    "2026-12-06 13:20:00.123 WARNING (MainThread) [homeassistant.helpers.frame] Detected that "
    "custom integration 'atess' calls `device_registry.async_update_device` with ... This will "
    "stop working in Home Assistant 2027.8.0, please create a bug report"
)
SHUTDOWN_ERROR = (
    "2026-12-06 13:21:00.001 ERROR (MainThread) [custom_components.atess] Unexpected error "
    "fetching atess settings pcs PCD0F2**** data\n"
    "Traceback (most recent call last):\n"
    '  File "/config/custom_components/atess/coordinator.py", line 200, in _async_update_data\n'
    "AssertionError: assert self._connector is not None"
)
QUIET = (
    "2026-12-06 13:19:00.000 INFO (MainThread) [custom_components.atess] New device\n"
    "2026-12-06 13:19:00.500 DEBUG (MainThread) [custom_components.atess] Full exception\n"
    "Traceback (most recent call last):\n"
    '  File "/config/custom_components/atess/__init__.py", line 72, in async_setup_entry\n'
    "homeassistant.exceptions.ConfigEntryNotReady: The ATESS cloud asked for quiet\n"
    "2026-12-06 13:19:01.000 WARNING (MainThread) [custom_components.atess] The cloud answers "
    "realtime pcs at none of its paths\n"
    "2026-12-06 13:19:02.000 ERROR (MainThread) [homeassistant.components.met] Offline\n"
    "2026-12-06 13:19:03.000 WARNING (MainThread) [homeassistant.helpers.frame] Detected that "
    "custom integration 'other' does something deprecated\n"
)


def test_a_clean_log_has_no_problem() -> None:
    """Warnings of the integration and other integrations' errors are not its problems."""
    assert integration_problems(QUIET) == []


def test_a_deprecation_naming_the_integration_is_a_problem() -> None:
    """Home Assistant's report of a deprecated call is found among other records."""
    assert integration_problems(QUIET + DEPRECATION + "\n") == [DEPRECATION]


def test_an_error_of_the_integration_is_a_problem_with_its_traceback() -> None:
    """An error of the integration's logger, kept with its traceback lines."""
    [found] = integration_problems(QUIET + SHUTDOWN_ERROR)
    assert found == SHUTDOWN_ERROR


def test_a_bare_traceback_through_the_integration_is_a_problem() -> None:
    """A traceback printed outside any record, through the integration's code."""
    bare = (
        "Traceback (most recent call last):\n"
        '  File "/config/custom_components/atess/__init__.py", line 1, in <module>\n'
        "RuntimeError: Session is closed"
    )
    assert integration_problems(bare) == [bare]
    assert integration_problems(bare.replace("atess", "other")) == []


def test_records_with_a_utc_offset_are_read_as_records() -> None:
    """2026.11 writes `...934+00:00 DEBUG ...`: a debug "Full exception" stays quiet, and a
    deprecation or an error is still found, in that format too."""
    plain = QUIET + DEPRECATION + "\n" + SHUTDOWN_ERROR
    stamped = re.sub(r"^(\d{4}-\S+ \S+) ", r"\1+00:00 ", plain, flags=re.M)
    assert stamped.count("+00:00 ") == plain.count("(MainThread)") == 7
    found = integration_problems(stamped)
    assert [f.split(" ", 3)[2] for f in found] == ["WARNING", "ERROR"]
    assert "Full exception" not in "\n".join(found)
