"""The route book on its own: which candidate next, 12-hour marks, and its JSON state."""

from __future__ import annotations

import json
from typing import Any

import pytest

from custom_components.atess.api import (
    OPERATIONS,
    Operation,
    RouteBook,
    get_operation,
)

from .conftest import STRIKES, TWELVE_HOURS

T0 = 1_800_000_000.0


class Clock:
    """A wall clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


def _two_candidates() -> Operation:
    return next(op for op in OPERATIONS if len(op.candidates) == 2)


def test_a_fresh_book_asks_the_first_candidate_and_knows_nothing(clock: Clock) -> None:
    book = RouteBook(clock=clock)
    for operation in OPERATIONS:
        assert book.next_candidate(operation) == operation.candidates[0]
        assert book.path_in_use(operation) is None
        assert book.known_missing(operation) == ()
    assert book.missing_operations() == ()
    assert not book.dirty
    assert book.as_dict() == {"version": 1, "operations": {}}


def test_missing_candidates_are_skipped_until_none_is_left(clock: Clock) -> None:
    operation = _two_candidates()
    first, second = operation.candidates
    book = RouteBook(clock=clock)
    book.record_missing(operation, first)
    assert book.next_candidate(operation) == second
    assert book.known_missing(operation) == (first.path,)
    assert not book.all_missing(operation)
    book.record_missing(operation, second)
    assert book.next_candidate(operation) is None
    assert book.all_missing(operation)
    assert book.missing_operations() == (operation,)


def test_a_missing_mark_holds_for_twelve_hours_then_the_candidate_is_asked_again(
    clock: Clock,
) -> None:
    operation = get_operation("pcs", "realtime")
    book = RouteBook(clock=clock)
    for candidate in operation.candidates:
        book.record_missing(operation, candidate)
    clock.now += TWELVE_HOURS - 1
    assert book.next_candidate(operation) is None
    clock.now += 1
    assert book.next_candidate(operation) == operation.candidates[0]
    assert book.missing_operations() == ()
    assert book.as_dict()["operations"] == {}  # expired marks are not kept


def test_the_candidate_in_use_comes_first_and_skip_moves_past_it(clock: Clock) -> None:
    operation = get_operation("hps_big", "base_info_list")
    first, second = operation.candidates
    book = RouteBook(clock=clock)
    book.record_missing(operation, first)
    book.record_answer(operation, second)
    assert book.candidate_in_use(operation) == second
    assert book.next_candidate(operation) == second
    assert book.next_candidate(operation, skip=[second.path]) is None
    clock.now += TWELVE_HOURS
    assert book.next_candidate(operation, skip=[second.path]) == first


def test_an_answer_clears_the_missing_mark_and_a_missing_path_in_use_is_forgotten(
    clock: Clock,
) -> None:
    operation = get_operation("pbd", "history")
    first, second = operation.candidates
    book = RouteBook(clock=clock)
    book.record_missing(operation, first)
    clock.now += TWELVE_HOURS
    book.record_answer(operation, first)
    assert book.known_missing(operation) == ()
    for _ in range(STRIKES - 1):
        assert not book.record_missing(operation, first)  # it answered: once is no proof
        assert book.path_in_use(operation) == first.path
    assert book.record_missing(operation, first)
    assert book.path_in_use(operation) is None
    assert book.next_candidate(operation) == second


def test_every_change_is_signalled_and_marks_the_book_dirty(clock: Clock) -> None:
    changes: list[dict[str, Any]] = []
    book = RouteBook(clock=clock)
    book.on_change = lambda: changes.append(book.as_dict())
    operation = get_operation(None, "plant_list")
    book.record_answer(operation, operation.candidates[0])
    assert book.dirty
    assert len(changes) == 1
    book.mark_saved()
    assert not book.dirty
    book.record_answer(operation, operation.candidates[0])  # nothing new
    assert not book.dirty
    assert len(changes) == 1
    for _ in range(STRIKES - 1):
        book.record_missing(operation, operation.candidates[0])
    assert not book.dirty
    book.record_missing(operation, operation.candidates[0])
    assert book.dirty
    assert len(changes) == 2
    assert changes[-1]["operations"]["plant_list"] == {
        "path": None,
        "missing": {"/api/v1/plant/list": T0},
    }


def test_the_state_survives_a_json_round_trip(clock: Clock) -> None:
    book = RouteBook(clock=clock)
    moved = get_operation("mbms", "base_info_list")
    gone = get_operation("pcs", "realtime")
    book.record_missing(moved, moved.candidates[0])
    book.record_answer(moved, moved.candidates[1])
    for candidate in gone.candidates:
        book.record_missing(gone, candidate)
    state = json.loads(json.dumps(book.as_dict()))
    restored = RouteBook(state, clock=clock)
    assert not restored.dirty
    assert restored.as_dict() == book.as_dict()
    assert restored.candidate_in_use(moved) == moved.candidates[1]
    assert restored.candidate_in_use(moved).origin == "candidate 2"  # type: ignore[union-attr]
    assert restored.known_missing(moved) == (moved.candidates[0].path,)
    assert restored.missing_operations() == (gone,)


@pytest.mark.parametrize(
    "state",
    [
        {"version": 99, "operations": {"realtime pcs": {"path": "/api/v1/pcs/data-last"}}},
        {"version": 1, "operations": []},
        {"version": 1, "operations": {"no such operation": {"path": "/x"}}},
        {"version": 1, "operations": {"realtime pcs": "not an object"}},
        {"version": 1, "operations": {"realtime pcs": {"path": "/api/v1/elsewhere"}}},
        {"version": 1, "operations": {"realtime pcs": {"missing": ["/api/v1/pcs/data-last"]}}},
        {
            "version": 1,
            "operations": {
                "realtime pcs": {
                    "missing": {
                        "/api/v1/pcs/data-last": "yesterday",
                        "/api/v1/pcs/pcs-data-last": True,
                        "/api/v1/pcs/gone": T0,
                    }
                }
            },
        },
        {
            "version": 1,
            "operations": {"realtime pcs": {"missing": {"/api/v1/pcs/data-last": 1e999}}},
        },
    ],
)
def test_a_state_it_cannot_use_is_dropped_not_fatal(clock: Clock, state: dict[str, Any]) -> None:
    book = RouteBook(state, clock=clock)
    assert book.as_dict() == {"version": 1, "operations": {}}


def test_a_stored_path_is_not_also_missing_and_a_mark_from_the_future_does_not_hold(
    clock: Clock,
) -> None:
    operation = get_operation("pcs", "realtime")
    first, second = operation.paths
    state = {
        "version": 1,
        "operations": {"realtime pcs": {"path": second, "missing": {second: T0, first: T0 + 3600}}},
    }
    book = RouteBook(state, clock=clock)
    assert book.path_in_use(operation) == second
    assert book.known_missing(operation) == ()  # the future mark (a clock set back) expires


def test_forget_drops_one_operation_or_all(clock: Clock) -> None:
    book = RouteBook(clock=clock)
    realtime, listing = get_operation("pcs", "realtime"), get_operation("pcs", "base_info_list")
    book.record_answer(realtime, realtime.candidates[1])
    book.record_missing(listing, listing.candidates[0])
    book.mark_saved()
    book.forget(realtime)
    assert book.path_in_use(realtime) is None
    assert book.known_missing(listing) == (listing.paths[0],)
    assert book.dirty
    book.mark_saved()
    book.forget(realtime)
    assert not book.dirty
    book.forget()
    assert book.as_dict()["operations"] == {}
    assert book.dirty
