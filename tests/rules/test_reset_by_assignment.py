"""reset-by-assignment: hand-made resets of what a mock recorded are found; everything else
that assigns or clears a look-alike is not."""

from __future__ import annotations

import pytest

from mockls.findings import Severity
from mockls.rules.reset_by_assignment import RULE

HEAD = "from unittest import mock\n\ndef test_a():\n    m = mock.Mock()\n    a = mock.AsyncMock()\n"
"""Five lines: the statement under test is line 5."""

KEPT_BY_COUNT = "`call_args_list`, `mock_calls` and its children's calls"
KEPT_BY_LIST = "`call_count` and `called`"


@pytest.mark.parametrize(
    ("statement", "fixed", "kept"),
    [
        pytest.param("m.call_count = 0", "m.reset_mock()", KEPT_BY_COUNT, id="call-count"),
        pytest.param("m.called = False", "m.reset_mock()", KEPT_BY_COUNT, id="called"),
        pytest.param("m.call_args = None", "m.reset_mock()", KEPT_BY_COUNT, id="call-args"),
        pytest.param("m.call_args_list = []", "m.reset_mock()", KEPT_BY_LIST, id="list"),
        pytest.param("m.mock_calls = list()", "m.reset_mock()", KEPT_BY_LIST, id="list-call"),
        pytest.param("m.method_calls = ()", "m.reset_mock()", KEPT_BY_LIST, id="method-calls"),
        pytest.param("m.call_args_list.clear()", "m.reset_mock()", KEPT_BY_LIST, id="clear"),
        pytest.param("a.await_count = 0", "a.reset_mock()", KEPT_BY_COUNT, id="await-count"),
        pytest.param("a.await_args_list.clear()", "a.reset_mock()", KEPT_BY_LIST, id="awaits"),
        pytest.param(
            "m.return_value.save.call_count = 0  # start over",
            "m.return_value.save.reset_mock()  # start over",
            KEPT_BY_COUNT,
            id="child-with-comment",
        ),
    ],
)
def test_hand_made_resets_are_found_and_fixed(
    run_rule, statement: str, fixed: str, kept: str
) -> None:
    run = run_rule(RULE, f"{HEAD}    {statement}\n")
    (finding,) = run.findings
    written = statement.split("  #", maxsplit=1)[0]
    receiver = fixed.split(".reset_mock()", maxsplit=1)[0]
    assert (finding.span.start.line, finding.span.start.character) == (5, 4)
    assert finding.span.end.character == 4 + len(written)
    assert finding.message.startswith(f"`{written}` does not reset the mock: {kept} keep")
    assert finding.message.endswith(f"call `{receiver}.reset_mock()` instead")
    assert finding.severity is Severity.WARNING
    assert run.fixed() == f"{HEAD}    {fixed}\n"


def test_the_count_note_names_python_3_14_3(run_rule) -> None:
    (finding,) = run_rule(RULE, f"{HEAD}    m.call_count = 0\n").findings
    assert "since Python 3.14.3 assigning `call_count` no longer resets" in finding.message


@pytest.mark.parametrize(
    "statement",
    [
        pytest.param("m.reset_mock()", id="reset-mock"),
        pytest.param("m.call_count = 3", id="faked-count"),
        pytest.param("m.called = True", id="faked-called"),
        pytest.param("m.call_args_list = [mock.call(1)]", id="faked-list"),
        pytest.param("m.return_value = 0", id="return-value"),
        pytest.param("m.side_effect = None", id="side-effect"),
        pytest.param("m.calls = []", id="own-attribute"),
        pytest.param("m.call_count.clear()", id="clear-of-a-count"),
        pytest.param("x = []\n    x.clear()", id="plain-list"),
        pytest.param("count = m.call_count\n    count = 0", id="copied-count"),
        pytest.param("class C:\n        call_count = 0", id="class-attribute"),
        pytest.param("m.call_args_list.append(mock.call())", id="appended"),
        pytest.param("assert m.call_count == 0", id="compared"),
    ],
)
def test_look_alikes_are_not_reported(run_rule, statement: str) -> None:
    assert run_rule(RULE, f"{HEAD}    {statement}\n").findings == []


def test_a_reset_that_spans_lines_is_not_guessed_at(run_rule) -> None:
    assert run_rule(RULE, f"{HEAD}    m.call_args_list = [\n    ]\n").findings == []


def test_a_real_object_with_a_call_count_is_not_reported(run_rule) -> None:
    source = (
        "class Counter:\n    call_count = 1\n\n"
        "def test_a():\n    c = Counter()\n    c.call_count = 0\n"
    )
    assert run_rule(RULE, source).findings == []
