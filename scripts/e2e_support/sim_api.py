"""The simulator's introspection endpoints (`/_simulator/...`), which need no token."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
import contextlib
from dataclasses import dataclass
import time
from typing import Any

from aiohttp import ClientError, ClientSession, ClientTimeout

TIMEOUT = ClientTimeout(total=30)


@dataclass(frozen=True, slots=True)
class SimDevice:
    """One device of the simulated account."""

    serial: str
    kind: str
    model: str


class SimulatorApi:
    """A client of a running simulator's introspection endpoints."""

    def __init__(self, session: ClientSession, base_url: str) -> None:
        """Talk to the simulator at `base_url` (e.g. http://127.0.0.1:8900)."""
        self.session = session
        self.base_url = base_url.rstrip("/")

    async def get(self, path: str) -> Any:
        """GET an introspection endpoint; the decoded JSON."""
        async with self.session.get(f"{self.base_url}{path}", timeout=TIMEOUT) as resp:
            resp.raise_for_status()
            return await resp.json()

    async def wait_up(self, within: float, alive: Callable[[], bool] | None = None) -> None:
        """Wait until the simulator answers (a dead process fails at once)."""
        deadline = time.monotonic() + within
        while True:
            if alive is not None and not alive():
                raise RuntimeError("the simulator exited during start-up")
            with contextlib.suppress(ClientError, TimeoutError):
                await self.get("/_simulator/inventory")
                return
            if time.monotonic() > deadline:
                raise RuntimeError(f"the simulator did not answer within {within:.0f} s")
            await asyncio.sleep(0.1)

    async def devices(self) -> list[SimDevice]:
        """Every device of every plant and datalog."""
        inventory = await self.get("/_simulator/inventory")
        return [
            SimDevice(device["deviceSn"], device["kind"], device.get("model", ""))
            for plant in inventory["plants"]
            for datalog in plant["datalogs"]
            for device in datalog["devices"]
        ]

    async def stats(self) -> dict[str, Any]:
        """Requests per `METHOD path`, writes applied/refused per device, the write log."""
        stats: dict[str, Any] = await self.get("/_simulator/stats")
        return stats

    async def set_faults(self, **knobs: float) -> dict[str, Any]:
        """Change fault knobs (e.g. throttle_rate=1.0); all knobs as they are now."""
        async with self.session.post(
            f"{self.base_url}/_simulator/faults", json=knobs, timeout=TIMEOUT
        ) as resp:
            resp.raise_for_status()
            answer: dict[str, Any] = await resp.json()
            return answer
