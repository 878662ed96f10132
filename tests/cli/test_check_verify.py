"""``mockls check --verify``: the sandbox confirms findings and runs the tests that patch.

The project is a copy of ``tests/fixtures/runtime_lookups``: its planted mistake
(``tests/test_checkout.py``) is a patch that only running the test shows to miss.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

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


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return Path(shutil.copytree(LOOKUPS, tmp_path / "billing_app"))


def check(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mockls", "check", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=600,
        check=False,
    )


def test_verify_confirms_the_static_finding_and_finds_the_planted_one(project: Path) -> None:
    verified = check(project, "--verify")
    assert verified.returncode == 1, verified.stderr
    assert verified.stdout.splitlines() == [
        PLANTED,
        f"{CONFIRMED}; confirmed in the sandbox: `billing.orders.charge` still holds the original"
        " while the patch is active",
    ]
    assert verified.stderr == "Found 2 problems in 2 files.\n"


def test_without_verify_nothing_runs(project: Path) -> None:
    static = check(project)
    assert static.stdout.splitlines() == [CONFIRMED]


def test_verify_runs_nothing_where_the_sandbox_setting_is_off(project: Path) -> None:
    pyproject = project / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text(encoding="utf-8") + "\n[tool.mockls]\nsandbox = false\n",
        encoding="utf-8",
    )
    outcome = check(project, "--verify")
    assert outcome.stdout.splitlines() == [CONFIRMED]
    assert outcome.stderr.splitlines() == [
        "mockls: warning: --verify: the sandbox setting is off for the project in .: none of it"
        " runs",
        "Found 1 problem in 1 file.",
    ]
