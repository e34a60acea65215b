"""Start and stop the two processes of a demo: the ATESS cloud simulator and Home Assistant.

Both children run in their own session, so a Ctrl-C in the terminal reaches only the parent,
which then stops them in order (Home Assistant first, so that it never polls a dead cloud). On
Linux they are also told to die with the parent (PR_SET_PDEATHSIG), so even a parent killed with
SIGKILL leaves no orphans behind.
"""

from __future__ import annotations

from collections.abc import Sequence
import ctypes
import ctypes.util
from dataclasses import dataclass, field
import os
from pathlib import Path
import signal
import socket
import subprocess
import sys
from typing import IO

REPO = Path(__file__).resolve().parents[2]
VENV_BIN = REPO / ".venv" / "bin"
HASS = VENV_BIN / "hass"
# Another Home Assistant to start instead of the locked one (scripts/test-range sets it to a side
# venv's `hass`); the simulator and the tests still run from .venv.
HASS_ENV = "ATESS_E2E_HASS"
DEMO_TOKEN = "demo-token"  # the simulator's default, also what `python -m simulator` accepts
_PR_SET_PDEATHSIG = 1


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def port_in_use(port: int, host: str = "127.0.0.1") -> bool:
    """Whether something already accepts connections on host:port."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


def _die_with_parent() -> None:
    """Run in the child before exec: SIGTERM it when the parent dies (Linux only)."""
    name = ctypes.util.find_library("c")
    if sys.platform.startswith("linux") and name:
        ctypes.CDLL(name, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)


@dataclass
class Child:
    """A child process and the file its output goes to."""

    name: str
    process: subprocess.Popen[bytes]
    log_path: Path | None = None
    _log: IO[bytes] | None = field(default=None, repr=False)

    @property
    def pid(self) -> int:
        """The child's process id."""
        return self.process.pid

    def running(self) -> bool:
        """Whether the child is still alive."""
        return self.process.poll() is None

    def log_tail(self, lines: int = 30) -> str:
        """The last lines of the child's output (for error messages)."""
        if self.log_path is None or not self.log_path.exists():
            return ""
        text = self.log_path.read_text(encoding="utf-8", errors="replace")
        return "\n".join(text.splitlines()[-lines:])

    def stop(self, timeout: float = 30.0) -> int | None:
        """Stop the child by its PID: SIGTERM, wait, then SIGKILL. Its exit code."""
        if self.running():
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        if self._log is not None:
            self._log.close()
            self._log = None
        return self.process.returncode


def spawn(name: str, argv: Sequence[str | Path], log_path: Path | None, cwd: Path = REPO) -> Child:
    """Start a child in its own session; its output replaces `log_path` (None: inherit)."""
    log = log_path.open("wb") if log_path is not None else None  # one run per file
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [str(a) for a in argv],
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=log if log is not None else None,
        stderr=subprocess.STDOUT if log is not None else None,
        start_new_session=True,
        preexec_fn=_die_with_parent,  # noqa: PLW1509  (no threads exist in the parent yet)
    )
    return Child(name, process, log_path, log)


def start_simulator(
    port: int,
    *,
    token: str = DEMO_TOKEN,
    log_path: Path | None = None,
    extra_args: Sequence[str] = (),
) -> Child:
    """Start `python -m simulator` on 127.0.0.1:port (the repository's own simulator)."""
    argv: list[str | Path] = [
        VENV_BIN / "python",
        "-m",
        "simulator",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--token",
        token,
        *extra_args,
    ]
    return spawn("simulator", argv, log_path)


def hass_executable() -> Path:
    """The `hass` to start: $ATESS_E2E_HASS when set, else the one in .venv."""
    return Path(os.environ.get(HASS_ENV) or HASS)


def start_hass(
    config_dir: Path, *, log_path: Path | None = None, executable: Path | None = None
) -> Child:
    """Start Home Assistant on `config_dir`, offline (`--skip-pip`: nothing is installed).

    `executable` pins the `hass` (the demo's own, say); by default `hass_executable()`.
    """
    argv = [executable or hass_executable(), "-c", config_dir, "--skip-pip"]
    return spawn("hass", argv, log_path)


def link_custom_components(config_dir: Path) -> None:
    """Point `<config>/custom_components` at the working tree's integration."""
    config_dir.mkdir(parents=True, exist_ok=True)
    link = config_dir / "custom_components"
    target = REPO / "custom_components"
    if link.is_symlink() and link.resolve() == target.resolve():
        return
    if link.is_symlink() or link.is_file():
        link.unlink()
    elif link.exists():
        raise RuntimeError(f"{link} is a directory; remove it so that it can link to {target}")
    link.symlink_to(target, target_is_directory=True)


def write_minimal_config(config_dir: Path, port: int, *, recorder: bool = False) -> None:
    """A small configuration.yaml on 127.0.0.1:port with what onboarding and the REST flow need."""
    link_custom_components(config_dir)
    # the Energy dashboard (part of every default installation) needs the recorder
    extra = "recorder:\n  purge_keep_days: 1\nenergy:\n" if recorder else ""
    (config_dir / "configuration.yaml").write_text(
        "homeassistant:\n"
        "  name: ATESS e2e\n"
        "  unit_system: metric\n"
        "  time_zone: Europe/Berlin\n"
        "  currency: EUR\n"
        "  country: DE\n"
        "  latitude: 52.52\n"
        "  longitude: 13.40\n"
        "  elevation: 34\n"
        "http:\n"
        "  server_host: 127.0.0.1\n"
        f"  server_port: {port}\n"
        "config:\n"
        # as a new installation has it: the automation editor saves into automations.yaml
        "automation: !include automations.yaml\n"
        f"{extra}"
        "logger:\n"
        "  default: warning\n"
        "  logs:\n"
        "    custom_components.atess: debug\n",
        encoding="utf-8",
    )
    automations = config_dir / "automations.yaml"
    if not automations.exists():
        automations.write_text("[]\n", encoding="utf-8")
