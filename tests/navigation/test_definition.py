"""Go to definition from each segment of a patch target string, and from a patcher's mock."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from mockls.analysis.builder import build_model
from mockls.navigation import definition
from mockls.resolve.project import Project, ProjectFile

if TYPE_CHECKING:
    from conftest import Cursors

PROJECT_ROOT = Path(__file__).resolve().parent.parent / "fixtures" / "navigation_project"
TEST_MODULE = PROJECT_ROOT / "tests" / "test_orders.py"
SOURCE = TEST_MODULE.read_text(encoding="utf-8")
MODEL = build_model(SOURCE)

Found = tuple[str, str] | None
"""What was clicked (the text of the origin span), and ``path:line:column`` of the definition
(1-based; paths relative to the fixture project, or to the standard library)."""


@pytest.fixture
def definition_at(project: Project, cursors: Cursors) -> Callable[[str], Found]:
    def find(marked: str) -> Found:
        found = definition(MODEL, cursors.find(SOURCE, marked), ProjectFile(project, TEST_MODULE))
        if found is None:
            return None
        origin = found.origin
        clicked = SOURCE.split("\n")[origin.start.line][
            origin.start.character : origin.end.character
        ]
        path = Path(found.location.path)
        shown = (
            path.relative_to(PROJECT_ROOT).as_posix() if PROJECT_ROOT in path.parents else path.name
        )
        start = found.location.span.start
        return clicked, f"{shown}:{start.line + 1}:{start.character + 1}"

    return find


@pytest.mark.parametrize(
    ("marked", "expected"),
    [
        pytest.param('"sh|op.payments.charge"', ("shop", "shop/__init__.py:1:1"), id="package"),
        pytest.param('"shop.|payments.charge"', ("payments", "shop/payments.py:1:1"), id="module"),
        pytest.param('"shop.payments.charge|"', ("charge", "shop/payments.py:6:5"), id="function"),
        pytest.param(
            '"shop.orders.cha|rge"', ("charge", "shop/payments.py:6:5"), id="imported-name"
        ),
        pytest.param('"shop.orders.Ord|er.empty"', ("Order", "shop/orders.py:7:7"), id="class"),
        pytest.param(
            '"shop.orders.Order.em|pty"', ("empty", "shop/orders.py:20:9"), id="class-method"
        ),
        pytest.param('"shop.ref|und"', ("refund", "shop/payments.py:11:5"), id="re-export"),
        pytest.param('"to|tal"', ("total", "shop/orders.py:16:9"), id="patch-object-attribute"),
        pytest.param('"os.envi|ron"', ("environ", "os.py:769:1"), id="standard-library"),
        pytest.param(
            "(mock_send_receipt, mock_cha|rge)",
            ("mock_charge", "shop/payments.py:6:5"),
            id="injected-mock",
        ),
        pytest.param("as mock_e|mpty", ("mock_empty", "shop/orders.py:20:9"), id="with-as-name"),
        pytest.param(
            '"shop.payments.char|gee", create=True',
            None,
            id="created-attribute-has-no-definition",
        ),
        pytest.param('"shop.paymnts.cha|rge"', None, id="past-the-missing-segment"),
        pytest.param('"shop.paym|nts.charge"', None, id="the-missing-segment"),
        pytest.param('"sh|op.paymnts.charge"', ("shop", "shop/__init__.py:1:1"), id="before-it"),
        pytest.param('Order("a|da", [10])', None, id="another-string"),
        pytest.param("mock_send_receipt.assert_called_|once()", None, id="a-use-of-the-mock"),
    ],
)
def test_definition(definition_at: Callable[[str], Found], marked: str, expected: Found) -> None:
    assert definition_at(marked) == expected


def test_no_definition_without_a_project(cursors: Cursors) -> None:
    assert definition(MODEL, cursors.find(SOURCE, '"shop.orders.cha|rge"'), None) is None
