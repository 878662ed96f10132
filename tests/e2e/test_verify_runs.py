"""The "Verify patches" command through the real server on the planted suite
(``tests/fixtures/runtime_suite``): each test runs with ``pytest --mockls`` in the sandbox,
and the run has the last word on the editor's diagnostics, as ``mockls check --verify``
gives it (``tests/cli/test_check_verify.py``): a patch only the run shows ineffective, a
patch that fails to start, and issue 10's P1 (a patch the code under test does use) not
reported.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

import pytest
from lsprotocol import types

if TYPE_CHECKING:
    from conftest import Session

pytestmark = pytest.mark.asyncio(loop_scope="module")

WORKSPACE_FIXTURE = "runtime_suite"

WAIT = 120.0
"""A hang guard: each run starts a fresh worker and pytest on a loaded machine."""

PLANTED = "tests/test_planted.py"

EVIDENCE = (
    "never called — the code under test called the original `notify.http.urlopen`",
    "could not be patched: it raised AttributeError",
    "used: `pkg.core.title` was called once",
)
"""What the three runs add: one per test verified."""


async def verify(session: Session, uri: str, test: str) -> Any:
    return await asyncio.wait_for(
        session.client.workspace_execute_command_async(
            types.ExecuteCommandParams(command="mockls.verifyTest", arguments=[uri, test])
        ),
        WAIT,
    )


async def with_every_run(session: Session, uri: str) -> list[types.Diagnostic]:
    """The first diagnostics of the document's version that show all three runs."""

    async def first() -> list[types.Diagnostic]:
        while True:
            for params in session.client.published:
                messages = [item.message for item in params.diagnostics]
                if params.uri == uri and all(
                    any(wanted in message for message in messages) for wanted in EVIDENCE
                ):
                    return list(params.diagnostics)
            await session.client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)

    return await asyncio.wait_for(first(), WAIT)


async def test_verify_patches_gives_the_run_the_last_word(session: Session) -> None:
    await session.indexed(WAIT)
    uri = session.open(PLANTED)
    summaries = [
        (await verify(session, uri, test))["summary"]
        for test in (
            "test_send_is_ineffective_only_at_run_time",
            "test_patch_that_fails_to_start",
            "test_greet_reaches_its_own_global",
        )
    ]
    assert summaries == [
        "`test_send_is_ineffective_only_at_run_time` passed (pytest); 1 patched target: 0 used,"
        " 1 never called while the original ran",
        "`test_patch_that_fails_to_start` passed (pytest); it started no patch; 1 patch failed"
        " to start",
        "`test_greet_reaches_its_own_global` passed (pytest); 1 patched target: 1 used",
    ]

    diagnostics = await with_every_run(session, uri)
    found = {
        (item.range.start.line + 1, str(item.code), item.severity): item.message
        for item in diagnostics
        if item.code in ("ineffective-patch", "unresolved-patch-target")
    }
    warning, error = types.DiagnosticSeverity.Warning, types.DiagnosticSeverity.Error
    information = types.DiagnosticSeverity.Information
    assert sorted(found) == [
        (9, "ineffective-patch", warning),  # only the run shows it
        (14, "unresolved-patch-target", error),  # the static finding, confirmed by the run
        (44, "ineffective-patch", information),  # P1: the mock was called; no warning
    ]
    assert found[(9, "ineffective-patch", warning)].startswith(
        "never called — the code under test called the original `notify.http.urlopen` from"
        " notify/sender.py:8"
    )
    assert (
        "confirmed by pytest --mockls: `notify.sender.notifier` could not be patched: it raised"
        " AttributeError"
    ) in found[(14, "unresolved-patch-target", error)]
    assert found[(14, "unresolved-patch-target", error)].count("confirmed") == 1  # the run's word
    assert found[(44, "ineffective-patch", information)] == (
        "used: `pkg.core.title` was called once while `test_greet_reaches_its_own_global` ran"
    )
