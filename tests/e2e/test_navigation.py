"""Hover, go to definition and completion through the real server, on the navigation fixture."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import pytest
from lsprotocol import types

if TYPE_CHECKING:
    from conftest import Session

pytestmark = pytest.mark.asyncio(loop_scope="module")

WORKSPACE_FIXTURE = "navigation_project"

WAIT = 30.0
"""Seconds before a request is given up on: a hang guard, never an assertion on speed."""

TARGET_CARD = (
    "function `shop.payments.charge`\n\n"
    '```python\ncharge(amount, currency="EUR", *, idempotency_key=None)\n```\n\n'
    "Defined in `shop/payments.py:6`.\n\n"
    "Looked up by:\n"
    "- `shop/orders.py:4` binds it with `from shop.payments import charge`: "
    "**not reached** by this patch; patch `'shop.orders.charge'` for it"
)

TYPED = """\
from unittest import mock


def test_pay():
    label = "café ☕ 😀"; patcher = mock.patch("shop.pa")
"""


async def hover(session: Session, uri: str, offset: int) -> types.Hover | None:
    params = types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri),
        position=session.position(uri, offset),
    )
    return await asyncio.wait_for(session.client.text_document_hover_async(params), WAIT)


async def definition(
    session: Session, uri: str, offset: int
) -> types.Location | list[types.Location] | list[types.LocationLink] | None:
    params = types.DefinitionParams(
        text_document=types.TextDocumentIdentifier(uri=uri),
        position=session.position(uri, offset),
    )
    return await asyncio.wait_for(session.client.text_document_definition_async(params), WAIT)


async def completion(
    session: Session, uri: str, offset: int, trigger: str | None = None
) -> types.CompletionList | list[types.CompletionItem] | None:
    context = (
        types.CompletionContext(
            trigger_kind=types.CompletionTriggerKind.TriggerCharacter, trigger_character=trigger
        )
        if trigger
        else types.CompletionContext(trigger_kind=types.CompletionTriggerKind.Invoked)
    )
    params = types.CompletionParams(
        text_document=types.TextDocumentIdentifier(uri=uri),
        position=session.position(uri, offset),
        context=context,
    )
    return await asyncio.wait_for(session.client.text_document_completion_async(params), WAIT)


def span_range(session: Session, uri: str, start: int, end: int) -> types.Range:
    return types.Range(start=session.position(uri, start), end=session.position(uri, end))


async def test_hover_on_a_patch_target_explains_where_it_is_looked_up(session: Session) -> None:
    uri = session.open("tests/test_orders.py")
    text = session.texts[uri]
    start = text.index("shop.payments.charge")

    card = await hover(session, uri, start + len("shop.pay"))

    assert card == types.Hover(
        contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=TARGET_CARD),
        range=span_range(session, uri, start, start + len("shop.payments.charge")),
    )


async def test_hover_on_an_injected_mock_says_what_it_mocks(session: Session) -> None:
    uri = session.open("tests/test_orders.py")
    text = session.texts[uri]
    start = text.index("mock_charge):")

    card = await hover(session, uri, start + 2)

    assert card is not None
    assert isinstance(card.contents, types.MarkupContent)
    assert card.contents.value.startswith(
        "`mock_charge`: mock of `shop.payments.charge`, autospecced (calls must match the "
        "signature)\n\nfunction `shop.payments.charge`"
    )
    assert card.range == span_range(session, uri, start, start + len("mock_charge"))


async def test_no_hover_away_from_patches(session: Session) -> None:
    uri = session.open("tests/test_orders.py")
    assert await hover(session, uri, session.texts[uri].index("place(Order")) is None


@pytest.mark.parametrize(
    ("segment", "path", "target"),
    [
        (
            "shop",
            "shop/__init__.py",
            types.Range(start=types.Position(0, 0), end=types.Position(0, 0)),
        ),
        (
            "payments",
            "shop/payments.py",
            types.Range(start=types.Position(0, 0), end=types.Position(0, 0)),
        ),
        (
            "charge",
            "shop/payments.py",
            types.Range(start=types.Position(5, 4), end=types.Position(5, 10)),
        ),
    ],
)
async def test_definition_of_each_target_segment(
    session: Session, segment: str, path: str, target: types.Range
) -> None:
    uri = session.open("tests/test_orders.py")
    text = session.texts[uri]
    start = text.index("shop.payments.charge") + "shop.payments.charge".index(segment)

    found = await definition(session, uri, start + 1)

    assert found == [
        types.LocationLink(
            target_uri=(session.workspace / path).as_uri(),
            target_range=target,
            target_selection_range=target,
            origin_selection_range=span_range(session, uri, start, start + len(segment)),
        )
    ]


async def test_definition_of_a_mock_is_the_patched_object(session: Session) -> None:
    uri = session.open("tests/test_orders.py")
    text = session.texts[uri]
    start = text.index("as mock_total")

    found = await definition(session, uri, start + len("as mock_"))

    target = types.Range(start=types.Position(15, 8), end=types.Position(15, 13))
    assert found == [
        types.LocationLink(
            target_uri=(session.workspace / "shop/orders.py").as_uri(),
            target_range=target,
            target_selection_range=target,
            origin_selection_range=span_range(
                session, uri, start + len("as "), start + len("as mock_total")
            ),
        )
    ]


async def test_completion_of_the_segment_being_typed(session: Session) -> None:
    uri = session.open("tests/test_typed.py", TYPED)
    start = TYPED.index('"shop.pa"') + len('"shop.')

    completed = await completion(session, uri, start + len("pa"))

    assert isinstance(completed, types.CompletionList)
    assert not completed.is_incomplete
    assert list(completed.items) == (
        [
            types.CompletionItem(
                label="payments",
                kind=types.CompletionItemKind.Module,
                detail="shop.payments",
                sort_text="00000",
                text_edit=types.TextEdit(
                    range=span_range(session, uri, start, start + len("pa")), new_text="payments"
                ),
            )
        ]
    )


async def test_completion_after_a_typed_dot(session: Session) -> None:
    uri = session.open("tests/test_dotted.py", TYPED)
    end = TYPED.index('"shop.pa"') + len('"shop.pa')
    session.edit(uri, [(end - 2, end, "payments.")])  # "shop.payments." is typed

    completed = await completion(session, uri, end + len("yments."), trigger=".")

    assert isinstance(completed, types.CompletionList)
    assert [(item.label, item.kind, item.detail) for item in completed.items] == [
        ("GATEWAY_URL", types.CompletionItemKind.Constant, "shop.payments.GATEWAY_URL"),
        (
            "charge",
            types.CompletionItemKind.Function,
            'shop.payments.charge(amount, currency="EUR", *, idempotency_key=None)',
        ),
        ("refund", types.CompletionItemKind.Function, "shop.payments.refund(payment_id)"),
    ]
    empty = span_range(session, uri, end + len("yments."), end + len("yments."))
    assert [item.text_edit.range for item in completed.items if item.text_edit] == [empty] * 3


async def test_no_completion_outside_patch_targets(session: Session) -> None:
    uri = session.open("tests/test_elsewhere.py", TYPED)
    assert await completion(session, uri, TYPED.index('"café') + 3, trigger='"') is None
    assert await completion(session, uri, TYPED.index("mock.patch") + len("mock.")) is None


async def test_indexing_is_reported_as_progress(session: Session) -> None:
    client = session.client

    async def ended() -> list[object]:
        while True:
            reports = [report for values in client.progress_reports.values() for report in values]
            if any(isinstance(report, types.WorkDoneProgressEnd) for report in reports):
                return [type(report).__name__ for report in reports]
            await client.wait_for_notification(types.PROGRESS)

    assert await asyncio.wait_for(ended(), WAIT) == ["WorkDoneProgressBegin", "WorkDoneProgressEnd"]
