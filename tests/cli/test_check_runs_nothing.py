"""A plain ``mockls check`` runs nothing of the workspace; ``--python`` and ``--verify`` may.

The workspace is planted with code that leaves a marker file when it runs: a fake
``.venv/bin/python`` (a script that marks, then runs the real interpreter), a ``conftest.py``,
a package whose ``__init__`` marks, and, in a second project, a marking script that
``[tool.mockls] python`` names. Its tests patch a target outside the workspace (what jedi
would ask the interpreter about) and one inside it (what the sandbox would import).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.cli.conftest import run_check

TEST_MODULE = """\
import os
from unittest.mock import patch

from pkg import user


@patch("os.getcwd")
def test_cwd(getcwd):
    assert os.getcwd() is getcwd.return_value


def test_use():
    with patch("pkg.core.helper"):
        assert user.use() == 1


def test_typo():
    with patch("os.path.jion"):
        pass
"""

FINDING = (
    "tests/test_use.py:18:25: unresolved-patch-target module `os.path` has no attribute `jion`;"
    " did you mean `join`? (the patch fails when it starts)"
)


def marking_interpreter(path: Path, marker: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"#!/bin/sh\ntouch '{marker}'\nexec '{sys.executable}' \"$@\"\n")
    path.chmod(0o755)


def plant(root: Path, markers: Path, pyproject: str) -> Path:
    (root / "pkg").mkdir(parents=True)
    (root / "tests").mkdir()
    (root / "pyproject.toml").write_text(pyproject)
    (root / "conftest.py").write_text(f"open({str(markers / 'conftest')!r}, 'a').close()\n")
    (root / "pkg" / "__init__.py").write_text(
        f"open({str(markers / 'package-init')!r}, 'a').close()\n"
    )
    (root / "pkg" / "core.py").write_text("def helper():\n    return 1\n")
    (root / "pkg" / "user.py").write_text(
        "from pkg.core import helper\n\n\ndef use():\n    return helper()\n"
    )
    (root / "tests" / "__init__.py").write_text("")
    (root / "tests" / "test_use.py").write_text(TEST_MODULE)
    return root


@pytest.fixture
def markers(tmp_path: Path) -> Path:
    directory = tmp_path / "markers"
    directory.mkdir()
    return directory


@pytest.fixture
def venv_project(tmp_path: Path, markers: Path) -> Path:
    root = plant(tmp_path / "venvapp", markers, '[project]\nname = "venvapp"\n')
    marking_interpreter(root / ".venv" / "bin" / "python", markers / "venv-python")
    return root


@pytest.fixture
def script_project(tmp_path: Path, markers: Path) -> Path:
    root = plant(
        tmp_path / "scriptapp",
        markers,
        '[project]\nname = "scriptapp"\n\n[tool.mockls]\npython = "tools/py"\n',
    )
    marking_interpreter(root / "tools" / "py", markers / "tool-python")
    return root


def ran(markers: Path) -> set[str]:
    return {path.name for path in markers.iterdir()}


@pytest.mark.parametrize("project", ["venv_project", "script_project"])
def test_a_plain_check_runs_nothing_and_still_resolves_outside_targets(
    project: str, markers: Path, request: pytest.FixtureRequest
) -> None:
    root: Path = request.getfixturevalue(project)
    outcome = run_check(root)
    assert FINDING in outcome.stdout.splitlines()
    assert ran(markers) == set()


def test_an_explicit_python_on_the_command_line_may_run(
    venv_project: Path, markers: Path, tmp_path: Path
) -> None:
    chosen = tmp_path / "chosen-python"
    marking_interpreter(chosen, markers / "chosen-python")
    outcome = run_check(venv_project, "--python", str(chosen))
    assert outcome.returncode == 1, outcome.stderr
    assert ran(markers) == {"chosen-python"}


def test_verify_runs_the_workspace(script_project: Path, markers: Path) -> None:
    outcome = run_check(script_project, "--verify")
    assert outcome.returncode == 1, outcome.stderr
    assert ran(markers) == {"tool-python", "conftest", "package-init"}
