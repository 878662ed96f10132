"""Quick-fixes are offered for findings at the selection, and only when they keep the file valid."""

from __future__ import annotations

import pytest

from mockls.findings import Finding, Fix, Severity
from mockls.fixes.quick_fixes import is_valid_python, quick_fixes
from mockls.spans import Span, TextEdit

SOURCE = """\
def test_pay(m):
    m.assert_called_once_wtih(1)
    m.retrun_value = 2
"""

ASSERT_SPAN = Span.of(1, 6, 1, 29)
ATTRIBUTE_SPAN = Span.of(2, 6, 2, 18)


def finding(code: str, span: Span, *fixes: Fix) -> Finding:
    return Finding(code, f"{code} here", span, Severity.WARNING, fixes=fixes)


def rename(span: Span, new_name: str, *, preferred: bool = False) -> Fix:
    return Fix(f"Rename to {new_name}", (TextEdit(span, new_name),), is_preferred=preferred)


ASSERT_FIX = rename(ASSERT_SPAN, "assert_called_once_with")
ATTRIBUTE_FIXES = (rename(ATTRIBUTE_SPAN, "return_value"), rename(ATTRIBUTE_SPAN, "side_effect"))
FINDINGS = (
    finding("misspelled-assert", ASSERT_SPAN, ASSERT_FIX),
    finding("misspelled-mock-attribute", ATTRIBUTE_SPAN, *ATTRIBUTE_FIXES),
    finding("patcher-not-stopped", Span.of(0, 4, 0, 12)),
)


def offered(source: str, findings: tuple[Finding, ...], selection: Span) -> list[tuple[str, bool]]:
    return [(fix.fix.title, fix.preferred) for fix in quick_fixes(source, findings, selection)]


@pytest.mark.parametrize(
    ("selection", "expected"),
    [
        pytest.param(
            Span.of(1, 10, 1, 10),
            [("Rename to assert_called_once_with", True)],
            id="cursor-inside-a-finding",
        ),
        pytest.param(
            Span.of(1, 29, 1, 29),
            [("Rename to assert_called_once_with", True)],
            id="cursor-at-the-end-of-a-finding",
        ),
        pytest.param(
            Span.of(0, 0, 3, 0),
            [
                ("Rename to assert_called_once_with", True),
                ("Rename to return_value", False),
                ("Rename to side_effect", False),
            ],
            id="whole-file-gives-every-fix-in-order",
        ),
        pytest.param(Span.of(0, 0, 0, 3), [], id="finding-without-fixes-offers-nothing"),
        pytest.param(Span.of(1, 0, 1, 5), [], id="selection-before-the-finding"),
    ],
)
def test_fixes_at_a_selection(selection: Span, expected: list[tuple[str, bool]]) -> None:
    assert offered(SOURCE, FINDINGS, selection) == expected


def test_offered_fix_carries_the_fixed_source() -> None:
    (only,) = quick_fixes(SOURCE, FINDINGS, Span.of(1, 10, 1, 10))
    assert only.findings == (FINDINGS[0],)
    assert only.fixed_source == SOURCE.replace("_wtih", "_with")


def test_a_fix_shared_by_findings_is_offered_once_for_all_of_them() -> None:
    source = "def test(self, mock_b, mock_a):\n    pass\n"
    first, second = Span.of(0, 15, 0, 21), Span.of(0, 23, 0, 29)
    swap = Fix("Swap", (TextEdit(first, "mock_a"), TextEdit(second, "mock_b")))
    findings = (
        finding("patch-argument-order", first, swap),
        finding("patch-argument-order", second, swap),
    )
    (only,) = quick_fixes(source, findings, Span.of(0, 0, 1, 0))
    assert (only.findings, only.fix, only.preferred) == (findings, swap, True)
    assert only.fixed_source == "def test(self, mock_a, mock_b):\n    pass\n"


def test_a_fix_that_breaks_valid_code_is_not_offered() -> None:
    breaking = rename(ATTRIBUTE_SPAN, "return value")
    findings = (finding("misspelled-mock-attribute", ATTRIBUTE_SPAN, breaking, ATTRIBUTE_FIXES[0]),)
    assert offered(SOURCE, findings, ATTRIBUTE_SPAN) == [("Rename to return_value", False)]


def test_a_fix_that_breaks_scoping_rules_is_not_offered() -> None:
    source = "def test(mock_a, mock_b):\n    pass\n"
    duplicate = Fix("Rename", (TextEdit(Span.of(0, 17, 0, 23), "mock_a"),))
    findings = (finding("patch-argument-order", Span.of(0, 9, 0, 23), duplicate),)
    assert offered(source, findings, Span.of(0, 10, 0, 10)) == []


def test_fixes_in_a_file_that_did_not_compile_are_offered_as_they_are() -> None:
    broken = SOURCE + "def unfinished(:\n"
    assert offered(broken, FINDINGS, ATTRIBUTE_SPAN) == [
        ("Rename to return_value", False),
        ("Rename to side_effect", False),
    ]


@pytest.mark.parametrize(
    "fix",
    [
        pytest.param(
            Fix("Nothing", (TextEdit(ASSERT_SPAN, "assert_called_once_wtih"),)), id="no-op"
        ),
        pytest.param(
            Fix("Overlap", (TextEdit(ASSERT_SPAN, "a"), TextEdit(Span.of(1, 8, 1, 9), "b"))),
            id="conflicting-edits",
        ),
    ],
)
def test_fixes_that_cannot_help_are_left_out(fix: Fix) -> None:
    findings = (finding("misspelled-assert", ASSERT_SPAN, fix),)
    assert offered(SOURCE, findings, ASSERT_SPAN) == []


@pytest.mark.parametrize(
    ("source", "valid"),
    [
        ("x = 1\n", True),
        ("x = '\\d'\n", True),  # an invalid escape only warns
        ("x is 1\n", True),  # `is` with a literal only warns
        ("def f(:\n", False),
        ("def f(a, a): pass\n", False),
        ("return 1\n", False),
        ("x = 1\x00\n", False),
    ],
)
def test_is_valid_python(source: str, *, valid: bool) -> None:
    assert is_valid_python(source) is valid
