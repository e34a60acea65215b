"""`scripts/screenshots`: PNGs of the running demo for the README, through headless Chromium.

Needs `scripts/develop` running (Home Assistant on 127.0.0.1:8123, the simulator on :8900) and a
Chromium (`chromium`, Debian's package). Chromium is driven over the DevTools protocol with the
websocket client Home Assistant already depends on (aiohttp), so nothing else is installed: the
demo user's tokens go into the frontend's localStorage (`hassTokens`, where the frontend keeps
them after "keep me logged in"), then each page is opened, awaited until its content is there,
and captured.

Run as `python -m scripts.e2e_support.screenshots [--out docs/screenshots]` from the repository.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
from collections.abc import Sequence
import contextlib
from dataclasses import dataclass
import itertools
import json
import os
from pathlib import Path
import shutil
import subprocess
import sys
import tempfile
import time
from typing import Any

from aiohttp import ClientSession, ClientWebSocketResponse, WSMsgType

from .hass_api import DemoUser, HassApi
from .processes import REPO
from .sim_api import SimulatorApi

HASS_URL = "http://127.0.0.1:8123"
SIM_URL = "http://127.0.0.1:8900"
WIDTH, HEIGHT = 1400, 1000
CHROMIUM_CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")

# Whether `needle` is shown anywhere in the page, looking through every shadow root (Home
# Assistant's frontend is built of web components, so document.body.innerText sees nothing).
_FIND_TEXT_JS = """
(needle) => {
  const walk = (root) => {
    const own = root === document ? document.documentElement.textContent : root.textContent;
    if ((own || "").includes(needle)) return true;
    for (const el of root.querySelectorAll("*")) {
      if (el.shadowRoot && walk(el.shadowRoot)) return true;
    }
    return false;
  };
  return walk(document);
}
"""


@dataclass(frozen=True, slots=True)
class Shot:
    """One screenshot: the page, the text that proves it rendered, the file."""

    path: str
    needle: str
    file_name: str
    settle: float = 3.0  # seconds after the needle shows up (charts animate in)
    height: int = HEIGHT


class CdpPage:
    """A minimal Chrome DevTools Protocol client of one page target."""

    def __init__(self, ws: ClientWebSocketResponse) -> None:
        """Wrap the page target's websocket."""
        self._ws = ws
        self._ids = itertools.count(1)

    async def call(self, method: str, **params: Any) -> dict[str, Any]:
        """Send a command; its result (events that arrive meanwhile are dropped)."""
        message_id = next(self._ids)
        await self._ws.send_json({"id": message_id, "method": method, "params": params})
        while True:
            msg = await self._ws.receive(timeout=60)
            if msg.type is not WSMsgType.TEXT:
                raise RuntimeError(f"DevTools connection closed during {method}")
            answer = json.loads(msg.data)
            if answer.get("id") != message_id:
                continue
            if "error" in answer:
                raise RuntimeError(f"{method}: {answer['error']}")
            result: dict[str, Any] = answer.get("result", {})
            return result

    async def evaluate(self, expression: str) -> Any:
        """Evaluate JavaScript in the page; its (JSON-serialisable) value."""
        result = await self.call(
            "Runtime.evaluate", expression=expression, awaitPromise=True, returnByValue=True
        )
        if "exceptionDetails" in result:
            raise RuntimeError(f"page script failed: {result['exceptionDetails']}")
        return result.get("result", {}).get("value")

    async def open(self, url: str) -> None:
        """Navigate and wait for the load event."""
        await self.call("Page.navigate", url=url)
        deadline = time.monotonic() + 30
        while await self.evaluate("document.readyState") != "complete":
            if time.monotonic() > deadline:
                raise RuntimeError(f"{url} did not load")
            await asyncio.sleep(0.2)

    async def wait_text(self, needle: str, within: float = 30) -> None:
        """Wait until `needle` is rendered somewhere in the page."""
        deadline = time.monotonic() + within
        while not await self.evaluate(f"({_FIND_TEXT_JS})({json.dumps(needle)})"):
            if time.monotonic() > deadline:
                raise RuntimeError(f"the page never showed {needle!r}")
            await asyncio.sleep(0.5)

    async def screenshot(self, path: Path) -> None:
        """Write a PNG of the viewport."""
        result = await self.call("Page.captureScreenshot", format="png")
        await asyncio.to_thread(path.write_bytes, base64.b64decode(result["data"]))


def find_chromium() -> str:
    """The Chromium executable ($CHROMIUM, or the first of the usual names on PATH)."""
    if explicit := os.environ.get("CHROMIUM"):
        return explicit
    for name in CHROMIUM_CANDIDATES:
        if found := shutil.which(name):
            return found
    raise SystemExit("scripts/screenshots: no Chromium; install it (apt-get install chromium)")


@contextlib.asynccontextmanager
async def chromium(http: ClientSession) -> Any:
    """A headless Chromium with a throw-away profile; the websocket URL of a blank page."""
    profile = Path(tempfile.mkdtemp(prefix="atess-shots-"))
    argv = [
        find_chromium(),
        "--headless",
        "--no-sandbox",  # as root in a container the sandbox cannot start
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",  # offline: no updates, no safe browsing, no sync
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        "--remote-debugging-port=0",
        f"--user-data-dir={profile}",
        f"--window-size={WIDTH},{HEIGHT}",
        "about:blank",
    ]
    process = await asyncio.create_subprocess_exec(
        *argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    try:
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + 30
        while not port_file.exists() or not port_file.read_text().strip():
            if process.returncode is not None or time.monotonic() > deadline:
                raise RuntimeError("Chromium did not start its DevTools endpoint")
            await asyncio.sleep(0.1)
        port = port_file.read_text().split()[0]
        async with http.get(f"http://127.0.0.1:{port}/json/list") as resp:
            targets = await resp.json()
        page = next(t for t in targets if t.get("type") == "page")
        yield page["webSocketDebuggerUrl"]
    finally:
        process.terminate()
        try:
            await asyncio.wait_for(process.wait(), 10)
        except TimeoutError:
            process.kill()
            await process.wait()
        shutil.rmtree(profile, ignore_errors=True)


async def take(out: Path) -> list[Path]:
    """Log in, find the central HPS, capture its device page and the Energy dashboard."""
    async with ClientSession() as http:
        api = HassApi(http, HASS_URL)
        await api.login(DemoUser())
        hps = next(d for d in await SimulatorApi(http, SIM_URL).devices() if d.kind == "hps_big")
        devices = await api.ws_call("config/device_registry/list")
        device_id = next(d["id"] for d in devices if ["atess", hps.serial] in d["identifiers"])
        tokens = {
            "access_token": api.access_token,
            "refresh_token": api.refresh_token,
            "token_type": "Bearer",
            "expires_in": 1800,
            "hassUrl": HASS_URL,
            "clientId": api.client_id,
            "expires": int(time.time() * 1000) + 1_800_000,
        }
        shots = [
            Shot(f"/config/devices/device/{device_id}", hps.serial, "device.png"),
            Shot("/energy", "Solar", "energy.png", settle=5.0),
        ]
        written = []
        async with chromium(http) as ws_url, http.ws_connect(ws_url, max_msg_size=0) as ws:
            page = CdpPage(ws)
            await page.call("Page.enable")
            # the frontend reads its tokens from localStorage of its own origin
            await page.open(f"{HASS_URL}/manifest.json")
            await page.evaluate(
                "localStorage.setItem('hassTokens', " + json.dumps(json.dumps(tokens)) + ")"
            )
            for shot in shots:
                await page.call(
                    "Emulation.setDeviceMetricsOverride",
                    width=WIDTH,
                    height=shot.height,
                    deviceScaleFactor=1,
                    mobile=False,
                )
                await page.open(f"{HASS_URL}{shot.path}")
                try:
                    await page.wait_text(shot.needle)
                except RuntimeError:
                    await page.screenshot(out / f"failed-{shot.file_name}")  # to see why
                    raise
                await asyncio.sleep(shot.settle)
                path = out / shot.file_name
                await page.screenshot(path)
                written.append(path)
                print(f"wrote {path.relative_to(REPO) if path.is_relative_to(REPO) else path}")
        return written


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line and take the screenshots."""
    parser = argparse.ArgumentParser(prog="scripts/screenshots", description=__doc__)
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "screenshots")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    asyncio.run(take(args.out.resolve()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
