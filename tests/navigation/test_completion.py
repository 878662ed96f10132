"""Completion inside patch target strings: one segment at a time, also while still typing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from mockls.analysis.builder import build_model
from mockls.navigation import completions, may_complete
from mockls.resolve.project import Project, ProjectFile

if TYPE_CHECKING:
    from conftest import Cursors

PROJECT_ROOT = Path(__file__).resolve().parent.parent / "fixtures" / "navigation_project"
TYPED_MODULE = PROJECT_ROOT / "tests" / "test_typing.py"
"""The module being typed: handed to the index as an editor's buffer, never written."""

HEADER = "from unittest import mock\n\nfrom shop.orders import Order\n\n\n"

SHOP = ["notifications:module", "orders:module", "payments:module", "refund:function"]
ORDER = [
    "currency:staticmethod",
    "customer:attribute",
    "discount:constant",
    "empty:classmethod",
    "items:attribute",
    "size:property",
    "total:method",
]

Completed = tuple[list[str], str | None]
"""The ``label:kind`` of each completion in order, and the text their edit replaces."""


@pytest.fixture
def complete_at(fresh_project: Project, cursors: Cursors) -> Callable[[str], Completed]:
    def complete(marked: str) -> Completed:
        source, position = cursors.take(HEADER + marked)
        fresh_project.update_file(TYPED_MODULE, source)
        found = completions(
            build_model(source), source, position, ProjectFile(fresh_project, TYPED_MODULE)
        )
        spans = {item.replace for item in found}
        assert len(spans) <= 1  # every item replaces the same segment
        replaced = None
        if spans:
            (span,) = spans
            assert span.start.line == span.end.line == position.line
            line = source.split("\n")[span.start.line]
            replaced = line[span.start.character : span.end.character]
            assert span.start <= position <= span.end
        return [f"{item.label}:{item.kind.value}" for item in found], replaced

    return complete


@pytest.mark.parametrize(
    ("marked", "expected"),
    [
        pytest.param(
            '@mock.patch("shop.|")\ndef test_it(m):\n    pass\n', (SHOP, ""), id="after-a-dot"
        ),
        pytest.param(
            '@mock.patch("shop.pa|")\ndef test_it(m):\n    pass\n',
            (["payments:module"], "pa"),
            id="part-of-a-segment",
        ),
        pytest.param(
            '@mock.patch("shop.pa|yments.charge")\ndef test_it(m):\n    pass\n',
            (["payments:module"], "payments"),
            id="inside-a-segment-replaces-all-of-it",
        ),
        pytest.param(
            'def test_it():\n    with mock.patch("shop.orders.Order.|"):\n        pass\n',
            (ORDER, ""),
            id="class-members",
        ),
        pytest.param(
            'def test_it():\n    with mock.patch.object(Order, "t|"):\n        pass\n',
            (["total:method"], "t"),
            id="patch-object-attribute",
        ),
        pytest.param(
            'def test_it():\n    with mock.patch.dict("os.envi|", {}):\n        pass\n',
            (["environ:attribute", "environb:attribute"], "envi"),
            id="standard-library",
        ),
        pytest.param('def test_it(mocker):\n    mocker.patch("shop.|")\n', (SHOP, ""), id="mocker"),
        pytest.param(
            'def test_it():\n    with mock.patch("shop.|', (SHOP, ""), id="unterminated-string"
        ),
        pytest.param('@mock.patch("shop.|")\n', (SHOP, ""), id="decorator-of-nothing-yet"),
        pytest.param('@mock.patch("shop.|', (SHOP, ""), id="unterminated-decorator"),
        pytest.param(
            '@mock.patch("shop.|\ndef test_it(m):\n    pass\n',
            (SHOP, ""),
            id="unterminated-decorator-above-a-test",
        ),
        pytest.param(
            'def test_it():\n    print("shop.|")\n', ([], None), id="a-string-that-is-no-target"
        ),
        pytest.param(
            'def test_it():\n    with mock.patch("shop.orders.charge", new=|):\n        pass\n',
            ([], None),
            id="outside-the-string",
        ),
        pytest.param(
            'def test_it():\n    with mock.patch.object(Order, "total.|"):\n        pass\n',
            ([], None),
            id="patch-object-takes-no-dotted-path",
        ),
        pytest.param(
            'def test_it():\n    with mock.patch("shop.\\x70|"):\n        pass\n',
            ([], None),
            id="string-with-escapes",
        ),
        pytest.param(
            'def test_it():\n    with mock.patch("shop. |"):\n        pass\n',
            ([], None),
            id="not-a-dotted-name",
        ),
    ],
)
def test_completions(
    complete_at: Callable[[str], Completed], marked: str, expected: Completed
) -> None:
    assert complete_at(marked) == expected


def test_no_completions_without_a_project(cursors: Cursors) -> None:
    source, position = cursors.take(HEADER + '@mock.patch("shop.|")\ndef test_it(m):\n    pass\n')
    assert completions(build_model(source), source, position, None) == ()


@pytest.mark.parametrize(
    ("marked", "expected"),
    [
        ('    with mock.patch("shop.|', True),
        ("@patch('|')", True),
        ("    x = order.|", False),
        ('    x = "a" + order.|', False),
        ("    # a comment.|", False),
    ],
)
def test_may_complete_is_a_cheap_first_check(cursors: Cursors, marked: str, expected: bool) -> None:
    line, position = cursors.take(marked)
    assert may_complete(line, position.character) is expected
