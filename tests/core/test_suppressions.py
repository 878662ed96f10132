"""``# mockls: ignore`` comments are read from real comments only, by line."""

from __future__ import annotations

import pytest

from mockls.analysis.suppressions import ALL_CODES, is_suppressed, suppressions


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("x = 1\n", {}),
        ("m.x()  # mockls: ignore\n", {0: ALL_CODES}),
        ("m.x()  # mockls: ignore[misspelled-assert]\n", {0: {"misspelled-assert"}}),
        ("a\nb  #mockls:ignore[a-b, c-d ]\n", {1: {"a-b", "c-d"}}),
        ("s = '# mockls: ignore'\n", {}),
        ("x = 1  # noqa  # mockls: ignore[x]\n", {0: {"x"}}),
        ("# mockls: ignored-thing\n", {}),
        # Broken code: the comment on the broken line is still honoured.
        ("def f(:\n    m.x()  # mockls: ignore[y]\n", {1: {"y"}}),
        ('s = """\n# mockls: ignore\n', {1: ALL_CODES}),
    ],
)
def test_suppressions_by_line(source: str, expected: dict[int, object]) -> None:
    assert dict(suppressions(source)) == expected


def test_bare_ignore_silences_every_code() -> None:
    table = suppressions("m.x()  # mockls: ignore\n")
    assert is_suppressed(table, 0, "misspelled-assert")
    assert not is_suppressed(table, 1, "misspelled-assert")


def test_listed_ignore_silences_only_its_codes() -> None:
    table = suppressions("m.x()  # mockls: ignore[misspelled-assert]\n")
    assert is_suppressed(table, 0, "misspelled-assert")
    assert not is_suppressed(table, 0, "patch-argument-order")
