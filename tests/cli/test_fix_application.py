"""Which fixes ``fix_source`` applies, pass by pass, on findings made by hand.

The lint given to it here finds every ``OLD`` word and offers the fixes a table names, so each
case states exactly which fixes exist; the real rules' fixes are applied in test_check_fix.py.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from mockls.findings import ClaimKind, Finding, Fix, RuntimeClaim, Severity
from mockls.fix_application import fix_source
from mockls.spans import Position, Span, TextEdit

CLAIM = RuntimeClaim(ClaimKind.TARGET_EXISTS, "shop.payments")


def word_lint(offers: Callable[[Span], tuple[Fix, ...]]) -> Callable[[str], list[Finding]]:
    """A finding on each ``OLD`` of a text, with the fixes ``offers`` gives for its span."""

    def lint(text: str) -> list[Finding]:
        findings = []
        for number, line in enumerate(text.split("\n")):
            for match in re.finditer("OLD", line):
                span = Span(Position(number, match.start()), Position(number, match.end()))
                findings.append(
                    Finding("test-code", "old", span, Severity.WARNING, fixes=offers(span))
                )
        return findings

    return lint


def rename(to: str, **options: object) -> Callable[[Span], tuple[Fix, ...]]:
    return lambda span: (Fix(f"to {to}", (TextEdit(span, to),), **options),)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("source", "offers", "unsafe", "expected"),
    [
        pytest.param("x = OLD\n", rename("new", safe=True), False, ("x = new\n", 1, 0), id="safe"),
        pytest.param("x = OLD\n", rename("new"), False, ("x = OLD\n", 0, 1), id="unsafe-skipped"),
        pytest.param("x = OLD\n", rename("new"), True, ("x = new\n", 1, 0), id="unsafe-asked-for"),
        pytest.param(
            "x = OLD\n", rename("new", claim=CLAIM), False, ("x = OLD\n", 0, 1), id="unproved-claim"
        ),
        pytest.param(
            "x = OLD\n",
            rename("new", claim=CLAIM, verified=True),
            False,
            ("x = new\n", 1, 0),
            id="proved-claim",
        ),
        pytest.param(
            "x = OLD\n",
            lambda span: (
                Fix("a", (TextEdit(span, "a"),), safe=True),
                Fix("b", (TextEdit(span, "b"),), safe=True),
            ),
            True,
            ("x = OLD\n", 0, 1),
            id="several-fixes-none-preferred",
        ),
        pytest.param(
            "x = OLD\n",
            lambda span: (
                Fix("a", (TextEdit(span, "a"),), safe=True),
                Fix("b", (TextEdit(span, "b"),), is_preferred=True, safe=True),
            ),
            False,
            ("x = b\n", 1, 0),
            id="the-preferred-one-of-several",
        ),
        pytest.param(
            "x = OLD\n", rename("(", safe=True), False, ("x = OLD\n", 0, 1), id="would-not-compile"
        ),
        pytest.param(
            "x = OLD + OLD\n", rename("new", safe=True), False, ("x = new + new\n", 2, 0), id="two"
        ),
        pytest.param(
            "x = OLD\nif x:\n    OLD(\n",
            rename("new", safe=True),
            False,
            ("x = OLD\nif x:\n    OLD(\n", 0, 2),
            id="a-module-that-does-not-compile",
        ),
    ],
)
def test_fix_source_applies_what_its_applicability_allows(
    source: str,
    offers: Callable[[Span], tuple[Fix, ...]],
    unsafe: bool,
    expected: tuple[str, int, int],
) -> None:
    """``expected``: the fixed text, how many findings were fixed, how many remain."""
    result = fix_source(source, word_lint(offers), unsafe=unsafe)
    assert (result.text, result.fixed_count, len(result.remaining)) == expected


def test_overlapping_fixes_wait_for_the_next_pass() -> None:
    """Two findings whose fixes insert at one point: one per pass, both in the end."""
    calls: list[str] = []

    def lint(text: str) -> list[Finding]:
        calls.append(text)
        start = Position(0, 0)
        return [
            Finding(
                "test-code",
                f"missing {name}",
                Span(start, start),
                Severity.WARNING,
                fixes=(
                    Fix(f"add {name}", (TextEdit(Span(start, start), f"{name} = 1\n"),), safe=True),
                ),
            )
            for name in ("a", "b")
            if f"{name} = 1" not in text
        ]

    result = fix_source("x = 1\n", lint)
    assert result.text == "b = 1\na = 1\nx = 1\n"
    assert (result.fixed_count, result.remaining) == (2, ())
    assert calls == ["x = 1\n", "a = 1\nx = 1\n", "b = 1\na = 1\nx = 1\n"]
