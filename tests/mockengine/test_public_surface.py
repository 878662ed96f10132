"""The public surface: the same names as unittest.mock, stdlib-only, private modules layered."""

from __future__ import annotations

import ast
import subprocess
import sys
import unittest.mock
from pathlib import Path

import mockengine
from tests.mockengine.test_private_names import KEPT_SETS

ENGINE = Path(mockengine.__file__).parent

LAYERS = [
    "vocabulary",
    "_versions",
    "_sentinels",
    "_introspection",
    "_calls",
    "_mock",
    "_magic",
    "_async",
    "_autospec",
    "_patching",
    "_property",
    "_seal",
    "_mock_open",
    "_threading",
    "_installation",
    "_trampolines",
    "instrumentation",
]
"""The engine's modules from the bottom up: a module imports only those before it at load time."""

ADDED_AFTER = {"ThreadingMock": (3, 13)}
"""Names unittest.mock gained in later Pythons; mockengine has them on every version."""


def test_all_is_unittest_mocks_all_in_its_order() -> None:
    expected = [
        name for name in mockengine.__all__ if sys.version_info >= ADDED_AFTER.get(name, (0, 0))
    ]
    assert list(unittest.mock.__all__) == expected


def test_every_public_name_exists_and_star_import_gives_exactly_them() -> None:
    namespace: dict[str, object] = {}
    exec("from mockengine import *", namespace)
    assert sorted(set(namespace) - {"__builtins__"}) == sorted(mockengine.__all__)


def test_the_package_only_re_exports() -> None:
    tree = ast.parse((ENGINE / "__init__.py").read_text())
    kinds = {type(node).__name__ for node in tree.body}
    assert kinds <= {"Expr", "ImportFrom", "Assign"}
    assigned = {
        target.id
        for node in tree.body
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    assert assigned == {"FILTER_DIR", "__all__", *KEPT_SETS}  # unittest.mock's magic sets, copied


def test_every_private_module_has_its_place_in_the_layers() -> None:
    modules = sorted(path.stem for path in ENGINE.glob("*.py") if path.stem != "__init__")
    assert modules == sorted(LAYERS)


def module_level_engine_imports(module: str) -> set[str]:
    """The mockengine modules ``module`` imports when it is loaded (not inside functions)."""
    tree = ast.parse((ENGINE / f"{module}.py").read_text())
    imported = set()
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("mockengine."):
            imported.add(node.module.split(".")[1])  # type: ignore[union-attr]
        elif isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[1] for alias in node.names if "." in alias.name}
    return imported


def test_modules_import_only_lower_layers_at_load_time() -> None:
    for position, module in enumerate(LAYERS):
        lower = set(LAYERS[:position])
        assert module_level_engine_imports(module) <= lower, module


def test_importing_mockengine_loads_only_the_standard_library() -> None:
    script = (
        "import sys, sysconfig, json\n"
        "before = set(sys.modules)\n"
        "import mockengine\n"
        "stdlib = sysconfig.get_paths()['stdlib']\n"
        "outside = sorted(\n"
        "    name for name in set(sys.modules) - before\n"
        "    if not name.startswith('mockengine')\n"
        "    and not (getattr(sys.modules[name], '__file__', None) or stdlib).startswith(stdlib)\n"
        ")\n"
        "print(json.dumps(outside))\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        cwd=ENGINE.parent,
    )
    assert completed.stdout.strip() == "[]"
