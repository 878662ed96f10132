"""unresolved-patch-target and ineffective-patch through the real server, in a real project.

The workspace is the ``where_to_patch`` fixture project (``tests/fixtures/where_to_patch``):
``shop.orders`` binds ``charge`` with ``from shop.payments import charge``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from lsprotocol import types

from mockls.spans import Span

from .conftest import project_files

if TYPE_CHECKING:
    from conftest import Session

pytestmark = pytest.mark.asyncio(loop_scope="module")

_PROJECT = Path(__file__).resolve().parents[1] / "fixtures" / "where_to_patch"

WORKSPACE = project_files(_PROJECT)

TEST_ORDERS = """\
from unittest import mock

from shop.orders import OrderService


@mock.patch("shop.payments.charge", return_value="ch_1")
@mock.patch("shop.paymnts.refund")
def test_place(mock_refund, mock_charge):
    assert OrderService().place("4242", 500) == "ch_1"
"""

INEFFECTIVE_SPAN = Span.of(5, 13, 5, 33)
UNRESOLVED_SPAN = Span.of(6, 18, 6, 25)


async def findings_once_indexed(session: Session, uri: str) -> list[types.Diagnostic]:
    """The first non-empty diagnostics of the document's current version.

    Until the server has indexed the workspace it lints without it, then lints again: a
    document with findings of these rules gets them from the second publish on.
    """
    version = session.versions[uri]
    seen = 0
    while True:
        await session.published(uri, version, after=seen)
        history = session.client.published
        for index in range(seen, len(history)):
            if history[index].uri == uri and history[index].version == version:
                if history[index].diagnostics:
                    return list(history[index].diagnostics)
                seen = index + 1


async def test_both_rules_report_in_the_editor(session: Session) -> None:
    uri = session.open("tests/test_orders.py", TEST_ORDERS)

    published = await findings_once_indexed(session, uri)

    assert [(item.code, item.severity, item.range, item.message) for item in published] == [
        (
            "ineffective-patch",
            types.DiagnosticSeverity.Warning,
            session.range_of(TEST_ORDERS, INEFFECTIVE_SPAN),
            "shop/orders.py:5 binds `charge` with `from shop.payments import charge`; "
            "patch 'shop.orders.charge'",
        ),
        (
            "unresolved-patch-target",
            types.DiagnosticSeverity.Error,
            session.range_of(TEST_ORDERS, UNRESOLVED_SPAN),
            "module `shop` has no attribute `paymnts`; did you mean `payments`? "
            "(the patch fails when it starts)",
        ),
    ]


async def test_related_information_points_at_the_import_line(session: Session) -> None:
    uri = session.open("tests/test_related.py", TEST_ORDERS)

    ineffective, _ = await findings_once_indexed(session, uri)

    orders = session.workspace / "shop" / "orders.py"
    assert list(ineffective.related_information or []) == [
        types.DiagnosticRelatedInformation(
            location=types.Location(
                uri=orders.as_uri(),
                range=types.Range(
                    start=types.Position(line=4, character=0),
                    end=types.Position(line=4, character=32),
                ),
            ),
            message="`shop.orders` looks `charge` up here, not through `shop.payments`",
        )
    ]


async def test_the_quick_fixes_rewrite_the_target(session: Session) -> None:
    # The file is saved and the sandbox is on (the default): each fix is proved first.
    uri = session.open("tests/test_fixes.py", TEST_ORDERS)
    await findings_once_indexed(session, uri)

    at_definition_site = quick_fixes(
        await session.code_actions(uri, TEST_ORDERS.index("payments.charge"))
    )
    assert [(action.title, action.is_preferred) for action in at_definition_site] == [
        ("Patch 'shop.orders.charge' instead (verified)", True)
    ]
    assert at_definition_site[0].edit is not None
    assert session.applied(uri, at_definition_site[0].edit) == TEST_ORDERS.replace(
        "shop.payments.charge", "shop.orders.charge"
    )

    at_typo = quick_fixes(await session.code_actions(uri, TEST_ORDERS.index("paymnts")))
    assert [(action.title, action.is_preferred) for action in at_typo] == [
        ("Change `paymnts` to `payments` (verified)", True)
    ]
    assert at_typo[0].edit is not None
    assert session.applied(uri, at_typo[0].edit) == TEST_ORDERS.replace("paymnts", "payments")


def quick_fixes(actions: list[types.CodeAction]) -> list[types.CodeAction]:
    return [action for action in actions if action.kind == types.CodeActionKind.QuickFix]


async def test_fixing_the_targets_clears_the_findings(session: Session) -> None:
    uri = session.open("tests/test_edit.py", TEST_ORDERS)
    assert len(await findings_once_indexed(session, uri)) == 2

    session.replace(uri, "shop.payments.charge", "shop.orders.charge")
    session.replace(uri, "paymnts", "payments")

    assert await session.diagnostics(uri) == []
