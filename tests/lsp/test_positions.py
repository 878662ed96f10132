"""Code-point columns convert to and from each client position encoding."""

from __future__ import annotations

import pytest

from mockls.lsp.positions import UTF8, UTF16, UTF32, ClientColumns, code_units
from mockls.spans import Position

# Line 1: 'é' is 1 UTF-16 unit / 2 UTF-8 bytes, '😀' 2 units / 4 bytes; both 1 code point.
TEXT = "m.x = 1\ns = 'é😀'; m.retrun_value\n"
ATTRIBUTE = Position(1, 12)  # where `retrun_value` starts, in code points


@pytest.mark.parametrize(
    ("encoding", "client_column"),
    [(UTF32, 12), (UTF16, 13), (UTF8, 16)],
)
def test_column_after_non_ascii_text(encoding: str, client_column: int) -> None:
    columns = ClientColumns.of(TEXT, encoding)
    assert columns.to_client(ATTRIBUTE) == Position(1, client_column)
    assert columns.from_client(1, client_column) == ATTRIBUTE


@pytest.mark.parametrize("encoding", [UTF8, UTF16, UTF32])
def test_ascii_lines_are_unchanged(encoding: str) -> None:
    columns = ClientColumns.of(TEXT, encoding)
    assert columns.to_client(Position(0, 3)) == Position(0, 3)
    assert columns.from_client(0, 3) == Position(0, 3)


@pytest.mark.parametrize(
    ("encoding", "inside_emoji", "expected"),
    [(UTF16, 7, Position(1, 7)), (UTF8, 9, Position(1, 7))],
)
def test_a_column_inside_a_character_moves_past_it(
    encoding: str, inside_emoji: int, expected: Position
) -> None:
    assert ClientColumns.of(TEXT, encoding).from_client(1, inside_emoji) == expected


@pytest.mark.parametrize("encoding", [UTF8, UTF16, UTF32])
def test_columns_past_the_line_end_clamp(encoding: str) -> None:
    columns = ClientColumns.of(TEXT, encoding)
    assert columns.from_client(1, 500) == Position(1, 24)
    assert columns.from_client(0, 500) == Position(0, 7)
    assert columns.to_client(Position(0, 500)) == Position(0, 7)
    assert columns.from_client(9, 4) == Position(9, 0)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("abc", {UTF8: 3, UTF16: 3, UTF32: 3}),
        ("é", {UTF8: 2, UTF16: 1, UTF32: 1}),
        ("😀", {UTF8: 4, UTF16: 2, UTF32: 1}),
        ("\ud800", {UTF8: 3, UTF16: 1, UTF32: 1}),  # a lone surrogate from JSON
    ],
)
def test_code_units(text: str, expected: dict[str, int]) -> None:
    assert {encoding: code_units(text, encoding) for encoding in expected} == expected
