"""Applying text edits to source text, with positions in lines and code-point columns
(lines as :mod:`mockls.syntax.lines` breaks them)."""

from __future__ import annotations

from collections.abc import Iterable

from mockls.spans import TextEdit
from mockls.syntax.lines import SourceLines

__all__ = ["ConflictingEditsError", "apply_edits"]


class ConflictingEditsError(ValueError):
    """The edits of one change overlap or run backwards, so no single result exists."""


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
