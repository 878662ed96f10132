"""property-needs-propertymock: plain mocks given a value in place of a property, and
PropertyMocks set on mock instances, are found and fixed; their look-alikes are not.

The snippets are test modules of the ``where_to_patch`` fixture project: ``Gateway.healthy``
in ``shop/payments.py`` is a property, ``create_charge`` a method, ``retries`` a class
attribute.
"""

from __future__ import annotations

import pytest

from mockls.findings import Severity
from mockls.rules.property_needs_propertymock import RULE

IMPORTS = (
    "from unittest import mock\nfrom unittest.mock import PropertyMock, patch\n"
    "from shop.payments import Gateway\n"
)
"""Three lines: snippets after it start on line 3."""

PLAIN = (
    "`shop.payments.Gateway.healthy` is a property, and this patch puts a plain MagicMock in "
    "its place: reading the attribute gives the mock itself, so the `{value}` set on it never "
    "reaches the code; add `new_callable=PropertyMock` so reading calls the mock"
)
ON_INSTANCE = (
    "a PropertyMock set on the mock instance `{receiver}` is a plain attribute: "
    "`{receiver}.healthy` gives the PropertyMock itself, not its value; set it on the mock's "
    "type: `type({receiver}).healthy = PropertyMock(...)`"
)


@pytest.mark.parametrize(
    ("body", "message", "fixed"),
    [
        pytest.param(
            "@patch('shop.payments.Gateway.healthy')\ndef test_a(m):\n    m.return_value = False\n",
            PLAIN.format(value="return_value"),
            "@patch('shop.payments.Gateway.healthy', new_callable=PropertyMock)\n"
            "def test_a(m):\n    m.return_value = False\n",
            id="decorator-then-return-value",
        ),
        pytest.param(
            "def test_a():\n    with patch.object(Gateway, 'healthy', return_value=False):\n"
            "        pass\n",
            PLAIN.format(value="return_value"),
            "def test_a():\n    with patch.object(Gateway, 'healthy', return_value=False, "
            "new_callable=PropertyMock):\n        pass\n",
            id="patch-object-keyword",
        ),
        pytest.param(
            "def test_a(mocker):\n"
            "    mocker.patch.object(Gateway, 'healthy', side_effect=[True, False])\n",
            PLAIN.format(value="side_effect"),
            "def test_a(mocker):\n    mocker.patch.object(Gateway, 'healthy', "
            "side_effect=[True, False], new_callable=mocker.PropertyMock)\n",
            id="mocker-side-effect",
        ),
        pytest.param(
            "def test_a():\n    g = mock.Mock(spec=Gateway)\n"
            "    g.healthy = PropertyMock(return_value=True)\n",
            ON_INSTANCE.format(receiver="g"),
            "def test_a():\n    g = mock.Mock(spec=Gateway)\n"
            "    type(g).healthy = PropertyMock(return_value=True)\n",
            id="property-mock-on-an-instance",
        ),
        pytest.param(
            "@patch('shop.payments.Gateway')\ndef test_a(cls):\n"
            "    cls.return_value.healthy = mock.PropertyMock(return_value=True)\n",
            ON_INSTANCE.format(receiver="cls.return_value"),
            "@patch('shop.payments.Gateway')\ndef test_a(cls):\n"
            "    type(cls.return_value).healthy = mock.PropertyMock(return_value=True)\n",
            id="property-mock-on-the-instance-of-a-class-mock",
        ),
    ],
)
def test_properties_given_a_plain_mock_are_found_and_fixed(
    run_rule_in_project, body: str, message: str, fixed: str
) -> None:
    run = run_rule_in_project(RULE, IMPORTS + body)
    (finding,) = run.findings
    assert finding.message == message
    assert finding.severity is Severity.WARNING
    assert run.fixed() == IMPORTS + fixed


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(
            "def test_a():\n    with patch.object(Gateway, 'healthy', new_callable=PropertyMock, "
            "return_value=1):\n        pass\n",
            id="property-mock-patch",
        ),
        pytest.param(
            "@patch('shop.payments.Gateway.create_charge')\ndef test_a(m):\n"
            "    m.return_value = 'ch_1'\n",
            id="method",
        ),
        pytest.param(
            "def test_a():\n    with patch.object(Gateway, 'retries', return_value=1):\n"
            "        pass\n",
            id="class-attribute",
        ),
        pytest.param(
            "def test_a():\n    with patch.object(Gateway, 'healthy', False):\n        pass\n",
            id="property-replaced-by-a-value",
        ),
        pytest.param(
            "def test_a():\n    with patch('shop.payments.Gateway.healthy') as h:\n"
            "        h.assert_not_called()\n",
            id="plain-mock-given-no-value",
        ),
        pytest.param(
            "def test_a():\n    g = mock.Mock()\n"
            "    type(g).healthy = PropertyMock(return_value=True)\n",
            id="property-mock-on-the-type",
        ),
        pytest.param(
            "def test_a():\n    g = mock.Mock()\n    g.healthy = True\n",
            id="plain-value-on-an-instance",
        ),
        pytest.param(
            "@patch.object(Gateway, 'healthy', new=PropertyMock(return_value=False))\n"
            "def test_a():\n    pass\n",
            id="property-mock-as-new",
        ),
    ],
)
def test_look_alikes_are_not_reported(run_rule_in_project, body: str) -> None:
    assert run_rule_in_project(RULE, IMPORTS + body).findings == []
