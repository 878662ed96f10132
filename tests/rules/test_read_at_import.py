"""read-at-import: patches of names the code under test reads only on import are found; names
it reads when it runs are not.

The snippets are test modules of the ``silent_mistakes`` fixture project (see its README):
``app.net`` reads ``BASE_DELAY``, ``RETRIES`` and ``TIMEOUT`` of ``app.settings`` only at
import time and ``LIVE`` in ``send``; ``app.config`` reads ``PORT`` at both times.
"""

from __future__ import annotations

import pytest

from mockls.findings import Severity
from mockls.rules.read_at_import import RULE

IMPORTS = "from unittest import mock\nfrom unittest.mock import patch\nimport app.net\n"
"""Three lines: snippets after it start on line 3."""


def _message(target: str, line: int, where: str) -> str:
    return (
        f"the code under test reads `{target}` only while `app.net` is imported "
        f"(app/net.py:{line}, in {where}), before this patch starts: the patch changes nothing "
        "the test runs; patch what was computed from it, or make the code read it when it runs"
    )


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param(
            "@patch('app.settings.TIMEOUT', 1)\ndef test_a(): ...\n",
            (3, 8, _message("app.settings.TIMEOUT", 10, "a default argument")),
            id="default-argument",
        ),
        pytest.param(
            "def test_a():\n    with patch('app.settings.BASE_DELAY', 0): ...\n",
            (4, 16, _message("app.settings.BASE_DELAY", 6, "a module-level statement")),
            id="module-level-value",
        ),
        pytest.param(
            "from app import settings\n"
            "def test_a(mocker):\n    mocker.patch.object(settings, 'RETRIES', 0)\n",
            (5, 35, _message("app.settings.RETRIES", 9, "a decorator")),
            id="decorator-argument",
        ),
    ],
)
def test_names_read_only_on_import_are_found(
    run_rule_in_silent_mistakes, body: str, expected: tuple[int, int, str]
) -> None:
    (finding,) = run_rule_in_silent_mistakes(RULE, IMPORTS + body).findings
    assert (finding.span.start.line, finding.span.start.character, finding.message) == expected
    assert finding.severity is Severity.WARNING
    (related,) = finding.related
    assert related.path.endswith("app/net.py")
    assert related.span.start.line + 1 == int(expected[2].split("app/net.py:")[1].split(",")[0])


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(
            "@patch('app.settings.LIVE', 'x')\ndef test_a(): ...\n", id="read-in-a-function"
        ),
        pytest.param(
            "import app.config\n@patch('app.settings.PORT', 1)\ndef test_a(): ...\n",
            id="read-on-import-and-in-a-function",
        ),
        pytest.param(
            "import importlib\n@patch('app.settings.TIMEOUT', 1)\ndef test_a():\n"
            "    importlib.reload(app.net)\n",
            id="module-reloaded",
        ),
        pytest.param(
            "@patch('app.settings.PORT', 1)\ndef test_a(): ...\n",
            id="not-read-by-the-code-under-test",
        ),
        pytest.param("@patch('app.net.send')\ndef test_a(m): ...\n", id="function-called-later"),
        pytest.param("@patch('app.retry.retry')\ndef test_a(m): ...\n", id="imported-by-name"),
        pytest.param(
            "@patch('app.api.Client.timeout', 1)\ndef test_a(): ...\n", id="class-attribute"
        ),
        pytest.param(
            "@patch.dict('app.settings.__dict__', {'TIMEOUT': 1})\ndef test_a(): ...\n",
            id="patch-dict",
        ),
    ],
)
def test_look_alikes_are_not_reported(run_rule_in_silent_mistakes, body: str) -> None:
    assert run_rule_in_silent_mistakes(RULE, IMPORTS + body).findings == []
