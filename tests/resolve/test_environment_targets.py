"""Resolving targets outside the workspace: the standard library and site-packages (jedi)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

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
    project = Project(tmp_path, python=str(tmp_path / "no-such-python"))
    assert project.resolve_target("os.path.join") is None
    assert project.complete("os.pa") == []
