"""In a real browser, as a person: change a setting on a device page, and the cloud gets one write.

Headless Chromium (Debian's, driven by Playwright) logs in on Home Assistant's login page as the
demo user, opens the MBMS device page, types a new "Battery groups" into its number field and
presses Enter, then clicks away (which must not send the value again). The simulator must have
received exactly one PUT with that value, and the page, reloaded, shows it. When anything fails,
the page's screenshot and console log are saved and their folder is named in the failure.

No Chromium is a failure, not a skip: `scripts/setup` installs it.
"""

from __future__ import annotations

import asyncio
import re
import time
from typing import Any

from playwright.async_api import Locator, Page, expect
import pytest

from scripts.e2e_support import DemoUser, SimulatorApi
from scripts.e2e_support.browser import TIMEOUT_MS, find_chromium, open_browser

from .conftest import Stack

pytestmark = pytest.mark.e2e

MBMS_SETTING_PUT = "PUT /api/v1/bms/mbms-setting"
PUT_TIMEOUT = 15.0  # the write goes out at once; the deadline only bounds a test that fails


def _puts(stats: dict[str, Any]) -> int:
    return int(stats["requests"].get(MBMS_SETTING_PUT, 0))


async def _wait_for_a_put(cloud: SimulatorApi) -> dict[str, Any]:
    """The simulator's statistics once a setting PUT has arrived (or the deadline passed)."""
    deadline = time.monotonic() + PUT_TIMEOUT
    while not _puts(stats := await cloud.stats()) and time.monotonic() < deadline:
        await asyncio.sleep(0.2)
    return stats


def _battery_groups_field(page: Page) -> Locator:
    """The number field in the row labelled "Battery groups" (the field has no label of its own)."""
    row = page.locator("hui-number-entity-row").filter(has_text="Battery groups")
    return row.get_by_role("spinbutton")


async def test_change_battery_groups_in_the_browser(stack: Stack) -> None:
    """Log in, open the MBMS, type a new value and press Enter: one PUT, the page shows it."""
    find_chromium()  # fail before starting anything, with what to install
    mbms = stack.device("mbms")
    device_id = await stack.api.atess_device_id(mbms.serial)
    entity_id = (await stack.api.atess_entity_ids())[f"{mbms.serial}_setting_batgroupnumber"]
    state = await stack.api.state(entity_id)
    assert state is not None
    current = int(float(state["state"]))
    new = current + 1 if current < 32 else current - 1  # the catalogue's range is 1-32
    assert _puts(await stack.cloud.stats()) == 0

    async with open_browser() as browser, browser.artefacts_on_failure("atess-e2e-browser-"):
        page = browser.page
        await browser.log_in(stack.hass_url, DemoUser())
        await page.goto(f"{stack.hass_url}/config/devices/device/{device_id}")
        field = _battery_groups_field(page)
        await expect(field).to_have_value(str(current), timeout=TIMEOUT_MS)

        await field.fill(str(new))
        await field.press("Enter")
        await field.blur()  # and on to something else: the same value must not go out again

        stats = await _wait_for_a_put(stack.cloud)
        assert _puts(stats) == 1, f"the cloud got {_puts(stats)} setting writes instead of one"
        assert stats["writes"][-1]["deviceSn"] == mbms.serial
        assert stats["writes"][-1]["key"] == "batGroupNumber"
        assert float(stats["writes"][-1]["value"]) == new

        await page.reload()
        await expect(_battery_groups_field(page)).to_have_value(str(new), timeout=TIMEOUT_MS)
        state = await stack.api.state(entity_id)
        assert state is not None
        assert float(state["state"]) == new
        assert _puts(await stack.cloud.stats()) == 1  # leaving the field sent nothing more


async def test_energy_dashboard_from_the_options_in_the_browser(stack: Stack) -> None:
    """Configure → Energy dashboard → Submit; the dashboard lists the plant, "Now" shows power."""
    find_chromium()
    async with open_browser() as browser, browser.artefacts_on_failure("atess-e2e-energy-"):
        page = browser.page
        await browser.log_in(stack.hass_url, DemoUser())
        await page.goto(f"{stack.hass_url}/config/integrations/integration/atess")
        await page.get_by_role("button", name="Configure").first.click()
        await page.get_by_text("Energy dashboard", exact=True).click()
        # the form lists what will be added: the plant's statistics, before anything is written
        await expect(page.get_by_text(re.compile(r"atess:\d+_pv_energy")).first).to_be_visible()
        assert (await stack.api.energy_prefs())["energy_sources"] == []
        await page.get_by_role("button", name="Submit").click()
        await expect(page.get_by_text("sources were added")).to_be_visible()

        prefs = await stack.api.energy_prefs()
        assert sorted(s["type"] for s in prefs["energy_sources"]) == ["battery", "grid", "solar"]
        await page.goto(f"{stack.hass_url}/energy")
        for total in ("Solar total", "Battery total", "Grid total"):
            await expect(page.get_by_text(total).first).to_be_visible()
        await page.goto(f"{stack.hass_url}/energy/now")
        # the live view: the home's power, from the plant's solar, grid and battery power sensors
        await expect(page.get_by_text("Power usage")).to_be_visible()
        await expect(page.get_by_text(re.compile(r"\d[\d.,]*\s?k?W\b")).first).to_be_visible()
