"""Tests named as the project's pytest names them, through the real server: in a project that
configures ``python_classes = ["test_*"]`` as celery does, the "Verify patches" lenses, the
refactorings and their proofs by execution find the tests of its ``test_*`` classes; and a
test module outside its ``testpaths``, which ``pytest`` does not collect, gets no lens.

The workspace is a copy of ``examples/shop`` in a trusted workspace (the sandbox runs the
server's own interpreter, which has pytest-mock), with a test module in celery's style.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from lsprotocol import types

from .conftest import project_files
from .proof_waits import WAIT, first_answer, proved, refactorings

if TYPE_CHECKING:
    from conftest import Session

pytestmark = pytest.mark.asyncio(loop_scope="module")

SHOP = Path(__file__).resolve().parents[2] / "examples" / "shop"

PYPROJECT = """\
[project]
name = "shop"
version = "0.1.0"

[tool.pytest.ini_options]
testpaths = ["tests"]
pythonpath = ["."]
python_classes = ["test_*"]
"""

CELERY_STYLE = """\
from unittest import mock

from shop import orders
from shop.inventory import Inventory
from shop.orders import Order, OrderRepository, OrderService


def paid_order_service():
    repository = OrderRepository()
    repository.save(Order("o-9", "bo@example.com", {"mug": 2}, 2400, "ch_9", status="paid"))
    return OrderService(repository, Inventory({"mug": 1}))


class test_refunds:
    def test_cancelling_refunds(self, mocker):
        service = paid_order_service()
        with mock.patch("shop.orders.refund") as mock_refund:
            with mock.patch("shop.orders.send_receipt") as mock_send_receipt:
                order = service.cancel("o-9")
                mock_refund.assert_called_once_with("ch_9")
                mock_send_receipt.assert_not_called()
        assert order.status == "cancelled"


class test_charges:
    @mock.patch("shop.orders.charge")
    def test_charges_by_keyword(self, mock_charge):
        orders.charge("4242", amount=2400)
        mock_charge.assert_called_once_with("4242", amount=2400)


class TestNotCollected:
    def test_helper_named_like_a_test(self):
        with mock.patch("shop.orders.refund"):
            with mock.patch("shop.orders.send_receipt"):
                pass
"""

RELATIVE = "tests/test_celery_style.py"
OUTSIDE_TESTPATHS = "scripts/test_release.py"

WORKSPACE = {
    **project_files(SHOP, (".py",)),
    "pyproject.toml": PYPROJECT,
    RELATIVE: CELERY_STYLE,
    OUTSIDE_TESTPATHS: CELERY_STYLE,
}

INITIALIZATION_OPTIONS = {"mockls": {"trusted": True, "sandbox": {"enabled": True}}}

USE_MOCKER = "Flatten the `with patch` blocks: `mocker.patch` calls"
MERGE = "Merge the nested `with patch` blocks into one `with`"
EXIT_STACK = "Enter the nested patches on one `contextlib.ExitStack`"
AUTOSPEC = (
    "Add `autospec=True` (warning: 1 call on the mock already in this module would then fail"
    " to match `shop.payments.charge`)"
)


async def test_the_lenses_are_on_the_test_classes_pytest_collects(session: Session) -> None:
    uri = session.open(RELATIVE)
    await first_answer(session, uri, CELERY_STYLE.index("with mock.patch("))
    lenses = await lenses_of(session, uri) or []
    assert [list(lens.command.arguments or ())[1] for lens in lenses if lens.command] == [
        "test_refunds.test_cancelling_refunds",
        "test_charges.test_charges_by_keyword",
    ]


async def lenses_of(session: Session, uri: str) -> list[types.CodeLens] | None:
    return await asyncio.wait_for(
        session.client.text_document_code_lens_async(
            types.CodeLensParams(text_document=types.TextDocumentIdentifier(uri=uri))
        ),
        WAIT,
    )


async def test_a_module_outside_testpaths_gets_no_lenses(session: Session) -> None:
    inside = session.open(RELATIVE)
    await first_answer(session, inside, CELERY_STYLE.index("with mock.patch("))  # indexed
    outside = session.open(OUTSIDE_TESTPATHS)  # the same text
    assert len(await lenses_of(session, inside) or []) == 2
    assert await lenses_of(session, outside) is None


async def test_a_test_class_named_by_python_classes_is_flattened_as_verified(
    session: Session,
) -> None:
    uri = session.open(RELATIVE)
    offset = CELERY_STYLE.index("with mock.patch(")
    [listed] = await first_answer(session, uri, offset)
    assert listed.title == f"{USE_MOCKER} (verifying in the sandbox)"

    assert await proved(session, RELATIVE, USE_MOCKER) == (
        "verified in the sandbox: `test_refunds.test_cancelling_refunds` ended the same,"
        " with the same mock calls"
    )
    [action] = await refactorings(session, uri, offset)
    assert action.title == f"{USE_MOCKER} (verified)"
    assert action.edit is not None
    flattened = session.applied(uri, action.edit)
    assert 'mock_refund = mocker.patch("shop.orders.refund")' in flattened
    assert "with mock.patch" not in flattened.split("class TestNotCollected")[0]


async def test_autospec_in_a_test_class_named_by_python_classes_runs_its_test(
    session: Session,
) -> None:
    uri = session.open(RELATIVE)
    offset = CELERY_STYLE.index('patch("shop.orders.charge') + 3
    await first_answer(session, uri, offset)
    change = "`test_charges.test_charges_by_keyword` passes, and raises an error with the change"
    assert await proved(session, RELATIVE, AUTOSPEC) == (
        f"offered, saying what the sandbox saw: {change}"
    )


async def test_a_class_pytest_does_not_collect_gets_no_flattening_into_a_test(
    session: Session,
) -> None:
    uri = session.open(RELATIVE)
    await first_answer(session, uri, CELERY_STYLE.index("with mock.patch("))
    actions = await refactorings(session, uri, CELERY_STYLE.rindex("with mock.patch("))
    # Not a test: the test-only rewrite is not offered, and no test runs to prove the merges.
    assert sorted(action.title.rpartition(" (")[0] for action in actions) == [EXIT_STACK, MERGE]
    for title in (EXIT_STACK, MERGE):
        assert await proved(session, RELATIVE, title) == "not verified: it affects no test to run"
