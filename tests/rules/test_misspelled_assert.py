"""misspelled-assert: look-alike assertions on mocks are found and renamed; real ones are not."""

from __future__ import annotations

import pytest

from mockls.findings import Severity
from mockls.rules.misspelled_assert import RULE

MOCK = "from unittest.mock import AsyncMock, MagicMock, Mock, patch\n"


@pytest.mark.parametrize(
    ("body", "expected", "fixed_body"),
    [
        pytest.param(
            "m = Mock()\nm.assert_called_once_wtih(1)\n",
            [(2, 2, ("assert_called_once_with",))],
            "m = Mock()\nm.assert_called_once_with(1)\n",
            id="transposed-letters",
        ),
        pytest.param(
            "m = Mock()\nm.assret_called_with(1)\n",
            [(2, 2, ("assert_called_with",))],
            "m = Mock()\nm.assert_called_with(1)\n",
            id="assret-prefix",
        ),
        pytest.param(
            "m = MagicMock()\nm.asert_called()\n",
            [(2, 2, ("assert_called",))],
            "m = MagicMock()\nm.assert_called()\n",
            id="asert-prefix",
        ),
        pytest.param(
            "m = Mock()\nm.assert_called_onec()\n",
            [(2, 2, ("assert_called_once",))],
            "m = Mock()\nm.assert_called_once()\n",
            id="swapped-end",
        ),
        pytest.param(
            "from unittest.mock import mock_open\nm = mock_open()\n"
            "m().write.assert_has_call([])\nm.return_value.close.assret_called_once()\n",
            [(3, 10, ("assert_has_calls",)), (4, 21, ("assert_called_once",))],
            "from unittest.mock import mock_open\nm = mock_open()\n"
            "m().write.assert_has_calls([])\nm.return_value.close.assert_called_once()\n",
            id="mock-open-handle",
        ),
        pytest.param(
            "m = Mock()\nm.assert_has_call([])\n",
            [(2, 2, ("assert_has_calls",))],
            "m = Mock()\nm.assert_has_calls([])\n",
            id="missing-plural",
        ),
        pytest.param(
            "m = Mock()\nm.asssert_called_with(2)\nm.assert_called_with_once(3)\n",
            [(2, 2, ("assert_called_with",)), (3, 2, ("assert_called_once_with",))],
            "m = Mock()\nm.assert_called_with(2)\nm.assert_called_once_with(3)\n",
            id="unguarded-prefix-and-swapped-words",
        ),
        pytest.param(
            "m = Mock()\nm.called_once_with(1)\nm.called_with(2)\nm.has_calls([])\n"
            "m.not_called()\nm.any_call(3)\nassert m.called_once\n",
            [
                (2, 2, ("assert_called_once_with",)),
                (3, 2, ("assert_called_with",)),
                (4, 2, ("assert_has_calls",)),
                (5, 2, ("assert_not_called",)),
                (6, 2, ("assert_any_call",)),
                (7, 9, ("assert_called_once",)),
            ],
            "m = Mock()\nm.assert_called_once_with(1)\nm.assert_called_with(2)\n"
            "m.assert_has_calls([])\nm.assert_not_called()\nm.assert_any_call(3)\n"
            "assert m.assert_called_once\n",
            id="prefixless",
        ),
        pytest.param(
            "m = Mock()\nm.return_value.save.called_once_with(1)\nm().load.asert_called()\n",
            [(2, 20, ("assert_called_once_with",)), (3, 9, ("assert_called",))],
            "m = Mock()\nm.return_value.save.assert_called_once_with(1)\n"
            "m().load.assert_called()\n",
            id="through-chains",
        ),
        pytest.param(
            "@patch('shop.orders.charge')\ndef test_pay(mock_charge):\n"
            "    mock_charge.assert_called_once_wtih(1)\n",
            [(3, 16, ("assert_called_once_with",))],
            "@patch('shop.orders.charge')\ndef test_pay(mock_charge):\n"
            "    mock_charge.assert_called_once_with(1)\n",
            id="decorator-injected",
        ),
        pytest.param(
            "def test_pay():\n    with patch('shop.orders.charge') as charge:\n        pass\n"
            "    charge.called_with(1)\n",
            [(4, 11, ("assert_called_with",))],
            "def test_pay():\n    with patch('shop.orders.charge') as charge:\n        pass\n"
            "    charge.assert_called_with(1)\n",
            id="with-patch-as",
        ),
        pytest.param(
            "def test_pay(mocker):\n    charge = mocker.patch('shop.orders.charge')\n"
            "    charge.not_called()\n",
            [(3, 11, ("assert_not_called",))],
            "def test_pay(mocker):\n    charge = mocker.patch('shop.orders.charge')\n"
            "    charge.assert_not_called()\n",
            id="mocker-patch",
        ),
        pytest.param(
            "import unittest\n\nclass T(unittest.TestCase):\n    def setUp(self):\n"
            "        self.charge = Mock()\n\n    def test_a(self):\n"
            "        self.charge.has_calls([])\n",
            [(8, 20, ("assert_has_calls",))],
            "import unittest\n\nclass T(unittest.TestCase):\n    def setUp(self):\n"
            "        self.charge = Mock()\n\n    def test_a(self):\n"
            "        self.charge.assert_has_calls([])\n",
            id="self-attribute",
        ),
        pytest.param(
            "am = AsyncMock()\nam.assert_awaited_onec()\nam.awaited_once_with(1)\n"
            "am.assert_called_onec()\n",
            [
                (2, 3, ("assert_awaited_once",)),
                (3, 3, ("assert_awaited_once_with",)),
                (4, 3, ("assert_called_once",)),
            ],
            "am = AsyncMock()\nam.assert_awaited_once()\nam.assert_awaited_once_with(1)\n"
            "am.assert_called_once()\n",
            id="async-mock",
        ),
        pytest.param(
            "m = MagicMock()\nm.assert_awaited_onec()\n",
            [(2, 2, ("assert_awaited_once",))],
            "m = MagicMock()\nm.assert_awaited_once()\n",
            id="clearly-an-await-assert-on-a-sync-mock",
        ),
        pytest.param(
            "class Repo:\n    def save(self, order): ...\n\n"
            "repo = Mock(spec=Repo)\nrepo.called_with(1)\nrepo.assert_called_onec()\n",
            [(5, 5, ("assert_called_with",)), (6, 5, ("assert_called_once",))],
            "class Repo:\n    def save(self, order): ...\n\n"
            "repo = Mock(spec=Repo)\nrepo.assert_called_with(1)\nrepo.assert_called_once()\n",
            id="known-spec-without-the-name",
        ),
        pytest.param(
            "from shop import Repo\nrepo = Mock(spec=Repo)\nrepo.assert_called_onec()\n"
            "repo.save.called_with(1)\n",
            [(3, 5, ("assert_called_once",)), (4, 10, ("assert_called_with",))],
            "from shop import Repo\nrepo = Mock(spec=Repo)\nrepo.assert_called_once()\n"
            "repo.save.assert_called_with(1)\n",
            id="unknown-spec-still-has-plain-children",
        ),
    ],
)
def test_misspelled_assertions_are_found_and_renamed(
    run_rule, body: str, expected: list[tuple[int, int, tuple[str, ...]]], fixed_body: str
) -> None:
    run = run_rule(RULE, MOCK + body)
    assert run.renames() == expected
    assert run.fixed() == MOCK + fixed_body
    assert {finding.code for finding in run.findings} == {"misspelled-assert"}
    assert {finding.severity for finding in run.findings} == {Severity.WARNING}


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(
            "m = Mock()\nm.assert_called_once()\nm.assert_called_once_with(1)\n"
            "m.assert_not_called()\nm.assert_has_calls([])\nm.assert_any_call(1)\n"
            "assert m.called\nassert m.call_count == 1\nm.reset_mock()\n",
            id="real-assertions-and-attributes",
        ),
        pytest.param(
            "am = AsyncMock()\nam.assert_not_awaited()\nam.assert_awaited_once_with(1)\n"
            "am.assert_has_awaits([])\n",
            id="real-async-assertions",
        ),
        pytest.param(
            "class Signal:\n    def called_with(self, value): ...\n\n"
            "signal = Mock(spec=Signal)\nsignal.called_with(1)\n",
            id="known-spec-defines-the-name",
        ),
        pytest.param(
            "from shop import Signal\nsignal = Mock(spec=Signal)\nsignal.called_with(1)\n",
            id="unknown-spec-may-define-a-prefixless-name",
        ),
        pytest.param(
            "@patch('shop.signal', autospec=True)\ndef test_a(signal):\n"
            "    signal.emitter.has_calls()\n",
            id="autospec-children-have-unknown-specs",
        ),
        pytest.param(
            "m = Mock()\nm.has_calls.return_value = False\nassert m.has_calls() is False\n",
            id="child-configured-by-assignment",
        ),
        pytest.param(
            "m = Mock()\nm.configure_mock(not_called=Mock(return_value=3))\nm.not_called()\n",
            id="child-configured-with-configure-mock",
        ),
        pytest.param(
            "m = Mock(called_with=Mock(return_value=3))\nm.called_with(1)\n",
            id="child-configured-in-the-constructor",
        ),
        pytest.param(
            "m = Mock()\nm.called_with = print\n",
            id="assigning-is-not-asserting",
        ),
        pytest.param(
            "class Response:\n    pass\n\nresponse = Response()\nresponse.called_with(1)\n"
            "job = object()\njob.assert_called_once_wtih()\n",
            id="real-objects-are-not-mocks",
        ),
        pytest.param(
            "m = Mock()\nm.assert_called_twice()\nm.assertion_count()\n",
            id="not-close-to-any-assertion",
        ),
    ],
)
def test_correct_look_alikes_give_nothing(run_rule, body: str) -> None:
    assert run_rule(RULE, MOCK + body).findings == []


def test_unparsable_code_still_reports_what_it_can(run_rule) -> None:
    source = MOCK + "m = Mock()\nm.assert_called_once_wtih(1)\ndef broken(:\n"
    assert run_rule(RULE, source).renames() == [(2, 2, ("assert_called_once_with",))]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        pytest.param(
            "m = Mock()\nm.called_once_with(1)\n",
            "`called_once_with` is not an assertion: without `assert_` it returns a child mock, "
            "which is truthy, so nothing is checked (Python 3.12+ raises AttributeError "
            "instead); did you mean `assert_called_once_with`?",
            id="prefixless",
        ),
        pytest.param(
            "m = AsyncMock()\nm.awaited_once_with(1)\n",
            "`awaited_once_with` is not an assertion: without `assert_` it returns a child mock, "
            "which is truthy, so nothing is checked; did you mean `assert_awaited_once_with`?",
            id="prefixless-async",
        ),
        pytest.param(
            "m = Mock()\nm.assert_called_once_wtih(1)\n",
            "`assert_called_once_wtih` is not a mock assertion; did you mean "
            "`assert_called_once_with`? (the mock raises AttributeError for it, or, if made with "
            "unsafe=True, returns a child mock and checks nothing)",
            id="guarded-prefix",
        ),
        pytest.param(
            "m = Mock()\nm.asert_called()\n",
            "`asert_called` is not a mock assertion; did you mean `assert_called`? (older "
            "Pythons (and mocks made with unsafe=True) return a child mock for it and check "
            "nothing; newer ones raise AttributeError)",
            id="later-guarded-prefix",
        ),
        pytest.param(
            "class Repo:\n    def save(self, order): ...\n\n"
            "repo = Mock(spec=Repo)\nrepo.called_with(1)\n",
            "`called_with` is not a mock assertion, and the mock's spec `Repo` has no such "
            "attribute either, so the line raises AttributeError; did you mean "
            "`assert_called_with`?",
            id="known-spec",
        ),
        pytest.param(
            "m = Mock()\nm.asssert_called()\n",
            "`asssert_called` is not a mock assertion; did you mean `assert_called`? (it returns "
            "a child mock, so nothing is checked)",
            id="unguarded",
        ),
    ],
)
def test_messages_say_why_it_checks_nothing(run_rule, body: str, message: str) -> None:
    assert [finding.message for finding in run_rule(RULE, MOCK + body).findings] == [message]
