"""Runtime truth for the findings: what the sandbox's answers make of them.

Pure like ``fixes/``: findings and sandbox answers in, findings out; only ``lsp/`` and the
CLI ask the sandbox and show the results. :mod:`~mockls.verification.claims` checks the
claims static findings and fixes make; :mod:`~mockls.verification.runs` selects the tests
to run with ``pytest --mockls`` and says how each ended; :mod:`~mockls.verification.batch`
runs them once per project and gives the run the last word;
:mod:`~mockls.verification.proofs` compares a refactoring's tests run before and after it.
"""

from mockls.verification.batch import run_selected, with_run
from mockls.verification.claims import (
    ClaimCheck,
    Verdict,
    check_claim,
    judge,
    verify_findings,
    withhold_unproved_fixes,
)
from mockls.verification.proofs import Proof, ProofVerdict, compare_runs, prove_refactoring
from mockls.verification.runs import (
    SelectedTest,
    facts_of,
    judged_path,
    run_lines,
    run_summary,
    selected_tests,
    usage_findings,
)

__all__ = [
    "ClaimCheck",
    "Proof",
    "ProofVerdict",
    "SelectedTest",
    "Verdict",
    "check_claim",
    "compare_runs",
    "facts_of",
    "judge",
    "judged_path",
    "prove_refactoring",
    "run_lines",
    "run_selected",
    "run_summary",
    "selected_tests",
    "usage_findings",
    "verify_findings",
    "with_run",
    "withhold_unproved_fixes",
]
