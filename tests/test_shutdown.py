"""Stopping Home Assistant: refreshes that are due or in flight end quietly.

Home Assistant closes its shared HTTP session when it stops; a refresh that still runs then must
not log an error or a traceback of the integration, and once Home Assistant stops (or the entry
unloads), nothing more is asked of the cloud.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from aiohttp import web
from homeassistant.const import EVENT_HOMEASSISTANT_STOP
from homeassistant.core import HomeAssistant
from homeassistant.helpers.aiohttp_client import async_get_clientsession
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from .conftest import Simulator, SimulatorFactory, add_entry_for


def integration_errors(caplog: pytest.LogCaptureFixture) -> list[str]:
    """Errors (and tracebacks) logged by the integration, or about its coordinators."""
    return [
        r.getMessage()
        for r in caplog.records
        if r.levelno >= logging.ERROR
        and (r.name.startswith("custom_components.atess") or "atess" in r.getMessage())
    ]


async def test_a_refresh_after_the_session_closed_ends_quietly(
    hass: HomeAssistant,
    setup_entry: MockConfigEntry,
    simulator: Simulator,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """What Home Assistant's close does to the shared session: the refresh due then is silent."""
    device = next(iter(setup_entry.runtime_data.devices.values()))
    caplog.clear()
    async_get_clientsession(hass).detach()  # as on EVENT_HOMEASSISTANT_CLOSE
    await device.settings.async_refresh()
    await device.realtime.async_refresh()
    await setup_entry.runtime_data.inventory.async_refresh()
    await hass.async_block_till_done()
    assert integration_errors(caplog) == []


async def test_a_refresh_in_flight_when_the_session_closes_ends_quietly(
    hass: HomeAssistant,
    start_simulator: SimulatorFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A request waiting for its answer when the session goes: no error, no traceback."""
    hold, waiting, release = asyncio.Event(), asyncio.Event(), asyncio.Event()

    @web.middleware
    async def slow(request: web.Request, handler: Any) -> web.StreamResponse:
        if hold.is_set() and "setting" in request.path:
            waiting.set()
            await release.wait()
        return await handler(request)

    sim = await start_simulator(middlewares=[slow])
    entry = add_entry_for(hass, sim)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    device = next(d for d in entry.runtime_data.devices.values() if d.ref.kind == "hps_big")
    caplog.clear()
    hold.set()
    refresh = hass.async_create_task(device.settings.async_refresh())
    await asyncio.wait_for(waiting.wait(), 5)
    # Home Assistant's close: the shared session is detached and its connector closed, which
    # takes the connection from under the request
    session = async_get_clientsession(hass)
    connector = session.connector
    assert connector is not None
    session.detach()
    await connector.close()
    await asyncio.wait_for(refresh, 10)
    release.set()
    await asyncio.sleep(0.05)  # the simulator's handler ends (on a connection already gone)
    assert integration_errors(caplog) == []


async def test_after_stop_nothing_is_asked(
    hass: HomeAssistant,
    setup_entry: MockConfigEntry,
    simulator: Simulator,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """EVENT_HOMEASSISTANT_STOP closes the client: a refresh due then sends nothing, logs nothing."""
    device = next(iter(setup_entry.runtime_data.devices.values()))
    before = simulator.state.stats()["requests"]
    caplog.clear()
    hass.bus.async_fire(EVENT_HOMEASSISTANT_STOP)
    await hass.async_block_till_done()
    await device.settings.async_refresh()
    await setup_entry.runtime_data.inventory.async_refresh()
    assert simulator.state.stats()["requests"] == before
    assert integration_errors(caplog) == []
