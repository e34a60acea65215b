"""`scripts/develop`: the simulator and Home Assistant together, the ATESS integration set up.

Run as `python -m scripts.e2e_support.develop` from the repository root (scripts/develop does).

Demo mode (the default), on the config directory `config/`:
1. start the simulator on 127.0.0.1:8900, then Home Assistant (`--skip-pip`: offline);
2. onboard the owner `demo` / `demo-demo` through the REST API (first run only; later runs log in);
3. before the first start, store the `http` settings where Home Assistant keeps them (127.0.0.1
   only; http_store.py), so that it starts without the repair a YAML `http:` block raises;
4. run the ATESS config flow against the simulator (first run only; later runs reuse the entry);
5. fill the Energy dashboard with the plant totals through the integration's action
   `atess.configure_energy_dashboard` (grid, solar and battery per plant, live power included);
6. print the URL and the login once every device shows values, then supervise.
Home Assistant restarted from its UI exits with code 100 and is started again here (what its
container would do). Ctrl-C (or SIGTERM) stops Home Assistant, then the simulator, by PID, and
waits for both.

`--reset` forgets the demo instance first (a fresh onboarding, entry and Energy dashboard).
`--real` starts Home Assistant alone on `config/real/` (its own onboarding and token, never mixed
with the demo's entry), for an owner who adds the integration with a real token in the UI.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Callable, Sequence
import contextlib
import importlib.util
from pathlib import Path
import re
import shutil
import signal
import sys
import time

from aiohttp import ClientSession

from .hass_api import DemoUser, HassApi, HassApiError
from .http_store import seed_http_store, stored_port
from .processes import (
    DEMO_TOKEN,
    REPO,
    Child,
    link_custom_components,
    port_in_use,
    start_hass,
    start_simulator,
)
from .sim_api import SimulatorApi

CONFIG_DIR = REPO / "config"
REAL_CONFIG_DIR = CONFIG_DIR / "real"
SIM_PORT = 8900
DEFAULT_HASS_PORT = 8123
RESTART_EXIT_CODE = 100  # what `hass` exits with when asked to restart (it does not re-exec)
HASS_START_TIMEOUT = 120.0
VALUES_TIMEOUT = 120.0
STATISTICS_TIMEOUT = 60.0
# Modules Home Assistant's core imports to describe its actions to the frontend; without them
# the UI stays on "Loading..." (the REST API and the integration work regardless).
FRONTEND_MODULES = ("hassil", "turbojpeg", "mutagen", "haffmpeg", "pymicro_vad", "pyspeex_noise")
_START = time.monotonic()


class DevelopError(RuntimeError):
    """Something the user must fix before the demo can start."""


def log(message: str) -> None:
    """A progress line with the seconds since start."""
    print(f"[develop {time.monotonic() - _START:5.1f}s] {message}", flush=True)


def configured_port(config_dir: Path) -> int:
    """The port of the instance: its `http` storage's, else configuration.yaml's, else 8123."""
    if (port := stored_port(config_dir)) is not None:
        return port
    path = config_dir / "configuration.yaml"
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    match = re.search(r"^\s+server_port:\s*(\d+)\s*$", text, re.MULTILINE)
    return int(match.group(1)) if match else DEFAULT_HASS_PORT


def prepare_http(config_dir: Path) -> None:
    """Before the first start: loopback-only `http` settings in Home Assistant's storage."""
    if seed_http_store(config_dir, configured_port(config_dir)):
        log(f"http settings stored in {config_dir.name}/.storage/http (127.0.0.1 only)")


def warn_missing_frontend_modules() -> None:
    """Say so up front when the venv lacks what the UI needs (see FRONTEND_MODULES)."""
    missing = [m for m in FRONTEND_MODULES if importlib.util.find_spec(m) is None]
    if missing:
        log(
            f"WARNING: this venv lacks {', '.join(missing)}: Home Assistant's core needs them "
            "to serve its UI, which will stay on 'Loading...' (the REST API works)."
        )


def reset_demo() -> None:
    """Delete the demo's runtime state, keeping what is committed (and the --real instance)."""
    if port_in_use(configured_port(CONFIG_DIR)):
        raise SystemExit("scripts/develop --reset: stop the running Home Assistant first")
    keep = {"configuration.yaml", "README.md", REAL_CONFIG_DIR.name}
    for path in CONFIG_DIR.iterdir():
        if path.name in keep:
            continue
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()
    log("config/ reset: the next start onboards a new demo instance")


class Session:
    """The processes of one run: restarted when Home Assistant asks, stopped in any case."""

    def __init__(self) -> None:
        """Nothing started yet."""
        self.children: dict[str, Child] = {}
        self._starters: dict[str, Callable[[], Child]] = {}

    def start(self, name: str, starter: Callable[[], Child]) -> Child:
        """Start a child (and remember how, for restarts)."""
        child = starter()
        self.children[name] = child
        self._starters[name] = starter
        return child

    def running(self, name: str) -> bool:
        """Whether the named child runs now (a restart in progress counts as running)."""
        child = self.children.get(name)
        return child is not None and (child.running() or self._restartable(child))

    @staticmethod
    def _restartable(child: Child) -> bool:
        return child.name == "hass" and child.process.returncode == RESTART_EXIT_CODE

    def check(self) -> Child | None:
        """Restart Home Assistant if it asked to; a child that died otherwise, or None."""
        for name, child in list(self.children.items()):
            if child.running():
                continue
            if self._restartable(child):
                child.stop()  # closes its log
                new = self.start(name, self._starters[name])
                log(f"Home Assistant asked to restart; started again (pid {new.pid})")
                continue
            return child
        return None

    def stop(self) -> None:
        """Stop the children in reverse start order (Home Assistant before its cloud)."""
        for child in reversed(list(self.children.values())):
            if child.running():
                log(f"stopping {child.name} (pid {child.pid})")
            code = child.stop()
            if code not in (0, None, -signal.SIGTERM, RESTART_EXIT_CODE):
                log(f"{child.name} exited with {code}; last lines of {child.log_path}:")
                print(child.log_tail(), flush=True)
        self.children.clear()


async def demo(session: Session, hass_port: int) -> None:
    """Start both processes, set everything up, and print the login."""
    link_custom_components(CONFIG_DIR)
    prepare_http(CONFIG_DIR)
    for port, what in ((SIM_PORT, "the simulator"), (hass_port, "Home Assistant")):
        if port_in_use(port):
            raise DevelopError(
                f"port {port} (for {what}) is in use: is another scripts/develop or Home "
                "Assistant running?"
            )
    sim = session.start(
        "simulator",
        # the demo uploads like real DataLogs: each at its own moment, visible after a delay
        lambda: start_simulator(
            SIM_PORT,
            log_path=CONFIG_DIR / "develop-simulator.log",
            extra_args=("--upload-model", "realistic"),
        ),
    )
    log(f"simulator started (pid {sim.pid}, log config/develop-simulator.log)")
    sim_url = f"http://127.0.0.1:{SIM_PORT}"
    hass_url = f"http://127.0.0.1:{hass_port}"
    async with ClientSession() as http:
        sim_api = SimulatorApi(http, sim_url)
        # The cloud must answer before Home Assistant sets the entry up, or the entry would
        # wait for its first retry; the simulator is up long before Home Assistant anyway.
        await sim_api.wait_up(30, lambda: session.running("simulator"))
        devices = await sim_api.devices()
        hass = session.start(
            "hass", lambda: start_hass(CONFIG_DIR, log_path=CONFIG_DIR / "develop-hass.log")
        )
        log(f"Home Assistant started (pid {hass.pid}, log config/home-assistant.log)")
        api = HassApi(http, hass_url)
        steps = await api.wait_up(HASS_START_TIMEOUT, lambda: session.running("hass"))
        log("Home Assistant answers")
        user = DemoUser()
        try:
            if await api.onboard(user, steps):
                log(f"onboarded the owner {user.username!r}")
        except HassApiError as err:
            log(f"could not log in as {user.username!r} ({err}); set the instance up in the UI")
            print_banner(hass_url, user, ready=False)
            return
        match await api.keep_loopback_http(user, within=HASS_START_TIMEOUT):
            case "promoted":
                log("confirmed the http settings (127.0.0.1 only)")
            case "restored":
                log("Home Assistant had fallen back to all interfaces; back on 127.0.0.1")
        entry, created = await api.ensure_atess_entry(DEMO_TOKEN, sim_url)
        log(f"{'added' if created else 'reusing'} the entry {entry['title']!r}")
        if removed := await api.remove_online_onboarding_entries():
            log(f"removed onboarding's online entries: {', '.join(removed)}")
        await api.wait_for_values(
            [d.serial for d in devices], VALUES_TIMEOUT, lambda: session.running("hass")
        )
        log(f"all {len(devices)} devices show values")
        await configure_energy(api, entry["entry_id"])
    print_banner(hass_url, user, ready=True)


async def configure_energy(api: HassApi, entry_id: str) -> None:
    """Fill the Energy dashboard from the plant totals with the integration's own action.

    The action only appends what is missing, so a later run changes nothing. The dashboard's
    bars come from the plants' hourly statistics, which the integration imports from the cloud's
    history in the background: waiting for them gives days of bars at once.
    """
    # an instance from before holds the central HPS's own counters: the plant's would count twice
    earlier = [
        stat
        for source in (await api.energy_prefs())["energy_sources"]
        if (stat := str(source.get("stat_energy_from") or "")).startswith("atess:")
        and not re.match(r"atess:\d+_", stat)
    ]
    if earlier:
        log("the Energy dashboard shows single devices (an earlier demo); left as it is:")
        log("  scripts/develop --reset starts afresh with the plant totals")
        return
    response = await api.configure_energy_dashboard(entry_id)
    for plant in response["plants"]:
        added = ", ".join(plant["added"]) or "nothing"
        log(f"the Energy dashboard: plant {plant['name']!r}: added {added}")
        if plant["missing"]:
            log(f"  waiting for the plant sensors {', '.join(plant['missing'])} (next run)")
    wanted = {
        stat
        for source in (await api.energy_prefs())["energy_sources"]
        for key in ("stat_energy_from", "stat_energy_to")
        if (stat := source.get(key)) and stat.startswith("atess:")
    }
    try:
        await api.wait_statistics(wanted, STATISTICS_TIMEOUT)
    except HassApiError:
        log("the history import is slow: the Energy dashboard fills in as it goes")


async def real(session: Session) -> None:
    """Home Assistant alone on config/real/, for an owner's own token."""
    link_custom_components(REAL_CONFIG_DIR)
    config = REAL_CONFIG_DIR / "configuration.yaml"
    if not config.exists():
        shutil.copyfile(CONFIG_DIR / "configuration.yaml", config)
        log("created config/real/configuration.yaml from config/configuration.yaml")
    prepare_http(REAL_CONFIG_DIR)
    port = configured_port(REAL_CONFIG_DIR)
    if port_in_use(port):
        raise DevelopError(f"port {port} is in use: is another Home Assistant running?")
    hass = session.start(
        "hass", lambda: start_hass(REAL_CONFIG_DIR, log_path=REAL_CONFIG_DIR / "develop-hass.log")
    )
    log(f"Home Assistant started (pid {hass.pid}, log config/real/home-assistant.log)")
    url = f"http://127.0.0.1:{port}"
    async with ClientSession() as http:
        steps = await HassApi(http, url).wait_up(
            HASS_START_TIMEOUT, lambda: session.running("hass")
        )
    print(
        f"\n  Home Assistant: {url}\n"
        + ("  Create your user there, then" if steps is not None else "  Log in, then")
        + " Settings -> Devices & services -> Add integration -> ATESS Cloud,\n"
        "  and paste your ATESS OpenAPI token.\n  Ctrl-C stops Home Assistant.\n",
        flush=True,
    )


def print_banner(url: str, user: DemoUser, *, ready: bool) -> None:
    """The lines a newcomer needs: where, who, how to stop."""
    state = f"ready in {time.monotonic() - _START:.0f} s" if ready else "running"
    print(
        f"\n  ATESS demo {state}\n"
        f"  Home Assistant: {url}   (also http://localhost:{url.rsplit(':', 1)[1]})\n"
        f"  Login:          {user.username} / {user.password}\n"
        f"  Simulated cloud: http://127.0.0.1:{SIM_PORT}  (token {DEMO_TOKEN})\n"
        "  Ctrl-C stops both.\n",
        flush=True,
    )


async def supervise(session: Session, setup: asyncio.Task[None]) -> int:
    """Run until Ctrl-C/SIGTERM, a failed setup or a dead child; the exit code."""
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    signals = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
    for sig in signals:
        loop.add_signal_handler(sig, stop.set)
    try:
        while not stop.is_set():
            if setup.done() and not setup.cancelled() and (err := setup.exception()):
                log(f"failed: {err}")
                for child in session.children.values():
                    print(f"--- last lines of {child.log_path}:\n{child.log_tail()}", flush=True)
                return 1
            if (dead := session.check()) is not None:
                log(f"{dead.name} exited with {dead.process.returncode}; last lines:")
                print(dead.log_tail(), flush=True)
                return 1
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=0.5)
        print(flush=True)
        log("stopping")
        return 0
    finally:
        if not setup.done():
            setup.cancel()
            await asyncio.wait([setup])  # never raises: a cancelled setup is no error
        if not setup.cancelled():
            setup.exception()  # retrieved: asyncio must not report it at exit
        for sig in signals:
            loop.remove_signal_handler(sig)


async def run(args: argparse.Namespace) -> int:
    """Start what the mode needs and supervise it; the exit code."""
    session = Session()
    try:
        warn_missing_frontend_modules()
        if args.real:
            setup = asyncio.create_task(real(session))
        else:
            setup = asyncio.create_task(demo(session, configured_port(CONFIG_DIR)))
        return await supervise(session, setup)
    finally:
        session.stop()
        log("stopped")


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line and run."""
    parser = argparse.ArgumentParser(
        prog="scripts/develop",
        description="Home Assistant with the ATESS integration, set up against the simulator.",
    )
    parser.add_argument(
        "--real",
        action="store_true",
        help="start Home Assistant alone on config/real/, for a real ATESS token",
    )
    parser.add_argument(
        "--reset",
        action="store_true",
        help="forget the demo instance first (everything in config/ but configuration.yaml, "
        "README.md and real/)",
    )
    args = parser.parse_args(argv)
    if args.reset:
        reset_demo()
    return asyncio.run(run(args))


if __name__ == "__main__":
    sys.exit(main())
