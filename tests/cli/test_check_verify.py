"""``mockls check --verify``: the sandbox confirms findings and runs the tests that patch.

The project is a copy of ``tests/fixtures/runtime_lookups``: its planted mistake
(``tests/test_checkout.py``) is a patch that only running the test shows to miss.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from tests.cli.conftest import run_check

LOOKUPS = Path(__file__).resolve().parents[1] / "fixtures" / "runtime_lookups"

CONFIRMED = (
    "tests/test_orders.py:11:17: ineffective-patch billing/orders.py:3 binds `charge` with"
    " `from billing.payments import charge`; patch 'billing.orders.charge'"
)
PLANTED = (
    "tests/test_checkout.py:10:13: ineffective-patch never called — the code under test called"
    " the original `billing.gateway.send_charge` (billing/checkout.py:13) while"
    " `CheckoutTests.test_pay_sends_the_charge` ran: patch it where that code looks it up"
)

OWN_INTERPRETER = (
    "mockls: warning: the project at . has no `python` setting, .venv or venv: its targets are"
    f" resolved with mockls's own interpreter, {sys.executable}"
)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return Path(shutil.copytree(LOOKUPS, tmp_path / "billing_app"))


def test_verify_confirms_the_static_finding_and_finds_the_planted_one(project: Path) -> None:
    verified = run_check(project, "--verify")
    assert verified.returncode == 1, verified.stderr
    assert verified.stdout.splitlines() == [
        PLANTED,
        f"{CONFIRMED}; confirmed in the sandbox: `billing.orders.charge` still holds the original"
        " while the patch is active",
    ]
    assert verified.stderr.splitlines() == [
        OWN_INTERPRETER,
        "mockls: tests/test_checkout.py: `CheckoutTests.test_pay_sends_the_charge` passed"
        " (pytest); 1 patched target: 0 used, 1 never called while the original ran",
        "mockls: tests/test_checkout.py: `CheckoutTests.test_pay_returns_the_charge_id` passed"
        " (pytest); 1 patched target: 1 used",
        "mockls: tests/test_orders.py: `test_place_charges_the_card` passed (pytest); 1 patched"
        " target: 0 used, 1 never called while the original ran",
        "mockls: tests/test_orders.py: `test_place_keeps_the_charge_id` passed (pytest); 1"
        " patched target: 1 used",
        "mockls: tests/test_orders.py: `test_nothing_is_charged_for_nothing` passed (pytest); 1"
        " patched target: 0 used",
        "Found 2 problems in 2 files.",
    ]


def test_without_verify_nothing_runs(project: Path) -> None:
    static = run_check(project)
    assert static.stdout.splitlines() == [CONFIRMED]


def test_verify_runs_nothing_where_the_sandbox_setting_is_off(project: Path) -> None:
    pyproject = project / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text(encoding="utf-8") + "\n[tool.mockls]\nsandbox = false\n",
        encoding="utf-8",
    )
    outcome = run_check(project, "--verify")
    assert outcome.stdout.splitlines() == [CONFIRMED]
    assert outcome.stderr.splitlines() == [
        OWN_INTERPRETER,
        "mockls: warning: --verify: the sandbox setting is off for the project in .: none of it"
        " runs",
        "Found 1 problem in 1 file.",
    ]


FAULTS = """\
import os
from unittest.mock import patch


def test_fails():
    with patch("pk.core.helper"):
        assert False, "the helper was never asked"


def test_memory():
    with patch("pk.core.helper"):
        bytearray(8 << 30)


def test_exits():
    with patch("pk.core.helper"):
        os._exit(3)


def test_forks():
    with patch("pk.core.helper"):
        for _ in range(1000):
            if os.fork() == 0:
                os._exit(0)
"""


def test_every_test_run_ends_in_a_line_saying_how(tmp_path: Path) -> None:
    (tmp_path / "pk").mkdir()
    (tmp_path / "tests").mkdir()
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "pk"\n')
    (tmp_path / "pk" / "__init__.py").write_text("")
    (tmp_path / "pk" / "core.py").write_text("def helper():\n    return 1\n")
    (tmp_path / "tests" / "__init__.py").write_text("")
    (tmp_path / "tests" / "test_faults.py").write_text(FAULTS)
    outcome = run_check(tmp_path, "--verify")
    where = "mockls: tests/test_faults.py:"
    lines = outcome.stderr.splitlines()
    assert lines.pop(0) == OWN_INTERPRETER
    exited = f"{where} `test_exits` could not run: the sandbox worker exited with status 3 while"
    assert lines[2].startswith(exited)  # then the request, cut to a length
    lines[2] = exited
    assert lines == [
        f"{where} `test_fails` failed (pytest): AssertionError: the helper was never asked;"
        " 1 patched target: 0 used",
        f"{where} `test_memory` ended with an error (pytest): MemoryError; 1 patched target:"
        " 0 used",
        exited,
        f"{where} `test_forks` ended with an error (pytest): BlockingIOError: [Errno 11]"
        " Resource temporarily unavailable; 1 patched target: 0 used; user code started"
        " processes (they end with the worker)",
        "No problems found (4 files checked).",
    ]


def test_fix_applies_a_retarget_only_once_the_sandbox_proved_it(project: Path) -> None:
    orders = project / "tests" / "test_orders.py"
    original = orders.read_text(encoding="utf-8")

    unproved = run_check(project, "--fix")
    assert unproved.returncode == 1, unproved.stderr
    assert orders.read_text(encoding="utf-8") == original
    assert unproved.stderr.splitlines()[-1] == "Fixed 0 problems (1 remaining)."

    proved = run_check(project, "--fix", "--verify")
    assert proved.returncode == 1, proved.stderr
    assert orders.read_text(encoding="utf-8") == original.replace(
        'patch("billing.payments.charge", return_value="ch_1")',
        'patch("billing.orders.charge", return_value="ch_1")',
    )
    assert proved.stdout.splitlines() == [PLANTED]  # what no fix can say where to patch
    assert proved.stderr.splitlines()[-1] == "Fixed 1 problem (1 remaining)."
