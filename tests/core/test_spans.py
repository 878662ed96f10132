"""Byte columns from :mod:`ast` become code-point columns."""

from __future__ import annotations

import ast

from mockls.spans import LineIndex, Position, Span


def test_ascii_columns_are_unchanged() -> None:
    index = LineIndex("abc = 1\n")
    assert index.character(0, 4) == 4


def test_non_ascii_columns_count_code_points() -> None:
    source = "é = m.assert_x()  # 😀\nz = '😀'; m.q\n"
    tree = ast.parse(source)
    attribute = tree.body[0].value.func  # type: ignore[attr-defined]
    start = LineIndex(source).span(
        attribute.lineno, attribute.col_offset, attribute.end_lineno, attribute.end_col_offset
    )
    assert source.splitlines()[0][start.start.character : start.end.character] == "m.assert_x"
    second = tree.body[2].value  # type: ignore[attr-defined]
    span = LineIndex(source).span(
        second.lineno, second.col_offset, second.end_lineno, second.end_col_offset
    )
    assert span == Span.of(1, 9, 1, 12)


def test_lines_past_the_end_are_empty() -> None:
    index = LineIndex("a\n")
    assert index.line_text(5) == ""
    assert index.character(5, 3) == 3


def test_span_contains_its_end_like_a_cursor() -> None:
    span = Span.of(1, 2, 1, 5)
    assert span.contains(Position(1, 5))
    assert not span.contains(Position(1, 6))
