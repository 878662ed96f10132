"""Tests run with ``pytest --mockls`` in the sandbox: which tests to run, and what their run
says, for the person who asked.

The tests of a module that start a patch (:func:`selected_tests`) run as one pytest run per
project (:meth:`~mockls.sandbox.SandboxPool.run_tests`). The run's facts are judged by
:mod:`mockls.runtime.judgement`, as after any ``pytest --mockls`` run; this module only says
how each test ended (:func:`run_lines`) and, for "Verify patches", what each patch of the
test did (:func:`usage_findings`: used, or not reached; information, not findings of a
mistake).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from mockls.analysis.discovery import TestItem
from mockls.analysis.snapshot import ModuleSnapshot
from mockls.findings import Finding, Severity
from mockls.resolve.project import ProjectFile
from mockls.runtime.facts import PatchFact, RunFacts
from mockls.sandbox import RunOutcome, SandboxFault, SuiteRun, TestEnd
from mockls.spans import Span

__all__ = [
    "SelectedTest",
    "facts_of",
    "judged_path",
    "run_lines",
    "run_summary",
    "selected_tests",
    "usage_findings",
]

CODE = "ineffective-patch"

_ENDED = {
    RunOutcome.PASSED: "passed",
    RunOutcome.FAILED: "failed",
    RunOutcome.ERROR: "ended with an error",
    RunOutcome.SKIPPED: "was skipped",
    RunOutcome.NOT_FOUND: "was not found",
    RunOutcome.UNAVAILABLE: "could not run",
}


@dataclass(frozen=True, slots=True)
class SelectedTest:
    """A test to run: the ``item`` of the file at ``path`` (absolute)."""

    __test__ = False  # not a pytest test class

    item: TestItem
    path: Path

    @property
    def node(self) -> str:
        """Its pytest node id, with the file's absolute path (what the run is given)."""
        return "::".join([str(self.path), *self.item.name.split(".")])

    def ran_as(self, end: TestEnd, root: str) -> bool:
        """Whether ``end`` (node id relative to ``root``, maybe parametrized) is this test."""
        node = end.node.partition("[")[0]
        return os.path.normpath(os.path.join(root, node)) == os.path.normpath(self.node)


def selected_tests(module: ModuleSnapshot, project: ProjectFile) -> list[SelectedTest]:
    """The tests of ``module`` that start a patch, when ``pytest`` run in the project root
    collects the file (:attr:`~mockls.resolve.project.ProjectFile.is_test_module`)."""
    path = project.path
    if path is None or not project.is_test_module:
        return []
    absolute = Path(os.path.abspath(path))
    return [SelectedTest(test, absolute) for test in module.tests if test.patches]


def judged_path(path: Path, run: SuiteRun) -> str:
    """``path`` as the run's facts name it: posix, relative to the run's root."""
    absolute = Path(os.path.abspath(path))
    root = Path(run.root)
    return (absolute.relative_to(root) if absolute.is_relative_to(root) else absolute).as_posix()


def facts_of(end: TestEnd, facts: RunFacts) -> list[PatchFact]:
    """The patches the test of ``end`` made, or tried to (its function-scoped fixtures'
    included; a session fixture's patch belongs to no test, even the first)."""
    return [fact for fact in facts.patches if fact.test == end.node and fact.scope == "function"]


def run_lines(tests: Sequence[SelectedTest], run: SuiteRun | SandboxFault) -> list[str]:
    """One line per test run, in the tests' order: how it ended and what became of its
    patches (:func:`run_summary`), or why it could not run."""
    lines: list[str] = []
    for test in tests:
        name = test.item.name
        if isinstance(run, SandboxFault):
            lines.append(f"`{name}` could not run: {run.message}")
            continue
        ends = [end for end in run.tests if test.ran_as(end, run.root)]
        if not ends:
            why = run.message or "pytest did not run it"
            lines.append(f"`{name}` could not run: {why}")
            continue
        for end in ends:
            shown = name + end.node.partition("[")[1] + end.node.partition("[")[2]
            if end.fault is not None:
                lines.append(f"`{shown}` could not run: {end.fault.message}")
                continue
            lines.append(run_summary(shown, end, run.runner, facts_of(end, run.facts)))
    return lines


def run_summary(name: str, end: TestEnd, runner: str, facts: Sequence[PatchFact]) -> str:
    """One sentence about a test's run: how it ended and what became of its patches."""
    text = f"`{name}` {_ENDED[end.outcome]} ({runner})"
    if end.message:
        text += f": {end.message}"
    targets = _by_target([fact for fact in facts if fact.started])
    failed = len({fact.site for fact in facts if not fact.started})
    failures = [f"{failed} patch{'es' if failed != 1 else ''} failed to start"] if failed else []
    if not targets:
        return "; ".join((f"{text}; it started no patch", *failures, *end.notes))
    used = sum(1 for starts in targets.values() if any(fact.call_count for fact in starts))
    missed = sum(
        1
        for starts in targets.values()
        if not any(fact.call_count for fact in starts)
        and any(fact.original_called for fact in starts)
    )
    counts = f"{len(targets)} patched target{'s' if len(targets) != 1 else ''}: {used} used"
    if missed:
        counts += f", {missed} never called while the original ran"
    return "; ".join((f"{text}; {counts}", *failures, *end.notes))


def usage_findings(
    name: str, facts: Sequence[PatchFact], path: str, source: str
) -> tuple[Finding, ...]:
    """What each patch ``path`` (as the facts name it) makes did while the test ``name`` ran,
    at its line: *used* (its mock was called), or never called while the original was not
    either (information; a patch that missed the code under test is
    :mod:`~mockls.runtime.judgement`'s warning)."""
    lines = source.splitlines()
    sites: dict[tuple[int, str], list[PatchFact]] = {}
    for fact in facts:
        if fact.started and fact.site is not None and fact.site.path == path:
            sites.setdefault((fact.site.line, fact.target), []).append(fact)
    findings: list[Finding] = []
    for (line, target), starts in sorted(sites.items()):
        calls = sum(fact.call_count for fact in starts)
        if calls:
            times = "once" if calls == 1 else f"{calls} times"
            message = f"used: `{target}` was called {times} while `{name}` ran"
        elif any(fact.original_called for fact in starts):
            continue  # the run's judgement says it missed
        elif any(fact.original_called is False for fact in starts):
            message = f"never called while `{name}` ran, and neither was the original `{target}`"
        else:
            message = (
                f"never called while `{name}` ran (whether the original `{target}` ran cannot"
                " be seen: it is not a function)"
            )
        text = lines[line - 1] if 0 < line <= len(lines) else ""
        indent = len(text) - len(text.lstrip())
        span = Span.of(line - 1, indent, line - 1, len(text.rstrip()))
        findings.append(Finding(CODE, message, span, Severity.INFORMATION))
    return tuple(findings)


def _by_target(facts: Sequence[PatchFact]) -> dict[str, list[PatchFact]]:
    targets: dict[str, list[PatchFact]] = {}
    for fact in facts:
        targets.setdefault(fact.target, []).append(fact)
    return targets
