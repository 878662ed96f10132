"""Text edits apply at code-point positions, lines broken only at \\r\\n, \\r and \\n."""

from __future__ import annotations

import pytest

from mockls.fixes.edits import ConflictingEditsError, apply_edits
from mockls.spans import Position, Span, TextEdit
from mockls.syntax.lines import SourceLines


def edit(start_line: int, start: int, end_line: int, end: int, text: str) -> TextEdit:
    return TextEdit(Span.of(start_line, start, end_line, end), text)


@pytest.mark.parametrize(
    ("source", "edits", "expected"),
    [
        pytest.param(
            "m.assert_called_once_wtih(1)\n",
            [edit(0, 2, 0, 25, "assert_called_once_with")],
            "m.assert_called_once_with(1)\n",
            id="rename-in-place",
        ),
        pytest.param(
            "def t(self, a, b):\n    pass\n",
            [edit(0, 12, 0, 13, "b"), edit(0, 15, 0, 16, "a")],
            "def t(self, b, a):\n    pass\n",
            id="two-edits-on-one-line-use-original-positions",
        ),
        pytest.param(
            "x = 1\r\ny = 2\rz = 3\n",
            [edit(1, 0, 1, 1, "why"), edit(2, 4, 2, 5, "4")],
            "x = 1\r\nwhy = 2\rz = 4\n",
            id="crlf-and-cr-break-lines",
        ),
        pytest.param(
            "a = '\x0c'\nb = 1\n",
            [edit(1, 0, 1, 1, "c")],
            "a = '\x0c'\nc = 1\n",
            id="form-feed-does-not-break-lines",
        ),
        pytest.param(
            "s = '😀'; m.retrun_value = 1\n",
            [edit(0, 11, 0, 23, "return_value")],
            "s = '😀'; m.return_value = 1\n",
            id="columns-count-code-points",
        ),
        pytest.param(
            "ab\n",
            [edit(0, 1, 0, 1, "1"), edit(0, 1, 0, 1, "2"), edit(0, 1, 0, 2, "B")],
            "a12B\n",
            id="insertions-at-one-point-keep-their-order-before-a-replacement",
        ),
        pytest.param(
            "abc\nd",
            [edit(0, 99, 0, 99, "!"), edit(7, 0, 9, 0, "?")],
            "abc!\nd?",
            id="positions-past-the-end-clamp",
        ),
        pytest.param("", [], "", id="no-edits"),
    ],
)
def test_apply_edits(source: str, edits: list[TextEdit], expected: str) -> None:
    assert apply_edits(source, edits) == expected


@pytest.mark.parametrize(
    "edits",
    [
        pytest.param([edit(0, 0, 0, 3, "x"), edit(0, 2, 0, 4, "y")], id="overlapping"),
        pytest.param([edit(0, 3, 0, 1, "x")], id="backwards"),
    ],
)
def test_conflicting_edits_are_refused(edits: list[TextEdit]) -> None:
    with pytest.raises(ConflictingEditsError):
        apply_edits("abcdef\n", edits)


def test_source_lines_split_like_the_protocol() -> None:
    lines = SourceLines("a\r\nb\rc\nd\x0ce\u2028f")
    assert [lines.line(number) for number in range(lines.count)] == ["a", "b", "c", "d\x0ce\u2028f"]
    assert lines.line(-1) == lines.line(4) == ""
    assert lines.offset(Position(3, 2)) == 9
    assert lines.offset(Position(-1, 5)) == 0
