"""async-call-not-awaited: call checks of patched ``async def`` functions that the code under
test never awaits are found and fixed; awaited, gathered, returned and plain functions are
not.

The snippets are test modules of the ``silent_mistakes`` fixture project (see its README):
``app.service.register`` drops the coroutines of ``send_welcome``, awaits ``send_receipt``,
gathers ``log_event``, returns ``audit``'s, and calls the plain ``send_sms``.
"""

from __future__ import annotations

import pytest

from mockls.findings import Severity
from mockls.rules.async_call_not_awaited import RULE

IMPORTS = "from unittest.mock import patch\nfrom app import notify\nimport app.service\n"
"""Three lines: snippets after it start on line 3."""


def _message(check: str, instead: str) -> str:
    return (
        f"`m.{check}` passes although the mocked `async def` never ran: the code under test "
        "calls it without `await` (app/service.py:22), which only makes a coroutine nobody "
        f"awaits; {instead}"
    )


def _use(awaited: str) -> str:
    return f"check it with `{awaited}`, which fails until the call is awaited"


@pytest.mark.parametrize(
    ("body", "expected", "fixed"),
    [
        pytest.param(
            "@patch('app.notify.send_welcome')\ndef test_a(m):\n"
            "    m.assert_called_once_with('ann')\n",
            (5, 6, _message("assert_called_once_with", _use("assert_awaited_once_with"))),
            "    m.assert_awaited_once_with('ann')\n",
            id="assert-called-once-with",
        ),
        pytest.param(
            "def test_a():\n    with patch.object(notify, 'send_welcome') as m:\n"
            "        m.assert_called()\n",
            (5, 10, _message("assert_called", _use("assert_awaited"))),
            "        m.assert_awaited()\n",
            id="patch-object",
        ),
        pytest.param(
            "def test_a(mocker):\n    m = mocker.patch('app.service.notify.send_welcome')\n"
            "    assert m.call_count == 1\n",
            (5, 13, _message("call_count", _use("await_count"))),
            "    assert m.await_count == 1\n",
            id="call-count-through-the-lookup-site",
        ),
        pytest.param(
            "def test_a(mocker):\n    m = mocker.patch('app.notify.send_welcome')\n"
            "    assert m.called\n",
            (
                5,
                13,
                _message(
                    "called",
                    "check it with `await_count` or `assert_awaited*`, which fail until it is "
                    "awaited",
                ),
            ),
            None,
            id="called-has-no-awaited-twin",
        ),
    ],
)
def test_checks_of_coroutines_never_awaited_are_found(
    run_rule_in_silent_mistakes, body: str, expected: tuple[int, int, str], fixed: str | None
) -> None:
    run = run_rule_in_silent_mistakes(RULE, IMPORTS + body)
    (finding,) = run.findings
    assert (finding.span.start.line, finding.span.start.character, finding.message) == expected
    assert finding.severity is Severity.WARNING
    (related,) = finding.related
    assert related.path.endswith("app/service.py")
    assert related.span.start.line == 21
    if fixed is None:
        assert finding.fixes == ()
    else:
        assert run.fixed().splitlines(keepends=True)[5] == fixed


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(
            "@patch('app.notify.send_receipt')\ndef test_a(m):\n    m.assert_called_once()\n",
            id="awaited",
        ),
        pytest.param(
            "@patch('app.notify.log_event')\ndef test_a(m):\n    m.assert_called_once()\n",
            id="gathered",
        ),
        pytest.param(
            "@patch('app.notify.audit')\ndef test_a(m):\n    m.assert_called_once()\n",
            id="returned",
        ),
        pytest.param(
            "@patch('app.notify.send_sms')\ndef test_a(m):\n    m.assert_called_once()\n",
            id="plain-function",
        ),
        pytest.param(
            "@patch('app.notify.send_welcome')\ndef test_a(m):\n    m.assert_awaited_once()\n",
            id="awaited-assertion",
        ),
        pytest.param(
            "@patch('app.notify.send_welcome')\ndef test_a(m):\n    m.assert_not_called()\n",
            id="not-called-fails-on-the-call",
        ),
        pytest.param(
            "@patch('app.notify.send_welcome')\ndef test_a(m):\n    m.return_value = 1\n",
            id="configured-only",
        ),
    ],
)
def test_look_alikes_are_not_reported(run_rule_in_silent_mistakes, body: str) -> None:
    assert run_rule_in_silent_mistakes(RULE, IMPORTS + body).findings == []


def test_a_function_the_code_under_test_does_not_call_is_not_reported(
    run_rule_in_silent_mistakes,
) -> None:
    source = (
        "from unittest.mock import patch\nimport app.notify\n"
        "@patch('app.notify.send_welcome')\ndef test_a(m):\n    m.assert_called_once()\n"
    )
    assert run_rule_in_silent_mistakes(RULE, source).findings == []
