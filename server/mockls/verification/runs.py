"""One test run in the sandbox, as a finding per patch the test started.

Each patch the run reports is matched with the patch sites written for the test (by the
dotted name they patch) and reported there with the code ``ineffective-patch``: *used* (its
mock was called), *never called* while the code under test called the original instead (a
warning, with where the original was called from), or never called and the original not
either. A patch no site of the file accounts for (a fixture of another file) is reported on
the test's name.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from mockls.analysis.discovery import TestItem
from mockls.analysis.model import PatchSite
from mockls.findings import Finding, RelatedLocation, Severity
from mockls.resolve.patch_reach import patched_names
from mockls.resolve.project import ProjectFile
from mockls.sandbox import PatchUsage, RunOutcome, TestRun
from mockls.spans import Span

__all__ = ["run_findings", "run_summary", "used_spans"]

CODE = "ineffective-patch"


@dataclass(frozen=True, slots=True)
class _Target:
    """Every start of the patches of one target during the run."""

    name: str
    call_count: int
    original_called: bool | None
    callers: tuple[tuple[str, int], ...]


def run_findings(test: TestItem, run: TestRun, project: ProjectFile) -> tuple[Finding, ...]:
    """A finding per patched target of ``run``, at each site of ``test`` that patches it."""
    sites = _sites_by_name(test, project)
    root = project.project.root
    findings: list[Finding] = []
    for target in _targets(run.patches):
        spans = [site.target_span or site.span for site in sites.get(target.name, ())]
        finding = _finding(target, test, root)
        findings.extend(replace(finding, span=span) for span in spans or [test.span])
    findings.sort(key=lambda finding: (finding.span.start, finding.message))
    return tuple(findings)


def used_spans(test: TestItem, run: TestRun, project: ProjectFile) -> set[Span]:
    """Where ``test`` makes the patches whose mocks ``run`` saw called: no finding that says
    they miss the code under test stands there (the run has the last word)."""
    sites = _sites_by_name(test, project)
    return {
        site.target_span or site.span
        for target in _targets(run.patches)
        if target.call_count
        for site in sites.get(target.name, ())
    }


def _sites_by_name(test: TestItem, project: ProjectFile) -> dict[str, list[PatchSite]]:
    """``test``'s patch sites by each dotted name they patch."""
    sites: dict[str, list[PatchSite]] = {}
    for site in test.patches:
        for name in patched_names(site, project):
            sites.setdefault(name, []).append(site)
    return sites


def run_summary(test: TestItem, run: TestRun) -> str:
    """One sentence about the run: how the test ended and what became of its patches."""
    targets = _targets(run.patches)
    missed = sum(1 for target in targets if not target.call_count and target.original_called)
    used = sum(1 for target in targets if target.call_count)
    ended = {
        RunOutcome.PASSED: "passed",
        RunOutcome.FAILED: "failed",
        RunOutcome.ERROR: "ended with an error",
        RunOutcome.SKIPPED: "was skipped",
        RunOutcome.NOT_FOUND: "was not found",
        RunOutcome.UNAVAILABLE: "could not run",
    }[run.outcome]
    text = f"`{test.name}` {ended} ({run.runner})"
    if run.message:
        text += f": {run.message}"
    if not targets:
        return f"{text}; it started no patch"
    counts = f"{len(targets)} patched target{'s' if len(targets) != 1 else ''}: {used} used"
    if missed:
        counts += f", {missed} never called while the original ran"
    return f"{text}; {counts}"


def _targets(usages: Sequence[PatchUsage]) -> list[_Target]:
    """The run's patches by target, each start of one counted together."""
    merged: dict[str, _Target] = {}
    for usage in usages:
        name = usage.target or f"{usage.module or '?'}.{usage.attribute}"
        known = merged.get(name)
        if known is None:
            merged[name] = _Target(name, usage.call_count, usage.original_called, usage.callers)
            continue
        original = (
            None
            if known.original_called is None and usage.original_called is None
            else bool(known.original_called or usage.original_called)
        )
        callers = tuple(dict.fromkeys((*known.callers, *usage.callers)))
        merged[name] = _Target(name, known.call_count + usage.call_count, original, callers)
    return list(merged.values())


def _finding(target: _Target, test: TestItem, root: Path | None) -> Finding:
    name = f"`{target.name}`"
    if target.call_count:
        times = "once" if target.call_count == 1 else f"{target.call_count} times"
        return _result(
            f"used: {name} was called {times} while `{test.name}` ran", Severity.INFORMATION
        )
    if target.original_called:
        places = ", ".join(_shown(path, line, root) for path, line in target.callers)
        where = f" ({places})" if places else ""
        return _result(
            f"never called — the code under test called the original {name}{where}"
            f" while `{test.name}` ran: patch it where that code looks it up",
            Severity.WARNING,
            tuple(
                RelatedLocation(
                    path, Span.of(line - 1, 0, line, 0), f"the original {name} is called here"
                )
                for path, line in target.callers
            ),
        )
    if target.original_called is False:
        return _result(
            f"never called while `{test.name}` ran, and neither was the original {name}",
            Severity.INFORMATION,
        )
    return _result(
        f"never called while `{test.name}` ran (whether the original {name} ran cannot be"
        " seen: it is not a function)",
        Severity.INFORMATION,
    )


def _result(message: str, severity: Severity, related: tuple[RelatedLocation, ...] = ()) -> Finding:
    return Finding(CODE, message, Span.of(0, 0, 0, 0), severity, related)


def _shown(path: str, line: int, root: Path | None) -> str:
    """``billing/checkout.py:13``: relative to the workspace when it lies in it."""
    shown = Path(os.path.normpath(path))
    if root is not None and shown.is_relative_to(root):
        shown = shown.relative_to(root)
    return f"{shown.as_posix()}:{line}"
