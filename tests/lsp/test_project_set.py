"""The server's projects: one per folder (or outside project), scanned and updated in order."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Executor, Future
from pathlib import Path
from typing import Any

import pytest

from mockls.lsp.project import LONG_TEXT_CHARACTERS, READ_DISK, ProjectSet
from mockls.lsp.settings import SettingsProvider
from mockls.resolve.project import Project, ProjectFile


class RecordingProject(Project):
    """A real project that also records what it was asked to do."""

    def __init__(
        self,
        root: Path | None,
        python: str | None = None,
        source_roots: tuple[str, ...] = (),
        *,
        run_interpreter: bool = False,
    ) -> None:
        super().__init__(root, python, source_roots, run_interpreter=run_interpreter)
        self.calls: list[tuple[str, ...]] = []

    def scan(self) -> None:
        self.calls.append(("scan",))
        super().scan()

    def update_file(self, path: Path, text: str | None) -> None:
        assert self.root is not None
        self.calls.append(("update", path.relative_to(self.root).as_posix(), repr(text)))
        super().update_file(path, text)


class QueuedExecutor(Executor):
    """Runs submitted work only when the test says so, in order."""

    def __init__(self) -> None:
        self.queue: list[tuple[Future[Any], Callable[[], Any]]] = []

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        self.queue.append((future, lambda: fn(*args, **kwargs)))
        return future

    def run(self) -> None:
        while self.queue:
            future, work = self.queue.pop(0)
            if future.set_running_or_notify_cancel():
                future.set_result(work())


class Harness:
    def __init__(self, folders: list[Path]) -> None:
        self.executor = QueuedExecutor()
        self.long_texts = QueuedExecutor()
        self.settings = SettingsProvider()
        self.projects = ProjectSet(
            self.settings,
            executor=self.executor,
            long_texts=self.long_texts,
            make_project=self.make_project,
        )
        self.made: list[RecordingProject] = []
        self.scanned: list[Path] = []
        self.updated: list[tuple[Path, ...]] = []
        self.tests_renamed: list[Path] = []
        self.open: dict[Path, str] = {}
        self.projects.connect(
            lambda callback: callback(),
            lambda root: [(path, text) for path, text in self.open.items() if root in path.parents],
        )
        self.projects.on_scanned = self.scanned.append
        self.projects.on_updated = self.updated.append
        self.projects.on_pytest_options_changed = self.tests_renamed.append
        self.settings.set_workspace_folders(folders)

    def make_project(
        self, root: Path, python: str | None, source_roots: tuple[str, ...], run_interpreter: bool
    ) -> Project:
        project = RecordingProject(root, python, source_roots, run_interpreter=run_interpreter)
        self.made.append(project)
        return project


def write(root: Path, files: dict[str, str]) -> None:
    for relative, text in files.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(text, encoding="utf-8")


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    root = tmp_path / "workspace"
    write(root, {"pyproject.toml": "[project]\nname = 'shop'\n", "shop/__init__.py": ""})
    return root


def test_a_folder_project_is_handed_out_once_scanned(workspace: Path) -> None:
    harness = Harness([workspace])
    test_file = workspace / "tests" / "test_shop.py"
    harness.projects.start()
    assert harness.projects.project_file(test_file) is None  # queued, not scanned yet

    harness.executor.run()

    (project,) = harness.made
    assert project.calls == [("scan",)]
    assert harness.projects.project_file(test_file) == ProjectFile(project, test_file)
    assert harness.projects.project_file(None) == ProjectFile(project, None)
    assert harness.scanned == [workspace]


def test_a_file_outside_every_folder_gets_its_pyproject_root(
    workspace: Path, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    write(elsewhere, {"pyproject.toml": "", "tests/test_x.py": ""})
    write(tmp_path, {"loose/test_y.py": ""})
    harness = Harness([workspace])
    harness.projects.start()

    assert harness.projects.project_file(elsewhere / "tests" / "test_x.py") is None
    assert harness.projects.project_file(tmp_path / "loose" / "test_y.py") is None
    harness.executor.run()

    assert [project.root for project in harness.made] == [workspace, elsewhere]
    found = harness.projects.project_file(elsewhere / "tests" / "test_x.py")
    assert found is not None
    assert found.project is harness.made[1]
    assert harness.projects.project_file(tmp_path / "loose" / "test_y.py") is None


def test_updates_run_after_the_scan_and_a_burst_collapses_into_the_last(workspace: Path) -> None:
    harness = Harness([workspace])
    harness.projects.start()
    payments = workspace / "shop" / "payments.py"
    harness.projects.file_changed(payments, "def charge(): ...\n")  # before the scan ends
    harness.executor.run()
    harness.projects.file_changed(payments, "def charge(a): ...\n")
    harness.projects.file_changed(payments, "def charge(a, b): ...\n")
    harness.executor.run()

    assert harness.made[0].calls == [
        ("scan",),
        ("update", "shop/payments.py", repr("def charge(): ...\n")),
        ("update", "shop/payments.py", repr("def charge(a, b): ...\n")),
    ]
    assert harness.updated == [(payments,), (payments,)]


def test_a_long_text_is_indexed_apart_so_that_requests_do_not_wait_for_it(
    workspace: Path,
) -> None:
    harness = Harness([workspace])
    harness.projects.start()
    harness.executor.run()
    generated = workspace / "tests" / "test_generated.py"
    long_text = "x = 1\n" * (LONG_TEXT_CHARACTERS // 6 + 1)
    harness.projects.file_changed(generated, long_text)
    payments = workspace / "shop" / "payments.py"
    harness.projects.file_changed(payments, "def charge(): ...\n")

    harness.executor.run()  # what a request waits for (ready_project_file)
    assert harness.made[0].calls == [
        ("scan",),
        ("update", "shop/payments.py", repr("def charge(): ...\n")),
    ]
    harness.long_texts.run()
    assert harness.made[0].calls[-1] == ("update", "tests/test_generated.py", repr(long_text))


def test_a_long_file_read_again_from_disk_is_indexed_apart_too(workspace: Path) -> None:
    harness = Harness([workspace])
    harness.projects.start()
    harness.executor.run()
    generated = workspace / "tests" / "test_generated.py"
    long_text = "x = 1\n" * (LONG_TEXT_CHARACTERS // 6 + 1)
    write(workspace, {"tests/test_generated.py": long_text})
    harness.projects.file_changed(generated, READ_DISK)  # closed in the editor

    harness.executor.run()
    assert harness.made[0].calls == [("scan",)]
    harness.long_texts.run()
    assert harness.made[0].calls[-1] == ("update", "tests/test_generated.py", repr(long_text))


def test_a_long_text_replaced_before_it_is_indexed_leaves_only_the_newest(
    workspace: Path,
) -> None:
    harness = Harness([workspace])
    harness.projects.start()
    harness.executor.run()
    generated = workspace / "tests" / "test_generated.py"
    harness.projects.file_changed(generated, "x = 1\n" * (LONG_TEXT_CHARACTERS // 6 + 1))
    harness.projects.file_changed(generated, "x = 2\n")  # cut down meanwhile

    harness.executor.run()
    harness.long_texts.run()
    assert harness.made[0].calls == [
        ("scan",),
        ("update", "tests/test_generated.py", repr("x = 2\n")),
    ]


def test_an_opened_document_counts_only_when_it_differs_from_its_file(workspace: Path) -> None:
    write(workspace, {"shop/payments.py": "def charge(): ...\n"})
    harness = Harness([workspace])
    harness.projects.start()
    harness.executor.run()
    payments = workspace / "shop" / "payments.py"

    harness.projects.file_changed(payments, "def charge(): ...\n", unless_on_disk=True)
    harness.executor.run()
    assert harness.made[0].calls == [("scan",)]

    harness.projects.file_changed(payments, "def charge(unsaved): ...\n", unless_on_disk=True)
    harness.projects.file_changed(workspace / "shop" / "orders.py", READ_DISK)  # not there
    harness.executor.run()
    assert harness.made[0].calls == [
        ("scan",),
        ("update", "shop/payments.py", repr("def charge(unsaved): ...\n")),
        ("update", "shop/orders.py", "None"),
    ]


def test_reading_the_disk_again_changes_nothing_when_the_index_has_that_text(
    workspace: Path,
) -> None:
    harness = Harness([workspace])
    harness.projects.start()
    harness.executor.run()
    payments = workspace / "shop" / "payments.py"
    harness.projects.file_changed(payments, "def charge(): ...\n")  # typed in the editor
    write(workspace, {"shop/payments.py": "def charge(): ...\n"})  # then saved

    harness.projects.file_changed(payments, READ_DISK)
    harness.executor.run()

    assert harness.made[0].calls == [
        ("scan",),
        ("update", "shop/payments.py", repr("def charge(): ...\n")),
    ]
    assert harness.updated == [(payments,)]


def test_unsaved_texts_of_open_documents_are_indexed_after_a_scan(workspace: Path) -> None:
    write(workspace, {"shop/payments.py": "def charge(): ...\n"})
    harness = Harness([workspace])
    payments = workspace / "shop" / "payments.py"
    harness.open[payments] = "def charge(unsaved): ...\n"
    harness.projects.start()
    harness.executor.run()

    assert harness.made[0].calls == [
        ("scan",),
        ("update", "shop/payments.py", repr("def charge(unsaved): ...\n")),
    ]


def test_a_changed_interpreter_setting_makes_a_new_project(workspace: Path) -> None:
    harness = Harness([workspace])
    harness.projects.start()
    harness.executor.run()
    test_file = workspace / "tests" / "test_shop.py"

    harness.settings.set_editor_settings({"interpreter": "/opt/python/bin/python3"})
    assert harness.projects.project_file(test_file) is None  # the new one is not scanned yet
    harness.executor.run()

    assert [project.python for project in harness.made] == [None, "/opt/python/bin/python3"]
    assert harness.projects.project_file(test_file) == ProjectFile(harness.made[1], test_file)


def test_a_changed_pytest_naming_is_taken_without_a_new_scan(workspace: Path) -> None:
    harness = Harness([workspace])
    harness.projects.start()
    harness.executor.run()
    (project,) = harness.made
    test_file = workspace / "tests" / "test_shop.py"
    assert not project.pytest.naming.is_test_class("test_refunds")

    write(workspace, {"tox.ini": "[pytest]\npython_classes = test_*\n"})
    harness.projects.pytest_configuration_changed(workspace / "tox.ini")
    harness.executor.run()

    assert project.pytest.naming.is_test_class("test_refunds")
    assert harness.projects.project_file(test_file) == ProjectFile(project, test_file)
    assert project.calls == [("scan",)]  # the index is untouched
    assert harness.tests_renamed == [workspace]


def test_a_pytest_configuration_that_says_the_same_or_is_not_the_roots_changes_nothing(
    workspace: Path,
) -> None:
    write(workspace, {"pytest.ini": "[pytest]\npython_classes = Check\n"})
    harness = Harness([workspace])
    harness.projects.start()
    harness.executor.run()

    write(workspace, {"pytest.ini": "[pytest]\n# a comment\npython_classes = Check\n"})
    harness.projects.pytest_configuration_changed(workspace / "pytest.ini")
    write(workspace, {"tests/pytest.ini": "[pytest]\npython_classes = Other\n"})
    harness.projects.pytest_configuration_changed(workspace / "tests" / "pytest.ini")
    harness.projects.pytest_configuration_changed(workspace / "shop" / "__init__.py")
    harness.executor.run()

    (project,) = harness.made
    assert project.pytest.naming.classes == ("Check",)
    assert harness.tests_renamed == []


def test_a_changed_pytest_pythonpath_makes_a_new_project(workspace: Path) -> None:
    harness = Harness([workspace])
    harness.projects.start()
    harness.executor.run()
    test_file = workspace / "tests" / "test_shop.py"

    write(workspace, {"pytest.ini": "[pytest]\npythonpath = lib\n", "lib/helpers.py": ""})
    harness.projects.pytest_configuration_changed(workspace / "pytest.ini")
    harness.executor.run()

    _first, second = harness.made
    assert second.module_name(workspace / "lib" / "helpers.py") == "helpers"
    assert second.calls == [("scan",)]
    assert harness.projects.project_file(test_file) == ProjectFile(second, test_file)
    assert harness.scanned == [workspace, workspace]


def test_changed_workspace_folders(workspace: Path, tmp_path: Path) -> None:
    second = tmp_path / "second"
    second.mkdir()
    harness = Harness([workspace])
    harness.projects.start()
    harness.executor.run()

    harness.settings.change_workspace_folders(added=[second], removed=[workspace])
    scans = harness.projects.follow_folders()
    harness.executor.run()

    assert [future.done() for future in scans] == [True]
    assert [project.root for project in harness.made] == [workspace, second]
    assert harness.projects.project_file(second / "test_a.py") is not None
    assert harness.projects.project_file(workspace / "test_b.py") is None


def test_a_directory_created_or_deleted_outside_the_editor(workspace: Path) -> None:
    harness = Harness([workspace])
    harness.projects.start()
    harness.executor.run()
    write(workspace, {"shop/extras/__init__.py": "", "shop/extras/tools.py": "def helper(): ...\n"})

    harness.projects.tree_changed(workspace / "shop" / "extras")
    harness.executor.run()
    for path in (workspace / "shop" / "extras").rglob("*.py"):
        path.unlink()
    (workspace / "shop" / "extras").rmdir()
    harness.projects.tree_changed(workspace / "shop" / "extras")
    harness.projects.tree_changed(workspace / "node_modules" / "left-pad")
    harness.executor.run()

    assert harness.made[0].calls == [
        ("scan",),
        ("update", "shop/extras/__init__.py", "''"),
        ("update", "shop/extras/tools.py", repr("def helper(): ...\n")),
        ("update", "shop/extras/__init__.py", "None"),
        ("update", "shop/extras/tools.py", "None"),
    ]
