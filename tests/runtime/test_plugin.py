"""``pytest --mockls`` on the planted suite (``tests/fixtures/runtime_suite``), for real: each
planted case is judged as the issue asks, the plugin is inert without the flag, and pytest-xdist
gives the same findings as a serial run."""

from __future__ import annotations

from pathlib import Path

from tests.runtime.conftest import facts_of, report_of, run_pytest

TESTS = "tests/test_planted.py"

PLANTED = [
    # autospec refused a call the code under test made, and swallowed: at the call
    ("notify/sender.py", 20, "signature-mismatch"),
    (TESTS, 9, "ineffective-patch"),  # caught only at run time: the static rules miss it
    (TESTS, 14, "unresolved-patch-target"),
    (TESTS, 19, "patcher-not-stopped"),
    (TESTS, 32, "async-call-not-awaited"),
]
"""Every finding of the run, by place; issue 13's P1 (line 44) and the patcher stopped
through a name (line 52) are not among them."""


def places(report: list[dict[str, object]]) -> list[tuple[object, object, object]]:
    return [(entry["path"], entry["line"], entry["code"]) for entry in report]


def test_without_the_flag_the_plugin_changes_nothing(planted: Path) -> None:
    run = run_pytest(planted)

    assert run.returncode == 0, run.stdout
    assert "10 passed" in run.stdout
    assert "mockls" not in run.stdout
    assert not (planted / ".pytest_cache" / "v" / "mockls").exists()


def test_the_run_reports_each_planted_case_with_its_evidence(planted: Path) -> None:
    run = run_pytest(planted, "--mockls", "--mockls-report=report.json")

    assert run.returncode == 0, run.stdout + run.stderr
    assert "10 passed" in run.stdout  # the same outcome as without --mockls
    report = report_of(planted / "report.json")
    assert places(report) == PLANTED
    messages = {entry["code"]: entry["message"] for entry in report}
    assert (
        "called the original `notify.http.urlopen` from notify/sender.py:8"
        in messages["ineffective-patch"]
    )
    assert "raised AttributeError" in messages["unresolved-patch-target"]
    assert (
        "after `tests/test_planted.py::test_leaks_its_patch` ended; 7 later tests"
        in messages["patcher-not-stopped"]
    )
    assert "test_after_the_leak_one" in messages["patcher-not-stopped"]
    assert "called at notify/jobs.py:7 and never awaited" in messages["async-call-not-awaited"]
    assert messages["signature-mismatch"] == (
        "autospec rejected the call: missing a required argument: 'body' — the mock of "
        "`notify.http.post` in `tests/test_planted.py::test_announce_never_raises` "
        "(pytest --mockls)"
    )
    assert set(report[0]) == {
        "path", "line", "column", "end_line", "end_column", "code", "severity", "message", "fixes"
    }  # fmt: skip
    summary = (
        "1 ineffective patch, 1 patch that failed to start, 1 leak, 1 AsyncMock never awaited, "
        "1 call autospec rejected"
    )
    assert f"mockls: {summary}" in run.stdout
    assert f"{TESTS}:9:5: ineffective-patch never called" in run.stdout


def test_a_session_fixture_patch_is_charged_to_the_fixture_once(planted: Path) -> None:
    run_pytest(planted, "--mockls")

    clock = [
        fact
        for fact in facts_of(planted)["patches"]
        if fact["target"] == "notify.http.now" and fact["site"]["path"] == "tests/conftest.py"
    ]
    assert [(fact["owner"], fact["scope"], fact["site"]) for fact in clock] == [
        ("fixture frozen_clock", "session", {"path": "tests/conftest.py", "line": 8})
    ]


def test_a_patch_that_reaches_the_code_under_test_is_not_reported(planted: Path) -> None:
    """Issue 13's P1: the static rule flags the patch of ``pkg.core.title``; the run saw the
    mock called by ``greet``."""
    run_pytest(planted, "--mockls", "--mockls-report=report.json")

    title = [fact for fact in facts_of(planted)["patches"] if fact["target"] == "pkg.core.title"]
    assert [(fact["call_count"], fact["original_called"]) for fact in title] == [(1, False)]
    assert all(entry["line"] != 44 for entry in report_of(planted / "report.json"))


def test_under_xdist_the_controller_reports_what_a_serial_run_does(planted: Path) -> None:
    run = run_pytest(planted, "--mockls", "-n", "2", "--mockls-report=report.json")

    assert run.returncode == 0, run.stdout + run.stderr
    assert "10 passed" in run.stdout
    assert places(report_of(planted / "report.json")) == PLANTED


def test_under_xdist_the_facts_are_those_of_a_serial_run(planted: Path) -> None:
    """Two workers each start the session fixture's patch, and the leak runs in one of them
    beside some of the later tests: the settled facts are still a serial run's, every one."""
    run_pytest(planted, "--mockls")
    serial = facts_of(planted)

    for _ in range(2):  # which worker runs which test changes from run to run
        run_pytest(planted, "--mockls", "-n", "2")
        assert facts_of(planted) == serial

    leak = next(fact for fact in serial["patches"] if fact["leaked_after"])
    assert leak["later_tests"] == 7
    clock = [fact for fact in serial["patches"] if fact["owner"] == "fixture frozen_clock"]
    assert [(fact["test"], fact["call_count"]) for fact in clock] == [(None, 2)]
