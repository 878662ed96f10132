"""Positions and spans in source text: 0-based lines, columns counted in code points.

Everything below ``lsp/`` speaks these; ``lsp/`` converts columns to the client's encoding and
the CLI prints them 1-based.
"""

from __future__ import annotations

from dataclasses import dataclass

from mockls.dataclass_slots import SLOTS
from mockls.syntax.lines import split_lines


@dataclass(frozen=True, order=True, **SLOTS)
class Position:
    """A 0-based line and a 0-based column counted in code points (``str`` indices)."""

    line: int
    character: int


@dataclass(frozen=True, order=True, **SLOTS)
class Span:
    """A half-open range of source text from ``start`` to ``end``."""

    start: Position
    end: Position

    @classmethod
    def of(cls, start_line: int, start_char: int, end_line: int, end_char: int) -> Span:
        """Build a span from four numbers, in the order they are read."""
        return cls(Position(start_line, start_char), Position(end_line, end_char))

    def contains(self, position: Position) -> bool:
        """Whether ``position`` lies within the span (its end included, as an editor cursor)."""
        return self.start <= position <= self.end


@dataclass(frozen=True, **SLOTS)
class TextEdit:
    """Replace the text in ``span`` with ``new_text``."""

    span: Span
    new_text: str


class LineIndex:
    """Turns the UTF-8 byte columns of :mod:`ast` nodes into code-point columns.

    Built once per source text; ASCII lines (the common case) convert for free.
    """

    __slots__ = ("_lines",)

    def __init__(self, source: str) -> None:
        self._lines = split_lines(source)

    def character(self, line: int, utf8_column: int) -> int:
        """The code-point column of byte column ``utf8_column`` on 0-based ``line``."""
        if line >= len(self._lines):
            return utf8_column
        text = self._lines[line]
        if text.isascii():
            return utf8_column
        return len(
            text.encode("utf-8", errors="replace")[:utf8_column].decode("utf-8", errors="ignore")
        )

    def span(self, lineno: int, col_offset: int, end_lineno: int, end_col_offset: int) -> Span:
        """The span of an :mod:`ast` node's 1-based lines and UTF-8 byte columns."""
        return Span.of(
            lineno - 1,
            self.character(lineno - 1, col_offset),
            end_lineno - 1,
            self.character(end_lineno - 1, end_col_offset),
        )

    def line_text(self, line: int) -> str:
        """The text of 0-based ``line`` without its line ending ('' past the end)."""
        return self._lines[line] if 0 <= line < len(self._lines) else ""
