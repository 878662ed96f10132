"""Resolving targets outside the workspace: the standard library and site-packages (jedi)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from mockls.files import MAX_SOURCE_CHARACTERS
from mockls.resolve.project import Project
from mockls.resolve.resolution import Resolved

from .conftest import describe

STDLIB_CASES = [
    ("os", "module os [stdlib]"),
    ("os.path.join", "function os.path.join [stdlib] (a, *p)"),
    ("os.environ", "attribute os.environ [stdlib]"),
    (
        "datetime.datetime",
        "class datetime.datetime [stdlib] (year: SupportsIndex, month: SupportsIndex,"
        " day: SupportsIndex, hour: SupportsIndex = 0, minute: SupportsIndex = 0,"
        " second: SupportsIndex = 0, microsecond: SupportsIndex = 0,"
        " tzinfo: _TzInfo | None = None, *, fold: int = 0)",
    ),
    ("datetime.datetime.now", "classmethod datetime.datetime.now [stdlib] (cls, tz=None)"),
    (
        "json.loads",
        "function json.loads [stdlib] (s, *, cls=None, object_hook=None, parse_float=None,"
        " parse_int=None, parse_constant=None, object_pairs_hook=None, **kw)",
    ),
    (
        "subprocess.Popen.communicate",
        "method subprocess.Popen.communicate [stdlib] (self, input=None, timeout=None)",
    ),
    ("sys.exit", "function sys.exit [stdlib] (status: _ExitCode = None, /) -> NoReturn"),
    ("builtins.Exception.args", "attribute builtins.BaseException.args [stdlib]"),
    # missing names: the failing segment and the closest names
    ("os.path.joinn", "unresolved at 2 after 'os.path': join"),
    ("os.getcwdd", "unresolved at 1 after 'os': getcwd, getcwdb, getuid, getsid, getpid"),
    ("jsn.loads", "unresolved at 0 after '': json, _json"),
    ("builtins.Exception.nope", "unresolved at 2 after 'builtins.Exception'"),
    # a compiled module jedi cannot read attribute by attribute: unknown, not missing
    ("_datetime.datetime.nope", "unknown"),
    # an attribute of an instance: cannot be told
    ("os.environ.nope", "unknown"),
    # socket takes these from the compiled _socket by a star import: listed, not followable
    ("socket.gethostbyname", "unknown"),
    ("socket.getnameinfo", "unknown"),
    (
        "socket.gethostbynam",
        "unresolved at 1 after 'socket': "
        "gethostbyname, gethostname, gethostbyname_ex, gethostbyaddr, sethostname",
    ),
]


@pytest.fixture(scope="module")
def standalone() -> Project:
    """A project with no folder: only the server's own environment."""
    return Project(None, python=sys.executable)


@pytest.mark.parametrize(("target", "expected"), STDLIB_CASES, ids=[c[0] for c in STDLIB_CASES])
def test_standard_library_target_resolves_to(
    standalone: Project, target: str, expected: str
) -> None:
    assert describe(standalone.resolve_target(target), Path("/")) == expected


INSTALLED_CASES = [
    # the workspace, in a src/ layout, with a namespace package
    (
        "inventory.stock.reserve",
        "function inventory.stock.reserve (sku, quantity=1) @ src/inventory/stock.py:8:5",
    ),
    (
        "acme.billing.invoice.issue",
        "function acme.billing.invoice.issue (reference) @ src/acme/billing/invoice.py:4:5",
    ),
    ("acme.billing", "module acme.billing"),
    ("acme.billing.receipt", "unresolved at 2 after 'acme.billing'"),
    ("acme.billing.invoise", "unresolved at 2 after 'acme.billing': invoice"),
    # a package installed in the workspace's .venv
    ("fancylib.Client", "class fancylib.client.Client [environment] (connection, verbose=False)"),
    (
        "fancylib.client.Client.send",
        "method fancylib.client.Client.send [environment] (self, key, value=None)",
    ),
    (
        "fancylib.client.Client.from_url",
        "classmethod fancylib.client.Client.from_url [environment] (cls, url)",
    ),
    (
        "fancylib.client.connect",
        "function fancylib.client.connect [environment] (dsn, *, timeout=10.0)",
    ),
    ("fancylib.client.conect", "unresolved at 2 after 'fancylib.client': connect"),
    # third-party classes may grow attributes at run time; dynamic modules too
    ("fancylib.client.Client.nope", "unknown"),
    ("fancylib.lazy.anything", "unknown"),
    # workspace names bound to installed ones
    (
        "inventory.stock.Client.send",
        "method fancylib.client.Client.send [environment] (self, key, value=None)",
    ),
    (
        "inventory.stock.connect",
        "function fancylib.client.connect [environment] (dsn, *, timeout=10.0)",
    ),
    ("inventory.stock.Client.sned", "unknown"),
    ("inventory.stock.connect.nope", "unknown"),
]


@pytest.mark.parametrize(
    ("target", "expected"), INSTALLED_CASES, ids=[c[0] for c in INSTALLED_CASES]
)
def test_installed_target_resolves_to(
    installed: Project, installed_workspace: Path, target: str, expected: str
) -> None:
    assert describe(installed.resolve_target(target), installed_workspace) == expected


def test_environment_targets_point_at_their_definition(installed: Project) -> None:
    resolution = installed.resolve_target("fancylib.client.connect")
    assert isinstance(resolution, Resolved)
    assert resolution.location is not None
    assert Path(resolution.location.path).parts[-3:] == ("site-packages", "fancylib", "client.py")
    assert (resolution.location.span.start.line, resolution.location.span.start.character) == (3, 4)


def test_the_workspace_virtual_environment_is_not_indexed(installed: Project) -> None:
    assert installed.index.snapshot().submodules("") == frozenset({"acme", "inventory", "tests"})


def test_an_unusable_interpreter_leaves_outside_targets_unknown(tmp_path: Path) -> None:
    project = Project(tmp_path, python=str(tmp_path / "no-such-python"), run_interpreter=True)
    assert project.resolve_target("os.path.join") is None
    assert project.complete("os.pa") == []


def marking_interpreter(path: Path, marker: Path) -> None:
    """A program at ``path`` that leaves ``marker`` when run, then runs the real Python."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"#!/bin/sh\ntouch '{marker}'\nexec '{sys.executable}' \"$@\"\n")
    path.chmod(0o755)


def fake_venv(root: Path, marker: Path) -> Path:
    """A virtual environment on disk whose interpreter marks when run; its site-packages."""
    venv = root / ".venv"
    marking_interpreter(venv / "bin" / "python", marker)
    (venv / "pyvenv.cfg").write_text("home = /usr/bin\nversion = 3.11.0\n")
    site = venv / "lib" / "python3.11" / "site-packages"
    (site / "venvlib").mkdir(parents=True)
    (site / "venvlib" / "__init__.py").write_text("def venv_function(a, b=1):\n    pass\n")
    return site


def test_without_leave_to_run_the_environment_is_read_from_its_files(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    workspace = tmp_path / "workspace"
    site = fake_venv(workspace, marker)
    (tmp_path / "elsewhere" / "pthlib").mkdir(parents=True)
    (tmp_path / "elsewhere" / "pthlib" / "__init__.py").write_text("VALUE = 1\n")
    (site / "extra.pth").write_text(
        f"# a comment\nimport os; os.system('touch {marker}')\n{tmp_path / 'elsewhere'}\n"
    )
    project = Project(workspace)
    project.scan()
    described = {
        target: describe(project.resolve_target(target), tmp_path)
        for target in ("venvlib.venv_function", "pthlib.VALUE", "os.getcwd", "venvlib.nope")
    }
    assert described == {
        "venvlib.venv_function": "function venvlib.venv_function [environment] (a, b=1)",
        "pthlib.VALUE": "constant pthlib.VALUE [environment]",
        "os.getcwd": "function os.getcwd [stdlib] () -> str",
        "venvlib.nope": "unresolved at 1 after 'venvlib'",
    }
    assert not marker.exists()


def test_with_leave_to_run_the_environment_runs_its_interpreter(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    marking_interpreter(tmp_path / ".venv" / "bin" / "python", marker)
    project = Project(tmp_path, run_interpreter=True)
    assert describe(project.resolve_target("os.getcwd"), tmp_path).startswith("function")
    assert marker.exists()


def test_a_program_named_as_interpreter_never_runs_without_leave(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    marking_interpreter(tmp_path / "tools" / "py", marker)
    project = Project(tmp_path, python=str(tmp_path / "tools" / "py"))
    assert describe(project.resolve_target("os.getcwd"), tmp_path).startswith("function")
    assert not marker.exists()


def test_a_workspace_module_over_the_size_limit_is_unread_not_empty(tmp_path: Path) -> None:
    line = "VALUE = 1\n"
    (tmp_path / "generated.py").write_text(line * (MAX_SOURCE_CHARACTERS // len(line) + 1))
    (tmp_path / "small.py").write_text(line)
    project = Project(tmp_path)
    project.scan()
    assert project.resolve_target("generated.VALUE") is None  # cannot tell, never "missing"
    assert project.resolve_target("generated.NOPE") is None
    assert isinstance(project.resolve_target("small.VALUE"), Resolved)
