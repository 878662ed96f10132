"""The sandbox through the real server: verified findings and fixes, the runtime signature on
hover, the "Verify patches" lens and command, and user code that misbehaves.

The workspace is the ``runtime_lookups`` fixture project (``tests/fixtures/runtime_lookups``):
``billing.checkout`` finds ``send_charge`` through a name built at run time, which static
analysis cannot see; ``billing.orders`` binds ``charge`` with ``from ... import``. The modules
of ``tests/sandbox/projects/faults`` (user code that hangs, crashes...) sit beside it.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from lsprotocol import types

if TYPE_CHECKING:
    from conftest import Session

pytestmark = pytest.mark.asyncio(loop_scope="module")

WORKSPACE_FIXTURE = "runtime_lookups"

_FAULTS = Path(__file__).resolve().parents[1] / "sandbox" / "projects" / "faults"
WORKSPACE = {
    path.name: path.read_text(encoding="utf-8")
    for path in _FAULTS.glob("*.py")
    if path.stem in ("hang", "exits", "segfault", "hog", "prints", "reads_stdin", "calm")
}

WAIT = 60.0
"""A hang guard: verification runs user code in fresh workers on a loaded machine."""

ORDERS_TEST = "tests/test_orders.py"
CHECKOUT_TEST = "tests/test_checkout.py"


async def settled(session: Session, uri: str, wanted: str) -> types.PublishDiagnosticsParams:
    """The first publish for the document's current version with a diagnostic saying ``wanted``."""
    version = session.versions[uri]

    async def first() -> types.PublishDiagnosticsParams:
        while True:
            for params in session.client.published:
                if (
                    params.uri == uri
                    and params.version == version
                    and any(wanted in item.message for item in params.diagnostics)
                ):
                    return params
            await session.client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)

    return await asyncio.wait_for(first(), WAIT)


def quick_fixes(actions: list[types.CodeAction]) -> list[str]:
    return [action.title for action in actions if action.kind == types.CodeActionKind.QuickFix]


async def test_a_static_finding_is_published_then_confirmed_with_a_verified_fix(
    session: Session,
) -> None:
    uri = session.open(ORDERS_TEST)
    confirmed = await settled(session, uri, "confirmed in the sandbox")
    (finding,) = [item for item in confirmed.diagnostics if item.code == "ineffective-patch"]
    assert finding.message == (
        "billing/orders.py:3 binds `charge` with `from billing.payments import charge`; patch"
        " 'billing.orders.charge'; confirmed in the sandbox: `billing.orders.charge` still holds"
        " the original while the patch is active"
    )
    # the static result came first, for the same version
    earlier = [params for params in session.client.published if params.uri == uri]
    assert any(
        item.message.endswith("patch 'billing.orders.charge'")
        for params in earlier
        for item in params.diagnostics
    )
    text = session.texts[uri]
    actions = await session.code_actions(uri, text.index("billing.payments.charge"))
    assert quick_fixes(actions) == ["Patch 'billing.orders.charge' instead (verified)"]


async def test_an_unsaved_document_gets_no_unproved_fix_until_it_is_saved(
    session: Session,
) -> None:
    uri = session.open("tests/test_unsaved.py", "from billing import orders\n")
    session.replace(
        uri,
        "from billing import orders\n",
        "from unittest.mock import patch\n\nfrom billing import orders\n\n\n"
        "@patch('billing.payments.charge')\ndef test_place(mock_charge):\n"
        "    orders.place('4242', 1)\n",
    )
    static = await settled(session, uri, "binds `charge`")
    assert not any("sandbox" in item.message for item in static.diagnostics)
    text = session.texts[uri]
    start = text.index("billing.payments.charge")
    assert quick_fixes(await session.code_actions(uri, start)) == []

    (session.workspace / "tests" / "test_unsaved.py").write_text(text, encoding="utf-8")
    session.client.text_document_did_save(
        types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    await settled(session, uri, "confirmed in the sandbox")
    assert quick_fixes(await session.code_actions(uri, start)) == [
        "Patch 'billing.orders.charge' instead (verified)"
    ]


async def hover_text(session: Session, uri: str, offset: int) -> str:
    hover = await asyncio.wait_for(
        session.client.text_document_hover_async(
            types.HoverParams(
                text_document=types.TextDocumentIdentifier(uri=uri),
                position=session.position(uri, offset),
            )
        ),
        WAIT,
    )
    assert hover is not None
    assert isinstance(hover.contents, types.MarkupContent)
    return hover.contents.value


async def runtime_hover(session: Session, uri: str, offset: int) -> str:
    """The hover at ``offset`` once the sandbox's signature has filled it in (a hover answers
    without it while the sandbox is busy; a later one has it)."""

    async def filled() -> str:
        while "from running it in the sandbox" not in (
            text := await hover_text(session, uri, offset)
        ):
            await asyncio.sleep(0.2)
        return text

    return await asyncio.wait_for(filled(), WAIT)


async def test_hover_gives_the_runtime_signature_static_analysis_lacks(session: Session) -> None:
    uri = session.open(CHECKOUT_TEST)
    offset = session.texts[uri].index("checkout._send") + len("checkout.")
    text = await runtime_hover(session, uri, offset)
    assert "```python\n_send(card, amount_cents)\n```" in text


SLOW_TESTS = """\
import time
from unittest.mock import patch


def test_slow_one():
    with patch("billing.gateway.send_charge"):
        time.sleep(15)


def test_slow_two():
    with patch("billing.gateway.send_charge"):
        time.sleep(15)
"""


async def test_hover_answers_while_every_worker_runs_a_long_test(session: Session) -> None:
    slow = session.open("tests/test_slow.py", SLOW_TESTS)
    runs = [
        asyncio.ensure_future(verify(session, slow, name))
        for name in ("test_slow_one", "test_slow_two")
    ]
    checkout = (session.workspace / CHECKOUT_TEST).read_text(encoding="utf-8")
    uri = session.open("tests/test_checkout_again.py", checkout)
    await asyncio.sleep(1.0)  # the runs have started
    offset = session.texts[uri].index("checkout._send") + len("checkout.")
    text = await hover_text(session, uri, offset)
    assert "_send" in text
    assert not any(run.done() for run in runs)  # answered while both tests still ran
    assert [(await run)["outcome"] for run in runs] == ["passed", "passed"]
    assert "```python\n_send(card, amount_cents)\n```" in await runtime_hover(session, uri, offset)


async def test_each_test_that_patches_gets_a_verify_lens(session: Session) -> None:
    uri = session.open(CHECKOUT_TEST)
    lenses = await asyncio.wait_for(
        session.client.text_document_code_lens_async(
            types.CodeLensParams(text_document=types.TextDocumentIdentifier(uri=uri))
        ),
        WAIT,
    )
    text = session.texts[uri]
    assert [
        (
            lens.command.title,
            lens.command.command,
            list(lens.command.arguments or ()),
            lens.range.start,
        )
        for lens in lenses or []
        if lens.command is not None
    ] == [
        (
            "Verify patches",
            "mockls.verifyTest",
            [uri, name],
            session.position(uri, text.index(name.split(".")[1])),
        )
        for name in (
            "CheckoutTests.test_pay_sends_the_charge",
            "CheckoutTests.test_pay_returns_the_charge_id",
        )
    ]


async def verify(session: Session, uri: str, test: str) -> Any:
    return await asyncio.wait_for(
        session.client.workspace_execute_command_async(
            types.ExecuteCommandParams(command="mockls.verifyTest", arguments=[uri, test])
        ),
        WAIT,
    )


async def test_verifying_a_test_finds_the_patch_static_analysis_cannot_see(
    session: Session,
) -> None:
    await session.indexed(WAIT)  # the run is judged against the project's modules
    uri = session.open(CHECKOUT_TEST)
    result = await verify(session, uri, "CheckoutTests.test_pay_sends_the_charge")
    assert result.get("outcome") == "passed", result
    published = await settled(session, uri, "never called")
    (missed,) = [item for item in published.diagnostics if "never called" in item.message]
    text = session.texts[uri]
    target = "billing.gateway.send_charge"
    decorator = text.index(f'@patch("{target}"')  # the run reports the line that patches
    assert (missed.code, missed.severity, missed.range.start) == (
        "ineffective-patch",
        types.DiagnosticSeverity.Warning,
        session.position(uri, decorator),
    )
    assert missed.message.startswith(
        f"never called — the code under test called the original `{target}`"
        " from billing/checkout.py:13"
    )
    checkout = session.workspace / "billing" / "checkout.py"
    assert [
        (place.location.uri, place.location.range.start.line, place.message)
        for place in missed.related_information or []
    ] == [(checkout.as_uri(), 12, f"the original `{target}` is called here")]
    assert session.client.messages[-1].message == (
        "mockls: `CheckoutTests.test_pay_sends_the_charge` passed (pytest); 1 patched target:"
        " 0 used, 1 never called while the original ran"
    )

    await verify(session, uri, "CheckoutTests.test_pay_returns_the_charge_id")
    both = await settled(session, uri, "used:")
    assert sorted(item.message.split(" ")[0] for item in both.diagnostics) == [
        "never",
        "used:",
    ]


async def test_a_finding_the_run_confirms_says_confirmed_once(session: Session) -> None:
    """The run's word replaces the sandbox's: no second "confirmed" from applying the patch."""
    await session.indexed(WAIT)
    uri = session.open(ORDERS_TEST)
    await settled(session, uri, "confirmed in the sandbox")
    result = await verify(session, uri, "test_place_charges_the_card")
    assert result.get("outcome") == "passed", result
    ran = await settled(session, uri, "confirmed by pytest --mockls")
    (finding,) = [
        item
        for item in ran.diagnostics
        if item.code == "ineffective-patch" and item.severity == types.DiagnosticSeverity.Warning
    ]
    assert finding.message.startswith(
        "billing/orders.py:3 binds `charge` with `from billing.payments import charge`; patch"
        " 'billing.orders.charge' — confirmed by pytest --mockls: "
    )
    assert finding.message.count("confirmed") == 1
    text = session.texts[uri]
    actions = await session.code_actions(uri, text.index("billing.payments.charge"))
    assert quick_fixes(actions) == ["Patch 'billing.orders.charge' instead (verified)"]


async def test_an_edit_drops_the_results_of_running_the_tests(session: Session) -> None:
    uri = session.open(CHECKOUT_TEST)
    await verify(session, uri, "CheckoutTests.test_pay_sends_the_charge")
    await settled(session, uri, "never called")
    session.replace(uri, "import unittest\n", "import unittest  # edited\n")
    assert await session.diagnostics(uri) == []


async def test_verifying_an_unsaved_test_is_refused(session: Session) -> None:
    uri = session.open(CHECKOUT_TEST)
    session.replace(uri, "import unittest\n", "import unittest  # not saved\n")
    result = await verify(session, uri, "CheckoutTests.test_pay_sends_the_charge")
    assert result["error"].startswith(
        "cannot verify CheckoutTests.test_pay_sends_the_charge: save the file first"
    )


FAULTS = [
    ("hang", 'did not answer resolve {"target": "hang.thing"} within 5 s and was stopped'),
    ("exits", "exited with status 3 while answering resolve"),
    ("segfault", "was killed by SIGSEGV while answering resolve"),
    ("hog", "user code ran out of its 1024 MiB address space"),
    ("reads_stdin", "OSError: the mockls sandbox gives user code no standard input"),
]


@pytest.mark.parametrize(("module", "reported"), FAULTS, ids=[module for module, _ in FAULTS])
async def test_user_code_that_misbehaves_is_reported_and_the_server_keeps_answering(
    session: Session, module: str, reported: str
) -> None:
    source = f"from unittest.mock import patch\n\n\n@patch('{module}.thing')\ndef test_it(m): ...\n"
    uri = session.open(f"tests/test_{module}.py", source)
    await settled(session, uri, "has no attribute `thing`")
    # while the sandbox works (a hung import takes its whole deadline), the server answers
    hover = await asyncio.wait_for(
        session.client.text_document_hover_async(
            types.HoverParams(
                text_document=types.TextDocumentIdentifier(uri=uri),
                position=session.position(uri, source.index("thing")),
            )
        ),
        WAIT,
    )
    assert hover is not None
    if module == "hang":  # the answer came while the worker was still stuck
        assert not any(
            "not checked in the sandbox" in item.message
            for params in session.client.published
            if params.uri == uri
            for item in params.diagnostics
        )
    published = await settled(session, uri, "not checked in the sandbox")
    (finding,) = published.diagnostics
    assert reported in finding.message

    calm = "from unittest.mock import patch\n\n\n@patch('calm.thing')\ndef test_it(m): ...\n"
    calm_uri = session.open(f"tests/test_calm_after_{module}.py", calm)
    await settled(session, calm_uri, "confirmed in the sandbox")
