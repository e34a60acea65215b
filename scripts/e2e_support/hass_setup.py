"""Bring a fresh Home Assistant to a usable state over its APIs, as a user in the UI would.

Waiting for the HTTP server, onboarding the owner, keeping the `http:` settings of
configuration.yaml (loopback only), and the config entries: the ATESS config flow, and removing
the entries onboarding adds that would reach the internet.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
import contextlib
import time
from typing import Any

from aiohttp import ClientError

from .hass_client import DOMAIN, DemoUser, HassApiError, HassClient

# Onboarding creates config entries of its own (weather, radio, TTS); these reach the internet.
# They cannot even load offline (their libraries are not installed), but should a future stack
# ship them, the demo stays offline by removing the entries.
ONLINE_ONBOARDING_DOMAINS = frozenset({"met", "radio_browser", "google_translate"})


class HassSetup(HassClient):
    """Start-up, onboarding, the HTTP server's settings and config entries."""

    # ---- start-up and onboarding ------------------------------------------------------------

    async def wait_up(
        self, within: float, alive: Callable[[], bool] | None = None
    ) -> list[dict[str, Any]] | None:
        """Wait until the HTTP server answers; the onboarding steps, or None when onboarded.

        `alive` tells whether the process still runs: a crashed Home Assistant fails at once
        instead of at the deadline.
        """
        deadline = time.monotonic() + within
        while True:
            if alive is not None and not alive():
                raise HassApiError("Home Assistant exited during start-up")
            with contextlib.suppress(ClientError, TimeoutError):
                status, body = await self.request("GET", "/api/onboarding", auth=False)
                if status == 200 and isinstance(body, list):
                    # the views stay until a restart once all steps are done
                    return None if all(s.get("done") for s in body) else body
                if status == 404:  # a start after onboarding registers no onboarding views
                    return None
            if time.monotonic() > deadline:
                raise HassApiError(f"Home Assistant did not answer within {within:.0f} s")
            await asyncio.sleep(0.25)

    async def onboard(self, user: DemoUser, steps: list[dict[str, Any]] | None) -> bool:
        """Finish onboarding with `user` as the owner; log in. Whether anything was onboarded.

        `steps` is what `wait_up` returned (None: onboarding was finished before). Steps already
        done are skipped, so an onboarding interrupted half-way is completed.
        """
        done = {s["step"] for s in steps or [] if s.get("done")}
        if steps is None or "user" in done:
            await self.login(user)
        else:
            body = await self.expect(
                "POST",
                "/api/onboarding/users",
                json={
                    "client_id": self.client_id,
                    "name": user.name,
                    "username": user.username,
                    "password": user.password,
                    "language": user.language,
                },
                auth=False,
            )
            await self._token_from_code(body["auth_code"])
        if steps is None:
            return False
        # The rest needs the owner's token. core_config keeps configuration.yaml's location.
        if "core_config" not in done:
            await self.expect("POST", "/api/onboarding/core_config", json={})
        if "analytics" not in done:
            await self.expect("POST", "/api/onboarding/analytics", json={})
        if "integration" not in done:
            await self.expect(
                "POST",
                "/api/onboarding/integration",
                json={"client_id": self.client_id, "redirect_uri": self.redirect_uri},
            )
        return True

    async def wait_running(self, within: float) -> None:
        """Wait until Home Assistant has finished starting (its core state is RUNNING)."""
        deadline = time.monotonic() + within
        while (await self.expect("GET", "/api/config")).get("state") != "RUNNING":
            if time.monotonic() > deadline:
                raise HassApiError(f"Home Assistant did not finish starting within {within:.0f} s")
            await asyncio.sleep(0.25)

    # ---- the HTTP server's own configuration --------------------------------------------------

    async def keep_loopback_http(
        self, user: DemoUser, host: str = "127.0.0.1", within: float = 120
    ) -> str:
        """Make the `http:` settings of configuration.yaml stick; what was done.

        Since 2026.8 Home Assistant migrates `http:` from YAML into its storage once, as a
        *pending* trial that it reverts (and restarts) after five minutes unless someone confirms
        it in the UI; the reverted default listens on every interface. A demo with a published
        password must stay on loopback, so: confirm a pending trial at once ("promoted"), or, when
        a past trial was reverted, stage the loopback address again, let Home Assistant restart
        (same PID) and confirm it then ("restored"); "ok" when nothing was needed. Releases before
        2026.8 read `http:` from configuration.yaml at every start and have no such command
        ("yaml").
        """
        await self.wait_running(within)
        try:
            config = await self.ws_call("http/config")
        except HassApiError as err:
            if "unknown_command" in str(err):
                return "yaml"
            raise
        pending = config.get("pending")
        if config.get("active_config_type") == "pending" and pending and not pending.get("error"):
            await self.ws_call("http/config/promote")
            return "promoted"
        stable = config["stable"]
        if stable.get("server_host") == [host]:
            return "ok"
        wanted = {
            k: v
            for k, v in stable.items()
            if k not in ("created_at", "error", "error_message") and v is not None
        }
        wanted["server_host"] = [host]
        deadline = time.monotonic() + within
        async with self.websocket() as ws:
            await ws.call("http/config/configure", config=wanted)
            # It restarts from this connection's handler: closing the connection now would
            # cancel that; Home Assistant closes it when it stops.
            await ws.wait_closed(within)
        while time.monotonic() < deadline:
            await asyncio.sleep(1)
            with contextlib.suppress(ClientError, TimeoutError, HassApiError):
                await self.login(user)
                config = await self.ws_call("http/config")
                if config.get("active_config_type") == "pending":
                    await self.ws_call("http/config/promote")
                    return "restored"
        raise HassApiError(f"Home Assistant did not come back on {host} within {within:.0f} s")

    # ---- config entries ---------------------------------------------------------------------

    async def config_entries(self, domain: str | None = None) -> list[dict[str, Any]]:
        """Config entries, optionally of one domain."""
        query = f"?domain={domain}" if domain else ""
        entries: list[dict[str, Any]] = await self.expect(
            "GET", f"/api/config/config_entries/entry{query}"
        )
        return entries

    async def add_atess_entry(
        self, token: str, url: str, *, energy_dashboard: bool = False
    ) -> dict[str, Any]:
        """Run the ATESS config flow (the user step's advanced section holds the URL).

        A multi-plant account shows the plant step; all plants (its default) are taken. The last
        step's Energy dashboard box is answered with `energy_dashboard`.
        """
        form = await self.expect(
            "POST",
            "/api/config/config_entries/flow",
            json={"handler": DOMAIN, "show_advanced_options": True},
        )
        result = await self.expect(
            "POST",
            f"/api/config/config_entries/flow/{form['flow_id']}",
            json={"token": token, "advanced": {"url": url}},
        )
        if result.get("type") == "form" and result.get("step_id") == "plants":
            schema = {field["name"]: field for field in result["data_schema"]}
            plants = schema["plants"]["default"]
            result = await self.expect(
                "POST",
                f"/api/config/config_entries/flow/{form['flow_id']}",
                json={"plants": plants},
            )
        if result.get("type") == "form" and result.get("step_id") == "energy":
            result = await self.expect(
                "POST",
                f"/api/config/config_entries/flow/{form['flow_id']}",
                json={"energy_dashboard": energy_dashboard},
            )
        if result.get("type") != "create_entry":
            raise HassApiError(f"the ATESS config flow did not create an entry: {result}")
        entry: dict[str, Any] = result["result"]
        return entry

    async def ensure_atess_entry(self, token: str, url: str) -> tuple[dict[str, Any], bool]:
        """The ATESS entry that talks to `url`, created if missing; and whether it was created."""
        if entries := await self.config_entries(DOMAIN):
            return entries[0], False
        return await self.add_atess_entry(token, url), True

    async def remove_online_onboarding_entries(self) -> list[str]:
        """Delete entries onboarding made that would reach the internet; their domains."""
        removed = []
        for entry in await self.config_entries():
            if entry["domain"] in ONLINE_ONBOARDING_DOMAINS:
                await self.expect("DELETE", f"/api/config/config_entries/entry/{entry['entry_id']}")
                removed.append(entry["domain"])
        return removed
