"""The run has the last word on claims only a test run can check (``ClaimKind.needs_test_run``):
a static finding whose claim the facts of ``pytest --mockls`` contradict is withdrawn, one
they confirm says so, and one they say nothing about stays as it is."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from mockls.findings import ClaimKind, Finding, RuntimeClaim, Severity
from mockls.runtime.facts import PatchFact, RunFacts, Site, content_digest
from mockls.runtime.judgement import overrule
from mockls.spans import Span

PATH = "tests/test_client.py"
SOURCE = "from unittest.mock import patch\n\n\n@patch('app.Client')\ndef test_get(client): ...\n"
PATCHED = PatchFact(
    target="app.Client", site=Site(PATH, 4), test=f"{PATH}::test_get", owner="test",
    scope="function",
)  # fmt: skip
STATIC = Finding("some-rule", "what reading says", Span.of(4, 4, 4, 10), Severity.WARNING)

WITHDRAWN = None
KEPT = "what reading says"

CASES: list[tuple[str, ClaimKind, str, dict[str, Any], str | None]] = [
    ("child called on an instance only", ClaimKind.CHILD_UNUSED, "app.Client.get",
     {"call_count": 2, "called": ("", "().get")},
     "what reading says — confirmed by pytest --mockls: the code under test called "
     "`return_value.get` of the mock of `app.Client`, never `get`"),
    ("child called itself", ClaimKind.CHILD_UNUSED, "app.Client.get",
     {"call_count": 1, "called": ("get",)}, WITHDRAWN),
    ("child: the mock never called", ClaimKind.CHILD_UNUSED, "app.Client.get", {}, KEPT),
    ("called, never awaited", ClaimKind.NEVER_AWAITED, "app.Client",
     {"call_count": 1, "never_awaited": (Site("app/jobs.py", 7),)},
     "what reading says — confirmed by pytest --mockls: the mock of `app.Client` was called "
     "at app/jobs.py:7 and never awaited"),
    ("every call awaited", ClaimKind.NEVER_AWAITED, "app.Client", {"call_count": 1}, WITHDRAWN),
    ("not called at all", ClaimKind.NEVER_AWAITED, "app.Client", {}, KEPT),
    ("ended early: the original ran", ClaimKind.ENDS_EARLY, "app.Client",
     {"original_called": True, "original_callers": (Site("app/use.py", 3),)},
     "what reading says — confirmed by pytest --mockls: the mock of `app.Client` was never "
     "called, the original was (from app/use.py:3)"),
    ("ended early, yet the mock was called", ClaimKind.ENDS_EARLY, "app.Client",
     {"call_count": 1}, WITHDRAWN),
    ("read before the patch, yet called", ClaimKind.READ_BEFORE_PATCH, "app.Client",
     {"call_count": 3}, WITHDRAWN),
    ("property read as a value, yet called", ClaimKind.READ_AS_VALUE, "app.Client",
     {"call_count": 1}, WITHDRAWN),
    ("property never called", ClaimKind.READ_AS_VALUE, "app.Client",
     {"original_called": True, "original_callers": (Site("app/use.py", 3),)}, KEPT),
    ("another target ran", ClaimKind.ENDS_EARLY, "app.Other", {"call_count": 1}, KEPT),
    ("the patch failed to start", ClaimKind.ENDS_EARLY, "app.Client",
     {"error": "AttributeError: no Client"}, KEPT),
]  # fmt: skip


@pytest.mark.parametrize(
    ("kind", "target", "fact", "expected"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_a_claim_only_a_run_can_check_is_settled_by_the_runs_facts(
    kind: ClaimKind, target: str, fact: dict[str, Any], expected: str | None
) -> None:
    facts = RunFacts([replace(PATCHED, **fact)], {PATH: content_digest(SOURCE.encode())})
    static = replace(STATIC, claim=RuntimeClaim(kind, target))

    shown = [
        finding.message
        for finding in overrule([static], facts, PATH, SOURCE, Path("/project"))
        if finding.code == STATIC.code
    ]

    assert shown == ([] if expected is None else [expected])
