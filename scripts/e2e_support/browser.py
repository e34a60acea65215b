"""Headless Chromium through Playwright, for `scripts/screenshots` and the browser test.

Playwright drives the system's Chromium (Debian's `chromium` package, /usr/bin/chromium) by its
executable path: it never downloads a browser of its own, so nothing but PyPI and Debian is
needed. `scripts/setup` installs the package when it can. The page logs in through Home
Assistant's own login page, as a person does, and everything the page writes to its console is
kept, so that a failure can be looked at afterwards (`Browser.artefacts_on_failure`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
import contextlib
from dataclasses import dataclass, field
import os
from pathlib import Path
import shutil
import tempfile

from playwright.async_api import ConsoleMessage, Error as PlaywrightError, Page, async_playwright

from .hass_client import DemoUser

CHROMIUM_ENV = "CHROMIUM"
CHROMIUM_PATHS = ("/usr/bin/chromium",)
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
# Offline and in a container: no sandbox (root cannot start it), no GPU, and nothing that phones
# home (updates, sync, QUIC probes); Playwright adds its own automation flags.
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
TIMEOUT_MS = 30_000  # each Playwright action and assertion; a loaded CI runner is slow, not stuck
WIDTH, HEIGHT = 1400, 1000


class ChromiumMissingError(RuntimeError):
    """No Chromium to drive."""


def find_chromium() -> str:
    """The Chromium executable: $CHROMIUM, /usr/bin/chromium, or a usual name on PATH."""
    if explicit := os.environ.get(CHROMIUM_ENV):
        if not os.access(explicit, os.X_OK):
            raise ChromiumMissingError(f"{CHROMIUM_ENV}={explicit} is not an executable")
        return explicit
    for path in CHROMIUM_PATHS:
        if os.access(path, os.X_OK):
            return path
    for name in CHROMIUM_NAMES:
        if found := shutil.which(name):
            return found
    raise ChromiumMissingError(
        "no Chromium found (looked for /usr/bin/chromium and "
        f"{', '.join(CHROMIUM_NAMES)} on PATH). Run scripts/setup, which installs Debian's "
        "chromium package when it runs as root; otherwise install it yourself "
        f"(`sudo apt-get install chromium`) or set {CHROMIUM_ENV}=/path/to/chrome."
    )


@dataclass
class Browser:
    """One page in a fresh browser profile, and what the page wrote to its console."""

    page: Page
    console: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        """Keep every console message and uncaught error of the page."""
        self.page.on("console", self._on_console)
        self.page.on("pageerror", self._on_page_error)

    def _on_console(self, message: ConsoleMessage) -> None:
        self.console.append(f"[{message.type}] {message.text}")

    def _on_page_error(self, error: PlaywrightError) -> None:
        self.console.append(f"[pageerror] {error.message}")

    async def log_in(self, base_url: str, user: DemoUser) -> None:
        """Log in on Home Assistant's login page, as a person does; wait for the frontend."""
        await self.page.goto(f"{base_url.rstrip('/')}/")
        await self.page.get_by_role("textbox", name="Username").fill(user.username)
        await self.page.get_by_role("textbox", name="Password").fill(user.password)
        await self.page.get_by_role("button", name="Log in").click()
        await self.page.wait_for_url(lambda url: "/auth/" not in url and "auth_callback" not in url)

    async def save_artefacts(self, directory: Path) -> None:
        """A screenshot of the whole page, its console log and its address, into `directory`."""
        lines = [f"url: {self.page.url}", *self.console]
        (directory / "console.log").write_text("\n".join(lines) + "\n", encoding="utf-8")
        with contextlib.suppress(PlaywrightError):  # a crashed page leaves its console at least
            await self.page.screenshot(path=directory / "page.png", full_page=True)

    @contextlib.asynccontextmanager
    async def artefacts_on_failure(self, prefix: str = "atess-browser-") -> AsyncIterator[None]:
        """On any failure inside, save the artefacts to a new temporary directory and add its
        path to the error (pytest prints it with the failure)."""
        try:
            yield
        except Exception as err:
            directory = Path(tempfile.mkdtemp(prefix=prefix))
            await self.save_artefacts(directory)
            err.add_note(f"screenshot and console log of the page: {directory}")
            raise


@contextlib.asynccontextmanager
async def open_browser(width: int = WIDTH, height: int = HEIGHT) -> AsyncIterator[Browser]:
    """A headless Chromium with a throw-away profile and one page of `width` x `height`."""
    executable = find_chromium()
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=executable, args=list(CHROMIUM_ARGS)
        )
        try:
            context = await browser.new_context(
                viewport={"width": width, "height": height}, locale="en-US"
            )
            context.set_default_timeout(TIMEOUT_MS)
            yield Browser(await context.new_page())
        finally:
            await browser.close()
