"""patcher-not-stopped: started patchers that nothing stops are found; stopped ones are not."""

from __future__ import annotations

import pytest

from mockls.findings import Severity
from mockls.rules.patcher_not_stopped import RULE

IMPORTS = "import unittest\nfrom unittest import mock\nfrom unittest.mock import patch\n"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param(
            "class T(unittest.TestCase):\n    def setUp(self):\n"
            "        self.refund_patcher = mock.patch('shop.orders.refund')\n"
            "        self.mock_refund = self.refund_patcher.start()\n",
            [
                (
                    5,
                    30,
                    "patcher `self.refund_patcher` is started but never stopped: "
                    "`shop.orders.refund` stays patched for every later test; stop it with "
                    "`self.addCleanup(self.refund_patcher.stop)` right after starting it, "
                    "`self.refund_patcher.stop()` in tearDown or after a fixture's yield, or "
                    "`patch.stopall()`",
                )
            ],
            id="set-up-without-stop",
        ),
        pytest.param(
            "def test_a():\n    p = patch('shop.a')\n    p.start()\n",
            [
                (
                    4,
                    8,
                    "patcher `p` is started but never stopped: `shop.a` stays patched for every "
                    "later test; stop it with `self.addCleanup(p.stop)` right after starting it, "
                    "`p.stop()` in tearDown or after a fixture's yield, or `patch.stopall()`",
                )
            ],
            id="local-patcher",
        ),
        pytest.param(
            "def test_a():\n    m = patch.object(unittest, 'main').start()\n",
            [
                (
                    4,
                    8,
                    "this patch of `unittest.main` is started but nothing can stop it (no name "
                    "holds the patcher): it stays in place for every later test; keep the "
                    "patcher in a name and stop it (e.g. `self.addCleanup(patcher.stop)`), or "
                    "call `patch.stopall()`",
                )
            ],
            id="unnamed-patcher",
        ),
    ],
)
def test_unstopped_patchers_are_found(
    run_rule, body: str, expected: list[tuple[int, int, str]]
) -> None:
    findings = run_rule(RULE, IMPORTS + body).findings
    found = [
        (finding.span.start.line, finding.span.start.character, finding.message)
        for finding in findings
    ]
    assert found == expected
    assert {finding.severity for finding in findings} == {Severity.WARNING}


def test_only_the_unstopped_patcher_is_reported(run_rule) -> None:
    body = (
        "def test_a():\n    p = patch('shop.a')\n    p.start()\n    q = patch('shop.b')\n"
        "    q.start()\n    q.stop()\n"
    )
    findings = run_rule(RULE, IMPORTS + body).findings
    assert [(finding.span.start.line, finding.span.start.character) for finding in findings] == [
        (4, 8)
    ]


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(
            "class T(unittest.TestCase):\n    def setUp(self):\n"
            "        self.p = patch('shop.a')\n        self.p.start()\n\n"
            "    def tearDown(self):\n        self.p.stop()\n",
            id="stopped-in-tear-down",
        ),
        pytest.param(
            "class T(unittest.TestCase):\n    def setUp(self):\n"
            "        patcher = patch('shop.a')\n        self.m = patcher.start()\n"
            "        self.addCleanup(patcher.stop)\n",
            id="add-cleanup",
        ),
        pytest.param(
            "class T(unittest.TestCase):\n    def setUp(self):\n"
            "        self.m = patch('shop.a').start()\n        self.addCleanup(patch.stopall)\n",
            id="stopall-stops-even-unnamed-patchers",
        ),
        pytest.param(
            "class T(unittest.TestCase):\n    def setUp(self):\n"
            "        patch('shop.a').start()\n\n    def tearDown(self):\n"
            "        mock.patch.stopall()\n",
            id="stopall-in-tear-down",
        ),
        pytest.param(
            "import pytest\n\n@pytest.fixture\ndef fake_a():\n    p = patch('shop.a')\n"
            "    yield p.start()\n    p.stop()\n",
            id="yield-fixture",
        ),
        pytest.param(
            "def test_a(mocker):\n    mocker.patch('shop.a')\n"
            "    mocker.patch.object(unittest, 'main')\n",
            id="mocker-patches-need-no-stop",
        ),
        pytest.param(
            "def start_patch():\n    p = patch('shop.a')\n    p.start()\n    return p\n",
            id="patcher-handed-to-the-caller",
        ),
        pytest.param(
            "@patch('shop.a')\ndef test_a(mock_a):\n    with patch('shop.b'):\n        pass\n",
            id="decorators-and-with-blocks-stop-themselves",
        ),
    ],
)
def test_stopped_or_self_stopping_patchers_give_nothing(run_rule, body: str) -> None:
    assert run_rule(RULE, IMPORTS + body).findings == []


@pytest.mark.parametrize(
    ("body", "fixed"),
    [
        pytest.param(
            "class T(unittest.TestCase):\n    def setUp(self):\n"
            "        self.p = patch('shop.a')\n        self.m = self.p.start()\n",
            "class T(unittest.TestCase):\n    def setUp(self):\n"
            "        self.p = patch('shop.a')\n        self.m = self.p.start()\n"
            "        self.addCleanup(self.p.stop)\n",
            id="set-up-gets-add-cleanup",
        ),
        pytest.param(
            "class T(unittest.TestCase):\r\n    @classmethod\r\n    def setUpClass(cls):\r\n"
            "        cls.p = patch('shop.a')\r\n        cls.p.start()\r\n",
            "class T(unittest.TestCase):\r\n    @classmethod\r\n    def setUpClass(cls):\r\n"
            "        cls.p = patch('shop.a')\r\n        cls.p.start()\r\n"
            "        cls.addClassCleanup(cls.p.stop)\r\n",
            id="set-up-class-gets-add-class-cleanup-with-the-files-line-breaks",
        ),
        pytest.param(
            "def test_a():\n    p = patch('shop.a')\n    p.start()\n",
            None,
            id="no-test-case-to-run-a-cleanup",
        ),
        pytest.param(
            "class T(unittest.TestCase):\n    def test_a(self):\n"
            "        p = patch('shop.a'); p.start()\n",
            None,
            id="started-after-a-semicolon",
        ),
        pytest.param(
            "class T(unittest.TestCase):\n    def test_a(self):\n        p = patch('shop.a')\n"
            "        if p.start():\n            pass\n",
            None,
            id="started-in-a-compound-statements-header",
        ),
    ],
)
def test_the_finding_carries_its_cleanup_fix(run_rule, body: str, fixed: str | None) -> None:
    """The rule writes the fix with the finding, so `mockls check` reports and applies the
    same fix the editor offers."""
    imports = IMPORTS.replace("\n", "\r\n") if "\r\n" in body else IMPORTS
    run = run_rule(RULE, imports + body)
    assert len(run.findings) == 1
    if fixed is None:
        assert run.findings[0].fixes == ()
        return
    (fix,) = run.findings[0].fixes
    assert fix.is_preferred
    assert fix.safe
    assert run.fixed() == imports + fixed
