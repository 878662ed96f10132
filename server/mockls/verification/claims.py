"""Static findings and quick-fixes, checked by running their patches in the sandbox.

A rule attaches a :class:`~mockls.findings.RuntimeClaim` to a finding or a fix when what it
says can be seen at run time ("this patch leaves ``shop.orders.charge`` holding the
original", "``shop.payments.charge`` exists"). :func:`verify_findings` asks the sandbox about
every claim and applies the verdicts: a finding the sandbox disproves is withdrawn, one it
confirms says so; a fix it proves is marked verified, any other fix with a claim is dropped
(a fix that cannot be proved while the sandbox is on is not offered). A finding whose claim
cannot be checked (a fault, an import that fails for another reason) stays, and says why it
was not checked. Claims that only a test run can check (``ClaimKind.needs_test_run``: a mock
never awaited, a patch that ends early) are left for ``pytest --mockls``.
"""

from __future__ import annotations

import asyncio
import enum
import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace

from mockls.findings import ClaimKind, Finding, Fix, RuntimeClaim
from mockls.sandbox import (
    AppliedPatch,
    FailureReason,
    PatchOutcome,
    ResolveFailure,
    ResolveOutcome,
    RuntimeObject,
    SandboxFault,
    SandboxPool,
)

__all__ = [
    "ClaimCheck",
    "Verdict",
    "check_claim",
    "judge",
    "verify_findings",
    "withhold_unproved_fixes",
]

log = logging.getLogger(__name__)


class Verdict(enum.Enum):
    """What running a claim's patch showed."""

    HOLDS = "holds"
    FAILS = "fails"
    UNKNOWN = "unknown"  # the sandbox could not tell (a fault, another failure)


@dataclass(frozen=True, slots=True)
class ClaimCheck:
    """A claim's verdict and, in one phrase, what the sandbox saw."""

    verdict: Verdict
    evidence: str


SandboxAnswer = ResolveOutcome | PatchOutcome


async def verify_findings(
    findings: Sequence[Finding], pool: SandboxPool, *, tests_run: bool = False
) -> tuple[Finding, ...]:
    """``findings`` with every claim checked in ``pool``, in their order (see the module).
    ``tests_run``: the module's tests run with ``pytest --mockls`` next, which answers
    whether a patch misses the code under test (what that code used), so a finding's
    ``PATCH_MISSES`` claim is left to the run; its fixes' claims are still proved here."""

    def checked_here(claim: RuntimeClaim) -> bool:
        if claim.kind.needs_test_run:
            return False
        return not (tests_run and claim.kind is ClaimKind.PATCH_MISSES)

    claims = {
        finding.claim
        for finding in findings
        if finding.claim is not None and checked_here(finding.claim)
    }
    claims |= {fix.claim for finding in findings for fix in finding.fixes if fix.claim is not None}
    ordered = list(claims)
    checks = dict(
        zip(
            ordered,
            await asyncio.gather(*(check_claim(claim, pool) for claim in ordered)),
            strict=True,
        )
    )
    verified: list[Finding] = []
    for finding in findings:
        applied = _apply(finding, checks)
        if applied is not None:
            verified.append(applied)
    return tuple(verified)


def withhold_unproved_fixes(findings: Sequence[Finding]) -> tuple[Finding, ...]:
    """``findings`` without the fixes that need proof: what is offered while the sandbox is
    on but cannot run (the document is not saved, the project is not ready)."""
    return tuple(
        replace(finding, fixes=tuple(fix for fix in finding.fixes if fix.claim is None))
        for finding in findings
    )


async def check_claim(claim: RuntimeClaim, pool: SandboxPool) -> ClaimCheck:
    """Run what ``claim`` is about in ``pool`` and judge it."""
    answer: SandboxAnswer
    if claim.kind in (ClaimKind.TARGET_MISSING, ClaimKind.TARGET_EXISTS):
        answer = await pool.resolve_async(claim.target)
    else:
        answer = await pool.apply_patch_async(claim.target, claim.lookup_sites)
    return judge(claim, answer)


def judge(claim: RuntimeClaim, answer: SandboxAnswer) -> ClaimCheck:
    """Whether the sandbox's ``answer`` about ``claim``'s target bears the claim out."""
    if isinstance(answer, SandboxFault):
        return ClaimCheck(Verdict.UNKNOWN, answer.message)
    if claim.kind is ClaimKind.TARGET_MISSING:
        return _judge_missing(claim, answer)
    if claim.kind is ClaimKind.TARGET_EXISTS:
        if isinstance(answer, ResolveFailure):
            return ClaimCheck(Verdict.FAILS, f"`{claim.target}` fails: {answer.message}")
        return ClaimCheck(Verdict.HOLDS, f"`{claim.target}` exists")
    if isinstance(answer, ResolveFailure):
        fails = claim.kind is ClaimKind.PATCH_REACHES
        verdict = Verdict.FAILS if fails else Verdict.UNKNOWN
        return ClaimCheck(verdict, f"`{claim.target}` cannot be patched: {answer.message}")
    if not isinstance(answer, AppliedPatch) or not answer.started:
        why = answer.message if isinstance(answer, AppliedPatch) else "no patch was applied"
        fails = claim.kind is ClaimKind.PATCH_REACHES
        return ClaimCheck(Verdict.FAILS if fails else Verdict.UNKNOWN, f"the patch fails: {why}")
    return _judge_patch(claim, answer)


def _judge_missing(claim: RuntimeClaim, answer: SandboxAnswer) -> ClaimCheck:
    if isinstance(answer, RuntimeObject):
        return ClaimCheck(Verdict.FAILS, f"`{claim.target}` resolves at run time")
    if (
        isinstance(answer, ResolveFailure)
        and answer.segment == claim.segment
        and answer.reason in (FailureReason.MODULE_NOT_FOUND, FailureReason.ATTRIBUTE_ERROR)
    ):
        return ClaimCheck(Verdict.HOLDS, answer.message)
    failure = answer.message if isinstance(answer, ResolveFailure) else "another answer"
    return ClaimCheck(Verdict.UNKNOWN, f"it fails otherwise at run time: {failure}")


def _judge_patch(claim: RuntimeClaim, applied: AppliedPatch) -> ClaimCheck:
    original = [site.dotted for site in applied.sites if site.sees_mock is False]
    unknown = [site for site in applied.sites if site.sees_mock is None]
    if original:
        names = _names(original)
        evidence = f"{names} still {_holds(original)} the original while the patch is active"
        verdict = Verdict.HOLDS if claim.kind is ClaimKind.PATCH_MISSES else Verdict.FAILS
        return ClaimCheck(verdict, evidence)
    if unknown:
        reasons = "; ".join(f"`{site.dotted}`: {site.message}" for site in unknown)
        return ClaimCheck(Verdict.UNKNOWN, f"a lookup site could not be read ({reasons})")
    names = _names([site.dotted for site in applied.sites])
    evidence = f"{names} {_holds(applied.sites)} the mock while the patch is active"
    verdict = Verdict.HOLDS if claim.kind is ClaimKind.PATCH_REACHES else Verdict.FAILS
    return ClaimCheck(verdict, evidence)


def _names(dotted: Sequence[str]) -> str:
    return " and ".join(f"`{name}`" for name in dotted)


def _holds(sites: Sequence[object]) -> str:
    return "holds" if len(sites) == 1 else "hold"


def _apply(finding: Finding, checks: dict[RuntimeClaim, ClaimCheck]) -> Finding | None:
    """The finding as the verdicts leave it; ``None`` when the sandbox disproved it."""
    message = finding.message
    if finding.claim is not None and finding.claim in checks:  # (not claims of test runs)
        check = checks[finding.claim]
        if check.verdict is Verdict.FAILS:
            log.info("sandbox withdrew %s %r: %s", finding.code, message, check.evidence)
            return None
        if check.verdict is Verdict.HOLDS:
            message = f"{message}; confirmed in the sandbox: {check.evidence}"
        else:
            message = f"{message}; not checked in the sandbox: {check.evidence}"
    fixes = tuple(proved for fix in finding.fixes if (proved := _proved(fix, checks)) is not None)
    return replace(finding, message=message, fixes=fixes)


def _proved(fix: Fix, checks: dict[RuntimeClaim, ClaimCheck]) -> Fix | None:
    """The fix marked verified, or ``None`` when the sandbox did not prove it."""
    if fix.claim is None:
        return fix
    check = checks[fix.claim]
    if check.verdict is not Verdict.HOLDS:
        log.info("sandbox did not prove fix %r: %s", fix.title, check.evidence)
        return None
    return replace(fix, verified=True)
