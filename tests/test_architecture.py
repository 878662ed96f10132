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


SOURCES = {path.relative_to(PACKAGE).as_posix(): path for path in PACKAGE.rglob("*.py")}
MODULES = {module: imports_of(path) for module, path in SOURCES.items()}


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


def test_the_sandbox_worker_imports_only_the_standard_library_mockengine_and_the_plugin() -> None:
    """It runs in the user's interpreter, where only those exist: the private library
    directory holds mockengine and mockls's pytest plugin (``mockls.runtime``), and the user's
    own pytest is imported to run tests only when the interpreter has it."""
    tree = ast.parse((PACKAGE / "sandbox" / "worker.py").read_text(encoding="utf-8"))
    imported: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            imported.add("." * node.level + (node.module or ""))
    assert imported  # the walk found the imports
    outside = {
        name
        for name in imported
        if name.split(".")[0] not in {*sys.stdlib_module_names, "mockengine", "pytest"}
    }
    assert sorted(outside) == ["mockls.runtime.plugin"]


def test_the_runtime_checks_know_neither_lsp_jedi_nor_the_sandbox() -> None:
    assert [
        module
        for module in importers("pygls", "lsprotocol", "jedi", "mockls.sandbox", "mockls.lsp")
        if module.startswith("runtime/")
    ] == []


def test_the_pytest_plugin_loads_only_the_standard_library_until_a_mockls_run() -> None:
    """Installing mockls changes no test run: at import the plugin needs only the standard
    library (its entry point loads without pytest); the engine, the recording and pytest's
    hook markers are imported inside ``--mockls`` runs."""
    tree = ast.parse((PACKAGE / "runtime" / "plugin.py").read_text(encoding="utf-8"))
    imported = {
        (alias.name if isinstance(node, ast.Import) else node.module or "").split(".")[0]
        for node in tree.body
        if isinstance(node, (ast.Import, ast.ImportFrom))
        for alias in node.names
    }
    assert sorted(imported - sys.stdlib_module_names) == []


def test_only_the_server_the_command_and_verification_use_the_sandbox() -> None:
    """Running user code is a decision of the front ends; the pure layers only judge answers.
    ``workspace.py`` keeps the pools the front ends share."""
    assert [
        module
        for module in importers("mockls.sandbox")
        if not module.startswith(("sandbox/", "lsp/", "verification/", "cli.py", "workspace.py"))
    ] == []


def test_one_workspace_model_for_the_command_and_the_server() -> None:
    """Projects and sandbox pools are made in ``workspace.py`` only: no front end keeps a
    registry of its own."""
    makers = {
        module
        for module, path in SOURCES.items()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in ("Project", "SandboxPools")
    }
    assert makers == {"workspace.py"}


def full_imports_of(source: str, package: str) -> set[str]:
    """Every module a module of ``package`` with ``source`` imports, by its whole dotted name
    (relative imports resolved; ``from m import x`` counts ``m`` and ``m.x``)."""
    parts = package.split(".")
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = parts[: len(parts) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def private_imports_from_outside(source: str, package: str) -> list[str]:
    """The private modules (``_name``) of other packages that a module of ``package`` imports."""
    found: set[str] = set()
    for name in full_imports_of(source, package):
        parts = name.split(".")
        if parts[0] not in ("mockls", "mockengine"):
            continue
        for index, part in enumerate(parts[1:], start=1):
            if part.startswith("_") and not part.startswith("__"):
                if ".".join(parts[:index]) != package:
                    found.add(".".join(parts[: index + 1]))
                break
    return sorted(found)


def _package_of(path: Path) -> str:
    return ".".join(["mockls", *path.relative_to(PACKAGE).parent.parts])


def test_no_module_imports_another_packages_private_modules() -> None:
    """A package's ``_private`` modules are its own: the others use its public modules."""
    found = {
        path.relative_to(PACKAGE).as_posix(): private_imports_from_outside(
            path.read_text(encoding="utf-8"), _package_of(path)
        )
        for path in PACKAGE.rglob("*.py")
    }
    assert {module: private for module, private in found.items() if private} == {}


@pytest.mark.parametrize(
    ("source", "package", "private"),
    [
        pytest.param(
            "from mockls.analysis._imports import MockNames\n",
            "mockls.resolve",
            ["mockls.analysis._imports"],
            id="absolute-from-another-package",
        ),
        pytest.param(
            "from mockls.analysis import _imports\n",
            "mockls.resolve",
            ["mockls.analysis._imports"],
            id="private-module-imported-by-name",
        ),
        pytest.param(
            "from ..analysis._drafts import Scope\n",
            "mockls.resolve",
            ["mockls.analysis._drafts"],
            id="relative-from-another-package",
        ),
        pytest.param("import mockengine._mock\n", "mockls.lsp", ["mockengine._mock"], id="engine"),
        pytest.param(
            "from mockls.analysis._imports import MockNames\n",
            "mockls.analysis",
            [],
            id="own-package-allowed",
        ),
        pytest.param(
            "from mockls.analysis.model import ModuleModel\nfrom mockls import __version__\n",
            "mockls.resolve",
            [],
            id="public-modules-allowed",
        ),
    ],
)
def test_the_private_import_check_tells_private_from_public(
    source: str, package: str, private: list[str]
) -> None:
    assert private_imports_from_outside(source, package) == private


def test_checkpoints_know_nothing_else() -> None:
    """``checkpoints.py`` sits under every layer that calls it: it imports nothing of mockls."""
    assert sorted(name for name in MODULES["checkpoints.py"] if name.startswith("mockls")) == []


def test_the_syntax_layer_knows_nothing_else() -> None:
    """``syntax/`` reads text and trees; of mockls it imports only itself and ``spans``."""
    assert {
        module: sorted(
            name
            for name in names
            if name.startswith("mockls") and name not in ("mockls.syntax", "mockls.spans")
        )
        for module, names in MODULES.items()
        if module.startswith("syntax/")
    } == {module: [] for module in MODULES if module.startswith("syntax/")}


LSP_WIRING = ("lsp/server.py", "lsp/transport.py")
"""The server object and what serves it: the only ``lsp/`` modules that know the server."""


def _host_members() -> set[str]:
    from mockls.lsp.feature_host import FeatureHost  # noqa: PLC0415  # the protocol's own names

    return {name for name in vars(FeatureHost) if not name.startswith("_")}


def host_uses_beyond(source: str, declared: set[str]) -> list[str]:
    """What the functions of ``source`` use of a parameter annotated ``FeatureHost`` that is
    not one of the ``declared`` members."""
    undeclared: set[str] = set()
    for function in ast.walk(ast.parse(source)):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        arguments = function.args
        hosts = {
            argument.arg
            for argument in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs)
            if argument.annotation is not None and ast.unparse(argument.annotation) == "FeatureHost"
        }
        undeclared.update(
            node.attr
            for node in ast.walk(function)
            if isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in hosts
            and node.attr not in declared
        )
    return sorted(undeclared)


def server_knowledge(source: str) -> list[str]:
    """How a module of ``lsp/`` with ``source`` knows the server object, if it does."""
    found = {
        f"names {node.id}"
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Name) and node.id in ("server", "MocklsServer")
    }
    if "mockls.lsp.server" in full_imports_of(source, "mockls.lsp"):
        found.add("imports mockls.lsp.server")
    return sorted(found)


def test_lsp_features_do_not_know_the_server_object() -> None:
    """A feature is given what it depends on (its ``setup_*`` signature says what), never
    the server: no feature module imports ``lsp/server.py`` or names a ``server``."""
    knowing = {
        module: server_knowledge(path.read_text(encoding="utf-8"))
        for module, path in SOURCES.items()
        if module.startswith("lsp/") and module not in LSP_WIRING
    }
    assert {module: found for module, found in knowing.items() if found} == {}


def test_lsp_features_use_only_what_their_host_declares() -> None:
    declared = _host_members()
    assert {"on_notification", "feature", "window_show_message"} <= declared
    used = {
        module: host_uses_beyond(path.read_text(encoding="utf-8"), declared)
        for module, path in SOURCES.items()
        if module.startswith("lsp/") and module not in LSP_WIRING
    }
    assert {module: beyond for module, beyond in used.items() if beyond} == {}


def test_the_host_check_finds_an_undeclared_use() -> None:
    source = (
        "def setup_x(host: FeatureHost, *, documents: object) -> None:\n"
        "    host.on_notification('m', print)\n"
        "    host.documents.get('uri')\n"
    )
    assert host_uses_beyond(source, {"on_notification"}) == ["documents"]


def test_the_server_check_finds_a_feature_reaching_into_the_server() -> None:
    source = (
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    from mockls.lsp.server import MocklsServer\n"
        "def setup_x(server: 'MocklsServer') -> None:\n"
        "    server.documents.get('uri')\n"
    )
    assert server_knowledge(source) == ["imports mockls.lsp.server", "names server"]
