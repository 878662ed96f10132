"""class-instead-of-instance: a class mock's method configured or checked while the code under
test uses instances is found and fixed; the class-level look-alikes are not.

The snippets are test modules of the ``silent_mistakes`` fixture project (see its README):
``app.service`` makes ``Client(...)`` instances and calls ``get`` on them, and calls
``close``, ``version`` and ``default`` on the class.
"""

from __future__ import annotations

import pytest

from mockls.findings import Severity
from mockls.rules.class_instead_of_instance import RULE

IMPORTS = "from unittest import mock\nfrom unittest.mock import patch\nimport app.service\n"
"""Three lines: snippets after it start on line 3."""


def _message(mock: str, action: str) -> str:
    return (
        f"`{mock}.get.{action}` is on the class mock's `get`, but the code under test calls "
        f"`get` on an instance (it creates one at app/service.py:10), which is "
        f"`{mock}.return_value`: use `{mock}.return_value.get.{action}`"
    )


@pytest.mark.parametrize(
    ("body", "line", "action", "fixed"),
    [
        pytest.param(
            "@patch('app.api.Client')\ndef test_a(client):\n    client.get.return_value = 'x'\n",
            5,
            "return_value",
            "    client.return_value.get.return_value = 'x'\n",
            id="return-value",
        ),
        pytest.param(
            "@patch('app.api.Client', autospec=True)\ndef test_a(client):\n"
            "    client.get.assert_called_once_with('a')\n",
            5,
            "assert_called_once_with",
            "    client.return_value.get.assert_called_once_with('a')\n",
            id="autospec-assertion",
        ),
        pytest.param(
            "def test_a():\n    with patch('app.service.Client') as client:\n"
            "        client.get.side_effect = KeyError\n",
            5,
            "side_effect",
            "        client.return_value.get.side_effect = KeyError\n",
            id="lookup-site-side-effect",
        ),
        pytest.param(
            "def test_a(mocker):\n    client = mocker.patch('app.api.Client')\n"
            "    assert client.get.call_count == 1\n",
            5,
            "call_count",
            "    assert client.return_value.get.call_count == 1\n",
            id="mocker-call-count",
        ),
    ],
)
def test_class_children_used_for_instances_are_found_and_fixed(
    run_rule_in_silent_mistakes, body: str, line: int, action: str, fixed: str
) -> None:
    run = run_rule_in_silent_mistakes(RULE, IMPORTS + body)
    (finding,) = run.findings
    assert finding.span.start.line == line
    assert finding.message == _message("client", action)
    assert finding.severity is Severity.WARNING
    (related,) = finding.related
    assert related.path.endswith("app/service.py")
    fixed_lines = run.fixed().splitlines(keepends=True)
    assert fixed_lines[line] == fixed


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(
            "@patch('app.api.Client')\ndef test_a(client):\n"
            "    client.return_value.get.return_value = 'x'\n",
            id="instance-method-on-return-value",
        ),
        pytest.param(
            "@patch('app.api.Client')\ndef test_a(client):\n"
            "    client.default.return_value = 'x'\n",
            id="classmethod",
        ),
        pytest.param(
            "@patch('app.api.Client')\ndef test_a(client):\n"
            "    client.version.return_value = '2'\n",
            id="staticmethod",
        ),
        pytest.param(
            "@patch('app.api.Client')\ndef test_a(client):\n"
            "    client.close.assert_called_once_with(1)\n",
            id="method-the-code-calls-on-the-class",
        ),
        pytest.param(
            "@patch('app.api.Client')\ndef test_a(client):\n    client.timeout.return_value = 1\n",
            id="class-attribute",
        ),
        pytest.param(
            "@patch('app.api.Client')\ndef test_a(client):\n"
            "    client.return_value = client\n    client.get.return_value = 'x'\n",
            id="test-builds-the-instance",
        ),
        pytest.param(
            "@patch('app.net.send')\ndef test_a(send):\n    send.get.return_value = 'x'\n",
            id="not-a-class",
        ),
        pytest.param(
            "@patch('app.api.Client.get')\ndef test_a(get):\n    get.return_value = 'x'\n",
            id="method-patched-on-the-class",
        ),
        pytest.param(
            "@patch('app.api.Client', new=mock.Mock())\ndef test_a():\n    pass\n",
            id="new-given",
        ),
    ],
)
def test_look_alikes_are_not_reported(run_rule_in_silent_mistakes, body: str) -> None:
    assert run_rule_in_silent_mistakes(RULE, IMPORTS + body).findings == []


def test_a_class_the_code_under_test_never_instantiates_is_not_reported(
    run_rule_in_silent_mistakes,
) -> None:
    source = (
        "from unittest.mock import patch\nimport app.api\n"
        "@patch('app.api.Client')\ndef test_a(client):\n    client.get.return_value = 'x'\n"
    )
    assert run_rule_in_silent_mistakes(RULE, source).findings == []
