"""The demo's configuration starts Home Assistant without a repair or a notification.

scripts/develop's steps on a fresh copy of config/: configuration.yaml as committed, the `http`
settings stored before the first start (no YAML `http:` block, which Home Assistant 2026.8+
answers with a repair), onboarding, the ATESS entry against the simulator. Then the repairs and
the notifications are empty, and Home Assistant listens on loopback as stored.
"""

from __future__ import annotations

from pathlib import Path
import shutil

from aiohttp import ClientSession
from awesomeversion import AwesomeVersion
import pytest

from scripts.e2e_support import (
    DEMO_TOKEN,
    REPO,
    Child,
    DemoUser,
    HassApi,
    SimulatorApi,
    free_port,
    link_custom_components,
    start_hass,
    start_simulator,
)
from scripts.e2e_support.develop import prepare_http
from scripts.e2e_support.http_store import seed_http_store, stored_port
from scripts.e2e_support.processes import HASS

from .conftest import HTTP_IN_STORAGE, START_TIMEOUT

pytestmark = pytest.mark.e2e


async def test_the_demo_starts_without_repairs_or_notifications(
    children: list[Child], tmp_path: Path
) -> None:
    """No repair, no notification; the stored http settings are the active ones.

    `scripts/develop` always runs the locked release of .venv, so this test does too, also in a
    `scripts/test-range` run (whose releases before 2026.8 keep no http settings in storage).
    """
    config_dir = tmp_path / "config"
    config_dir.mkdir()
    shutil.copyfile(REPO / "config" / "configuration.yaml", config_dir / "configuration.yaml")
    assert "\nhttp:" not in (config_dir / "configuration.yaml").read_text(encoding="utf-8")
    link_custom_components(config_dir)
    hass_port, sim_port = free_port(), free_port()
    # the demo's own port is 8123; this test stores a free one the same way
    (config_dir / ".storage").mkdir()
    assert seed_http_store(config_dir, hass_port)
    prepare_http(config_dir)  # a second time: the stored settings are kept as they are
    assert stored_port(config_dir) == hass_port

    sim = start_simulator(sim_port, log_path=tmp_path / "simulator.log")
    children.append(sim)
    sim_url, hass_url = f"http://127.0.0.1:{sim_port}", f"http://127.0.0.1:{hass_port}"
    async with ClientSession() as http:
        cloud = SimulatorApi(http, sim_url)
        await cloud.wait_up(30, sim.running)
        hass = start_hass(config_dir, log_path=tmp_path / "hass.log", executable=HASS)
        children.append(hass)
        api = HassApi(http, hass_url)
        steps = await api.wait_up(START_TIMEOUT, hass.running)
        assert await api.onboard(DemoUser(), steps)
        version = AwesomeVersion((await api.expect("GET", "/api/config"))["version"])
        assert version >= HTTP_IN_STORAGE, f"the demo's release {version} is the locked one"
        await api.wait_running(START_TIMEOUT)
        http_config = await api.ws_call("http/config")
        assert http_config["active_config_type"] == "stable"
        assert http_config["stable"]["server_host"] == ["127.0.0.1"]
        await api.remove_online_onboarding_entries()
        entry = await api.add_atess_entry(DEMO_TOKEN, sim_url)
        assert entry["state"] == "loaded"
        devices = await cloud.devices()
        await api.wait_for_values([d.serial for d in devices], START_TIMEOUT, hass.running)
        issues = (await api.ws_call("repairs/list_issues"))["issues"]
        assert [(i["domain"], i["issue_id"]) for i in issues if not i.get("ignored")] == []
        notifications = await api.ws_call("persistent_notification/get")
        assert notifications == []
