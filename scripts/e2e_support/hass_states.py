"""What a running Home Assistant shows (states, the registries) and the actions it performs."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
import time
from typing import Any

from .hass_client import DOMAIN, HassApiError, HassClient, is_number


class HassStates(HassClient):
    """States, the entity and device registries, and actions."""

    async def states(self) -> dict[str, dict[str, Any]]:
        """Every entity's state object, by entity id."""
        states: list[dict[str, Any]] = await self.expect("GET", "/api/states")
        return {s["entity_id"]: s for s in states}

    async def state(self, entity_id: str) -> dict[str, Any] | None:
        """One entity's state object, or None when it has none."""
        status, body = await self.request("GET", f"/api/states/{entity_id}")
        if status == 404:
            return None
        if status != 200:
            raise HassApiError(f"GET /api/states/{entity_id} -> HTTP {status}: {body}")
        state: dict[str, Any] = body
        return state

    async def wait_number(self, entity_id: str, within: float) -> dict[str, Any]:
        """The entity's state once it holds a number; HassApiError after `within` seconds."""
        deadline = time.monotonic() + within
        while True:
            state = await self.state(entity_id)
            if state is not None and is_number(state["state"]):
                return state
            if time.monotonic() > deadline:
                raise HassApiError(f"{entity_id} has no value: {state}")
            await asyncio.sleep(0.25)

    async def call_service(
        self, domain: str, service: str, data: Mapping[str, Any]
    ) -> tuple[int, Any]:
        """Perform an action over REST; the HTTP status and body (errors are not raised)."""
        return await self.request("POST", f"/api/services/{domain}/{service}", json=dict(data))

    async def perform(self, domain: str, service: str, data: Mapping[str, Any]) -> Any:
        """Perform an action over the websocket, as the frontend does; raise HassApiError with
        Home Assistant's error code and (translated) message when it is refused.

        The REST API reports a refusal (ServiceValidationError) with its message only since
        2026.10, the websocket in every supported release.
        """
        return await self.ws_call(
            "call_service", domain=domain, service=service, service_data=dict(data)
        )

    async def entity_registry(self) -> list[dict[str, Any]]:
        """The entity registry's entries (entity_id, unique_id, platform, device_id, ...)."""
        entries: list[dict[str, Any]] = await self.ws_call("config/entity_registry/list")
        return entries

    async def atess_device_id(self, serial: str) -> str:
        """The device registry id of the ATESS device with this serial number."""
        devices: list[dict[str, Any]] = await self.ws_call("config/device_registry/list")
        for device in devices:
            if [DOMAIN, serial] in device["identifiers"]:
                device_id: str = device["id"]
                return device_id
        raise HassApiError(f"no device with the serial number {serial} in the device registry")

    async def atess_entity_ids(self) -> dict[str, str]:
        """The ATESS integration's entity ids, by unique id."""
        return {
            e["unique_id"]: e["entity_id"]
            for e in await self.entity_registry()
            if e.get("platform") == DOMAIN
        }

    async def wait_for_values(
        self, serials: list[str], within: float, alive: Callable[[], bool] | None = None
    ) -> dict[str, str]:
        """Wait until every device has a sensor with a number; one such entity id per serial."""
        deadline = time.monotonic() + within
        found: dict[str, str] = {}
        while True:
            if alive is not None and not alive():
                raise HassApiError("Home Assistant exited while the integration was starting")
            ids = await self.atess_entity_ids()
            states = await self.states()
            for sn in serials:
                if sn in found:
                    continue
                prefix = f"{sn}_"
                for unique_id, entity_id in ids.items():
                    state = states.get(entity_id)
                    if (
                        unique_id.startswith(prefix)
                        and entity_id.startswith("sensor.")
                        and state is not None
                        and state["attributes"].get("unit_of_measurement")
                        and is_number(state["state"])
                    ):
                        found[sn] = entity_id
                        break
            if len(found) == len(serials):
                return found
            if time.monotonic() > deadline:
                missing = sorted(set(serials) - set(found))
                raise HassApiError(f"no values within {within:.0f} s for devices {missing}")
            await asyncio.sleep(0.5)
