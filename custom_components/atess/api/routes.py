"""The route book: which candidate path of each operation the cloud answers, and which it lacks.

Most paths are inferred (endpoints.py), so an operation may list several candidates. The book
remembers, per operation, the candidate that answered and the candidates found missing, with
the time they were found missing. A missing candidate is not asked again for RECHECK_AFTER
(12 hours); when every candidate of an operation is known missing, the client gives up at once.

The state is plain JSON (``as_dict`` / the constructor's ``state``) so the owner of the client
can keep it across restarts (Home Assistant keeps it in a Store per config entry) and never
ask a missing route again after a reload. It is plain synchronous bookkeeping: the client
decides when to ask, the book only answers "which one next" and records what happened.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
import logging
import math
import time
from typing import Any

from .endpoints import OPERATIONS, Candidate, Operation

_LOGGER = logging.getLogger(__name__)

RECHECK_AFTER = 12 * 3600.0  # seconds a missing candidate is not asked again
STATE_VERSION = 1

_BY_LABEL = {operation.label: operation for operation in OPERATIONS}


class RouteBook:
    """Per operation: the candidate in use, and when each missing candidate was found missing.

    ``clock`` returns wall-clock seconds (default ``time.time``): the marks outlive restarts, so
    a monotonic clock would not do. ``on_change`` is called after every change of the state;
    ``dirty`` also says whether the state changed since the last ``mark_saved``.
    """

    def __init__(
        self,
        state: Mapping[str, Any] | None = None,
        *,
        clock: Callable[[], float] = time.time,
        on_change: Callable[[], None] | None = None,
    ) -> None:
        """Start empty, or from a state exported by ``as_dict`` (what cannot be read is dropped)."""
        self._clock = clock
        self.on_change = on_change
        self._in_use: dict[str, Candidate] = {}
        self._missing: dict[str, dict[str, float]] = {}
        self._dirty = False
        if state:
            self._load(state)

    # --- persistence ----------------------------------------------------------------------

    def _load(self, state: Mapping[str, Any]) -> None:
        """Read an exported state, keeping only paths the table still lists."""
        if state.get("version") != STATE_VERSION:
            _LOGGER.debug("Route book state of another version ignored")
            return
        operations = state.get("operations")
        if not isinstance(operations, Mapping):
            return
        for label, entry in operations.items():
            operation = _BY_LABEL.get(label)
            if operation is None or not isinstance(entry, Mapping):
                continue
            if (found := _candidate(operation, entry.get("path"))) is not None:
                self._in_use[label] = found
            marks = entry.get("missing")
            if not isinstance(marks, Mapping):
                continue
            for path, when in marks.items():
                if (
                    _candidate(operation, path) is not None
                    and isinstance(when, (int, float))
                    and not isinstance(when, bool)
                    and math.isfinite(when)
                    and path != self.path_in_use(operation)
                ):
                    self._missing.setdefault(label, {})[path] = float(when)

    def as_dict(self) -> dict[str, Any]:
        """Export the state as plain JSON (expired missing marks are left out)."""
        operations: dict[str, Any] = {}
        for operation in OPERATIONS:
            path = self.path_in_use(operation)
            missing = {
                path: when
                for path, when in self._missing.get(operation.label, {}).items()
                if self._fresh(when)
            }
            if path is not None or missing:
                operations[operation.label] = {"path": path, "missing": missing}
        return {"version": STATE_VERSION, "operations": operations}

    @property
    def dirty(self) -> bool:
        """Say whether the state changed since the last ``mark_saved``."""
        return self._dirty

    def mark_saved(self) -> None:
        """Note that the current state has been kept."""
        self._dirty = False

    def _changed(self) -> None:
        self._dirty = True
        if self.on_change is not None:
            self.on_change()

    # --- queries --------------------------------------------------------------------------

    def _fresh(self, when: float) -> bool:
        """Say whether a missing mark still holds (a mark from the future does not)."""
        return 0 <= self._clock() - when < RECHECK_AFTER

    def candidate_in_use(self, operation: Operation) -> Candidate | None:
        """Return the candidate that answered last, if any."""
        return self._in_use.get(operation.label)

    def path_in_use(self, operation: Operation) -> str | None:
        """Return the path that answered last, if any."""
        found = self._in_use.get(operation.label)
        return None if found is None else found.path

    def known_missing(self, operation: Operation) -> tuple[str, ...]:
        """Return the candidate paths found missing in the last 12 hours, in table order."""
        marks = self._missing.get(operation.label, {})
        return tuple(path for path in operation.paths if path in marks and self._fresh(marks[path]))

    def next_candidate(self, operation: Operation, skip: Iterable[str] = ()) -> Candidate | None:
        """Return the candidate to ask now: the one in use, else the first not known missing.

        ``skip`` holds paths already asked for the request at hand. None: nothing left to ask.
        """
        skipped = set(skip)
        in_use = self._in_use.get(operation.label)
        if in_use is not None and in_use.path not in skipped:
            return in_use
        missing = set(self.known_missing(operation))
        return next(
            (
                candidate
                for candidate in operation.candidates
                if candidate.path not in missing and candidate.path not in skipped
            ),
            None,
        )

    def all_missing(self, operation: Operation) -> bool:
        """Say whether every candidate of the operation is known missing."""
        return len(self.known_missing(operation)) == len(operation.candidates)

    def missing_operations(self) -> tuple[Operation, ...]:
        """Return the operations none of whose candidates answers (for a repair issue)."""
        return tuple(operation for operation in OPERATIONS if self.all_missing(operation))

    # --- updates --------------------------------------------------------------------------

    def record_answer(self, operation: Operation, candidate: Candidate) -> None:
        """Note that a candidate answered with the cloud's envelope: use it from now on."""
        label = operation.label
        marks = self._missing.get(label, {})
        if self._in_use.get(label) == candidate and candidate.path not in marks:
            return
        self._in_use[label] = candidate
        marks.pop(candidate.path, None)
        self._changed()

    def record_missing(self, operation: Operation, candidate: Candidate) -> None:
        """Note that a candidate is missing now; forget it if it was in use."""
        label = operation.label
        if self._in_use.get(label) == candidate:
            del self._in_use[label]
        self._missing.setdefault(label, {})[candidate.path] = self._clock()
        self._changed()

    def forget(self, operation: Operation | None = None) -> None:
        """Drop what is known about one operation, or about all (to ask every route again)."""
        labels = [operation.label] if operation is not None else list(_BY_LABEL)
        changed = False
        for label in labels:
            changed |= self._in_use.pop(label, None) is not None
            changed |= bool(self._missing.pop(label, None))
        if changed:
            self._changed()


def _candidate(operation: Operation, path: Any) -> Candidate | None:
    """Return the operation's candidate at a path, or None."""
    return next((c for c in operation.candidates if c.path == path), None)
