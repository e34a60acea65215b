"""The contract report keeps its evidence across reloads: per missing path, the HTTP status,
envelope code and time of the answer that proved it missing. It is the report an owner attaches
to an issue, so a reload must not turn it into `null`s and zeros."""

from __future__ import annotations

from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util

from custom_components.atess.api import RouteBook, get_operation
from custom_components.atess.diagnostics import async_get_config_entry_diagnostics

from .conftest import SimulatorFactory, add_entry_for

PCS_REALTIME = get_operation("pcs", "realtime")


async def test_the_evidence_of_a_missing_path_survives_a_reload(
    hass: HomeAssistant, start_simulator: SimulatorFactory, freezer: Any
) -> None:
    """Status 404, no envelope code, and the time, before and after a reload."""
    sim = await start_simulator(dialects=frozenset({"no-pcs-realtime"}))
    entry = add_entry_for(hass, sim)
    found_at = dt_util.utcnow().isoformat(timespec="seconds")
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    before = (await async_get_config_entry_diagnostics(hass, entry))["contract"]["operations"]
    evidence = before[PCS_REALTIME.label]["missing_evidence"]
    assert set(evidence) == set(PCS_REALTIME.paths)
    for proof in evidence.values():
        assert proof == {"status": 404, "code": None, "at": found_at}

    freezer.tick(60)
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    after = (await async_get_config_entry_diagnostics(hass, entry))["contract"]["operations"]
    assert after[PCS_REALTIME.label]["resolution"] == "none answers"
    assert after[PCS_REALTIME.label]["missing_evidence"] == evidence
    assert after[PCS_REALTIME.label]["route_missing"] == 0  # not asked again: the proof is kept


def test_the_route_book_keeps_evidence_until_the_path_answers() -> None:
    """Exported and read back with its state; dropped when the path answers; bad input ignored."""
    now = [1_000_000.0]
    book = RouteBook(clock=lambda: now[0])
    first, second = PCS_REALTIME.candidates[:2]
    assert book.record_missing(PCS_REALTIME, first, 404, None)
    assert book.record_missing(PCS_REALTIME, second, 200, 404)
    state = book.as_dict()
    read = RouteBook(state, clock=lambda: now[0])
    proofs = read.evidence(PCS_REALTIME)
    assert (proofs[first.path].status, proofs[first.path].code) == (404, None)
    assert (proofs[second.path].status, proofs[second.path].code) == (200, 404)
    assert proofs[first.path].at == now[0]
    read.record_answer(PCS_REALTIME, second)
    assert set(read.evidence(PCS_REALTIME)) == {first.path}
    state["evidence"][PCS_REALTIME.label][first.path] = {"status": "x", "at": 1}
    assert first.path not in RouteBook(state).evidence(PCS_REALTIME)
