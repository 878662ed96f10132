"""The ``apply_patch`` and ``autospec`` requests in real interpreters: which lookup sites a
patch reaches, and the signature an autospec of a target checks calls against."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from unittest.mock import patch

import pytest

from mockls.sandbox import (
    AppliedPatch,
    ResolveFailure,
    RuntimeObject,
    SandboxFault,
    SandboxPool,
)

from .conftest import INTERPRETERS, PATIENT, PROJECTS


def describe(outcome: AppliedPatch | RuntimeObject | ResolveFailure | SandboxFault) -> str:
    """An outcome in one line: ``store.orders.charge: original; store.payments.charge: mock``."""
    if isinstance(outcome, AppliedPatch):
        if not outcome.started:
            return f"not started: {outcome.message}"
        shown = {True: "mock", False: "original", None: "unknown"}
        return "; ".join(
            f"{site.dotted}: {shown[site.sees_mock]}"
            + (f" ({site.message})" if site.message else "")
            for site in outcome.sites
        )
    if isinstance(outcome, RuntimeObject):
        return f"{outcome.kind.value} {outcome.signature}"
    if isinstance(outcome, ResolveFailure):
        return f"segment {outcome.segment}: {outcome.reason.value}: {outcome.message}"
    return f"fault {outcome.kind.value}: {outcome.message}"


ORDERS = ("store.orders", "charge")
REFUNDS = ("store.refunds", "payments")
PAYMENTS = ("store.payments", "charge")

PATCHES = [
    pytest.param(
        "store.payments.charge",
        [ORDERS, PAYMENTS],
        "store.orders.charge: original; store.payments.charge: mock",
        id="definition-site-misses-a-from-import",
    ),
    pytest.param(
        "store.orders.charge",
        [ORDERS, PAYMENTS],
        "store.orders.charge: mock; store.payments.charge: original",
        id="lookup-site-reaches-its-own-name-only",
    ),
    pytest.param(
        "store.refunds.payments.charge",
        [PAYMENTS],
        "store.payments.charge: mock",
        id="through-a-module-attribute",
    ),
    pytest.param(
        "store.payments.RATE",
        [("store.payments", "RATE")],
        "store.payments.RATE: mock",
        id="a-constant",
    ),
    pytest.param(
        "store.payments.charge",
        [("store.broken_lookup", "charge")],
        "store.broken_lookup.charge: unknown (ImportError: store.broken_lookup needs a database)",
        id="a-lookup-module-that-cannot-be-imported",
    ),
    pytest.param(
        "store.payments.charge",
        [("store.orders", "refund")],
        "store.orders.refund: unknown"
        " (AttributeError: module 'store.orders' has no attribute 'refund')",
        id="a-lookup-site-that-does-not-exist",
    ),
    pytest.param(
        "store.paymnets.charge",
        [ORDERS],
        "segment 1: attribute-error: AttributeError: module 'store' has no attribute 'paymnets'",
        id="a-target-that-does-not-resolve",
    ),
    pytest.param(
        "os.path.join",
        [("os.path", "join"), ("posixpath", "join")],
        "os.path.join: mock; posixpath.join: mock",
        id="the-standard-library",
    ),
]


@pytest.fixture(scope="module", params=INTERPRETERS)
def store_pool(request: pytest.FixtureRequest) -> Iterator[SandboxPool]:
    with SandboxPool(PROJECTS / "lookups", request.param, PATIENT) as pool:
        yield pool


@pytest.mark.parametrize(("target", "sites", "expected"), PATCHES)
def test_a_patch_reports_what_each_lookup_site_sees(
    store_pool: SandboxPool, target: str, sites: list[tuple[str, str]], expected: str
) -> None:
    assert describe(store_pool.apply_patch(target, sites)) == expected


def test_lookup_modules_are_imported_before_the_patch_starts(store_pool: SandboxPool) -> None:
    # A module first imported while the patch is active would bind the mock itself; a fresh
    # worker (ping answers first) sees orders imported before payments.charge is patched.
    first = store_pool.apply_patch("store.payments.charge", [ORDERS])
    assert describe(first) == "store.orders.charge: original"


def test_the_patch_is_stopped_after_the_answer(store_pool: SandboxPool) -> None:
    store_pool.apply_patch("store.payments.charge", [PAYMENTS])
    after = store_pool.resolve("store.payments.charge")
    assert describe(after) == "function (card, amount_cents)"


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("store", "TypeError: Need a valid target to patch. You supplied: 'store'"),
        ("builtins.int.bit_length", "TypeError: cannot set 'bit_length' attribute of"),
    ],
)
def test_a_patch_that_cannot_start_says_why(
    open_pool: Callable[..., SandboxPool], target: str, expected: str
) -> None:
    pool = open_pool(PROJECTS / "lookups", size=1)
    outcome = pool.apply_patch(target, [])
    assert isinstance(outcome, AppliedPatch)
    assert not outcome.started
    assert outcome.message is not None
    assert outcome.message.startswith(expected)


LOOKS_UP_THROUGH_PAYMENTS = """from store import payments


def __getattr__(name):
    return getattr(payments, name)
"""


def test_patch_answers_are_cached_until_a_file_they_read_changes(
    open_pool: Callable[..., SandboxPool], project_copy: Callable[[str], Path]
) -> None:
    root = project_copy("lookups")
    pool = open_pool(root, size=1)
    before = pool.apply_patch("store.payments.charge", [ORDERS])
    assert describe(before) == "store.orders.charge: original"
    with patch.object(pool, "call", wraps=pool.call) as call:
        assert pool.apply_patch("store.payments.charge", [ORDERS]) == before
        call.assert_not_called()
        orders = root / "store" / "orders.py"
        orders.write_text(LOOKS_UP_THROUGH_PAYMENTS, encoding="utf-8")
        after = pool.apply_patch("store.payments.charge", [ORDERS])
        call.assert_called_once()
    assert describe(after) == "store.orders.charge: mock"


AUTOSPECS = [
    ("geometry.figures.scale", "function (figure, factor, *, around=None)"),
    ("geometry.Circle", "class (radius: float) -> None"),
    ("geometry.figures.Circle.area", "method (self) -> float"),
    ("geometry.figures.UNIT.area", "method () -> float"),
    ("geometry.figures.Circle.describe", "method (text, *, loud=False)"),
    ("geometry.figures.Circle.diameter", "property None"),
    ("geometry.figures.UNIT", "other None"),
    ("geometry", "module None"),
    # a C function has no signature; its autospec accepts any arguments
    ("math.floor", "function (*args, **kwargs)"),
    (
        "geometry.figures.Circle.radius",
        "segment 3: attribute-error:"
        " AttributeError: type object 'Circle' has no attribute 'radius'",
    ),
]


@pytest.mark.parametrize(("target", "expected"), AUTOSPECS, ids=[target for target, _ in AUTOSPECS])
def test_autospec_gives_the_signature_create_autospec_builds(
    shapes_pool: SandboxPool, target: str, expected: str
) -> None:
    assert describe(shapes_pool.autospec(target)) == expected
