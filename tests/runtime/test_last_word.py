"""After ``pytest --mockls``, ``mockls check`` gives the run the last word: findings the run
contradicts are withdrawn, confirmed ones say so, runtime-only ones are added, and all of it
is dropped for a file changed since the run. ``mockls merge-reports`` joins shards' reports;
and a suite passes and fails under ``--mockls`` exactly as without it (examples/shop)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from tests.runtime.conftest import REPO, report_of, run_pytest

TESTS = "tests/test_planted.py"


def check(project: Path, *arguments: str) -> list[dict[str, Any]]:
    completed = subprocess.run(
        [sys.executable, "-m", "mockls", *arguments],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert completed.returncode in (0, 1), completed.stderr
    return json.loads(completed.stdout)  # type: ignore[no-any-return]


def findings(project: Path) -> list[tuple[int, str]]:
    return [
        (entry["line"], entry["code"])
        for entry in check(project, "check", "--format", "json", TESTS)
    ]


def test_the_check_after_a_run_withdraws_confirms_and_adds(planted: Path) -> None:
    before = findings(planted)
    assert (52, "patcher-not-stopped") in before  # stopped where reading cannot follow
    assert (9, "ineffective-patch") not in before  # the run's code for what it sees there

    run_pytest(planted, "--mockls")
    report = check(planted, "check", "--format", "json", TESTS)

    assert [(entry["line"], entry["code"]) for entry in report] == [
        (9, "ineffective-patch"),
        (9, "read-at-import"),  # static, beside the run's evidence
        (14, "unresolved-patch-target"),
        (19, "patcher-not-stopped"),
        (32, "async-call-not-awaited"),
    ]
    confirmed = {entry["code"]: entry["message"] for entry in report}
    assert (
        "— confirmed by pytest --mockls: `notify.sender.notifier` could not be patched"
        in (confirmed["unresolved-patch-target"])
    )


def test_the_check_after_a_run_shows_a_call_autospec_rejected_in_the_code_under_test(
    planted: Path,
) -> None:
    """``notify.sender.announce`` calls the autospecced ``post`` without its ``body`` and
    swallows the ``TypeError``: only the run sees it, at the call in the code under test."""
    assert check(planted, "check", "--format", "json", "notify/sender.py") == []

    run_pytest(planted, "--mockls")
    report = check(planted, "check", "--format", "json", "notify/sender.py")

    assert [(entry["line"], entry["code"], entry["severity"]) for entry in report] == [
        (20, "signature-mismatch", "error")
    ]
    assert report[0]["message"].startswith(
        "autospec rejected the call: missing a required argument: 'body'"
    )


def test_check_verify_withdraws_what_the_tests_runs_contradict(planted: Path) -> None:
    """Issue 13's P1 is not reported with ``--verify`` either: the sandbox's run of the test
    saw the mock called, whatever another module holds."""
    report = check(planted, "check", "--verify", "--format", "json", TESTS)

    places = [(entry["line"], entry["code"]) for entry in report]
    assert (44, "ineffective-patch") not in places
    assert (9, "ineffective-patch") in places  # the sandbox's run of the test saw the original


def test_facts_of_a_file_changed_since_the_run_are_dropped(planted: Path) -> None:
    before = findings(planted)
    run_pytest(planted, "--mockls")
    test_file = planted / TESTS
    test_file.write_text(test_file.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")

    assert findings(planted) == before


def test_merge_reports_joins_the_shards_of_a_run(planted: Path) -> None:
    run_pytest(planted, "--mockls", "--mockls-report=a.json", "-k", "leak or fails")
    run_pytest(planted, "--mockls", "--mockls-report=b.json", "-k", "not (leak or fails)")
    run_pytest(planted, "--mockls", "--mockls-report=whole.json")

    merged = check(planted, "merge-reports", "a.json", "b.json", "a.json")

    assert [(entry["line"], entry["code"]) for entry in merged] == [
        (entry["line"], entry["code"]) for entry in report_of(planted / "whole.json")
    ]


def test_a_report_that_is_not_a_list_of_findings_is_a_usage_error(planted: Path) -> None:
    (planted / "bad.json").write_text('{"not": "a report"}', encoding="utf-8")
    completed = subprocess.run(
        [sys.executable, "-m", "mockls", "merge-reports", "bad.json"],
        cwd=planted,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 2
    assert "bad.json: not a list of findings" in completed.stderr


def outcomes(project: Path, *arguments: str) -> dict[str, str]:
    """Each test's outcome in a run, from its JUnit XML."""
    run_pytest(project, "--junitxml=run.xml", "-p", "no:cacheprovider", *arguments)
    tree = ElementTree.parse(project / "run.xml")
    result: dict[str, str] = {}
    for case in tree.iter("testcase"):
        kinds = [child.tag for child in case if child.tag in ("failure", "error", "skipped")]
        result[f"{case.get('classname')}.{case.get('name')}"] = kinds[0] if kinds else "passed"
    return result


def test_the_shop_passes_and_fails_under_mockls_as_without_it(tmp_path: Path) -> None:
    shop = tmp_path / "shop"
    shutil.copytree(REPO / "examples" / "shop", shop)

    plain = outcomes(shop)
    assert len(plain) > 20
    assert "failure" in plain.values()
    assert outcomes(shop, "--mockls") == plain
