"""A module's analysis is freed by reference counting alone: it leaves no reference cycles.

The server keeps the analysis of a big document away from the cyclic garbage collector while
it is built and for as long as it lives (``mockls.collector``). That is only safe when building
it leaves no cyclic garbage behind and dropping it frees everything: otherwise what the
collector was kept away from would never be freed. Each case builds every fact of a snapshot
(the model, the findings, the syntax tree, the tests) with the collector off, drops it, and
counts what a collection then finds.
"""

from __future__ import annotations

import gc
import shutil
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from mockls.analysis.snapshot import ModuleSnapshot
from mockls.config import Settings
from mockls.linter import lint_module
from mockls.resolve.project import Project, ProjectFile

REPOSITORY = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPOSITORY / "benchmarks"))
from generate import generate_test_module  # noqa: E402  (benchmarks/ is put on the path just above)

CONSTANTS_AND_RESETS = """\
from unittest import mock


def test_resets():
    m = mock.Mock(return_value=-1, side_effect=None)
    with mock.patch("os.getcwd", create=False, new=+2.5):
        m()
    m.call_count = 0
    m.called = False
    m.call_args_list = []
    m.mock_calls = list()
    m.call_args = 0 + 0j
"""

BROKEN = """\
from unittest import mock

class TestBroken(TestCase):
    @mock.patch("a.b")
    def test_one(self, b):
        b.assert_called_once_wtih(
    def test_two(self
"""

MODULES = {
    "generated": generate_test_module(400),
    "constants and resets": CONSTANTS_AND_RESETS,
    "broken": BROKEN,
    **{
        f"fixtures/{path.relative_to(REPOSITORY / 'tests' / 'fixtures')}": path.read_text(
            encoding="utf-8"
        )
        for path in sorted((REPOSITORY / "tests" / "fixtures" / "silent_mistakes").rglob("*.py"))
    },
}


def build_every_fact(snapshot: ModuleSnapshot, project: ProjectFile | None = None) -> None:
    assert lint_module(snapshot, "tests/test_module.py", Settings(), project) is not None
    snapshot.tree  # noqa: B018  (the refactorings' tree: built for what it leaves behind)
    assert snapshot.tests is not None


@pytest.fixture
def cyclic_garbage() -> Iterator[Callable[[], Counter[str]]]:
    """Run the test with the cyclic collector off; the returned function collects and tells
    what was cyclic garbage, by type."""
    gc.collect()
    was_enabled = gc.isenabled()
    gc.disable()

    def collect() -> Counter[str]:
        gc.set_debug(gc.DEBUG_SAVEALL)
        try:
            gc.collect()
            found = Counter(type(thing).__qualname__ for thing in gc.garbage)
        finally:
            gc.set_debug(0)
            gc.garbage.clear()
            gc.collect()
        return found

    try:
        yield collect
    finally:
        if was_enabled:
            gc.enable()


@pytest.mark.parametrize("name", sorted(MODULES))
def test_building_and_dropping_the_analysis_leaves_no_cyclic_garbage(
    name: str, cyclic_garbage: Callable[[], Counter[str]]
) -> None:
    snapshot = ModuleSnapshot(MODULES[name])
    build_every_fact(snapshot)
    assert cyclic_garbage() == Counter(), "built while the snapshot lives"
    del snapshot
    assert cyclic_garbage() == Counter(), "left when the snapshot is dropped"


def test_the_analysis_read_in_a_workspace_leaves_no_cyclic_garbage(
    tmp_path: Path, cyclic_garbage: Callable[[], Counter[str]]
) -> None:
    root = tmp_path / "mock_reexports"
    shutil.copytree(REPOSITORY / "tests" / "fixtures" / "patterns" / "mock_reexports", root)
    project = Project(root)
    project.scan()
    path = root / "tests" / "test_through_package.py"
    workspace = ProjectFile(project, path)
    cyclic_garbage()  # what indexing the workspace left, not the analysis
    snapshot = ModuleSnapshot(path.read_text(encoding="utf-8"), workspace)
    build_every_fact(snapshot, workspace)
    del snapshot
    assert cyclic_garbage() == Counter()
