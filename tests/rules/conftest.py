"""Running one rule on a snippet through the real analysis, and applying its quick-fixes.

Positions in the tables are 0-based, like :class:`~mockls.spans.Span`: line 0 is the first line
of the snippet.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from mockls.analysis.builder import build_model
from mockls.findings import Finding, Fix
from mockls.fixes.edits import apply_edits
from mockls.resolve.project import Project, ProjectFile
from mockls.rules import Rule, RuleContext
from mockls.spans import LineIndex

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


@dataclass(frozen=True)
class RuleRun:
    """What one rule found in one snippet."""

    source: str
    findings: list[Finding]

    def renames(self) -> list[tuple[int, int, tuple[str, ...]]]:
        """``(line, column, names the fixes rename to)`` for each finding, in order."""
        return [
            (
                finding.span.start.line,
                finding.span.start.character,
                tuple(fix.edits[0].new_text for fix in finding.fixes),
            )
            for finding in self.findings
        ]

    def fixed(self) -> str:
        """The snippet with the first fix of every finding applied (a fix shared by several
        findings once), checked to still parse."""
        fixes: list[Fix] = []
        for finding in self.findings:
            if finding.fixes and finding.fixes[0] not in fixes:
                fixes.append(finding.fixes[0])
        result = apply_edits(self.source, [edit for fix in fixes for edit in fix.edits])
        ast.parse(result)
        return result


def _run(rule: Rule, source: str, project: ProjectFile | None = None) -> RuleRun:
    context = RuleContext(
        model=build_model(source),
        source=source,
        path="tests/test_snippet.py",
        lines=LineIndex(source),
        project=project,
    )
    findings = sorted(
        rule.check(context), key=lambda finding: (finding.span.start, finding.message)
    )
    return RuleRun(source, findings)


@pytest.fixture
def run_rule() -> Callable[[Rule, str], RuleRun]:
    """Run a rule on a snippet: ``run_rule(RULE, source)``."""
    return _run


@pytest.fixture(scope="session")
def where_to_patch() -> Project:
    """The project ``tests/fixtures/where_to_patch`` (its README says what is where), scanned."""
    project = Project(FIXTURES / "where_to_patch")
    project.scan()
    return project


def _runner(project: Project) -> Iterator[Callable[[Rule, str], RuleRun]]:
    """Run a rule on a snippet as the test module ``tests/test_snippet.py`` of ``project``.

    The snippet reaches the project's index the way an editor's unsaved buffer does, and is
    taken out again afterwards.
    """
    assert project.root is not None
    path = project.root / "tests" / "test_snippet.py"

    def run(rule: Rule, source: str) -> RuleRun:
        project.update_file(path, source)
        return _run(rule, source, ProjectFile(project, path))

    yield run
    project.update_file(path, None)


@pytest.fixture
def run_rule_in_project(where_to_patch: Project) -> Iterator[Callable[[Rule, str], RuleRun]]:
    """Run a rule on a snippet as ``tests/test_snippet.py`` of the ``where_to_patch`` project:
    ``run_rule_in_project(RULE, source)``."""
    yield from _runner(where_to_patch)


@pytest.fixture(scope="session")
def silent_mistakes() -> Project:
    """The project ``tests/fixtures/silent_mistakes`` (its README says what is where), scanned."""
    project = Project(FIXTURES / "silent_mistakes")
    project.scan()
    return project


@pytest.fixture
def run_rule_in_silent_mistakes(
    silent_mistakes: Project,
) -> Iterator[Callable[[Rule, str], RuleRun]]:
    """Run a rule on a snippet as ``tests/test_snippet.py`` of the ``silent_mistakes``
    project: ``run_rule_in_silent_mistakes(RULE, source)``."""
    yield from _runner(silent_mistakes)
