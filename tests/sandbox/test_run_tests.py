"""The ``run_tests`` request: one ``pytest --mockls`` run in a sandbox worker over a selection
of tests, the plugin brought along in the worker's private library, and a test that takes the
worker down ending with its fault while the others' outcomes and facts are kept."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from mockls.runtime.reporting import judge_run
from mockls.runtime.store import load_run_facts
from mockls.sandbox import FaultKind, RunOutcome, SandboxFault, SuiteRun
from mockls.sandbox.process import LIBRARY, install_worker_files
from tests.runtime.conftest import copy_fixture, run_pytest

from .conftest import SUPPORTED, OpenPool

PLANTED = "tests/test_planted.py"


def run_all(pool_run: SuiteRun | SandboxFault) -> SuiteRun:
    assert isinstance(pool_run, SuiteRun), pool_run
    return pool_run


def test_the_run_judges_as_pytest_mockls_in_a_shell(open_pool: OpenPool, tmp_path: Path) -> None:
    planted = copy_fixture("runtime_suite", tmp_path)
    run = run_all(open_pool(planted).run_tests(planted, [str(planted / PLANTED)]))

    assert [(end.node.rpartition("::")[2], end.outcome) for end in run.tests] == [
        (name, RunOutcome.PASSED)
        for name in (
            "test_send_is_ineffective_only_at_run_time",
            "test_patch_that_fails_to_start",
            "test_leaks_its_patch",
            "test_after_the_leak_one",
            "test_after_the_leak_two",
            "test_async_mock_never_awaited",
            "test_the_session_clock_is_not_this_tests",
            "test_greet_reaches_its_own_global",
            "test_stops_its_patcher_through_a_name",
            "test_announce_never_raises",
        )
    ]
    assert not (planted / ".pytest_cache").exists()  # the sandbox writes nothing there

    run_pytest(planted, "--mockls")
    shell = load_run_facts(planted)
    assert shell is not None
    assert judge_run(run.facts, planted) == judge_run(shell, planted)
    assert judge_run(run.facts, planted)  # the planted mistakes were found


FAULTS = """\
import os
import time
from unittest.mock import patch

from pk import core


def test_first():
    with patch("pk.core.helper", return_value=2):
        assert core.twice() == 4


def test_exits():
    os._exit(3)


def test_hangs():
    time.sleep(600)


def test_hogs():
    with patch("pk.core.helper"):
        raise MemoryError


def test_last():
    with patch("pk.core.helper", return_value=5):
        assert core.twice() == 10
"""


def test_a_test_that_takes_the_worker_down_ends_with_its_fault_and_the_run_goes_on(
    open_pool: OpenPool, tmp_path: Path
) -> None:
    (tmp_path / "pk").mkdir()
    (tmp_path / "pk" / "__init__.py").write_text("")
    (tmp_path / "pk" / "core.py").write_text(
        "def helper():\n    return 1\n\n\ndef twice():\n    return 2 * helper()\n"
    )
    (tmp_path / "test_faults.py").write_text(FAULTS)
    pool = open_pool(tmp_path, test_deadline=5.0)
    run = run_all(pool.run_tests(tmp_path, [str(tmp_path / "test_faults.py")]))

    ended = [
        (end.node, end.outcome, end.fault.kind if end.fault else None, end.message.split(" ")[0])
        for end in run.tests
    ]
    assert ended == [
        ("test_faults.py::test_first", RunOutcome.PASSED, None, ""),
        ("test_faults.py::test_exits", RunOutcome.ERROR, FaultKind.CRASHED, "the"),
        ("test_faults.py::test_hangs", RunOutcome.ERROR, FaultKind.TIMEOUT, "it"),
        ("test_faults.py::test_hogs", RunOutcome.ERROR, None, "MemoryError"),
        ("test_faults.py::test_last", RunOutcome.PASSED, None, ""),
    ]
    assert run.tests[1].message.startswith("the sandbox worker exited with status 3")
    assert run.tests[2].message == "it did not end within 5 s and was stopped"
    made_here = [fact for fact in run.facts.patches if fact.site is not None]
    assert [(fact.test, fact.call_count) for fact in made_here] == [
        ("test_faults.py::test_first", 1),
        ("test_faults.py::test_hogs", 0),
        ("test_faults.py::test_last", 1),
    ]


@pytest.mark.parametrize("python", SUPPORTED)
def test_the_workers_library_holds_the_plugin_and_what_it_imports(
    python: str, tmp_path: Path
) -> None:
    """No mockls in the interpreter (``-S``: not even the venv's): the copy is enough, on
    every Python the sandbox supports."""
    install_worker_files(tmp_path)
    modules = ("plugin", "facts", "recording", "judgement", "store", "reporting", "merging")
    program = (
        f"import sys; sys.path[:0] = [{str(tmp_path / LIBRARY)!r}]; import mockls\n"
        + "".join(f"import mockls.runtime.{module}\n" for module in modules)
        + "print(mockls.__file__)"
    )
    completed = subprocess.run(
        [python, "-I", "-S", "-c", program],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == str(tmp_path / LIBRARY / "mockls" / "__init__.py")


def test_an_interpreter_without_pytest_runs_no_test_and_says_why(
    open_pool: OpenPool, tmp_path: Path
) -> None:
    bare = tmp_path / "bare"  # a virtual environment with nothing installed
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(bare)], check=True)
    planted = copy_fixture("runtime_suite", tmp_path)
    pool = open_pool(planted, str(bare / "bin" / "python"))
    run = run_all(pool.run_tests(planted, [str(planted / PLANTED)]))
    assert (run.tests, run.message) == ((), "pytest is not installed in this interpreter")


def test_a_module_that_cannot_be_collected_leaves_the_others_to_run(
    open_pool: OpenPool, tmp_path: Path
) -> None:
    (tmp_path / "test_broken.py").write_text("import no_such_module\n\n\ndef test_it(): ...\n")
    (tmp_path / "test_fine.py").write_text("def test_it():\n    assert True\n")
    nodes = [str(tmp_path / f"test_{name}.py::test_it") for name in ("broken", "fine")]
    run = run_all(open_pool(tmp_path).run_tests(tmp_path, nodes))
    assert [(end.node, end.outcome) for end in run.tests] == [
        ("test_fine.py::test_it", RunOutcome.PASSED)
    ]
    assert run.message == "E   ModuleNotFoundError: No module named 'no_such_module'"
