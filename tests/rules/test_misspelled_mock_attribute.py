"""misspelled-mock-attribute: typos of configuration attributes are found and renamed."""

from __future__ import annotations

import pytest

from mockls.findings import Severity
from mockls.rules.misspelled_mock_attribute import RULE

MOCK = "from unittest.mock import AsyncMock, MagicMock, Mock, patch\n"
"""One line: snippets start on line 1."""


@pytest.mark.parametrize(
    ("body", "expected", "fixed_body"),
    [
        pytest.param(
            "m = Mock()\nm.retrun_value = 1\nm.return_valeu = 2\n",
            [(2, 2, ("return_value",)), (3, 2, ("return_value",))],
            "m = Mock()\nm.return_value = 1\nm.return_value = 2\n",
            id="return-value-assigned",
        ),
        pytest.param(
            "m = Mock()\nm.side_efect = KeyError()\nm.side_affect = [1]\nm.side_effects = []\n",
            [(2, 2, ("side_effect",)), (3, 2, ("side_effect",)), (4, 2, ("side_effect",))],
            "m = Mock()\nm.side_effect = KeyError()\nm.side_effect = [1]\nm.side_effect = []\n",
            id="side-effect-assigned",
        ),
        pytest.param(
            "m = Mock()\nassert m.call_args_lsit == []\nassert m.call_cont == 0\n"
            "print(m.mock_call)\n",
            [(2, 9, ("call_args_list",)), (3, 9, ("call_count",)), (4, 8, ("mock_calls",))],
            "m = Mock()\nassert m.call_args_list == []\nassert m.call_count == 0\n"
            "print(m.mock_calls)\n",
            id="recorded-calls-read",
        ),
        pytest.param(
            "from unittest.mock import mock_open\nm = mock_open(read_data='x')\n"
            "m.return_value.read.retrun_value = 'y'\nassert m().write.call_cont == 1\n",
            [(3, 20, ("return_value",)), (4, 17, ("call_count",))],
            "from unittest.mock import mock_open\nm = mock_open(read_data='x')\n"
            "m.return_value.read.return_value = 'y'\nassert m().write.call_count == 1\n",
            id="mock-open-handle",
        ),
        pytest.param(
            "m = Mock(retrun_value=3)\nm.configure_mock(side_efect=KeyError())\n",
            [(1, 9, ("return_value",)), (2, 17, ("side_effect",))],
            "m = Mock(return_value=3)\nm.configure_mock(side_effect=KeyError())\n",
            id="constructor-and-configure-mock",
        ),
        pytest.param(
            "repo = Mock()\nrepo.get.side_efect = KeyError('o-404')\n"
            "repo.return_value.save.retrun_value = None\n",
            [(2, 9, ("side_effect",)), (3, 23, ("return_value",))],
            "repo = Mock()\nrepo.get.side_effect = KeyError('o-404')\n"
            "repo.return_value.save.return_value = None\n",
            id="through-chains",
        ),
        pytest.param(
            "@patch('shop.orders.charge')\ndef test_pay(mock_charge):\n"
            "    mock_charge.retrun_value = 'ch_1'\n",
            [(3, 16, ("return_value",))],
            "@patch('shop.orders.charge')\ndef test_pay(mock_charge):\n"
            "    mock_charge.return_value = 'ch_1'\n",
            id="decorator-injected",
        ),
        pytest.param(
            "def test_pay(mocker):\n    charge = mocker.patch('shop.orders.charge')\n"
            "    charge.side_efect = KeyError()\n",
            [(3, 11, ("side_effect",))],
            "def test_pay(mocker):\n    charge = mocker.patch('shop.orders.charge')\n"
            "    charge.side_effect = KeyError()\n",
            id="mocker-patch",
        ),
        pytest.param(
            "am = AsyncMock()\nassert am.await_cont == 1\nm = MagicMock()\nassert m.awiat_count\n",
            [(2, 10, ("await_count",)), (4, 9, ("await_count",))],
            "am = AsyncMock()\nassert am.await_count == 1\nm = MagicMock()\nassert m.await_count\n",
            id="await-attributes",
        ),
        pytest.param(
            "m = Mock()\nm.sideeffect = 1\nm.ReturnValue = 2\nm.retrun_valeu = 3\n",
            [(2, 2, ("side_effect",)), (3, 2, ("return_value",)), (4, 2, ("return_value",))],
            "m = Mock()\nm.side_effect = 1\nm.return_value = 2\nm.return_value = 3\n",
            id="underscores-case-and-two-slips-in-a-long-name",
        ),
        pytest.param(
            "m = Mock()\nm.retrun_value = 1\nm.side_efect.reason = 'x'\nm.call_cont.real\n",
            [(2, 2, ("return_value",)), (3, 2, ("side_effect",)), (4, 2, ("call_count",))],
            "m = Mock()\nm.return_value = 1\nm.side_effect.reason = 'x'\nm.call_count.real\n",
            id="assigned-only-or-read-only",
        ),
        pytest.param(
            "with patch('shop.charge', retrun_value='ch_1'), patch('shop.send'):\n    pass\n"
            "p = patch.object(Repo, 'get', side_efect=KeyError)\n"
            "@patch('shop.charge', side_efect=KeyError)\ndef test_a(mock_charge):\n    pass\n"
            "def test_b(mocker):\n    mocker.patch('shop.charge', retrun_value=1)\n",
            [
                (1, 26, ("return_value",)),
                (3, 30, ("side_effect",)),
                (4, 22, ("side_effect",)),
                (8, 32, ("return_value",)),
            ],
            "with patch('shop.charge', return_value='ch_1'), patch('shop.send'):\n    pass\n"
            "p = patch.object(Repo, 'get', side_effect=KeyError)\n"
            "@patch('shop.charge', side_effect=KeyError)\ndef test_a(mock_charge):\n    pass\n"
            "def test_b(mocker):\n    mocker.patch('shop.charge', return_value=1)\n",
            id="patch-keywords-with-or-without-a-name-for-the-mock",
        ),
        pytest.param(
            "class Repo:\n    def get(self, key): ...\n\nrepo = Mock(spec=Repo)\n"
            "repo.retrun_value = 1\n",
            [(5, 5, ("return_value",))],
            "class Repo:\n    def get(self, key): ...\n\nrepo = Mock(spec=Repo)\n"
            "repo.return_value = 1\n",
            id="known-spec-without-the-name",
        ),
    ],
)
def test_typos_are_found_and_renamed(
    run_rule, body: str, expected: list[tuple[int, int, tuple[str, ...]]], fixed_body: str
) -> None:
    run = run_rule(RULE, MOCK + body)
    assert run.renames() == expected
    assert run.fixed() == MOCK + fixed_body
    assert {finding.severity for finding in run.findings} == {Severity.WARNING}


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(
            "m = Mock()\nm.return_value = 1\nm.side_effect = None\nassert m.called\n"
            "assert m.call_count == 0\nm.call_args_list\nm.method_calls\nm.mock_calls\n"
            "m.configure_mock(return_value=3, side_effect=None)\n"
            "m2 = Mock(return_value=1, name='m2')\n",
            id="real-attributes",
        ),
        pytest.param(
            "m = Mock()\nm.returns\nm.called_by\nm.side\nm.mock_calls_total\nm.caller\n"
            "m.cell_count\nm.call_counter = 1\nm.calls\nm.all_args\nm.return_val\n",
            id="close-but-real-child-names",
        ),
        pytest.param(
            "class Simulation:\n    side_effects = ()\n\nsim = Mock(spec=Simulation)\n"
            "sim.side_effects\n",
            id="known-spec-defines-the-name",
        ),
        pytest.param(
            "class Response:\n    side_effects = ()\n\nresponse = Response()\n"
            "response.side_effects\njob = object()\njob.retrun_value = 3\n",
            id="real-objects-are-not-mocks",
        ),
        pytest.param(
            "spy = Mock(return_values=[])\nspy.return_values.append(1)\n"
            "log = Mock()\nlog.side_effects = []\nassert log.side_effects == []\n",
            id="a-name-the-test-assigns-and-reads-back-is-its-own",
        ),
        pytest.param(
            "m = Mock()\nm.assert_called_onec()\nm.called_once_with(1)\n",
            id="assertion-typos-are-the-other-rule",
        ),
        pytest.param(
            "m = MagicMock()\nm.__enter__.return_value = m\nm._mock_name\n",
            id="magic-and-private-names",
        ),
    ],
)
def test_correct_look_alikes_give_nothing(run_rule, body: str) -> None:
    assert run_rule(RULE, MOCK + body).findings == []


@pytest.mark.parametrize(
    ("body", "message"),
    [
        pytest.param(
            "m = Mock()\nm.retrun_value = 1\n",
            "`retrun_value` is not a mock attribute; did you mean `return_value`? (setting it "
            "only adds an attribute of that name and leaves `return_value` as it was)",
            id="setting",
        ),
        pytest.param(
            "class Repo:\n    def get(self, key): ...\n\nrepo = Mock(spec=Repo)\n"
            "repo.retrun_value = 1\n",
            "`retrun_value` is not a mock attribute; did you mean `return_value`? (the spec `Repo` "
            "has no such attribute either: reading it raises AttributeError, and setting it "
            "configures nothing)",
            id="known-spec",
        ),
        pytest.param(
            "m = Mock()\nassert m.call_cont\n",
            "`call_cont` is not a mock attribute; did you mean `call_count`? (reading it gives "
            "a new child mock, not the mock's `call_count`)",
            id="reading",
        ),
    ],
)
def test_messages_say_what_happens_instead(run_rule, body: str, message: str) -> None:
    assert [finding.message for finding in run_rule(RULE, MOCK + body).findings] == [message]
