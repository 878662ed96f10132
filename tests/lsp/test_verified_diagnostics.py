"""The scheduler's verify step (the sandbox's): static results first, the verified one for the
same version after, never a verified result for a version that is gone."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import pytest

from mockls.lsp.diagnostics import LintOutcome

from .test_diagnostics_scheduler import URI, WAIT, Harness, diagnostic

pytestmark = pytest.mark.asyncio


class Verifying(Harness):
    """The harness with a verify step the test releases one version at a time."""

    def __init__(self, executor: ThreadPoolExecutor) -> None:
        super().__init__(executor, verify=self.verify)
        self.released: dict[int, asyncio.Event] = {}
        self.verified: list[int] = []

    async def verify(self, outcome: LintOutcome) -> LintOutcome | None:
        version = outcome.snapshot.version
        await self.released.setdefault(version, asyncio.Event()).wait()
        self.verified.append(version)
        confirmed = diagnostic(f"{outcome.diagnostics[0].message} confirmed")
        return replace(outcome, diagnostics=(confirmed,))

    def release(self, version: int) -> None:
        self.released.setdefault(version, asyncio.Event()).set()


async def test_the_static_result_is_published_first_then_the_verified_one(
    executor: ThreadPoolExecutor,
) -> None:
    harness = Verifying(executor)
    harness.ready.set()
    harness.scheduler.schedule(harness.open(1))
    assert await harness.next_publish() == (URI, 1, ["v1 g0"])

    harness.release(1)
    assert await harness.next_publish() == (URI, 1, ["v1 g0 confirmed"])


async def test_a_verification_outlived_by_an_edit_is_dropped(executor: ThreadPoolExecutor) -> None:
    harness = Verifying(executor)
    harness.ready.set()
    harness.scheduler.schedule(harness.open(1))
    await harness.next_publish()

    harness.scheduler.schedule_change(harness.open(2))  # cancels version 1's verification
    assert await harness.next_publish() == (URI, 2, ["v2 g0"])
    harness.release(1)
    harness.release(2)
    assert await harness.next_publish() == (URI, 2, ["v2 g0 confirmed"])
    assert harness.verified == [2]
    assert [version for _, version, _ in harness.published] == [1, 2, 2]


async def test_a_quiet_relint_keeps_the_verified_result_until_verified_again(
    executor: ThreadPoolExecutor,
) -> None:
    harness = Verifying(executor)
    harness.ready.set()
    first = harness.open(1)
    harness.release(1)
    harness.scheduler.schedule(first)
    await asyncio.wait_for(_until(lambda: len(harness.published) == 2), WAIT)

    harness.scheduler.schedule(first, quiet=True)  # a saved file elsewhere: nothing changed
    await asyncio.wait_for(_until(lambda: harness.verified == [1, 1]), WAIT)
    await asyncio.sleep(0)
    assert harness.published == [(URI, 1, ["v1 g0"]), (URI, 1, ["v1 g0 confirmed"])]


async def test_code_actions_wait_for_the_pending_verification(
    executor: ThreadPoolExecutor,
) -> None:
    harness = Verifying(executor)
    harness.ready.set()
    first = harness.open(1)
    harness.scheduler.schedule(first)
    await harness.next_publish()

    asked = asyncio.ensure_future(harness.scheduler.outcome(first))
    await asyncio.sleep(0.05)
    assert not asked.done()
    harness.release(1)
    outcome = await asyncio.wait_for(asked, WAIT)
    assert [item.message for item in outcome.diagnostics] == ["v1 g0 confirmed"]


async def _until(condition: Callable[[], bool]) -> None:
    while not condition():
        await asyncio.sleep(0.01)
