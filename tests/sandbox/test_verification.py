"""Static findings and fixes checked in the sandbox, and what a run of the selected tests says."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from mockls.analysis.builder import build_model
from mockls.analysis.discovery import find_tests
from mockls.config import Settings
from mockls.findings import ClaimKind, Finding, Fix, RuntimeClaim, Severity
from mockls.linter import lint_source
from mockls.resolve.project import Project, ProjectFile
from mockls.runtime.facts import PatchFact, RunFacts, Site
from mockls.sandbox import (
    AppliedPatch,
    FailureReason,
    FaultKind,
    ObjectKind,
    ResolveFailure,
    RunOutcome,
    RuntimeObject,
    SandboxFault,
    SandboxPool,
    SiteView,
    SuiteRun,
    TestEnd,
)
from mockls.spans import Span
from mockls.verification import (
    ClaimCheck,
    SelectedTest,
    Verdict,
    judge,
    run_lines,
    usage_findings,
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
NODE = "tests/test_checkout.py::CheckoutTests::test_pay_sends_the_charge"


def checkout_test(name: str) -> SelectedTest:
    source = CHECKOUT.read_text(encoding="utf-8")
    (test,) = [test for test in find_tests(source, build_model(source)) if test.name == name]
    return SelectedTest(test, CHECKOUT)


def fact(target: str, calls: int, original: bool | None) -> PatchFact:
    site = Site("tests/test_checkout.py", 10)
    return PatchFact(target, site, NODE, "test", "function", None, calls, original)


def suite(*ends: TestEnd, facts: tuple[PatchFact, ...] = ()) -> SuiteRun:
    return SuiteRun("pytest", str(LOOKUPS), ends, RunFacts(list(facts)))


PASSED = TestEnd(NODE, RunOutcome.PASSED, "")


@pytest.mark.parametrize(
    ("run", "expected"),
    [
        pytest.param(
            suite(PASSED, facts=(fact(SEND, 0, True),)),
            "`CheckoutTests.test_pay_sends_the_charge` passed (pytest); 1 patched target: 0 used,"
            " 1 never called while the original ran",
            id="missed",
        ),
        pytest.param(
            suite(PASSED, facts=(fact(SEND, 1, False), fact(SEND, 2, False))),
            "`CheckoutTests.test_pay_sends_the_charge` passed (pytest); 1 patched target: 1 used",
            id="two-starts-of-one-target",
        ),
        pytest.param(
            suite(PASSED),
            "`CheckoutTests.test_pay_sends_the_charge` passed (pytest); it started no patch",
            id="no-patch",
        ),
        pytest.param(
            suite(
                TestEnd(NODE, RunOutcome.FAILED, "AssertionError: no", ("user code forked",)),
                facts=(fact(SEND, 0, False), fact("os.getcwd", 1, False)),
            ),
            "`CheckoutTests.test_pay_sends_the_charge` failed (pytest): AssertionError: no; 2"
            " patched targets: 1 used; user code forked",
            id="failed-with-a-note",
        ),
        pytest.param(
            suite(
                TestEnd(
                    NODE,
                    RunOutcome.ERROR,
                    "it did not end within 60 s",
                    fault=SandboxFault(FaultKind.TIMEOUT, "it did not end within 60 s"),
                )
            ),
            "`CheckoutTests.test_pay_sends_the_charge` could not run: it did not end within 60 s",
            id="a-fault",
        ),
        pytest.param(
            SuiteRun("unittest", str(LOOKUPS), (), RunFacts(), "pytest is not installed"),
            "`CheckoutTests.test_pay_sends_the_charge` could not run: pytest is not installed",
            id="not-run",
        ),
        pytest.param(
            SandboxFault(FaultKind.NOT_STARTED, "no such interpreter"),
            "`CheckoutTests.test_pay_sends_the_charge` could not run: no such interpreter",
            id="no-run",
        ),
    ],
)
def test_every_selected_test_gets_a_line_saying_how_it_ended(
    run: SuiteRun | SandboxFault, expected: str
) -> None:
    assert run_lines([checkout_test("CheckoutTests.test_pay_sends_the_charge")], run) == [expected]


def test_each_parametrized_case_gets_its_line() -> None:
    cases = [TestEnd(f"{NODE}[{case}]", RunOutcome.PASSED, "") for case in ("a", "b")]
    lines = run_lines([checkout_test("CheckoutTests.test_pay_sends_the_charge")], suite(*cases))
    assert lines == [
        f"`CheckoutTests.test_pay_sends_the_charge[{case}]` passed (pytest); it started no patch"
        for case in ("a", "b")
    ]


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        pytest.param(
            (fact(SEND, 3, False),),
            [("information", f"used: `{SEND}` was called 3 times while `test` ran")],
            id="used",
        ),
        pytest.param(
            (fact(SEND, 0, False),),
            [
                (
                    "information",
                    f"never called while `test` ran, and neither was the original `{SEND}`",
                )
            ],
            id="not-reached",
        ),
        pytest.param((fact(SEND, 0, True),), [], id="missed-is-the-judgements-warning"),
        pytest.param(
            (fact(SEND, 1, False), fact(SEND, 1, False)),
            [("information", f"used: `{SEND}` was called 2 times while `test` ran")],
            id="two-starts-counted-together",
        ),
        pytest.param(
            (PatchFact("os.getcwd", Site("conftest.py", 3), NODE, "test", "function"),),
            [],
            id="a-patch-of-another-file",
        ),
    ],
)
def test_what_each_patch_did_is_told_at_its_line(
    facts: tuple[PatchFact, ...], expected: list[tuple[str, str]]
) -> None:
    source = CHECKOUT.read_text(encoding="utf-8")
    findings = usage_findings("test", facts, "tests/test_checkout.py", source)
    assert [(finding.severity.value, finding.message) for finding in findings] == expected
    line = source.splitlines()[9]
    indent = len(line) - len(line.lstrip())
    assert all(finding.span == Span.of(9, indent, 9, len(line)) for finding in findings)
