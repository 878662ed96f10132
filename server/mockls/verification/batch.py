"""``mockls check --verify`` and "Verify patches": the selected tests run once per project
with ``pytest --mockls`` in the sandbox, and the run's last word on a file's findings.

The run's facts are judged as those of any ``pytest --mockls`` run
(:func:`mockls.runtime.judgement.overrule`): a static finding the run contradicts is
withdrawn, one it confirms says so, what only the run saw (a patch never called while the
code under test called the original, a patch that failed to start, a leak) is added.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from mockls.findings import Finding
from mockls.runtime.judgement import overrule
from mockls.sandbox import SandboxFault, SandboxPool, SuiteRun
from mockls.verification.claims import withhold_unproved_fixes
from mockls.verification.runs import SelectedTest, judged_path

__all__ = ["run_selected", "with_run", "with_run_after_claims"]


async def run_selected(pool: SandboxPool, tests: Sequence[SelectedTest]) -> SuiteRun | SandboxFault:
    """One pytest run of ``tests`` (all of one project) in ``pool``, rooted at the
    project's root (else the first test's directory)."""
    root = pool.root if pool.root is not None else tests[0].path.parent
    return await pool.run_tests_async(root, [test.node for test in tests])


def with_run(
    findings: Sequence[Finding], path: Path, source: str, run: SuiteRun | SandboxFault | None
) -> list[Finding]:
    """The findings of the file at ``path`` (whose text is ``source``) with the run's last
    word; as they are when there was no run, or it failed."""
    if run is None or isinstance(run, SandboxFault):
        return list(findings)
    return overrule(findings, run.facts, judged_path(path, run), source, Path(run.root))


def with_run_after_claims(
    static: Sequence[Finding],
    verified: Sequence[Finding],
    path: Path,
    source: str,
    run: SuiteRun | SandboxFault | None,
) -> list[Finding]:
    """The findings of a file whose claims were checked in the sandbox (``static`` became
    ``verified``) before its tests ran: the run's last word on ``static`` where it spoke —
    said once, not after the sandbox's — with the fixes the sandbox proved; the sandbox's
    word on the others."""
    ruled = with_run(static, path, source, run)
    untouched = {id(finding) for finding in static}
    checked = {_identity(finding): finding for finding in verified}
    settled: list[Finding] = []
    for finding in ruled:
        counterpart = checked.get(_identity(finding))
        if id(finding) in untouched:
            if counterpart is not None:  # else the sandbox withdrew it
                settled.append(counterpart)
        elif counterpart is not None:
            settled.append(replace(finding, fixes=counterpart.fixes))
        else:  # the run's own finding, or one the run upholds against the sandbox
            settled.extend(withhold_unproved_fixes([finding]))
    return settled


def _identity(finding: Finding) -> tuple[object, ...]:
    """What checking a claim and the run's word leave unchanged in a finding."""
    return (finding.code, finding.span, finding.claim)
