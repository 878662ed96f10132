"""patch-not-active: patches undone before the code they were meant for runs are found; the
same shapes that keep the patch active are not."""

from __future__ import annotations

import pytest

from mockls.findings import Severity
from mockls.rules.patch_not_active import RULE

IMPORTS = "import pytest\nfrom unittest.mock import patch\n"
"""Two lines: snippets after it start on line 2."""

GENERATOR = (
    "this patch of `app.clock` ends before any of `{name}` runs: calling a generator function "
    "only creates the generator, so the patch is undone before its body (and the test after a "
    "fixture's `yield`) runs; apply it inside the body: `with patch(...): yield ...`"
)
RETURNED = (
    "{who} `{name}` returns the mock `{mock}` of its patch of `app.clock`, and returning ends "
    "the patch: whoever uses the mock afterwards configures and checks a mock the code no "
    "longer sees; {how}"
)
IN_BODY = "patch in the body and `yield` the mock inside it: `with patch(...) as m: yield m`"
YIELD_IT = "`yield` it inside the patch instead, so the patch lasts until the test is done"
KEEP_IT = (
    "keep the patch active where the mock is used (a `with` block around that code, a fixture "
    "that yields inside the patch, or `mocker.patch`)"
)
MOCKER = (
    "`mocker.patch(...)` is not a context manager: it patches `app.clock` at once and returns "
    "the mock, which stays until the test ends; the `with` block does not limit it, and `as` "
    "gets another mock (the mock's `__enter__()` result); call it without `with` and use what "
    "it returns"
)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param(
            "@pytest.fixture\n@patch('app.clock')\ndef clock(mock_clock):\n    yield mock_clock\n",
            [(3, 1, GENERATOR.format(name="clock"))],
            id="yield-fixture-decorated",
        ),
        pytest.param(
            "@patch('app.clock')\ndef ticks(mock_clock):\n    yield from range(3)\n",
            [(2, 1, GENERATOR.format(name="ticks"))],
            id="generator-decorated",
        ),
        pytest.param(
            "@pytest.fixture\n@patch('app.clock')\ndef clock(mock_clock):\n    return mock_clock\n",
            [
                (
                    5,
                    4,
                    RETURNED.format(
                        who="the fixture", name="clock", mock="mock_clock", how=IN_BODY
                    ),
                )
            ],
            id="fixture-returns-injected-mock",
        ),
        pytest.param(
            "@pytest.fixture\ndef clock():\n    with patch('app.clock') as m:\n        return m\n",
            [(5, 8, RETURNED.format(who="the fixture", name="clock", mock="m", how=YIELD_IT))],
            id="fixture-returns-from-with",
        ),
        pytest.param(
            "class Tests:\n    def clock(self):\n        with patch('app.clock') as m:\n"
            "            return m, 3\n",
            [(5, 12, RETURNED.format(who="the function", name="clock", mock="m", how=KEEP_IT))],
            id="helper-returns-a-tuple",
        ),
        pytest.param(
            "def test_a(mocker):\n    with mocker.patch('app.clock') as m:\n        pass\n",
            [(3, 9, MOCKER)],
            id="with-mocker-patch",
        ),
    ],
)
def test_patches_that_end_too_early_are_found(
    run_rule, body: str, expected: list[tuple[int, int, str]]
) -> None:
    findings = run_rule(RULE, IMPORTS + body).findings
    assert [
        (finding.span.start.line, finding.span.start.character, finding.message)
        for finding in findings
    ] == expected
    assert all(finding.severity is Severity.WARNING for finding in findings)


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(
            "@pytest.fixture\ndef clock():\n    with patch('app.clock') as m:\n        yield m\n",
            id="yield-inside-with",
        ),
        pytest.param(
            "@pytest.fixture\n@patch('app.clock')\ndef config(mock_clock):\n"
            "    return load_config()\n",
            id="fixture-returns-what-it-computed-under-the-patch",
        ),
        pytest.param(
            "def helper():\n    with patch('app.clock') as m:\n        return compute(m)\n",
            id="helper-returns-a-result-computed-inside",
        ),
        pytest.param(
            "@patch('app.clock')\nasync def test_a(mock_clock):\n    await run()\n",
            id="async-test",
        ),
        pytest.param(
            "@patch('app.clock')\ndef test_a(mock_clock):\n    def inner():\n        yield 1\n"
            "    list(inner())\n",
            id="nested-generator",
        ),
        pytest.param(
            "@pytest.fixture\ndef clock(mocker):\n    return mocker.patch('app.clock')\n",
            id="mocker-patch-returned",
        ),
        pytest.param(
            "def test_a(mocker):\n    m = mocker.patch('app.clock')\n    m.assert_not_called()\n",
            id="mocker-patch-used",
        ),
        pytest.param(
            "def helper():\n    with patch('app.clock') as m:\n        def inner():\n"
            "            return m\n        inner()\n",
            id="return-in-a-nested-function",
        ),
        pytest.param(
            "def helper():\n    with patch('app.clock') as m:\n        pass\n    return m\n",
            id="return-after-the-block",
        ),
        pytest.param(
            "@pytest.fixture\ndef clock():\n    p = patch('app.clock')\n    m = p.start()\n"
            "    yield m\n    p.stop()\n",
            id="started-and-stopped",
        ),
    ],
)
def test_look_alikes_are_not_reported(run_rule, body: str) -> None:
    assert run_rule(RULE, IMPORTS + body).findings == []
