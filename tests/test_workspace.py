"""The workspace model: which root a file belongs to, one project per root, stale settings."""

from __future__ import annotations

from pathlib import Path

import pytest

from mockls.config import Settings
from mockls.resolve.project import ProjectFile
from mockls.workspace import Workspace

TREE = (
    "folder/pyproject.toml",
    "folder/nested/pyproject.toml",
    "folder/nested/tests/test_a.py",
    "outside/pyproject.toml",
    "outside/tests/test_b.py",
    "marked/setup.py",
    "marked/tests/test_c.py",
    "bare/tests/test_d.py",
)


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """Empty files where :data:`TREE` says."""
    for relative in TREE:
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).touch()
    return tmp_path


@pytest.mark.parametrize(
    ("file", "root"),
    [
        pytest.param("folder/nested/tests/test_a.py", "folder", id="the-innermost-folder"),
        pytest.param("outside/tests/test_b.py", "outside", id="else-the-nearest-pyproject"),
        pytest.param("marked/tests/test_c.py", "marked", id="else-a-project-marker"),
        pytest.param("bare/tests/test_d.py", "fallback", id="else-the-fallback-root"),
    ],
)
def test_a_file_belongs_to_the_root_of_its_project(tree: Path, file: str, root: str) -> None:
    workspace = Workspace(
        lambda _root: Settings(),
        lambda _settings: False,
        folders=lambda: [tree / "folder"],
        fallback_root=tree / "fallback",
    )

    assert workspace.root_of(tree / file) == tree / root


def test_each_root_has_one_project_made_from_its_settings_and_scanned_once(tree: Path) -> None:
    settings = {tree / "outside": Settings(python="/usr/bin/python3", source_roots=("src",))}
    workspace = Workspace(lambda root: settings.get(root, Settings()), lambda s: s.trusted)
    path = tree / "outside" / "tests" / "test_b.py"
    root = workspace.root_of(path)
    assert root is not None

    made = workspace.new_project(root)
    assert made.file(path) is None  # not scanned yet
    assert made.scan() is True
    assert made.scan() is False  # once

    assert workspace.project_at(root) is made
    assert workspace.projects_holding(path) == [made]
    assert made.interpreter == ("/usr/bin/python3", True)
    assert made.source_roots == ("src",)
    assert made.file(path) == ProjectFile(made.project, path)


def test_a_project_whose_settings_changed_is_stale_until_made_again(tree: Path) -> None:
    settings: dict[str, str | None] = {"python": None}
    workspace = Workspace(lambda _root: Settings(python=settings["python"]), lambda _s: False)
    folder = workspace.new_project(tree / "folder", is_folder=True)
    outside = workspace.new_project(tree / "outside", is_folder=True)
    assert workspace.stale_projects() == []

    settings["python"] = "/opt/python"

    assert workspace.stale_projects() == [folder, outside]
    again = workspace.new_project(tree / "folder", is_folder=True)
    assert workspace.stale_projects() == [outside]
    assert again.interpreter == ("/opt/python", False)


def test_a_folder_removed_from_the_workspace_loses_its_project(tree: Path) -> None:
    folders = [tree / "folder", tree / "outside"]
    workspace = Workspace(
        lambda _root: Settings(), lambda _settings: False, folders=lambda: folders
    )
    workspace.new_project(tree / "folder", is_folder=True)
    kept = workspace.new_project(tree / "outside", is_folder=True)

    folders.remove(tree / "folder")
    workspace.forget_removed_folders()

    assert workspace.project_at(tree / "folder") is None
    assert workspace.project_at(tree / "outside") is kept
