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


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _resolve(importer: str, is_package: bool, module: str, level: int) -> str:
    """The absolute name of an import as written in `importer` (relative imports resolved)."""
    if not level:
        return module
    base = importer.split(".")
    if not is_package:
        base.pop()
    base = base[: len(base) - (level - 1)]
    return ".".join([*base, module] if module else base)


def _import_graph() -> dict[str, set[str]]:
    """Project module -> the project modules it imports, TYPE_CHECKING imports included."""
    paths = [
        p
        for base in ("custom_components", "simulator", "scripts")
        for p in (ROOT / base).rglob("*.py")
    ]
    names = {_module_name(p): p for p in paths}
    graph: dict[str, set[str]] = {}
    for name, path in names.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        targets: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                candidates = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                absolute = _resolve(name, path.name == "__init__.py", node.module or "", node.level)
                candidates = [absolute, *(f"{absolute}.{alias.name}" for alias in node.names)]
            else:
                continue
            for candidate in candidates:
                # importing a name from a package counts as importing the package's __init__
                target = candidate
                while target and target not in names:
                    target = target.rpartition(".")[0]
                if target and target != name:
                    targets.add(target)
        graph[name] = targets
    return graph


def test_no_import_circles() -> None:
    """No module reaches, through any chain of imports, back to itself (type-only ones too).

    A package's __init__ importing its own submodules is the package's interface, not a circle,
    so edges from a package to the modules inside it are left out.
    """
    graph = {
        name: {t for t in targets if not t.startswith(f"{name}.")}
        for name, targets in _import_graph().items()
    }
    state: dict[str, int] = {}
    stack: list[str] = []
    circles: list[list[str]] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                circles.append([*stack[stack.index(target) :], target])
            elif target not in state:
                visit(target)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)
    assert not circles, "import circles: " + "; ".join(" -> ".join(c) for c in circles)


def test_runtime_types_sit_below_the_write_path_and_history() -> None:
    """History and the write path never import the module that bundles them."""
    graph = _import_graph()
    for name in ("write", "history", "coordinator", "models"):
        assert "custom_components.atess.runtime" not in graph[f"custom_components.atess.{name}"]
