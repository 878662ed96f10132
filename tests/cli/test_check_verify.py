"""``mockls check --verify``: the sandbox checks the findings' claims and runs the tests that
patch, once, with ``pytest --mockls``: the run has the last word.

The project is a copy of ``tests/fixtures/runtime_lookups``: its planted mistake
(``tests/test_checkout.py``) is a patch that only running the test shows to miss.
"""

from __future__ import annotations

import json
import shutil
import subprocess
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
    "tests/test_checkout.py:10:5: ineffective-patch never called — the code under test called"
    " the original `billing.gateway.send_charge` from billing/checkout.py:13 in"
    " `tests/test_checkout.py::CheckoutTests::test_pay_sends_the_charge`: patch it where that"
    " code looks it up (pytest --mockls)"
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
        f"{CONFIRMED} — confirmed by pytest --mockls: never called — the code under test called"
        " the original `billing.payments.charge` from billing/orders.py:7 in"
        " `tests/test_orders.py::test_place_charges_the_card`: patch it where that code looks it"
        " up",
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


PLANTED_SUITE = Path(__file__).resolve().parents[1] / "fixtures" / "runtime_suite"


def test_verify_runs_the_planted_suite_once_and_the_run_has_the_last_word(tmp_path: Path) -> None:
    suite = Path(shutil.copytree(PLANTED_SUITE, tmp_path / "suite"))
    static = run_check(suite, "--format", "json")
    verified = run_check(suite, "--verify", "--format", "json")
    assert verified.returncode == 1, verified.stderr

    def places(completed: subprocess.CompletedProcess[str]) -> list[tuple[int, str]]:
        return [(entry["line"], entry["code"]) for entry in json.loads(completed.stdout)]

    assert places(static) == [
        (9, "read-at-import"),
        (14, "unresolved-patch-target"),
        (19, "patcher-not-stopped"),
        (52, "patcher-not-stopped"),  # stopped through a name: the run withdraws it
    ]
    assert places(verified) == [
        (9, "ineffective-patch"),  # only the run shows it
        (9, "read-at-import"),
        (14, "unresolved-patch-target"),  # it fails to start: confirmed
        (19, "patcher-not-stopped"),  # the leak, confirmed
        (32, "async-call-not-awaited"),  # only the run shows it
    ]  # and issue 10's P1 (line 44): the mock was called, nothing reported
    messages = {entry["line"]: entry["message"] for entry in json.loads(verified.stdout)}
    assert (
        "confirmed by pytest --mockls: `notify.sender.notifier` could not be patched"
        in (messages[14])
    )
    assert messages[14].count("confirmed") == 1  # the run's word, not the sandbox's as well
    assert verified.stderr.splitlines()[1:] == [
        f"mockls: tests/test_planted.py: `{test}` passed (pytest); {patches}"
        for test, patches in (
            (
                "test_send_is_ineffective_only_at_run_time",
                "1 patched target: 0 used, 1 never called while the original ran",
            ),
            ("test_patch_that_fails_to_start", "it started no patch; 1 patch failed to start"),
            ("test_leaks_its_patch", "1 patched target: 0 used"),
            ("test_async_mock_never_awaited", "1 patched target: 1 used"),
            ("test_greet_reaches_its_own_global", "1 patched target: 1 used"),
            ("test_stops_its_patcher_through_a_name", "1 patched target: 1 used"),
            ("test_announce_never_raises", "1 patched target: 0 used"),  # autospec refused it
        )
    ]
    assert not (suite / ".pytest_cache").exists()  # the run wrote nothing into the project
