"""User code that hangs, crashes, exhausts memory or touches stdio: the request gets a clear
answer, the worker is killed with its process group, and the next request runs on a fresh one."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

import pytest

from mockls.sandbox import (
    FailureReason,
    FaultKind,
    ObjectKind,
    Reply,
    ResolveFailure,
    RuntimeObject,
    SandboxFault,
    SandboxPool,
)

from .conftest import (
    INTERPRETERS,
    PROJECTS,
    TOO_OLD,
    OpenPool,
    group_of,
    process_state,
    running_in_group,
    wait_until,
    worker_pid,
)

FAULTS = PROJECTS / "faults"


CALM = RuntimeObject("calm.answer", ObjectKind.FUNCTION, "()")


def resolve_message(target: str) -> str:
    return f'resolve {{"target": "{target}"}}'


FAULT_CASES = [
    pytest.param(
        "hang",
        2.0,
        SandboxFault(
            FaultKind.TIMEOUT,
            f"the sandbox worker did not answer {resolve_message('hang')} within 2 s"
            " and was stopped",
        ),
        id="infinite-loop",
    ),
    pytest.param(
        "exits",
        None,
        SandboxFault(
            FaultKind.CRASHED,
            f"the sandbox worker exited with status 3 while answering {resolve_message('exits')}",
        ),
        id="os-exit",
    ),
    pytest.param(
        "segfault",
        None,
        SandboxFault(
            FaultKind.CRASHED,
            "the sandbox worker was killed by SIGSEGV while answering"
            f" {resolve_message('segfault')}",
        ),
        id="segfault",
    ),
    pytest.param(
        "hog",
        None,
        SandboxFault(
            FaultKind.OUT_OF_MEMORY,
            "user code ran out of its 1024 MiB address space (while answering"
            f" {resolve_message('hog')}); the worker was replaced",
        ),
        id="4-gib-allocation",
    ),
    pytest.param(
        "prints.greet",
        None,
        RuntimeObject(
            "prints.greet",
            ObjectKind.FUNCTION,
            "()",
            ("user code wrote to stdout (the sandbox sends it to stderr)",),
        ),
        id="print-to-stdout",
    ),
    pytest.param(
        "reads_stdin.NAME",
        None,
        ResolveFailure(
            "reads_stdin.NAME",
            0,
            FailureReason.IMPORT_ERROR,
            "OSError: the mockls sandbox gives user code no standard input",
            (
                "user code wrote to stdout (the sandbox sends it to stderr)",  # input()'s prompt
                "user code tried to read stdin (the sandbox gives it none)",
            ),
        ),
        id="input-from-stdin",
    ),
]


@pytest.mark.parametrize("python", INTERPRETERS)
@pytest.mark.parametrize(("target", "deadline", "expected"), FAULT_CASES)
def test_a_fault_is_reported_and_the_next_request_runs_on_a_fresh_worker(
    open_pool: OpenPool,
    python: str,
    target: str,
    deadline: float | None,
    expected: RuntimeObject | ResolveFailure | SandboxFault,
) -> None:
    pool = open_pool(FAULTS, python, size=1)
    pid = worker_pid(pool)
    outcome = pool.resolve(target, deadline=deadline)
    if isinstance(outcome, SandboxFault):
        outcome = replace(outcome, detail="")  # the worker's stderr: see the segfault test
    assert outcome == expected
    assert process_state(pid) is None  # killed and reaped: not even a zombie
    assert worker_pid(pool) != pid
    assert pool.resolve("calm.answer") == CALM


@pytest.mark.parametrize("python", INTERPRETERS)
def test_a_segfault_reports_faulthandlers_traceback(open_pool: OpenPool, python: str) -> None:
    outcome = open_pool(FAULTS, python, size=1).resolve("segfault")
    assert isinstance(outcome, SandboxFault)
    assert "Fatal Python error: Segmentation fault" in outcome.detail
    assert f'File "{FAULTS / "segfault.py"}", line 5 in <module>' in outcome.detail


def test_memory_that_grows_without_end_hits_the_memory_limit(open_pool: OpenPool) -> None:
    pool = open_pool(FAULTS, size=1, memory_limit=256 << 20)
    outcome = pool.resolve("grows")
    assert isinstance(outcome, SandboxFault)
    assert outcome.kind is FaultKind.OUT_OF_MEMORY
    assert outcome.message.startswith("user code ran out of its 256 MiB address space")
    assert pool.resolve("calm.answer") == CALM


STARTED_PROCESSES = "user code started processes (they end with the worker)"


def test_a_fork_at_import_answers_once(open_pool: OpenPool) -> None:
    pool = open_pool(FAULTS, size=1)
    pid = worker_pid(pool)
    outcome = pool.resolve("forks.after_fork")
    # the forked child returned into the worker and left silently: the protocol is intact
    assert outcome == RuntimeObject(
        "forks.after_fork", ObjectKind.FUNCTION, "()", (STARTED_PROCESSES,)
    )
    assert worker_pid(pool) != pid  # replaced, which ends what user code started
    assert pool.resolve("calm.answer") == CALM


BOMB = """
import json, sys
from mockls.sandbox import SandboxOptions, SandboxPool
options = SandboxOptions(size=1, process_cap=32, environment={"FORKBOMB_REPORT": sys.argv[2]})
with SandboxPool(sys.argv[1], sys.argv[3], options=options) as pool:
    pid = pool.call("ping", {}).result["pid"]
    outcome = pool.resolve("forkbomb.STARTED")
    after = pool.call("ping", {}).result["pid"]
    print(json.dumps([pid, after, outcome.notes, repr(pool.resolve("calm.answer"))]))
"""

AS_NOBODY = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--"]

SYSTEM_PYTHON = "/usr/bin/python3"
"""An interpreter nobody may run (pyenv's live in root's home)."""

USERS = [pytest.param([], sys.executable, id="this-user")] + (
    # As root the cap is a pids cgroup; RLIMIT_NPROC, which root ignores, caps everyone else:
    # the server runs as nobody to see that one work too.
    [pytest.param(AS_NOBODY, SYSTEM_PYTHON, id="nobody")]
    if os.geteuid() == 0 and Path(SYSTEM_PYTHON).exists()
    else []
)


@pytest.mark.parametrize(("as_user", "python"), USERS)
def test_a_fork_bomb_stops_at_the_process_cap(as_user: list[str], python: str) -> None:
    shared = Path(tempfile.mkdtemp(prefix="mockls-forkbomb-"))
    try:
        shutil.copytree(FAULTS, shared / "faults")
        # The server side of the sandbox is stdlib only: a copy of it lets nobody run it even
        # from a checkout only root may read.
        library = shared / "library"
        for package in ("mockls", "mockengine"):
            spec = importlib.util.find_spec(package)
            assert spec is not None
            assert spec.origin is not None
            source = Path(spec.origin).parent
            ignore = shutil.ignore_patterns("__pycache__")
            shutil.copytree(source, library / package, ignore=ignore)
        shared.chmod(0o777)  # nobody writes the report and its pool's directories here
        report = shared / "report.txt"
        faults = str(shared / "faults")
        command = [*as_user, python, "-c", BOMB, faults, str(report), python]
        environment = {
            **os.environ,
            "HOME": str(shared),
            "TMPDIR": str(shared),
            "PYTHONPATH": str(library),
        }
        completed = subprocess.run(
            command, capture_output=True, text=True, timeout=300, check=False, env=environment
        )
        assert completed.returncode == 0, completed.stderr
        pid, after, notes, calm = json.loads(completed.stdout)
        assert notes == [STARTED_PROCESSES]
        assert after != pid  # replaced, which ends what user code started
        assert calm == repr(CALM)
        started, refused = report.read_text().splitlines()
        # the worker's own threads count too (and, under RLIMIT_NPROC, the user's other tasks)
        assert 0 < int(started) < 32
        assert refused == "BlockingIOError: Resource temporarily unavailable"
        wait_until(lambda: running_in_group(pid) == [], "the bomb's processes killed")
    finally:
        shutil.rmtree(shared, ignore_errors=True)


def test_an_interpreter_that_does_not_exist_is_reported(open_pool: OpenPool) -> None:
    pool = open_pool(FAULTS, "/nonexistent/python3", size=1)
    assert pool.resolve("calm.answer") == SandboxFault(
        FaultKind.NOT_STARTED,
        "cannot start a sandbox worker with /nonexistent/python3: No such file or directory",
    )


@pytest.mark.parametrize("python", TOO_OLD)
def test_an_interpreter_too_old_for_the_worker_is_reported(
    open_pool: OpenPool, python: str
) -> None:
    pool = open_pool(FAULTS, python, size=1)
    outcome = pool.resolve("calm.answer")
    assert isinstance(outcome, SandboxFault)
    assert outcome.kind is FaultKind.NOT_STARTED
    assert outcome.message.startswith(
        f"cannot start a sandbox worker with {python} (it needs CPython 3.9 or newer): "
    )


def test_the_worker_runs_in_its_own_session_and_a_temporary_directory(
    open_pool: OpenPool,
) -> None:
    pool = open_pool(FAULTS, size=1)
    reply = pool.call("ping", {})
    assert isinstance(reply, Reply)
    pid, cwd = reply.result["pid"], Path(reply.result["cwd"])
    assert group_of(pid) == (pid, pid)  # leads its own process group and session
    assert cwd.name.startswith("mockls-worker-")
    assert cwd.is_dir()
    pool.close()
    wait_until(lambda: not cwd.exists(), "the working directory removed")


def test_a_platform_without_process_groups_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(os, "killpg")
    pool = SandboxPool(FAULTS)
    try:
        assert pool.resolve("calm.answer") == SandboxFault(
            FaultKind.NOT_STARTED, "the sandbox runs on Linux and macOS only"
        )
    finally:
        pool.close()


def test_a_worker_that_does_not_start_in_time_is_reported(
    open_pool: OpenPool, tmp_path: Path
) -> None:
    stalled = tmp_path / "stalled-python"
    stalled.write_text(f'#!/bin/sh\nsleep 600\nexec {sys.executable} "$@"\n')
    stalled.chmod(0o755)
    pool = open_pool(FAULTS, str(stalled), size=1, start_deadline=1.0)
    assert pool.resolve("calm.answer") == SandboxFault(
        FaultKind.NOT_STARTED, f"a sandbox worker started with {stalled} did not start within 1 s"
    )
