"""The layering invariants of docs/architecture.md, checked on the imports of every module."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "server" / "mockls"


def imports_of(path: Path) -> set[str]:
    """The top two levels of every module ``path`` imports (``mockls.lsp``, ``jedi``...)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        found.update(".".join(name.split(".")[:2]) for name in names)
    return found


MODULES = {path.relative_to(PACKAGE).as_posix(): imports_of(path) for path in PACKAGE.rglob("*.py")}


def importers(*imported: str) -> list[str]:
    return sorted(
        module
        for module, names in MODULES.items()
        if any(
            name == target or name.startswith(f"{target}.") for name in names for target in imported
        )
    )


@pytest.mark.parametrize(
    ("imported", "allowed"),
    [
        pytest.param(("pygls", "lsprotocol"), ("lsp/",), id="only-lsp-knows-lsp"),
        pytest.param(("jedi",), ("resolve/",), id="only-resolve-imports-jedi"),
        pytest.param(("mockls.navigation",), ("lsp/", "navigation/"), id="only-lsp-navigates"),
    ],
)
def test_imports_stay_in_their_layer(imported: tuple[str, ...], allowed: tuple[str, ...]) -> None:
    assert [module for module in importers(*imported) if not module.startswith(allowed)] == []


def test_the_sandbox_knows_neither_lsp_nor_jedi() -> None:
    assert [
        module
        for module in importers("pygls", "lsprotocol", "jedi")
        if module.startswith("sandbox/")
    ] == []


def test_the_sandbox_worker_imports_only_the_standard_library_and_mockengine() -> None:
    """It runs in the user's interpreter, where only those exist (and the user's own pytest,
    which it imports to run a test only when the interpreter has it)."""
    tree = ast.parse((PACKAGE / "sandbox" / "worker.py").read_text(encoding="utf-8"))
    imported: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            imported.add("." * node.level + (node.module or "").split(".")[0])
    assert imported  # the walk found the imports
    assert sorted(imported - sys.stdlib_module_names - {"mockengine", "pytest"}) == []


def test_only_the_server_the_command_and_verification_use_the_sandbox() -> None:
    """Running user code is a decision of the front ends; the pure layers only judge answers."""
    assert [
        module
        for module in importers("mockls.sandbox")
        if not module.startswith(("sandbox/", "lsp/", "verification/", "cli.py"))
    ] == []
