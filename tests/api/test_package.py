"""The client is a library of its own: stdlib and aiohttp only, typed, no secrets in reach."""

from __future__ import annotations

import ast
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


def test_package_is_typed_and_exports_its_names() -> None:
    assert (PACKAGE / "py.typed").is_file()
    for name in api.__all__:
        assert getattr(api, name) is not None
