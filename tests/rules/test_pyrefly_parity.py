"""Every patch target pyrefly's ``missing-attribute-patch-target`` reports, mockls reports too
(as ``unresolved-patch-target``), on a test module full of right and wrong targets.

pyrefly (a dev dependency) runs for real on a copy of the ``silent_mistakes`` fixture project.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from mockls.config import Settings
from mockls.linter import lint_source
from mockls.resolve.project import Project, ProjectFile

from .conftest import FIXTURES

TARGETS = """\
from unittest import mock
from unittest.mock import patch

from app import api
from app.api import Client


@patch("app.api.Client.base")
def test_instance_only(m): ...


@patch("app.api.Client.missing")
def test_missing_method(m): ...


@patch("app.api.Client.get")
def test_method(m): ...


@patch("app.api.Client.timeout", 1)
def test_class_attribute(): ...


@patch("app.api.Client.default")
def test_classmethod(m): ...


@patch("app.api.Clinet")
def test_missing_class(m): ...


@patch("app.notify.send_welcom")
def test_missing_function(m): ...


@patch("app.servce.fetch")
def test_missing_module(m): ...


def test_forms(mocker):
    mocker.patch("app.api.Client.bse")
    with mock.patch("app.api.Client.fetch"):
        pass
    with patch.object(Client, "mising"):
        pass
    patch.object(api, "Clent")
"""


def _pyrefly_lines(project: Path, test_file: Path) -> set[int]:
    result = subprocess.run(
        [
            str(Path(sys.executable).parent / "pyrefly"),
            "check",
            "--error",
            "missing-attribute-patch-target",
            "--output-format",
            "json",
            str(test_file.relative_to(project)),
        ],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    errors = json.loads(result.stdout)["errors"]
    return {error["line"] for error in errors if error["name"] == "missing-attribute-patch-target"}


def test_mockls_reports_every_patch_target_pyrefly_reports(tmp_path: Path) -> None:
    project_root = tmp_path / "project"
    shutil.copytree(FIXTURES / "silent_mistakes", project_root)
    (project_root / "pyproject.toml").write_text('[project]\nname = "app"\nversion = "0"\n')
    test_file = project_root / "tests" / "test_targets.py"
    test_file.write_text(TARGETS)

    pyrefly = _pyrefly_lines(project_root, test_file)
    project = Project(project_root)
    project.scan()
    findings = lint_source(
        TARGETS, "tests/test_targets.py", Settings(), ProjectFile(project, test_file)
    )
    mockls = {
        finding.span.start.line + 1
        for finding in findings
        if finding.code == "unresolved-patch-target"
    }

    assert pyrefly == {8, 12, 28, 32, 36}  # pyrefly 1.4.1 reads the string targets of `@patch`
    assert pyrefly <= mockls
    # and the forms pyrefly leaves out: mocker.patch, mock.patch, patch.object
    assert mockls == {8, 12, 28, 32, 36, 41, 44, 46}
