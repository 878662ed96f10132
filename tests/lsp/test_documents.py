"""Open documents follow the client's incremental edits exactly."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mockls.lsp.documents import ContentChange, DocumentStore, apply_content_changes
from mockls.lsp.positions import UTF8, UTF16, UTF32


def change(start: tuple[int, int], end: tuple[int, int], text: str) -> ContentChange:
    return ContentChange(text=text, start=start, end=end)


@pytest.mark.parametrize(
    ("text", "changes", "encoding", "expected"),
    [
        pytest.param(
            "m.assert_called_once_wtih()\n",
            [change((0, 21), (0, 25), "with")],
            UTF16,
            "m.assert_called_once_with()\n",
            id="replace-a-word",
        ),
        pytest.param(
            "a\nb\n",
            [change((1, 0), (1, 0), "x"), change((0, 0), (0, 1), "yy")],
            UTF16,
            "yy\nxb\n",
            id="each-change-applies-to-the-text-before-it",
        ),
        pytest.param(
            "s = '😀'; m.x\n",
            [change((0, 12), (0, 13), "y")],
            UTF16,
            "s = '😀'; m.y\n",
            id="utf16-columns-after-an-emoji",
        ),
        pytest.param(
            "s = '😀'; m.x\n",
            [change((0, 14), (0, 15), "y")],
            UTF8,
            "s = '😀'; m.y\n",
            id="utf8-columns-after-an-emoji",
        ),
        pytest.param(
            "s = '😀'; m.x\n",
            [change((0, 11), (0, 12), "y")],
            UTF32,
            "s = '😀'; m.y\n",
            id="utf32-columns-after-an-emoji",
        ),
        pytest.param(
            "a = '\x0c'\nb\r\nc\rd\n",
            [change((3, 0), (3, 1), "D"), change((1, 0), (2, 1), "BC")],
            UTF16,
            "a = '\x0c'\nBC\rD\n",
            id="lines-break-at-crlf-cr-lf-only",
        ),
        pytest.param(
            "abc\n",
            [change((0, 1), (5, 0), "")],
            UTF16,
            "a",
            id="a-range-past-the-end-reaches-the-end",
        ),
        pytest.param(
            "old\n",
            [ContentChange(text="new\n"), change((0, 0), (0, 1), "N")],
            UTF16,
            "New\n",
            id="whole-document-change",
        ),
    ],
)
def test_apply_content_changes(
    text: str, changes: list[ContentChange], encoding: str, expected: str
) -> None:
    assert apply_content_changes(text, changes, encoding) == expected


_PIECES = st.sampled_from(["a", "é", "😀", " ", "\n", "\r\n", "\r", "\x0c", "\u2028"])


def _utf16_position(text: str, offset: int) -> tuple[int, int]:
    """An independent reference: the protocol's (line, UTF-16 column) of a string index."""
    before = text[:offset]
    breaks = list(re.finditer(r"\r\n|\r|\n", before))
    line_start = breaks[-1].end() if breaks else 0
    return len(breaks), len(before[line_start:].encode("utf-16-le")) // 2


@given(
    st.lists(_PIECES, max_size=30).map("".join),
    st.data(),
    st.lists(_PIECES, max_size=4).map("".join),
)
def test_a_change_replaces_exactly_its_range(text: str, data: st.DataObject, new: str) -> None:
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    if "\r\n" in (text[start - 1 : start + 1], text[end - 1 : end + 1]):
        return  # no protocol position lies between \r and \n
    edit = change(_utf16_position(text, start), _utf16_position(text, end), new)
    assert apply_content_changes(text, [edit], UTF16) == text[:start] + new + text[end:]


def test_store_tracks_versions_and_paths(tmp_path: Path) -> None:
    store = DocumentStore()
    uri = (tmp_path / "test_x.py").as_uri()
    opened = store.open(uri, 1, "x = 1\n", "python")
    assert (opened.version, opened.path, opened.is_python) == (1, tmp_path / "test_x.py", True)

    changed = store.change(uri, 2, [change((0, 4), (0, 5), "2")], UTF16)
    assert changed is not None
    assert (changed.version, changed.text) == (2, "x = 2\n")
    assert store.get(uri) is changed
    assert store.all() == [changed]

    assert store.close(uri) is changed
    assert store.get(uri) is None
    assert store.change(uri, 3, [], UTF16) is None
    assert store.close(uri) is None


@pytest.mark.parametrize(
    ("uri", "language_id", "is_python"),
    [
        ("file:///w/test_a.py", "python", True),
        ("file:///w/stubs.pyi", "", True),
        ("untitled:Untitled-1", "python", True),
        ("file:///w/pyproject.toml", "toml", False),
        ("untitled:Untitled-2", "plaintext", False),
    ],
)
def test_which_documents_are_python(uri: str, language_id: str, *, is_python: bool) -> None:
    assert DocumentStore().open(uri, 1, "", language_id).is_python is is_python
