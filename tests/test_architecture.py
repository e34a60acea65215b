"""The house rules of the architecture: dependencies point one way, every module says what it is."""

from __future__ import annotations

import ast
from pathlib import Path
import sys

ROOT = Path(__file__).resolve().parents[1]
INTEGRATION = ROOT / "custom_components" / "atess"


def _imports(path: Path) -> list[tuple[str, int]]:
    """(module, level) of every import in a file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[tuple[str, int]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((alias.name, 0) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            found.append((node.module or "", node.level))
    return found


def test_the_simulator_imports_neither_home_assistant_nor_the_integration() -> None:
    """The simulator is a second, independent reading of the docs: stdlib and aiohttp only."""
    for path in (ROOT / "simulator").rglob("*.py"):
        for module, level in _imports(path):
            if level:
                continue
            top = module.split(".")[0]
            allowed = {"aiohttp", "yarl", "multidict", "simulator"}
            assert top in allowed or top in sys.stdlib_module_names, f"{path.name} imports {module}"


def test_platforms_do_not_talk_to_the_client_directly() -> None:
    """Platforms -> entity -> coordinator -> api: entity platforms never call the cloud."""
    for name in ("sensor", "binary_sensor", "number", "select", "text"):
        for module, _ in _imports(INTEGRATION / f"{name}.py"):
            assert "client" not in module, f"{name}.py imports {module}"


def test_every_module_has_a_docstring() -> None:
    """A docstring for every module of the integration and the simulator."""
    for base in (INTEGRATION, ROOT / "simulator"):
        for path in base.rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            assert ast.get_docstring(tree), f"{path.relative_to(ROOT)} has no docstring"
