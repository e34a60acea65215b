"""The demo's `http` settings, kept where Home Assistant keeps them since 2026.8: its storage.

Since 2026.8 Home Assistant reads `http:` from configuration.yaml once, moves it into
`.storage/http`, and raises a repair ("The HTTP YAML configuration is deprecated") until the
block is removed; a block left after that raises another one. So the demo's configuration.yaml
has no `http:`. Instead, before the first start of a config directory, the settings are written
into that storage as Home Assistant's own migration leaves them: loopback only, the demo's port,
the migration done. The demo then listens on 127.0.0.1 from its very first second, and starts
without a repair. The settings are built with Home Assistant's own schema (the locked release's),
so every default it adds is its own. Releases before 2026.8 do not read this storage: started on
one of those, the demo would listen on Home Assistant's default (every interface, port 8123).
"""

from __future__ import annotations

from datetime import UTC, datetime
import json
import os
from pathlib import Path
from typing import Any

HTTP_STORE = Path(".storage") / "http"
STORE_VERSION, STORE_MINOR_VERSION = 2, 2  # homeassistant/components/http/config.py
LOOPBACK = "127.0.0.1"


def stable_settings(host: str, port: int) -> dict[str, Any]:
    """The `stable` slot of the store for `host:port`, completed by Home Assistant's schema."""
    from homeassistant.components.http.config import HTTP_STORAGE_SCHEMA  # noqa: PLC0415

    settings: dict[str, Any] = HTTP_STORAGE_SCHEMA({"server_host": [host], "server_port": port})
    return {
        **settings,
        "created_at": datetime.now(UTC).isoformat(),
        "error": None,
        "error_message": None,
    }


def seed_http_store(config_dir: Path, port: int, host: str = LOOPBACK) -> bool:
    """Write the `http` storage of a config directory that has none; whether it was written."""
    path = config_dir / HTTP_STORE
    if path.exists():
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    document = {
        "version": STORE_VERSION,
        "minor_version": STORE_MINOR_VERSION,
        "key": "http",
        "data": {
            "stable": stable_settings(host, port),
            "pending": None,
            "yaml_migration_done": True,
        },
    }
    # private, as Home Assistant keeps it (it may hold certificate paths)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as file:
        json.dump(document, file, indent=2)
    return True


def stored_port(config_dir: Path) -> int | None:
    """The port the `http` storage of a config directory names, if it can be read."""
    try:
        document = json.loads((config_dir / HTTP_STORE).read_text(encoding="utf-8"))
        settings = document["data"]["pending"] or document["data"]["stable"]
        return int(settings["server_port"])
    except OSError, ValueError, KeyError, TypeError:
        return None
