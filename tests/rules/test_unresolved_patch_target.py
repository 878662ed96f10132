"""unresolved-patch-target: which segment of a target is missing, and the names it may mean.

The snippets are test modules of the ``where_to_patch`` fixture project (see its README):
``shop.payments`` defines ``charge``, ``refund``, ``RATES``, ``Gateway`` (``retries``,
``create_charge``, ``from_settings``, ``healthy``) and ``gateway``.
"""

from __future__ import annotations

import pytest

from mockls.findings import ClaimKind, RuntimeClaim
from mockls.rules.unresolved_patch_target import RULE

IMPORTS = (
    "from unittest import mock\n"
    "from unittest.mock import patch\n"
    "from shop import payments\n"
    "from shop.payments import Gateway\n"
)
"""Four lines: snippets start on line 4."""


def _rows(run) -> list[tuple[int, int, str, str]]:
    """``(line, column, text at the span, message)`` for each finding."""
    lines = run.source.splitlines()
    return [
        (
            finding.span.start.line,
            finding.span.start.character,
            lines[finding.span.start.line][
                finding.span.start.character : finding.span.end.character
            ],
            finding.message,
        )
        for finding in run.findings
    ]


FAILS = " (the patch fails when it starts)"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param(
            "@patch('shop.paymnts.charge')\ndef test_a(m): ...\n",
            [
                (
                    4,
                    13,
                    "paymnts",
                    "module `shop` has no attribute `paymnts`; did you mean `payments`?" + FAILS,
                )
            ],
            id="a-missing-module",
        ),
        pytest.param(
            "def test_a(mocker):\n    mocker.patch('shop.payments.chrage')\n",
            [
                (
                    5,
                    32,
                    "chrage",
                    "module `shop.payments` has no attribute `chrage`; did you mean `charge`?"
                    + FAILS,
                )
            ],
            id="a-missing-function-via-mocker",
        ),
        pytest.param(
            "with patch('shop.payments.Gateway.create_chrge'): ...\n",
            [
                (
                    4,
                    34,
                    "create_chrge",
                    "class `shop.payments.Gateway` has no attribute `create_chrge`; did you mean "
                    "`create_charge`?" + FAILS,
                )
            ],
            id="a-missing-method",
        ),
        pytest.param(
            "p = patch.object(Gateway, 'retires')\nq = mock.patch.object(payments, 'refnd')\n",
            [
                (
                    4,
                    27,
                    "retires",
                    "class `shop.payments.Gateway` has no attribute `retires`; did you mean "
                    "`retries`?" + FAILS,
                ),
                (
                    5,
                    33,
                    "refnd",
                    "module `shop.payments` has no attribute `refnd`; did you mean `refund`?"
                    + FAILS,
                ),
            ],
            id="patch-object-through-the-test-modules-imports",
        ),
        pytest.param(
            "p = patch.dict('shop.payments.RATS', {'USD': 1.1})\n",
            [
                (
                    4,
                    30,
                    "RATS",
                    "module `shop.payments` has no attribute `RATS`; did you mean `RATES`?" + FAILS,
                )
            ],
            id="patch-dict-by-name",
        ),
        pytest.param(
            "p = patch.multiple('shop.payments', charge=mock.DEFAULT, refnd=mock.DEFAULT)\n"
            "q = patch.multiple('shop.paymnts', charge=mock.DEFAULT)\n",
            [
                (
                    4,
                    57,
                    "refnd",
                    "module `shop.payments` has no attribute `refnd`; did you mean `refund`?"
                    + FAILS,
                ),
                (
                    5,
                    25,
                    "paymnts",
                    "module `shop` has no attribute `paymnts`; did you mean `payments`?" + FAILS,
                ),
            ],
            id="patch-multiple-target-and-attributes",
        ),
        pytest.param(
            "p = patch('shop.paymnts.charge', create=True)\n",
            [
                (
                    4,
                    16,
                    "paymnts",
                    "module `shop` has no attribute `paymnts`; did you mean `payments`?" + FAILS,
                )
            ],
            id="create-adds-only-the-last-segment",
        ),
        pytest.param(
            "TARGET = 'shop.payments.chrge'\np = patch(TARGET)\n",
            [
                (
                    4,
                    24,
                    "chrge",
                    "module `shop.payments` has no attribute `chrge`; did you mean `charge`?"
                    + FAILS,
                )
            ],
            id="a-module-constant-is-reported-where-it-is-written",
        ),
        pytest.param(
            "def helper(): ...\np = patch(__name__ + '.helpr')\n",
            [
                (
                    5,
                    23,
                    "helpr",
                    "module `tests.test_snippet` has no attribute `helpr`; did you mean "
                    "`helper`?" + FAILS,
                )
            ],
            id="a-target-built-from-the-module-name",
        ),
        pytest.param(
            "p = patch(f'{payments.__name__}.chrge')\nq = patch(payments.__name__ + '.refnd')\n",
            [
                (
                    4,
                    10,
                    "f'{payments.__name__}.chrge'",
                    "module `shop.payments` has no attribute `chrge`; did you mean `charge`?"
                    + FAILS,
                ),
                (
                    5,
                    32,
                    "refnd",
                    "module `shop.payments` has no attribute `refnd`; did you mean `refund`?"
                    + FAILS,
                ),
            ],
            id="a-target-built-from-an-imported-module-name",
        ),
        pytest.param(
            "p = patch(f'shop.{payments.name}.x')\n",
            [],
            id="an-f-string-of-expressions-is-unknown",
        ),
        pytest.param(
            "p = patch('shpo.payments.charge')\n",
            [(4, 11, "shpo", "no module named `shpo`; did you mean `shop`?" + FAILS)],
            id="a-misspelled-top-level-module",
        ),
        pytest.param(
            "p = patch('os.path.jion')\nq = patch('pytest.fixtrue')\n",
            [
                (
                    4,
                    19,
                    "jion",
                    "module `os.path` has no attribute `jion`; did you mean `join`?" + FAILS,
                ),
                (
                    5,
                    18,
                    "fixtrue",
                    "module `pytest` has no attribute `fixtrue`; did you mean `fixture`?" + FAILS,
                ),
            ],
            id="typos-in-the-standard-library-and-site-packages",
        ),
    ],
)
def test_missing_segments_are_found(run_rule_in_project, body: str, expected: list[object]) -> None:
    run = run_rule_in_project(RULE, IMPORTS + body)
    assert _rows(run) == expected
    assert {finding.severity.value for finding in run.findings} <= {"error"}


def test_a_fix_renames_the_failing_segment_to_each_candidate(run_rule_in_project) -> None:
    body = (
        "@patch('shop.paymnts.charge')\n@patch.object(Gateway, 'retires')\ndef test_a(m, n): ...\n"
    )
    run = run_rule_in_project(RULE, IMPORTS + body)
    assert [
        [(fix.label, fix.is_preferred) for fix in finding.fixes] for finding in run.findings
    ] == [
        [("Change `paymnts` to `payments` (unverified)", True)],
        [("Change `retires` to `retries` (unverified)", True)],
    ]
    assert run.fixed() == IMPORTS + (
        "@patch('shop.payments.charge')\n@patch.object(Gateway, 'retries')\ndef test_a(m, n): ...\n"
    )


def test_the_finding_and_each_fix_state_what_the_sandbox_can_check(run_rule_in_project) -> None:
    body = "@patch.object(Gateway, 'retires')\ndef test_a(m): ...\n"
    (finding,) = run_rule_in_project(RULE, IMPORTS + body).findings
    gateway = "shop.payments.Gateway"
    assert finding.claim == RuntimeClaim(ClaimKind.TARGET_MISSING, f"{gateway}.retires", segment=3)
    assert [fix.claim for fix in finding.fixes] == [
        RuntimeClaim(ClaimKind.TARGET_EXISTS, f"{gateway}.retries")
    ]


def test_a_target_built_from_an_f_string_is_reported_without_a_fix(run_rule_in_project) -> None:
    body = "def helper(): ...\np = patch(f'{__name__}.helpr')\n"
    (finding,) = run_rule_in_project(RULE, IMPORTS + body).findings
    assert (finding.span.start.line, finding.span.start.character, finding.fixes) == (5, 10, ())


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(
            "@patch('shop.payments.charge')\n@patch('shop.payments.Gateway')\n"
            "@patch('shop.payments.Gateway.create_charge')\n"
            "@patch('shop.payments.Gateway.from_settings')\n@patch('shop.payments.Gateway.healthy')\n"
            "@patch('shop.payments.Gateway.retries')\n@patch('shop.payments.RATES')\n"
            "@patch('shop.payments.gateway')\n@patch('shop.payments')\n@patch('shop.orders.charge')\n"
            "@patch('shop.notify.send')\n@patch('shop.notify.mail.send')\n"
            "def test_a(*mocks): ...\n",
            id="existing-targets-of-every-kind",
        ),
        pytest.param(
            "p = patch.object(Gateway, 'create_charge')\nq = patch.object(payments, 'charge')\n"
            "r = patch.dict('shop.payments.RATES', {})\ns = patch.dict(payments.RATES, {})\n"
            "t = patch.multiple('shop.payments', charge=mock.DEFAULT, RATES={})\n",
            id="existing-attributes-of-the-other-patchers",
        ),
        pytest.param(
            "p = patch('shop.payments.new_fee', create=True)\n"
            "q = patch.object(Gateway, 'new_fee', create=True)\n"
            "r = patch('shop.payments.new_fee', None, None, True)\n"
            "s = patch.multiple('shop.payments', new_fee=1, create=True)\n"
            "def test_a(mocker):\n    mocker.patch('shop.payments.new_fee', create=True)\n",
            id="create-adds-the-last-segment",
        ),
        pytest.param(
            "def test_a(options):\n    with patch('shop.payments.new_fee', **options): ...\n",
            id="keywords-that-may-hold-create",
        ),
        pytest.param(
            "p = patch('shop.dynamic.anything')\nq = patch('shop.dynamic.deep.er')\n",
            id="a-module-computing-its-attributes",
        ),
        pytest.param(
            "p = patch('no_such_distribution.client')\n",
            id="an-unknown-top-level-module-may-be-in-an-environment-not-shown",
        ),
        pytest.param(
            "def make(): ...\np = patch.object(make(), 'anything')\n"
            "q = patch.object(Unknown, 'x')\nr = patch('charge')\ns = patch(target_of_the_day())\n",
            id="objects-and-targets-that-cannot-be-known",
        ),
        pytest.param(
            "p = patch('shop.payments.open')\nq = patch.object(payments, 'print')\n"
            "r = patch(__name__ + '.ord')\n",
            id="builtin-names-patch-creates-in-a-module-by-itself",
        ),
        pytest.param(
            "p = patch('shop.payments.Gateway.mro')\nq = patch.object(Gateway, '__name__')\n",
            id="what-a-class-has-from-its-metaclass",
        ),
        pytest.param(
            "class Local:\n    size = 1\ndef test_a():\n    class Local:\n        other = 2\n"
            "    with patch.object(Local, 'other'): ...\n",
            id="a-local-class-hiding-a-module-level-one",
        ),
        pytest.param(
            "class Local:\n    size = 1\np = patch.object(Local, 'size')\n"
            "q = patch(f'{__name__}.Local.size')\n",
            id="the-test-modules-own-names",
        ),
    ],
)
def test_targets_that_exist_or_cannot_be_judged_give_nothing(run_rule_in_project, body) -> None:
    assert run_rule_in_project(RULE, IMPORTS + body).findings == []


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(
            "p = patch('os.path.join')\nq = patch.dict('os.environ', {'HOME': '/tmp'})\n"
            "r = patch('json.loads')\ns = patch('datetime.datetime')\n",
            id="standard-library",
        ),
        pytest.param("p = patch('jedi.Script')\nq = patch('pytest.fixture')\n", id="site-packages"),
        pytest.param(
            "p = patch('socket.socket.connect')\nq = patch('os._exit')\n"
            "r = patch('json.no_such_helper')\ns = patch('requests.get')\n",
            id="names-stubs-may-not-show-and-modules-of-other-environments",
        ),
    ],
)
def test_targets_in_the_environment_that_exist_give_nothing(run_rule_in_project, body) -> None:
    assert run_rule_in_project(RULE, IMPORTS + body).findings == []


def test_without_a_project_the_rule_is_silent(run_rule) -> None:
    assert run_rule(RULE, IMPORTS + "p = patch('shop.paymnts.charge')\n").findings == []


CLIENT = "from unittest.mock import DEFAULT, patch\nfrom app.api import Client\n"
"""Two lines: snippets start on line 2 (in the ``silent_mistakes`` project: ``Client`` has
``base`` on instances only, a class attribute ``timeout`` and a classmethod ``default``)."""
INSTANCE_ONLY = (
    "`base` is assigned only to instances of `app.api.Client` (`self.base = ...` at "
    "app/api.py:8): the class has no attribute `base`, so the patch fails when it starts; patch "
    "an instance (`patch.object(instance, 'base')`) or what the attribute is made from"
)
NO_MISSING = "class `app.api.Client` has no attribute `missing`" + FAILS


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param(
            "p = patch('app.api.Client.base')\n",
            [(2, 26, "base", INSTANCE_ONLY)],
            id="instance-only",
        ),
        pytest.param(
            "p = patch.object(Client, 'base')\n",
            [(2, 26, "base", INSTANCE_ONLY)],
            id="instance-only-patch-object",
        ),
        pytest.param(
            "def test_a(mocker):\n    mocker.patch('app.api.Client.missing')\n",
            [(3, 33, "missing", NO_MISSING)],
            id="missing-method-mocker",
        ),
        pytest.param(
            "p = patch.object(Client, 'missing')\n",
            [(2, 26, "missing", NO_MISSING)],
            id="missing-method-patch-object",
        ),
        pytest.param(
            "p = patch.multiple('app.api.Client', missing=DEFAULT)\n",
            [(2, 37, "missing", NO_MISSING)],
            id="missing-method-patch-multiple",
        ),
    ],
)
def test_class_members_that_the_class_lacks_are_found(
    run_rule_in_silent_mistakes, body: str, expected: list[tuple[int, int, str, str]]
) -> None:
    assert _rows(run_rule_in_silent_mistakes(RULE, CLIENT + body)) == expected


@pytest.mark.parametrize(
    "body",
    [
        pytest.param("p = patch('app.api.Client.timeout')\n", id="class-attribute"),
        pytest.param("p = patch.object(Client, 'default')\n", id="classmethod"),
        pytest.param("p = patch.object(Client, 'get')\n", id="method"),
        pytest.param("p = patch.object(Client, 'base', create=True)\n", id="created"),
        pytest.param("p = patch('app.api.Client.mro')\n", id="from-the-metaclass"),
        pytest.param("p = patch('app.api.Client.__init__')\n", id="from-object"),
    ],
)
def test_class_members_the_class_has_give_nothing(run_rule_in_silent_mistakes, body: str) -> None:
    assert run_rule_in_silent_mistakes(RULE, CLIENT + body).findings == []
