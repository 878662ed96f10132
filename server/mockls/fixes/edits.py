"""Applying text edits to source text, with positions in lines and code-point columns.

Lines end at ``\\r\\n``, ``\\r`` or ``\\n`` only: the line breaks of both Python's tokenizer and
the Language Server Protocol (``str.splitlines`` also splits at form feeds and other
separators, which would shift every later line).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from mockls.spans import Position, TextEdit

__all__ = ["ConflictingEditsError", "SourceLines", "apply_edits"]

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


class ConflictingEditsError(ValueError):
    """The edits of one change overlap or run backwards, so no single result exists."""


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
        for match in _LINE_BREAK.finditer(text):
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


def apply_edits(text: str, edits: Iterable[TextEdit]) -> str:
    """``text`` with every edit applied, all positions referring to the original text.

    Insertions at one point go in the order given, and before a replacement that starts
    there; edits that overlap (or end before they start) raise :class:`ConflictingEditsError`.
    """
    lines = SourceLines(text)
    ranges = sorted(
        (
            (lines.offset(edit.span.start), lines.offset(edit.span.end), index, edit.new_text)
            for index, edit in enumerate(edits)
        ),
        key=lambda item: (item[0], item[1], item[2]),
    )
    pieces: list[str] = []
    cursor = 0
    for start, end, _index, new_text in ranges:
        if end < start:
            raise ConflictingEditsError(f"edit ends before it starts at offset {start}")
        if start < cursor:
            raise ConflictingEditsError(f"edits overlap at offset {start}")
        pieces.append(text[cursor:start])
        pieces.append(new_text)
        cursor = end
    pieces.append(text[cursor:])
    return "".join(pieces)
