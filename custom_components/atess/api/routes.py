"""The route book: which candidate path of each operation the cloud answers, and which it lacks.

Most paths are inferred (endpoints.py), so an operation may list several candidates. The book
remembers, per operation, the candidate that answered and the candidates found missing, with
the time they were found missing. A missing candidate is not asked again for RECHECK_AFTER
(12 hours); when every candidate of an operation is known missing, the client gives up at once.

With each missing mark the book keeps its evidence: the HTTP status and envelope code of the
answer that proved the path missing, and when it came. That is what the contract report shows a
maintainer, so it is kept across restarts too, until the path answers.

The state is plain JSON (``as_dict`` / the constructor's ``state``) so the owner of the client
can keep it across restarts (Home Assistant keeps it in a Store per config entry) and never
ask a missing route again after a reload. It is plain synchronous bookkeeping: the client
decides when to ask, the book only answers "which one next" and records what happened.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
import logging
import math
import time
from typing import Any

from .endpoints import OPERATIONS, Candidate, Operation

_LOGGER = logging.getLogger(__name__)

RECHECK_AFTER = 12 * 3600.0  # seconds a missing candidate is not asked again
# A path that has answered is not given up on one "no such route": a proxy or a deployment can
# answer 404 for a moment. Only this many in a row, on separate requests, make the client look
# for the operation again; and when no other candidate answers, that path is still asked.
STRIKES_TO_DROP = 3
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
        strikes_to_drop: int = STRIKES_TO_DROP,
    ) -> None:
        """Start empty, or from a state exported by ``as_dict`` (what cannot be read is dropped)."""
        self._clock = clock
        self.on_change = on_change
        self._strikes_to_drop = strikes_to_drop
        self._in_use: dict[str, Candidate] = {}
        self._missing: dict[str, dict[str, float]] = {}
        self._evidence: dict[str, dict[str, Evidence]] = {}
        self._answered: dict[str, set[str]] = {}
        self._strikes: dict[str, int] = {}
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
                self._answered.setdefault(label, set()).add(found.path)
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
        self._load_evidence(state.get("evidence"))

    def _load_evidence(self, evidence: Any) -> None:
        """Read the proofs of the missing marks (kept beside the operations, since 0.1)."""
        if not isinstance(evidence, Mapping):
            return
        for label, proofs in evidence.items():
            if not isinstance(proofs, Mapping) or label not in self._missing:
                continue
            for path, proof in proofs.items():
                if path in self._missing[label] and (read := Evidence.from_dict(proof)):
                    self._evidence.setdefault(label, {})[path] = read

    def as_dict(self) -> dict[str, Any]:
        """Export the state as plain JSON (expired missing marks, and their proofs, left out)."""
        operations: dict[str, Any] = {}
        evidence: dict[str, Any] = {}
        for operation in OPERATIONS:
            path = self.path_in_use(operation)
            missing = {
                path: when
                for path, when in self._missing.get(operation.label, {}).items()
                if self._fresh(when)
            }
            if path is not None or missing:
                operations[operation.label] = {"path": path, "missing": missing}
            proofs = self._evidence.get(operation.label, {})
            if kept := {p: proofs[p].as_dict() for p in missing if p in proofs}:
                evidence[operation.label] = kept
        state: dict[str, Any] = {"version": STATE_VERSION, "operations": operations}
        if evidence:
            state["evidence"] = evidence
        return state

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

    def evidence(self, operation: Operation) -> dict[str, Evidence]:
        """Per path known missing, the answer that proved it (when it was recorded)."""
        proofs = self._evidence.get(operation.label, {})
        return {path: proofs[path] for path in self.known_missing(operation) if path in proofs}

    def next_candidate(self, operation: Operation, skip: Iterable[str] = ()) -> Candidate | None:
        """Return the candidate to ask now: the one in use, else the first not known missing.

        ``skip`` holds paths already asked for the request at hand. None: nothing left to ask.
        """
        skipped = set(skip)
        in_use = self._in_use.get(operation.label)
        if in_use is not None and in_use.path not in skipped:
            return in_use
        missing = set(self.known_missing(operation))
        answered = self._answered.get(operation.label, set())
        return next(
            (
                candidate
                for candidate in operation.candidates
                if candidate.path not in missing and candidate.path not in skipped
            ),
            # when the others are missing, a path that once answered is never given up on
            next(
                (c for c in operation.candidates if c.path in answered and c.path not in skipped),
                None,
            ),
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
        self._strikes.pop(label, None)
        self._answered.setdefault(label, set()).add(candidate.path)
        marks = self._missing.get(label, {})
        if self._in_use.get(label) == candidate and candidate.path not in marks:
            return
        self._in_use[label] = candidate
        marks.pop(candidate.path, None)
        self._evidence.get(label, {}).pop(candidate.path, None)
        self._changed()

    def record_missing(
        self,
        operation: Operation,
        candidate: Candidate,
        status: int | None = None,
        code: int | None = None,
    ) -> bool:
        """Note a "no such route" answer; say whether to look at the other candidates now.

        A candidate that never answered is marked missing at once (not asked again for 12
        hours). One that has answered keeps its place until `strikes_to_drop` such answers in a
        row; then it is marked too and the operation is resolved again.
        """
        label = operation.label
        if candidate.path in self._answered.get(label, ()):
            strikes = self._strikes.get(label, 0) + 1
            if strikes < self._strikes_to_drop:
                self._strikes[label] = strikes
                return False
        self._strikes.pop(label, None)
        if self._in_use.get(label) == candidate:
            del self._in_use[label]
        now = self._clock()
        self._missing.setdefault(label, {})[candidate.path] = now
        self._evidence.setdefault(label, {})[candidate.path] = Evidence(status, code, now)
        self._changed()
        return True

    def forget(self, operation: Operation | None = None) -> None:
        """Drop what is known about one operation, or about all (to ask every route again)."""
        labels = [operation.label] if operation is not None else list(_BY_LABEL)
        changed = False
        for label in labels:
            changed |= self._in_use.pop(label, None) is not None
            changed |= bool(self._missing.pop(label, None))
            changed |= bool(self._evidence.pop(label, None))
        if changed:
            self._changed()


@dataclass(frozen=True, slots=True)
class Evidence:
    """The answer that proved a path missing: HTTP status, envelope code, wall-clock second."""

    status: int | None
    code: int | None
    at: float

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON, as stored."""
        return {"status": self.status, "code": self.code, "at": self.at}

    @classmethod
    def from_dict(cls, data: Any) -> Evidence | None:
        """Read a stored proof; None when it cannot be read."""
        if not isinstance(data, Mapping):
            return None
        status, code, at = data.get("status"), data.get("code"), data.get("at")
        if not all(v is None or _integer(v) for v in (status, code)):
            return None
        if not isinstance(at, (int, float)) or isinstance(at, bool) or not math.isfinite(at):
            return None
        return cls(status, code, float(at))


def _integer(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _candidate(operation: Operation, path: Any) -> Candidate | None:
    """Return the operation's candidate at a path, or None."""
    return next((c for c in operation.candidates if c.path == path), None)
