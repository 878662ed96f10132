"""ineffective-patch: patched where defined, looked up elsewhere by the code under test.

The snippets are test modules of the ``where_to_patch`` fixture project (see its README):
``shop.orders`` binds ``charge`` (``from shop.payments import charge``) and ``send`` (through
the ``shop.notify`` re-export) by name and looks ``refund`` up through ``payments``;
``shop.billing`` binds ``charge`` as ``pay``; ``shop.reports`` reads ``shop.payments.charge``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from mockls.findings import ClaimKind, RuntimeClaim
from mockls.resolve.project import Project, ProjectFile
from mockls.rules.ineffective_patch import RULE

MOCK = "from unittest import mock\nfrom unittest.mock import patch\n"
ORDERS = MOCK + "from shop.orders import OrderService\n"
"""Three lines: snippets after it start on line 3."""


def _rows(run) -> list[tuple[int, int, str, str]]:
    """``(line, column, text at the span, message)`` for each finding."""
    lines = run.source.splitlines()
    rows = []
    for finding in run.findings:
        start, end = finding.span.start, finding.span.end
        rows.append(
            (
                start.line,
                start.character,
                lines[start.line][start.character : end.character],
                finding.message,
            )
        )
    return rows


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param(
            ORDERS + "@patch('shop.payments.charge')\ndef test_place(mock_charge): ...\n",
            [
                (
                    3,
                    8,
                    "shop.payments.charge",
                    "shop/orders.py:5 binds `charge` with `from shop.payments import charge`; "
                    "patch 'shop.orders.charge'",
                )
            ],
            id="patch-decorator",
        ),
        pytest.param(
            ORDERS + "def test_place(mocker):\n    mocker.patch('shop.payments.charge')\n",
            [
                (
                    4,
                    18,
                    "shop.payments.charge",
                    "shop/orders.py:5 binds `charge` with `from shop.payments import charge`; "
                    "patch 'shop.orders.charge'",
                )
            ],
            id="mocker-patch",
        ),
        pytest.param(
            ORDERS + "from shop import payments\n"
            "def test_place():\n    with patch.object(payments, 'charge'): ...\n",
            [
                (
                    5,
                    33,
                    "charge",
                    "shop/orders.py:5 binds `charge` with `from shop.payments import charge`; "
                    "patch 'shop.orders.charge'",
                )
            ],
            id="patch-object-of-the-defining-module",
        ),
        pytest.param(
            MOCK + "from shop.billing import bill\n"
            "@patch('shop.payments.charge')\ndef test_bill(mock_charge): ...\n",
            [
                (
                    3,
                    8,
                    "shop.payments.charge",
                    "shop/billing.py:3 binds `pay` with `from .payments import charge as pay`; "
                    "patch 'shop.billing.pay'",
                )
            ],
            id="a-relative-import-under-another-name",
        ),
        pytest.param(
            ORDERS + "from shop.billing import bill\n"
            "@patch('shop.payments.charge')\ndef test_both(mock_charge): ...\n",
            [
                (
                    4,
                    8,
                    "shop.payments.charge",
                    "shop/billing.py:3 binds `pay` with `from .payments import charge as pay`, "
                    "shop/orders.py:5 binds `charge` with `from shop.payments import charge`; "
                    "patch 'shop.billing.pay' and 'shop.orders.charge'",
                )
            ],
            id="two-modules-bind-it",
        ),
        pytest.param(
            ORDERS + "@patch('shop.notify.mail.send')\ndef test_receipt(mock_send): ...\n",
            [
                (
                    3,
                    8,
                    "shop.notify.mail.send",
                    "shop/orders.py:4 binds `send` with `from shop.notify import send`; "
                    "patch 'shop.orders.send'",
                )
            ],
            id="bound-through-a-package-re-export",
        ),
        pytest.param(
            MOCK + "from shop.legacy import old_refund\n"
            "@patch('shop.payments.refund')\ndef test_old_refund(mock_refund): ...\n",
            [
                (
                    3,
                    8,
                    "shop.payments.refund",
                    "shop/legacy.py:3 binds `refund` with `from shop.payments import *`; "
                    "patch 'shop.legacy.refund'",
                )
            ],
            id="a-star-import",
        ),
        pytest.param(
            ORDERS + "class Tests:\n"
            "    @patch('shop.orders.charge')\n    @patch('shop.payments.charge')\n"
            "    def test_both_places(self, a, b): ...\n"
            "    @patch('shop.payments.charge')\n    def test_one_place(self, a): ...\n",
            [
                (
                    7,
                    12,
                    "shop.payments.charge",
                    "shop/orders.py:5 binds `charge` with `from shop.payments import charge`; "
                    "patch 'shop.orders.charge'",
                )
            ],
            id="another-test-patching-both-places-does-not-count",
        ),
    ],
)
def test_patches_that_miss_the_code_under_test_are_found(
    run_rule_in_project, source: str, expected: list[object]
) -> None:
    run = run_rule_in_project(RULE, source)
    assert _rows(run) == expected
    assert {finding.severity.value for finding in run.findings} <= {"warning"}


def test_related_information_points_at_each_import(run_rule_in_project, where_to_patch) -> None:
    source = (
        ORDERS + "from shop.billing import bill\n@patch('shop.payments.charge')\ndef t(m): ...\n"
    )
    (finding,) = run_rule_in_project(RULE, source).findings
    assert [
        (
            Path(place.path).relative_to(where_to_patch.root).as_posix(),
            place.span.start.line,
            place.span.start.character,
            place.span.end.character,
            place.message,
        )
        for place in finding.related
    ] == [
        (
            "shop/billing.py",
            2,
            0,
            35,
            "`shop.billing` looks `pay` up here, not through `shop.payments`",
        ),
        (
            "shop/orders.py",
            4,
            0,
            32,
            "`shop.orders` looks `charge` up here, not through `shop.payments`",
        ),
    ]


def test_a_fix_per_lookup_site_rewrites_the_target(run_rule_in_project) -> None:
    source = (
        ORDERS + "from shop.billing import bill\n@patch('shop.payments.charge')\ndef t(m): ...\n"
    )
    (finding,) = run_rule_in_project(RULE, source).findings
    assert [(fix.label, fix.is_preferred, fix.edits[0].new_text) for fix in finding.fixes] == [
        ("Patch 'shop.billing.pay' instead (unverified)", False, "shop.billing.pay"),
        ("Patch 'shop.orders.charge' instead (unverified)", False, "shop.orders.charge"),
    ]


def test_the_finding_and_each_fix_state_what_the_sandbox_can_check(run_rule_in_project) -> None:
    source = (
        ORDERS + "from shop.billing import bill\n@patch('shop.payments.charge')\ndef t(m): ...\n"
    )
    (finding,) = run_rule_in_project(RULE, source).findings
    billing, orders = ("shop.billing", "pay"), ("shop.orders", "charge")
    assert finding.claim == RuntimeClaim(
        ClaimKind.PATCH_MISSES, "shop.payments.charge", (billing, orders)
    )
    assert [fix.claim for fix in finding.fixes] == [
        RuntimeClaim(ClaimKind.PATCH_REACHES, "shop.billing.pay", (billing,)),
        RuntimeClaim(ClaimKind.PATCH_REACHES, "shop.orders.charge", (orders,)),
    ]


def test_the_one_fix_is_preferred_and_rewrites_a_constant_where_it_is_written(
    run_rule_in_project,
) -> None:
    source = (
        ORDERS
        + "CHARGE = 'shop.payments.charge'\ndef test_place(mocker):\n    mocker.patch(CHARGE)\n"
    )
    run = run_rule_in_project(RULE, source)
    assert [(fix.label, fix.is_preferred) for fix in run.findings[0].fixes] == [
        ("Patch 'shop.orders.charge' instead (unverified)", True)
    ]
    assert run.fixed() == ORDERS + (
        "CHARGE = 'shop.orders.charge'\ndef test_place(mocker):\n    mocker.patch(CHARGE)\n"
    )


def test_patch_object_gets_no_fix(run_rule_in_project) -> None:
    source = ORDERS + "from shop import payments\np = patch.object(payments, 'charge')\n"
    (finding,) = run_rule_in_project(RULE, source).findings
    assert finding.fixes == ()


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(
            ORDERS + "@patch('shop.payments.refund')\ndef test_cancel(m): ...\n",
            id="looked-up-through-the-module",
        ),
        pytest.param(
            ORDERS + "from shop import reports\n"
            "@patch('shop.payments.charge')\ndef test_report(m): ...\n",
            id="another-module-under-test-looks-it-up-through-the-module",
        ),
        pytest.param(
            ORDERS + "@patch('shop.orders.charge')\n@patch('shop.payments.charge')\n"
            "def test_place(a, b): ...\n"
            "def test_mocker(mocker):\n"
            "    mocker.patch('shop.payments.charge')\n    mocker.patch('shop.orders.charge')\n",
            id="both-places-patched-in-the-same-test",
        ),
        pytest.param(
            ORDERS + "@patch('shop.orders.charge')\nclass Tests:\n"
            "    @patch('shop.payments.charge')\n    def test_place(self, a, b): ...\n"
            "class SetUpTests:\n    def setUp(self):\n"
            "        patch('shop.orders.charge').start()\n"
            "    def test_place(self):\n        with patch('shop.payments.charge'): ...\n",
            id="the-lookup-site-patched-for-every-test",
        ),
        pytest.param(
            ORDERS + "p = patch.multiple('shop.orders', charge=mock.DEFAULT)\n"
            "q = patch('shop.payments.charge')\n",
            id="the-lookup-site-patched-by-patch-multiple",
        ),
        pytest.param(
            ORDERS
            + "@patch('shop.orders.charge')\n@patch('shop.notify.send')\ndef test_a(a, b): ...\n",
            id="patched-at-the-lookup-site-already",
        ),
        pytest.param(
            ORDERS + "from shop.payments import Gateway\n"
            "@patch('shop.payments.gateway')\n@patch('shop.payments.Gateway.create_charge')\n"
            "@patch.object(Gateway, 'create_charge')\ndef test_a(a, b, c): ...\n",
            id="names-no-module-under-test-imports-and-class-attributes",
        ),
        pytest.param(
            MOCK + "from shop.payments import charge\n"
            "@patch('shop.payments.charge')\ndef test_charge(m):\n    charge('4242', 1)\n",
            id="only-the-test-module-itself-imports-the-name",
        ),
        pytest.param(
            "from unittest.mock import patch\n@patch('shop.payments.charge')\ndef test(m): ...\n",
            id="no-code-under-test-imported",
        ),
        pytest.param(
            ORDERS + "from shop import payments\n"
            "def test_place(payments):\n    with patch.object(payments, 'charge'): ...\n",
            id="a-parameter-named-like-the-module",
        ),
    ],
)
def test_patches_that_reach_the_code_under_test_give_nothing(run_rule_in_project, source) -> None:
    assert run_rule_in_project(RULE, source).findings == []


def test_without_a_project_the_rule_is_silent(run_rule) -> None:
    source = ORDERS + "@patch('shop.payments.charge')\ndef test_place(mock_charge): ...\n"
    assert run_rule(RULE, source).findings == []


CLOCK = "from unittest.mock import patch\nimport app.clock\n"
"""Two lines (in the ``silent_mistakes`` project, whose ``app.clock`` binds ``monotonic``,
``datetime`` and ``urlopen`` of the standard library by name and reads ``os.getcwd`` through
``os``): snippets start on line 2."""


def _stdlib_message(line: int, name: str, statement: str) -> str:
    return f"app/clock.py:{line} binds `{name}` with `{statement}`; patch 'app.clock.{name}'"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param(
            "@patch('time.monotonic')\ndef test_a(m): ...\n",
            (2, 8, _stdlib_message(5, "monotonic", "from time import monotonic")),
            id="stdlib-function",
        ),
        pytest.param(
            "def test_a(mocker):\n    mocker.patch('datetime.datetime')\n",
            (3, 18, _stdlib_message(4, "datetime", "from datetime import datetime")),
            id="stdlib-class-with-mocker",
        ),
        pytest.param(
            "from urllib import request\n"
            "def test_a():\n    with patch.object(request, 'urlopen'): ...\n",
            (4, 32, _stdlib_message(6, "urlopen", "from urllib.request import urlopen")),
            id="stdlib-module-attribute-with-patch-object",
        ),
    ],
)
def test_standard_library_names_bound_by_the_code_under_test_are_found(
    run_rule_in_silent_mistakes, body: str, expected: tuple[int, int, str]
) -> None:
    run = run_rule_in_silent_mistakes(RULE, CLOCK + body)
    (finding,) = run.findings
    assert (finding.span.start.line, finding.span.start.character, finding.message) == expected
    assert finding.claim is not None
    assert finding.claim.kind is ClaimKind.PATCH_MISSES


@pytest.mark.parametrize(
    "body",
    [
        pytest.param("@patch('os.getcwd')\ndef test_a(m): ...\n", id="read-through-the-module"),
        pytest.param("@patch('app.clock.monotonic')\ndef test_a(m): ...\n", id="the-lookup-site"),
        pytest.param("@patch('time.sleep')\ndef test_a(m): ...\n", id="bound-by-nobody"),
        pytest.param(
            "@patch('app.clock.monotonic')\n@patch('time.monotonic')\ndef test_a(a, b): ...\n",
            id="the-lookup-site-patched-too",
        ),
    ],
)
def test_standard_library_look_alikes_give_nothing(run_rule_in_silent_mistakes, body) -> None:
    assert run_rule_in_silent_mistakes(RULE, CLOCK + body).findings == []


MAILING = "from unittest.mock import patch\nimport app.mailing, app.templates\n"


def test_a_name_only_bound_elsewhere_is_found(run_rule_in_silent_mistakes) -> None:
    source = MAILING + "@patch('app.templates.footer')\ndef test_a(m): ...\n"
    (finding,) = run_rule_in_silent_mistakes(RULE, source).findings
    assert finding.message == (
        "app/mailing.py:3 binds `footer` with `from app.templates import footer`; "
        "patch 'app.mailing.footer'"
    )


def test_a_name_its_own_module_reads_when_it_runs_gives_nothing(
    run_rule_in_silent_mistakes,
) -> None:
    source = MAILING + "@patch('app.templates.render')\ndef test_a(m): ...\n"
    assert run_rule_in_silent_mistakes(RULE, source).findings == []


def _siblings_project(root: Path, count: int) -> Project:
    """``pkg.core.title`` bound by ``count`` sibling modules ``pkg.s0``... with a multi-line,
    commented import, all imported by ``pkg/__init__.py``."""
    (root / "pkg").mkdir()
    siblings = ", ".join(f"s{index}" for index in range(count))
    (root / "pkg" / "__init__.py").write_text(f"from pkg import {siblings}\n")
    (root / "pkg" / "core.py").write_text(
        "def title(n):\n    return n\n\n\ndef other():\n    pass\n"
    )
    for index in range(count):
        (root / "pkg" / f"s{index}.py").write_text(
            "from pkg.core import (  # what the siblings share\n"
            "    other,\n    title,  # the one patched\n)\n\n\n"
            "def run(n):\n    return title(n), other()\n"
        )
    project = Project(root)
    project.scan()
    return project


@pytest.mark.parametrize(
    ("imports", "expected"),
    [
        pytest.param(
            "from pkg.s3 import run\n",
            "pkg/s3.py:1 binds `title` with `from pkg.core import title`; patch 'pkg.s3.title'",
            id="the-one-binding-the-test-reaches",
        ),
        pytest.param(
            "import pkg.s0, pkg.s1, pkg.s2, pkg.s3, pkg.s4, pkg.s5\n",
            "pkg/s0.py:1 binds `title` with `from pkg.core import title`, "
            "pkg/s1.py:1 binds `title` with `from pkg.core import title`, "
            "pkg/s2.py:1 binds `title` with `from pkg.core import title`, and 3 more; "
            "patch 'pkg.s0.title' and 'pkg.s1.title' and 'pkg.s2.title'",
            id="at-most-three-named",
        ),
    ],
)
def test_the_message_names_the_bindings_the_test_reaches_on_one_line(
    run_rule, tmp_path: Path, imports: str, expected: str
) -> None:
    project = _siblings_project(tmp_path, 6)
    source = (
        f"from unittest.mock import patch\n{imports}\n@patch('pkg.core.title')\ndef t(m): ...\n"
    )
    test_file = tmp_path / "tests" / "test_s.py"
    test_file.parent.mkdir()
    test_file.write_text(source)
    (finding,) = run_rule(RULE, source, ProjectFile(project, test_file)).findings
    assert finding.message == expected
    assert len(finding.fixes) == min(3, expected.count("binds"))
