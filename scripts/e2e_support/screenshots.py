"""`scripts/screenshots`: PNGs of the running demo for the README, through headless Chromium.

Needs `scripts/develop` running (Home Assistant on 127.0.0.1:8123, the simulator on :8900) and
Debian's Chromium (see `browser.py`; Playwright drives it). The demo user logs in on the login
page, then each page is opened, awaited until its content is there, and captured. A page that
never shows its content leaves its screenshot and console log behind, and the path is printed.

Run as `python -m scripts.e2e_support.screenshots [--out docs/screenshots]` from the repository.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
import sys

from aiohttp import ClientSession

from .browser import HEIGHT, WIDTH, ChromiumMissingError, open_browser
from .hass_api import DemoUser, HassApi
from .processes import REPO
from .sim_api import SimulatorApi


@dataclass(frozen=True, slots=True)
class Shot:
    """One screenshot: the page, the text that proves it rendered, the file."""

    path: str
    needle: str
    file_name: str
    settle: float = 3.0  # seconds after the needle shows up (charts animate in)
    height: int = HEIGHT


HASS_URL = "http://127.0.0.1:8123"
SIM_URL = "http://127.0.0.1:8900"


async def shots() -> list[Shot]:
    """The README's pictures: the central HPS's device page and the Energy dashboard."""
    async with ClientSession() as http:
        api = HassApi(http, HASS_URL)
        await api.login(DemoUser())
        hps = next(d for d in await SimulatorApi(http, SIM_URL).devices() if d.kind == "hps_big")
        device_id = await api.atess_device_id(hps.serial)
    return [
        Shot(f"/config/devices/device/{device_id}", hps.serial, "device.png"),
        Shot("/energy", "Solar", "energy.png", settle=5.0),
    ]


async def take(out: Path) -> list[Path]:
    """Log in on the login page and capture every shot into `out`."""
    written = []
    async with open_browser() as browser, browser.artefacts_on_failure("atess-screenshots-"):
        await browser.log_in(HASS_URL, DemoUser())
        for shot in await shots():
            await browser.page.set_viewport_size({"width": WIDTH, "height": shot.height})
            await browser.page.goto(f"{HASS_URL}{shot.path}")
            await browser.page.get_by_text(shot.needle).first.wait_for()
            await asyncio.sleep(shot.settle)
            path = out / shot.file_name
            await browser.page.screenshot(path=path)
            written.append(path)
            print(f"wrote {path.relative_to(REPO) if path.is_relative_to(REPO) else path}")
    return written


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line and take the screenshots."""
    parser = argparse.ArgumentParser(prog="scripts/screenshots", description=__doc__)
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "screenshots")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    try:
        asyncio.run(take(args.out.resolve()))
    except ChromiumMissingError as err:
        print(f"scripts/screenshots: {err}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
