"""``mockls check --verify`` and "Verify patches": the selected tests run once per project
with ``pytest --mockls`` in the sandbox, and the run's last word on a file's findings.

The run's facts are judged as those of any ``pytest --mockls`` run
(:func:`mockls.runtime.judgement.overrule`): a static finding the run contradicts is
withdrawn, one it confirms says so, what only the run saw (a patch never called while the
code under test called the original, a patch that failed to start, a leak) is added.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from mockls.findings import Finding
from mockls.runtime.judgement import overrule
from mockls.sandbox import SandboxFault, SandboxPool, SuiteRun
from mockls.verification.runs import SelectedTest, judged_path

__all__ = ["run_selected", "with_run"]


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
