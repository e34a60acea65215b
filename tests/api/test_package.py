"""The client is a library of its own: stdlib and aiohttp only, typed, no secrets in reach."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path
import sys

from custom_components.atess import api

PACKAGE = Path(api.__file__).parent
ALLOWED = {"aiohttp", "yarl", "__future__"}


def test_api_imports_only_the_standard_library_and_aiohttp() -> None:
    for module in PACKAGE.glob("*.py"):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        assert ast.get_docstring(tree), f"{module.name} has no docstring"
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                assert top in ALLOWED or top in sys.stdlib_module_names, f"{module.name}: {name}"


def _defined_at_top(tree: ast.Module) -> set[str]:
    """The names a module defines at its top level (classes, functions, constants, aliases)."""
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            names.add(node.name)
        elif isinstance(node, ast.TypeAlias) and isinstance(node.name, ast.Name):
            names.add(node.name.id)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names |= {target.id for target in targets if isinstance(target, ast.Name)}
    return names


def test_package_is_typed_and_exports_its_names() -> None:
    """py.typed ships; __all__ is exactly what __init__ imports, each name the object its module
    defines (a name imported but not listed, or listed but not there, fails)."""
    assert (PACKAGE / "py.typed").is_file()
    init = ast.parse((PACKAGE / "__init__.py").read_text(encoding="utf-8"))
    imported: dict[str, str] = {}
    for node in init.body:
        if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module:
            names = [alias.asname or alias.name for alias in node.names]
            if names == ["*"]:  # a star import brings exactly its module's __all__
                names = importlib.import_module(f"{api.__name__}.{node.module}").__all__
            imported |= dict.fromkeys(names, node.module)
    assert sorted(api.__all__) == sorted(imported)
    for name, module_name in imported.items():
        module = importlib.import_module(f"{api.__name__}.{module_name}")
        tree = ast.parse(Path(str(module.__file__)).read_text(encoding="utf-8"))
        assert name in _defined_at_top(tree), f"{name} is not defined in {module_name}"
        assert getattr(api, name) is getattr(module, name)
