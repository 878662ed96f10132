"""Lines of source text: where they break, where they start, and the byte-order mark.

Lines end at ``\\r\\n``, ``\\r`` or ``\\n`` only: the line breaks of both Python's tokenizer and
the Language Server Protocol (``str.splitlines`` also splits at form feeds and other
separators, which would shift every later line). Every layer splits text with this module.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mockls.spans import Position

__all__ = ["BOM", "LINE_BREAK", "SourceLines", "split_lines", "split_lines_keeping_breaks"]

LINE_BREAK = re.compile(r"\r\n|\r|\n")
"""A line break as Python and LSP count them."""

BOM = "\ufeff"
"""The byte-order mark an editor may keep at the start of a text (the parser never sees it)."""


def split_lines(text: str) -> list[str]:
    """The lines of ``text`` without their breaks (an empty text has one empty line)."""
    return LINE_BREAK.split(text)


def split_lines_keeping_breaks(text: str) -> tuple[list[str], list[str]]:
    """The lines of ``text`` and the break that ends each (``''`` for the last line)."""
    lines: list[str] = []
    breaks: list[str] = []
    start = 0
    for match in LINE_BREAK.finditer(text):
        lines.append(text[start : match.start()])
        breaks.append(match.group())
        start = match.end()
    lines.append(text[start:])
    breaks.append("")
    return lines, breaks


class SourceLines:
    """The lines of one text and the offsets where they start.

    Positions outside the text are clamped: a column past the end of its line means the end
    of the line (before its line break), a line past the last line means the end of the text.
    """

    __slots__ = ("_ends", "_starts", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        starts = [0]
        ends: list[int] = []
        for match in LINE_BREAK.finditer(text):
            ends.append(match.start())
            starts.append(match.end())
        ends.append(len(text))
        self._starts: Sequence[int] = starts
        self._ends: Sequence[int] = ends

    @property
    def count(self) -> int:
        """How many lines the text has (an empty text has one empty line)."""
        return len(self._starts)

    def line(self, number: int) -> str:
        """The text of 0-based line ``number`` without its line break ('' outside the text)."""
        if not 0 <= number < len(self._starts):
            return ""
        return self.text[self._starts[number] : self._ends[number]]

    def offset(self, position: Position) -> int:
        """The string index of ``position`` (code-point column), clamped into the text."""
        if position.line < 0:
            return 0
        if position.line >= len(self._starts):
            return len(self.text)
        start = self._starts[position.line]
        end = self._ends[position.line]
        return min(start + max(position.character, 0), end)
