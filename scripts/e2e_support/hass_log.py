"""What a Home Assistant log says about the integration that a test must not accept.

Home Assistant reports a deprecated use by a custom integration as a warning ("Detected that
custom integration 'atess' ..."); errors and tracebacks of the integration at shutdown are
refreshes that met a closed session. The end-to-end tests read the log of every `hass` they
started and fail on either.
"""

from __future__ import annotations

from collections.abc import Iterator
import re

DOMAIN = "atess"
# "2026-12-06 13:20:00.123 WARNING (MainThread) [homeassistant.helpers.frame] text"; newer
# releases (2026.11) add the UTC offset: "2026-12-06 13:20:00.123+00:00 WARNING ..."
_RECORD = re.compile(
    r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?(?:[+-]\d\d:?\d\d|Z)? "
    r"(?P<level>[A-Z]+) \([^)]*\) \[(?P<logger>[^\]]+)\] "
)
_SEVERE = {"ERROR", "CRITICAL"}
_WARNED = {"WARNING", *_SEVERE}


def _records(text: str) -> Iterator[tuple[str, str, str]]:
    """(level, logger, text with its continuation lines) of every record; stray lines alone."""
    level = logger = ""
    lines: list[str] = []
    for line in text.splitlines():
        match = _RECORD.match(line)
        if match is None and lines:
            lines.append(line)
            continue
        if lines:
            yield level, logger, "\n".join(lines)
        if match is None:  # output before any record (stderr, a bare traceback)
            level, logger, lines = "", "", [line]
        else:
            level, logger, lines = match["level"], match["logger"], [line]
    if lines:
        yield level, logger, "\n".join(lines)


def names_a_deprecation(text: str) -> bool:
    """Whether a message reports a deprecated use by the integration."""
    return f"custom integration '{DOMAIN}'" in text or (
        DOMAIN in text and "deprecat" in text.lower()
    )


def integration_problems(text: str) -> list[str]:
    """The records of a Home Assistant log that a test of the integration must fail on.

    A deprecation naming the integration (at warning level or above), and any error or
    traceback of the integration: logged by its own loggers, or a traceback through its code.
    """
    problems: list[str] = []
    ours = f"custom_components.{DOMAIN}"
    for level, logger, record in _records(text):
        deprecated = names_a_deprecation(record)
        # a traceback at debug level is Home Assistant's "Full exception" of an expected
        # failure (a setup retry); one at warning level or above, or printed bare, is not
        traceback = (
            level in {"", *_WARNED}
            and "Traceback" in record
            and f"custom_components/{DOMAIN}/" in record
        )
        if (
            (level in _WARNED and deprecated)
            or traceback
            or (level in _SEVERE and logger.startswith(ours))
        ):
            problems.append(record)
    return problems
