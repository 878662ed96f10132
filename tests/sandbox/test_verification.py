"""Static findings and fixes checked in the sandbox, and a test run turned into findings."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from mockls.analysis.builder import build_model
from mockls.analysis.discovery import TestItem, find_tests
from mockls.config import Settings
from mockls.findings import ClaimKind, Finding, Fix, RelatedLocation, RuntimeClaim, Severity
from mockls.linter import lint_source
from mockls.resolve.project import Project, ProjectFile
from mockls.sandbox import (
    AppliedPatch,
    FailureReason,
    FaultKind,
    ObjectKind,
    PatchUsage,
    ResolveFailure,
    RunOutcome,
    RuntimeObject,
    SandboxFault,
    SandboxPool,
    SiteView,
    TestRun,
)
from mockls.spans import Span
from mockls.verification import (
    ClaimCheck,
    Verdict,
    judge,
    run_findings,
    run_summary,
    verify_findings,
)

from .conftest import PATIENT, PROJECTS

ROOT = Path(__file__).resolve().parents[2]
SHOP = ROOT / "examples" / "shop"
LOOKUPS = ROOT / "tests" / "fixtures" / "runtime_lookups"

MISSING = RuntimeClaim(ClaimKind.TARGET_MISSING, "shop.paymnets.gateway", segment=1)
EXISTS = RuntimeClaim(ClaimKind.TARGET_EXISTS, "shop.payments.gateway")
ORDERS = ("shop.orders", "charge")
MISSES = RuntimeClaim(ClaimKind.PATCH_MISSES, "shop.payments.charge", (ORDERS,))
REACHES = RuntimeClaim(ClaimKind.PATCH_REACHES, "shop.orders.charge", (ORDERS,))

NO_ATTRIBUTE = "AttributeError: module 'shop' has no attribute 'paymnets'"


def applied(target: str, *seen: bool | None) -> AppliedPatch:
    return AppliedPatch(
        target, True, tuple(SiteView("shop.orders", "charge", sees, None) for sees in seen)
    )


JUDGEMENTS = [
    pytest.param(
        MISSING,
        ResolveFailure("shop.paymnets.gateway", 1, FailureReason.ATTRIBUTE_ERROR, NO_ATTRIBUTE),
        ClaimCheck(Verdict.HOLDS, NO_ATTRIBUTE),
        id="missing-confirmed",
    ),
    pytest.param(
        MISSING,
        RuntimeObject("shop.paymnets.gateway", ObjectKind.OTHER),
        ClaimCheck(Verdict.FAILS, "`shop.paymnets.gateway` resolves at run time"),
        id="missing-withdrawn",
    ),
    pytest.param(
        MISSING,
        ResolveFailure("shop.paymnets.gateway", 0, FailureReason.IMPORT_ERROR, "ImportError: x"),
        ClaimCheck(Verdict.UNKNOWN, "it fails otherwise at run time: ImportError: x"),
        id="missing-fails-elsewhere",
    ),
    pytest.param(
        EXISTS,
        RuntimeObject("shop.payments.gateway", ObjectKind.OTHER),
        ClaimCheck(Verdict.HOLDS, "`shop.payments.gateway` exists"),
        id="rename-proved",
    ),
    pytest.param(
        EXISTS,
        ResolveFailure("shop.payments.gateway", 2, FailureReason.ATTRIBUTE_ERROR, "gone"),
        ClaimCheck(Verdict.FAILS, "`shop.payments.gateway` fails: gone"),
        id="rename-disproved",
    ),
    pytest.param(
        MISSES,
        applied("shop.payments.charge", False),
        ClaimCheck(
            Verdict.HOLDS, "`shop.orders.charge` still holds the original while the patch is active"
        ),
        id="ineffective-confirmed",
    ),
    pytest.param(
        MISSES,
        applied("shop.payments.charge", True),
        ClaimCheck(Verdict.FAILS, "`shop.orders.charge` holds the mock while the patch is active"),
        id="ineffective-withdrawn",
    ),
    pytest.param(
        MISSES,
        AppliedPatch(
            "shop.payments.charge",
            True,
            (SiteView("shop.orders", "charge", None, "ImportError: no database"),),
        ),
        ClaimCheck(
            Verdict.UNKNOWN,
            "a lookup site could not be read (`shop.orders.charge`: ImportError: no database)",
        ),
        id="ineffective-unreadable-site",
    ),
    pytest.param(
        REACHES,
        applied("shop.orders.charge", True),
        ClaimCheck(Verdict.HOLDS, "`shop.orders.charge` holds the mock while the patch is active"),
        id="retarget-proved",
    ),
    pytest.param(
        REACHES,
        AppliedPatch("shop.orders.charge", False, message="TypeError: immutable"),
        ClaimCheck(Verdict.FAILS, "the patch fails: TypeError: immutable"),
        id="retarget-cannot-start",
    ),
    pytest.param(
        REACHES,
        SandboxFault(FaultKind.TIMEOUT, "the sandbox worker did not answer"),
        ClaimCheck(Verdict.UNKNOWN, "the sandbox worker did not answer"),
        id="fault",
    ),
]


@pytest.mark.parametrize(("claim", "answer", "expected"), JUDGEMENTS)
def test_a_claim_is_judged_by_what_the_sandbox_saw(
    claim: RuntimeClaim,
    answer: AppliedPatch | RuntimeObject | ResolveFailure | SandboxFault,
    expected: ClaimCheck,
) -> None:
    assert judge(claim, answer) == expected


@pytest.fixture(scope="module")
def shop_pool() -> Iterator[SandboxPool]:
    with SandboxPool(SHOP, options=PATIENT) as pool:
        yield pool


def shop_findings(path: str) -> list[Finding]:
    project = Project(SHOP)
    project.scan()
    source = (SHOP / path).read_text(encoding="utf-8")
    return lint_source(source, path, Settings(), ProjectFile(project, SHOP / path))


def test_the_shop_findings_are_confirmed_and_their_fixes_verified(shop_pool: SandboxPool) -> None:
    static = [
        finding
        for finding in shop_findings("tests/test_payments.py")
        if finding.code in ("ineffective-patch", "unresolved-patch-target")
    ]
    verified = asyncio.run(verify_findings(static, shop_pool))
    assert [(finding.code, finding.message) for finding in verified] == [
        (
            "ineffective-patch",
            "shop/orders.py:14 binds `charge` with `from shop.payments import charge`;"
            " patch 'shop.orders.charge'; confirmed in the sandbox: `shop.orders.charge` still"
            " holds the original while the patch is active",
        ),
        (
            "unresolved-patch-target",
            "module `shop` has no attribute `paymnets`; did you mean `payments`? (the patch"
            " fails when it starts); confirmed in the sandbox: AttributeError: module 'shop' has"
            " no attribute 'paymnets'",
        ),
    ]
    assert [[fix.label for fix in finding.fixes] for finding in verified] == [
        ["Patch 'shop.orders.charge' instead (verified)"],
        ["Change `paymnets` to `payments` (verified)"],
    ]


def test_a_finding_the_sandbox_disproves_is_withdrawn_and_a_fix_it_disproves_dropped(
    open_pool: Callable[..., SandboxPool],
) -> None:
    pool = open_pool(PROJECTS / "lookups", size=1)
    span = Span.of(0, 0, 0, 1)
    # a claim that patching store.payments.charge misses store.payments.charge itself
    wrong = Finding(
        "ineffective-patch",
        "static analysis got this one wrong",
        span,
        Severity.WARNING,
        claim=RuntimeClaim(
            ClaimKind.PATCH_MISSES, "store.payments.charge", (("store.payments", "charge"),)
        ),
    )
    typo = Finding(
        "unresolved-patch-target",
        "no attribute `chrage`",
        span,
        Severity.ERROR,
        fixes=(rename("charge"), rename("nothing_like_it")),
        claim=RuntimeClaim(ClaimKind.TARGET_MISSING, "store.payments.chrage", segment=2),
    )
    verified = asyncio.run(verify_findings([wrong, typo], pool))
    assert [finding.message for finding in verified] == [
        "no attribute `chrage`; confirmed in the sandbox: AttributeError: module"
        " 'store.payments' has no attribute 'chrage'"
    ]
    assert [fix.label for fix in verified[0].fixes] == ["Rename to charge (verified)"]


def test_claims_only_a_test_run_can_check_are_left_as_they_are(
    open_pool: Callable[..., SandboxPool],
) -> None:
    pool = open_pool(PROJECTS / "lookups", size=1)
    span = Span.of(0, 0, 0, 1)
    never_awaited = Finding(
        "async-call-not-awaited",
        "the coroutine never ran",
        span,
        Severity.WARNING,
        fixes=(Fix("Check `assert_awaited` instead", ()),),
        claim=RuntimeClaim(ClaimKind.NEVER_AWAITED, "store.payments.charge"),
    )
    assert ClaimKind.NEVER_AWAITED.needs_test_run
    assert not ClaimKind.PATCH_MISSES.needs_test_run
    assert asyncio.run(verify_findings([never_awaited], pool)) == (never_awaited,)


def rename(name: str) -> Fix:
    claim = RuntimeClaim(ClaimKind.TARGET_EXISTS, f"store.payments.{name}")
    return Fix(f"Rename to {name}", (), claim=claim)


CHECKOUT = LOOKUPS / "tests" / "test_checkout.py"
SEND = "billing.gateway.send_charge"


def checkout_test(name: str) -> tuple[TestItem, ProjectFile]:
    project = Project(LOOKUPS)
    project.scan()
    source = CHECKOUT.read_text(encoding="utf-8")
    (test,) = [test for test in find_tests(source, build_model(source)) if test.name == name]
    return test, ProjectFile(project, CHECKOUT)


def usage(target: str, calls: int, original: bool | None, *callers: tuple[str, int]) -> PatchUsage:
    module, _, attribute = target.rpartition(".")
    return PatchUsage("patch", target, module, attribute, calls, original, callers)


def test_a_missed_patch_is_a_warning_at_its_target_pointing_at_the_original_call() -> None:
    test, project = checkout_test("CheckoutTests.test_pay_sends_the_charge")
    caller = str(LOOKUPS / "billing" / "checkout.py")
    run = TestRun("pytest", RunOutcome.PASSED, "", (usage(SEND, 0, True, (caller, 13)),))
    (finding,) = run_findings(test, run, project)
    source = CHECKOUT.read_text(encoding="utf-8")
    line = source.splitlines()[9]
    start = line.index(SEND)
    assert finding == Finding(
        "ineffective-patch",
        "never called — the code under test called the original"
        " `billing.gateway.send_charge` (billing/checkout.py:13) while"
        " `CheckoutTests.test_pay_sends_the_charge` ran: patch it where that code looks it up",
        Span.of(9, start, 9, start + len(SEND)),
        Severity.WARNING,
        (
            RelatedLocation(
                caller,
                Span.of(12, 0, 13, 0),
                "the original `billing.gateway.send_charge` is called here",
            ),
        ),
    )
    assert run_summary(test, run) == (
        "`CheckoutTests.test_pay_sends_the_charge` passed (pytest); 1 patched target: 0 used,"
        " 1 never called while the original ran"
    )


@pytest.mark.parametrize(
    ("patches", "expected"),
    [
        pytest.param(
            (usage("billing.checkout._send", 3, False),),
            ("information", "used: `billing.checkout._send` was called 3 times while"),
            id="used",
        ),
        pytest.param(
            (usage("billing.checkout._send", 0, False),),
            (
                "information",
                "never called while `CheckoutTests.test_pay_returns_the_charge_id`"
                " ran, and neither was the original `billing.checkout._send`",
            ),
            id="unused-and-the-original-neither",
        ),
        pytest.param(
            (usage("billing.checkout._send", 1, False), usage("billing.checkout._send", 1, False)),
            ("information", "used: `billing.checkout._send` was called 2 times while"),
            id="two-starts-counted-together",
        ),
    ],
)
def test_each_patched_target_gets_one_finding(
    patches: tuple[PatchUsage, ...], expected: tuple[str, str]
) -> None:
    test, project = checkout_test("CheckoutTests.test_pay_returns_the_charge_id")
    run = TestRun("unittest", RunOutcome.PASSED, "", patches)
    (finding,) = run_findings(test, run, project)
    assert finding.severity.value == expected[0]
    assert finding.message.startswith(expected[1])


def test_a_patch_no_site_of_the_file_accounts_for_is_reported_on_the_test() -> None:
    test, project = checkout_test("CheckoutTests.test_pay_returns_the_charge_id")
    run = TestRun(
        "pytest", RunOutcome.FAILED, "AssertionError: no", (usage("os.getcwd", 1, False),)
    )
    (finding,) = run_findings(test, run, project)
    assert finding.span == test.span
    assert run_summary(test, run) == (
        "`CheckoutTests.test_pay_returns_the_charge_id` failed (pytest): AssertionError: no;"
        " 1 patched target: 1 used"
    )
