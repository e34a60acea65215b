"""The transport to a running Home Assistant: REST requests, login, and the websocket.

`HassClient` knows how to authenticate as a user (through the login flow, as the login page does)
and how to send one REST request or websocket command; the topical clients in `hass_setup`,
`hass_states` and `hass_energy` build on it, and `hass_api.HassApi` combines them.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
import contextlib
from dataclasses import dataclass
import itertools
import math
import time
from typing import Any

from aiohttp import ClientSession, ClientTimeout, WSMsgType

DOMAIN = "atess"
REQUEST_TIMEOUT = ClientTimeout(total=30)


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


class HassClient:
    """A client of one Home Assistant instance, authenticated after `login` (or onboarding)."""

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

    # ---- authentication ---------------------------------------------------------------------

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
