"""docs/refactorings.md is executed: each example, a test module of ``examples/shop``, gets the
action it names at the place it names, and the action's result is the example's "after" text."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from mockls.config import Settings
from mockls.fixes.add_autospec import ADD_AUTOSPEC
from mockls.fixes.flatten_patches import ADD_CLEANUP, EXIT_STACK, MERGE, USE_MOCKER
from mockls.fixes.patches_to_setup import MOVE_DECORATORS, MOVE_WITH_BLOCKS
from mockls.fixes.quick_fixes import quick_fixes
from mockls.fixes.refactoring import ParsedModule
from mockls.fixes.refactorings import refactorings
from mockls.linter import lint_source
from mockls.resolve.project import Project, ProjectFile
from mockls.spans import Position, Span

REPOSITORY = Path(__file__).resolve().parents[2]
DOC = REPOSITORY / "docs" / "refactorings.md"
SHOP = REPOSITORY / "examples" / "shop"
EXAMPLE = SHOP / "tests" / "test_doc_example.py"

_QUOTED = r'"(?:[^"\\]|\\.)*"'
_MARKER = re.compile(rf"<!-- refactoring: at (?P<at>{_QUOTED}) apply (?P<apply>{_QUOTED}) -->")
_PYTHON = re.compile(r"^```python\n(?P<body>.*?)^```$", re.MULTILINE | re.DOTALL)


@dataclass(frozen=True)
class DocExample:
    at: str
    apply: str
    before: str
    after: str


def examples() -> list[DocExample]:
    text = DOC.read_text(encoding="utf-8")
    found: list[DocExample] = []
    for marker in _MARKER.finditer(text):
        before, after = list(_PYTHON.finditer(text, marker.end()))[:2]
        found.append(
            DocExample(
                json.loads(marker["at"]), json.loads(marker["apply"]), before["body"], after["body"]
            )
        )
    return found


EXAMPLES = examples()


@pytest.fixture(scope="module")
def shop() -> Project:
    project = Project(SHOP)
    project.scan()
    return project


def titles_and_results(source: str, cursor: Position, project: Project) -> dict[str, str]:
    project.update_file(EXAMPLE, source)
    try:
        project_file = ProjectFile(project, EXAMPLE)
        module = ParsedModule.of(source, project_file)
        assert module is not None
        selection = Span(cursor, cursor)
        findings = lint_source(source, "tests/test_doc_example.py", Settings(), project_file)
        offered = {
            fix.fix.title: fix.fixed_source for fix in quick_fixes(source, findings, selection)
        }
        for found in refactorings(module, selection):
            offered[found.refactoring.title] = found.fixed_source
        return offered
    finally:
        project.update_file(EXAMPLE, None)


@pytest.mark.parametrize("example", EXAMPLES, ids=[example.apply for example in EXAMPLES])
def test_the_example_is_what_the_action_does(example: DocExample, shop: Project) -> None:
    offset = example.before.index(example.at)
    line = example.before.count("\n", 0, offset)
    cursor = Position(line, offset - (example.before.rfind("\n", 0, offset) + 1))
    offered = titles_and_results(example.before, cursor, shop)
    assert example.apply in offered
    assert offered[example.apply] == example.after


def test_every_action_has_an_example() -> None:
    shown = {example.apply.split(" (warning")[0] for example in EXAMPLES}
    stop = "Stop the patcher when the test ends: `self.addCleanup(self.refund_patcher.stop)`"
    assert shown == {
        ADD_CLEANUP,
        USE_MOCKER,
        MERGE,
        EXIT_STACK,
        MOVE_WITH_BLOCKS,
        MOVE_DECORATORS,
        ADD_AUTOSPEC,
        stop,
    }
