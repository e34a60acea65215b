"""Drive a running Home Assistant over its REST and websocket APIs, as the frontend would.

Onboarding, login, the ATESS config flow, the registries, states, actions and the Energy
dashboard's preferences: everything `scripts/develop`, `scripts/screenshots` and the end-to-end
test need, and nothing that touches Home Assistant's files directly (so the instance is set up
exactly as a user clicking through the UI would set it up).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Mapping
import contextlib
from dataclasses import dataclass
import itertools
import math
import time
from typing import Any

from aiohttp import ClientError, ClientSession, ClientTimeout, WSMsgType

DOMAIN = "atess"
REQUEST_TIMEOUT = ClientTimeout(total=30)

# Onboarding creates config entries of its own (weather, radio, TTS); these reach the internet.
# They cannot even load offline (their libraries are not installed), but should a future stack
# ship them, the demo stays offline by removing the entries.
ONLINE_ONBOARDING_DOMAINS = frozenset({"met", "radio_browser", "google_translate"})


class HassApiError(RuntimeError):
    """Home Assistant answered something unexpected."""


@dataclass(frozen=True, slots=True)
class DemoUser:
    """The owner account created at onboarding."""

    username: str = "demo"
    password: str = "demo-demo"
    name: str = "Demo"
    language: str = "en"


def is_number(value: object) -> bool:
    """Whether a state string holds a finite number."""
    try:
        return math.isfinite(float(str(value)))
    except ValueError:
        return False


class HassApi:
    """A client of one Home Assistant instance, authenticated after `onboard` or `login`."""

    def __init__(self, session: ClientSession, base_url: str) -> None:
        """Talk to Home Assistant at `base_url` (e.g. http://127.0.0.1:8123) through `session`."""
        self.session = session
        self.base_url = base_url.rstrip("/")
        self.access_token: str | None = None
        self.refresh_token: str | None = None

    @property
    def client_id(self) -> str:
        """The OAuth client id: the frontend's own, so codes also work in a browser."""
        return f"{self.base_url}/"

    @property
    def redirect_uri(self) -> str:
        """Where the frontend receives an authorization code."""
        return f"{self.base_url}/?auth_callback=1"

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.access_token}"} if self.access_token else {}

    async def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        data: Mapping[str, str] | None = None,
        auth: bool = True,
    ) -> tuple[int, Any]:
        """One HTTP request; the status and the decoded body (JSON when it is JSON, else text)."""
        headers = self._headers() if auth else {}
        async with self.session.request(
            method,
            f"{self.base_url}{path}",
            json=json,
            data=data,
            headers=headers,
            timeout=REQUEST_TIMEOUT,
        ) as resp:
            if resp.content_type == "application/json":
                return resp.status, await resp.json()
            return resp.status, await resp.text()

    async def expect(self, method: str, path: str, **kwargs: Any) -> Any:
        """A request that must answer 200; its body."""
        status, body = await self.request(method, path, **kwargs)
        if status != 200:
            raise HassApiError(f"{method} {path} -> HTTP {status}: {body}")
        return body

    # ---- start-up and authentication ------------------------------------------------------

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

    async def _token_from_code(self, code: str) -> None:
        body = await self.expect(
            "POST",
            "/auth/token",
            data={"grant_type": "authorization_code", "code": code, "client_id": self.client_id},
            auth=False,
        )
        self.access_token = body["access_token"]
        self.refresh_token = body.get("refresh_token")

    async def auth_code(self, user: DemoUser) -> str:
        """Log in through the login flow (as the login page does); an authorization code."""
        flow = await self.expect(
            "POST",
            "/auth/login_flow",
            json={
                "client_id": self.client_id,
                "handler": ["homeassistant", None],
                "redirect_uri": self.redirect_uri,
            },
            auth=False,
        )
        result = await self.expect(
            "POST",
            f"/auth/login_flow/{flow['flow_id']}",
            json={
                "client_id": self.client_id,
                "username": user.username,
                "password": user.password,
            },
            auth=False,
        )
        if result.get("type") != "create_entry":
            raise HassApiError(f"login as {user.username!r} failed: {result.get('errors')}")
        code: str = result["result"]
        return code

    async def login(self, user: DemoUser) -> None:
        """Log in as `user` (username and password)."""
        await self._token_from_code(await self.auth_code(user))

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

        Since 2026.10 Home Assistant migrates `http:` from YAML into its storage once, as a
        *pending* trial that it reverts (and restarts) after five minutes unless someone confirms
        it in the UI; the reverted default listens on every interface. A demo with a published
        password must stay on loopback, so: confirm a pending trial at once ("promoted"), or, when
        a past trial was reverted, stage the loopback address again, let Home Assistant restart
        (same PID) and confirm it then ("restored"); "ok" when nothing was needed.
        """
        await self.wait_running(within)
        config = await self.ws_call("http/config")
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

    async def ignore_http_yaml_issue(self) -> bool:
        """Ignore the repair "HTTP YAML configuration is ignored after migration"; if raised.

        configuration.yaml keeps its `http:` block on purpose: it is what makes a fresh config
        directory listen on loopback from its very first start. Once migrated, the block is
        redundant, and the repair would only greet every newcomer with a badge.
        """
        issues = (await self.ws_call("repairs/list_issues"))["issues"]
        for issue in issues:
            if (
                issue["domain"] == "http"
                and issue["issue_id"] == "yaml_still_present_after_migration"
                and not issue.get("ignored")
            ):
                await self.ws_call(
                    "repairs/ignore_issue", domain="http", issue_id=issue["issue_id"], ignore=True
                )
                return True
        return False

    # ---- config entries ---------------------------------------------------------------------

    async def config_entries(self, domain: str | None = None) -> list[dict[str, Any]]:
        """Config entries, optionally of one domain."""
        query = f"?domain={domain}" if domain else ""
        entries: list[dict[str, Any]] = await self.expect(
            "GET", f"/api/config/config_entries/entry{query}"
        )
        return entries

    async def add_atess_entry(self, token: str, url: str) -> dict[str, Any]:
        """Run the ATESS config flow (the user step's advanced section holds the URL).

        A multi-plant account shows the plant step; all plants (its default) are taken.
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

    # ---- states and actions -----------------------------------------------------------------

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

    async def call_service(
        self, domain: str, service: str, data: Mapping[str, Any]
    ) -> tuple[int, Any]:
        """Perform an action over REST; the HTTP status and body (errors are not raised)."""
        return await self.request("POST", f"/api/services/{domain}/{service}", json=dict(data))

    # ---- websocket --------------------------------------------------------------------------

    @contextlib.asynccontextmanager
    async def websocket(self) -> AsyncIterator[HassWebSocket]:
        """An authenticated websocket connection."""
        if self.access_token is None:
            raise HassApiError("log in first")
        async with self.session.ws_connect(f"{self.base_url}/api/websocket") as ws:
            hello = await ws.receive_json()
            if hello.get("type") != "auth_required":
                raise HassApiError(f"unexpected websocket greeting {hello}")
            await ws.send_json({"type": "auth", "access_token": self.access_token})
            answer = await ws.receive_json()
            if answer.get("type") != "auth_ok":
                raise HassApiError(f"websocket authentication failed: {answer}")
            yield HassWebSocket(ws)

    async def ws_call(self, message_type: str, **data: Any) -> Any:
        """One websocket command on a connection of its own; its result."""
        async with self.websocket() as ws:
            return await ws.call(message_type, **data)

    async def entity_registry(self) -> list[dict[str, Any]]:
        """The entity registry's entries (entity_id, unique_id, platform, device_id, ...)."""
        entries: list[dict[str, Any]] = await self.ws_call("config/entity_registry/list")
        return entries

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

    # ---- Energy dashboard -------------------------------------------------------------------

    async def statistic_ids(self, statistic_type: str = "sum") -> set[str]:
        """The long-term statistics the recorder knows, of one type."""
        found = await self.ws_call("recorder/list_statistic_ids", statistic_type=statistic_type)
        return {s["statistic_id"] for s in found}

    async def energy_prefs(self) -> dict[str, Any]:
        """The Energy dashboard's preferences (empty lists when it was never configured)."""
        async with self.websocket() as ws:
            try:
                prefs: dict[str, Any] = await ws.call("energy/get_prefs")
            except HassApiError as err:
                if "not_found" in str(err):
                    return {"energy_sources": [], "device_consumption": []}
                raise
            return prefs

    async def save_energy_prefs(self, prefs: Mapping[str, Any]) -> dict[str, Any]:
        """Store the Energy dashboard's preferences; what Home Assistant stored."""
        saved: dict[str, Any] = await self.ws_call("energy/save_prefs", **prefs)
        return saved

    async def energy_validation(self) -> dict[str, Any]:
        """The Energy dashboard's own check of its sources (missing statistics, units...)."""
        result: dict[str, Any] = await self.ws_call("energy/validate")
        return result


class HassWebSocket:
    """Request/response over one authenticated websocket (events are ignored)."""

    def __init__(self, ws: Any) -> None:
        """Wrap an aiohttp websocket that has passed authentication."""
        self._ws = ws
        self._ids = itertools.count(1)

    async def wait_closed(self, within: float) -> None:
        """Wait until Home Assistant closes the connection (it stops or restarts)."""
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            try:
                msg = await self._ws.receive(timeout=max(deadline - time.monotonic(), 0.1))
            except TimeoutError:
                break
            if msg.type is not WSMsgType.TEXT:
                return
        raise HassApiError(f"Home Assistant kept the connection open for {within:.0f} s")

    async def call(self, message_type: str, **data: Any) -> Any:
        """Send a command and return its result; raise HassApiError with HA's error."""
        message_id = next(self._ids)
        await self._ws.send_json({"id": message_id, "type": message_type, **data})
        while True:
            msg = await self._ws.receive(timeout=REQUEST_TIMEOUT.total)
            if msg.type is not WSMsgType.TEXT:
                raise HassApiError(f"websocket closed during {message_type}: {msg.type}")
            answer = msg.json()
            if answer.get("id") != message_id or answer.get("type") != "result":
                continue
            if not answer.get("success"):
                error = answer.get("error", {})
                raise HassApiError(f"{message_type}: {error.get('code')}: {error.get('message')}")
            return answer.get("result")


def energy_preferences(
    serial: str, statistics: set[str], entity_ids: Mapping[str, str]
) -> dict[str, Any]:
    """Energy dashboard preferences for the lifetime counters of one HPS device.

    The counters come from the integration's external statistics `atess:<serial>_<field>`
    (hourly rows imported from the cloud's history, so the dashboard has bars from the first
    minute) when they exist, else from the sensors' own statistics (which start with the next
    full hour). Live power (`stat_rate`) comes from the power sensors, for the power graph.
    """

    def counter(field: str) -> str:
        external = f"{DOMAIN}:{serial.lower()}_{field.lower()}"
        if external in statistics:
            return external
        entity_id = entity_ids.get(f"{serial}_{field.lower()}")
        if entity_id is None:
            raise HassApiError(f"{serial} has neither a statistic nor a sensor for {field}")
        return entity_id

    def with_rate(source: dict[str, Any], field: str) -> dict[str, Any]:
        if entity_id := entity_ids.get(f"{serial}_{field.lower()}"):
            source["stat_rate"] = entity_id
        return source

    return {
        "energy_sources": [
            with_rate(
                {
                    "type": "grid",
                    "stat_energy_from": counter("egridTotal"),
                    "stat_energy_to": counter("etoGridTotal"),
                    "stat_cost": None,
                    "entity_energy_price": None,
                    "number_energy_price": None,
                    "stat_compensation": None,
                    "entity_energy_price_export": None,
                    "number_energy_price_export": None,
                    "cost_adjustment_day": 0,
                },
                "bactivePower",  # > 0 importing: the standard sign of a grid power sensor
            ),
            with_rate(
                {
                    "type": "solar",
                    "stat_energy_from": counter("epvTotal"),
                    "config_entry_solar_forecast": None,
                },
                "ppv1",  # total PV power of a central (HV) HPS
            ),
            with_rate(
                {
                    "type": "battery",
                    "stat_energy_from": counter("ebatDischargeTotal"),
                    "stat_energy_to": counter("ebatChargeTotal"),
                },
                "pac",  # > 0 discharging: the standard sign of a battery power sensor
            ),
        ],
        "device_consumption": [],
    }
