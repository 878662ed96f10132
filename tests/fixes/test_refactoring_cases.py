"""The golden refactoring cases: at the marker exactly the listed actions are offered, and the
one applied gives ``after.py`` byte for byte (line breaks and tabs included), valid Python."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from mockls.analysis.builder import build_model
from mockls.analysis.discovery import find_tests
from mockls.config import Settings
from mockls.fixes.quick_fixes import is_valid_python, quick_fixes
from mockls.fixes.refactoring import ParsedModule
from mockls.fixes.refactorings import refactorings
from mockls.linter import lint_source
from mockls.resolve.project import Project, ProjectFile

if TYPE_CHECKING:
    from conftest import GoldenCase


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """A workspace the cases' test modules live in; their targets are in the standard library."""
    root = tmp_path_factory.mktemp("refactor-workspace")
    (root / "tests").mkdir()
    project = Project(root)
    project.scan()
    return project


def offered_actions(case: GoldenCase, project: Project) -> list[tuple[str, str]]:
    """``(title, whole fixed source)`` of every action at the case's marker, quick-fixes first."""
    assert project.root is not None
    path = project.root / "tests" / f"{case.module_name}.py"
    project.update_file(path, case.source)
    project_file = ProjectFile(project, path)
    module = ParsedModule.of(case.source, project_file)
    assert module is not None, "the case's source must be valid Python"
    relative = Path("tests", path.name).as_posix()
    findings = lint_source(case.source, relative, Settings(), project_file)
    fixes = quick_fixes(case.source, findings, case.selection)
    return [(fix.fix.title, fix.fixed_source) for fix in fixes] + [
        (offered.refactoring.title, offered.fixed_source)
        for offered in refactorings(module, case.selection)
    ]


def test_the_case_gives_its_actions_and_result(golden_case: GoldenCase, project: Project) -> None:
    actions = offered_actions(golden_case, project)
    assert [title for title, _ in actions] == golden_case.offered
    if golden_case.apply is None:
        assert golden_case.after is None, "after.py without an action to apply"
        return
    assert golden_case.after is not None, "an action to apply needs after.py"
    result = dict(actions)[golden_case.apply]
    assert result == golden_case.after
    assert is_valid_python(result)


def test_each_applied_refactoring_names_tests_of_its_module(
    golden_cases: list[GoldenCase], project: Project
) -> None:
    """What a proof by execution runs: tests the module has (as discovery finds them)."""
    assert project.root is not None
    named: dict[str, tuple[str, ...]] = {}
    unknown: dict[str, set[str]] = {}
    for case in golden_cases:
        offered_actions(case, project)  # the case's module, in the project
        path = project.root / "tests" / f"{case.module_name}.py"
        module = ParsedModule.of(case.source, ProjectFile(project, path))
        assert module is not None
        for offered in refactorings(module, case.selection):
            if offered.refactoring.title != case.apply:
                continue
            tests = offered.refactoring.tests
            named[case.name] = tests
            found = {test.name for test in find_tests(case.source, build_model(case.source))}
            if not tests or not set(tests) <= found:
                unknown[case.name] = set(tests) - found or {"(none)"}
    assert len(named) >= 20
    assert unknown == {}


def test_there_are_enough_cases(golden_cases: list[GoldenCase]) -> None:
    applied = [case for case in golden_cases if case.apply is not None]
    refused = [case for case in golden_cases if not case.offered]
    assert len(golden_cases) >= 25
    assert len(applied) >= 18
    assert len(refused) >= 5
