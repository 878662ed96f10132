"""A module snapshot read in a workspace follows the modules its analysis depends on.

The workspace is the ``mock_reexports`` pattern project, indexed for real: its tests import
mock as ``from tests import mock``, which ``tests/__init__.py`` re-exports.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from mockls.analysis.snapshot import ModuleSnapshot
from mockls.resolve.project import Project, ProjectFile

PATTERN = Path(__file__).resolve().parents[1] / "fixtures" / "patterns" / "mock_reexports"
TEST_MODULE = Path("tests", "test_through_package.py")


@pytest.fixture
def project(tmp_path: Path) -> Project:
    root = tmp_path / "mock_reexports"
    shutil.copytree(PATTERN, root)
    project = Project(root)
    project.scan()
    return project


def snapshot_of(project: Project) -> ModuleSnapshot:
    assert project.root is not None
    path = project.root / TEST_MODULE
    return ModuleSnapshot(path.read_text(encoding="utf-8"), ProjectFile(project, path))


def targets(snapshot: ModuleSnapshot) -> list[str | None]:
    return [site.target for site in snapshot.model.patch_sites]


@pytest.mark.parametrize(
    ("package", "expected"),
    [
        pytest.param("mock = None\n", [], id="the-reexport-removed"),
        pytest.param(
            "from unittest import mock as mock\n",
            ["pkg.core.titel", "pkg.core.title"],
            id="an-alias",
        ),
        pytest.param("import mock\n", ["pkg.core.titel", "pkg.core.title"], id="the-backport"),
    ],
)
def test_a_changed_reexport_gives_a_new_model_and_tests(
    project: Project, package: str, expected: list[str | None]
) -> None:
    snapshot = snapshot_of(project)
    assert targets(snapshot) == ["pkg.core.titel", "pkg.core.title"]
    assert [test.name for test in snapshot.tests if test.patches] == [
        "test_misspelled_target",
        "test_correct",
    ]
    assert project.root is not None

    project.update_file(project.root / "tests" / "__init__.py", package)

    assert targets(snapshot) == expected
    assert len([test for test in snapshot.tests if test.patches]) == len(expected)


def test_a_change_elsewhere_keeps_the_model_read_before(project: Project) -> None:
    snapshot = snapshot_of(project)
    model, tests = snapshot.model, snapshot.tests
    assert project.root is not None

    core = project.root / "pkg" / "core.py"
    project.update_file(core, core.read_text(encoding="utf-8") + "\nEXTRA = 1\n")
    project.update_file(project.root / "tests" / "__init__.py", "from unittest import mock\n\n")

    assert snapshot.model is model
    assert snapshot.tests is tests
