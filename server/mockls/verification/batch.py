"""``mockls check --verify`` for one module: its findings checked, and its tests run.

The static findings' claims are checked as the server checks them; then each test of the
module that starts a patch runs in the sandbox, and every patch it shows never called while
the code under test called the original becomes an ``ineffective-patch`` warning (unless a
static finding already says so at that place); an ``ineffective-patch`` finding where a run
saw the patch's mock called is withdrawn (the run has the last word). Runs go through the
pool's async API, as many at once as it has workers. Every run ends in one line for the
person who asked: how the test ended (passed, or failed with what it said, the fault that
stopped it) and what became of its patches.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from mockls.analysis.snapshot import ModuleSnapshot
from mockls.findings import Finding, Severity
from mockls.resolve.project import ProjectFile
from mockls.sandbox import SandboxFault, SandboxPool
from mockls.spans import Span
from mockls.verification.claims import verify_findings
from mockls.verification.runs import CODE, run_findings, run_summary, used_spans

__all__ = ["verify_module"]


async def verify_module(
    module: ModuleSnapshot, findings: Sequence[Finding], project: ProjectFile, pool: SandboxPool
) -> tuple[list[Finding], list[str]]:
    """The findings of ``module`` once verified, sorted, and one line for each test run:
    :func:`~mockls.verification.runs.run_summary` with what the test's code did that it
    should not have, or why it could not run."""
    verified = list(await verify_findings(findings, pool))
    path = project.path
    if path is None or not project.is_test_module:
        return verified, []
    tests = [test for test in module.tests if test.patches]
    if not tests:
        return verified, []
    runs = await asyncio.gather(
        *(pool.run_test_async(path, test.name, project.module_name) for test in tests)
    )
    lines: list[str] = []
    used: set[Span] = set()
    for test, run in zip(tests, runs, strict=True):
        if not isinstance(run, SandboxFault):
            used |= used_spans(test, run, project)
    verified = [f for f in verified if not (f.code == CODE and f.span in used)]
    reported = {(finding.span, finding.code) for finding in verified}
    for test, run in zip(tests, runs, strict=True):
        if isinstance(run, SandboxFault):
            lines.append(f"`{test.name}` could not run: {run.message}")
            continue
        lines.append("; ".join((run_summary(test, run), *run.notes)))
        for finding in run_findings(test, run, project):
            place = (finding.span, finding.code)
            if finding.severity is Severity.WARNING and place not in reported:
                reported.add(place)
                verified.append(finding)
    verified.sort(key=lambda finding: (finding.span.start, finding.code))
    return verified, lines
