"""Runtime truth for the findings: what the sandbox's answers make of them.

Pure like ``fixes/``: findings and sandbox answers in, findings out; only ``lsp/`` and the
CLI ask the sandbox and show the results. :mod:`~mockls.verification.claims` checks the
claims static findings and fixes make; :mod:`~mockls.verification.runs` turns one test run
into a finding per patch; :mod:`~mockls.verification.proofs` compares a refactoring's tests
run before and after it.
"""

from mockls.verification.claims import (
    ClaimCheck,
    Verdict,
    check_claim,
    judge,
    verify_findings,
    withhold_unproved_fixes,
)
from mockls.verification.proofs import Proof, ProofVerdict, compare_runs, prove_refactoring
from mockls.verification.runs import run_findings, run_summary

__all__ = [
    "ClaimCheck",
    "Proof",
    "ProofVerdict",
    "Verdict",
    "check_claim",
    "compare_runs",
    "judge",
    "prove_refactoring",
    "run_findings",
    "run_summary",
    "verify_findings",
    "withhold_unproved_fixes",
]
