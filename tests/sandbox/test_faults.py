"""User code that hangs, crashes, exhausts memory or touches stdio: the request gets a clear
answer, the worker is killed with its process group, and the next request runs on a fresh one."""

from __future__ import annotations

from collections.abc import Callable
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
    group_of,
    process_state,
    wait_until,
)

FAULTS = PROJECTS / "faults"

OpenPool = Callable[..., SandboxPool]


def worker_pid(pool: SandboxPool) -> int:
    reply = pool.call("ping", {})
    assert isinstance(reply, Reply), reply
    pid = reply.result["pid"]
    assert isinstance(pid, int)
    return pid


def assert_replaced(pool: SandboxPool, old_pid: int) -> None:
    """The old worker is gone (reaped: not even a zombie) and a fresh one answers."""
    assert process_state(old_pid) is None
    assert worker_pid(pool) != old_pid
    assert pool.resolve("calm.answer") == RuntimeObject("calm.answer", ObjectKind.FUNCTION, "()")


@pytest.mark.parametrize("python", INTERPRETERS)
def test_an_import_that_never_ends_is_stopped_at_the_deadline(
    open_pool: OpenPool, python: str
) -> None:
    pool = open_pool(FAULTS, python, size=1)
    pid = worker_pid(pool)
    outcome = pool.resolve("hang", deadline=2.0)
    assert outcome == SandboxFault(
        FaultKind.TIMEOUT,
        'the sandbox worker did not answer resolve {"target": "hang"} within 2 s and was stopped',
        "",
    )
    assert_replaced(pool, pid)


@pytest.mark.parametrize("python", INTERPRETERS)
def test_os_exit_at_import_is_a_crash_with_its_status(open_pool: OpenPool, python: str) -> None:
    pool = open_pool(FAULTS, python, size=1)
    pid = worker_pid(pool)
    outcome = pool.resolve("exits")
    assert outcome == SandboxFault(
        FaultKind.CRASHED,
        'the sandbox worker exited with status 3 while answering resolve {"target": "exits"}',
        "",
    )
    assert_replaced(pool, pid)


@pytest.mark.parametrize("python", INTERPRETERS)
def test_a_segfault_is_a_crash_with_the_signal_and_the_fault_report(
    open_pool: OpenPool, python: str
) -> None:
    pool = open_pool(FAULTS, python, size=1)
    pid = worker_pid(pool)
    outcome = pool.resolve("segfault")
    assert isinstance(outcome, SandboxFault)
    assert (outcome.kind, outcome.message) == (
        FaultKind.CRASHED,
        'the sandbox worker was killed by SIGSEGV while answering resolve {"target": "segfault"}',
    )
    assert "Fatal Python error: Segmentation fault" in outcome.detail
    assert 'File "' in outcome.detail  # faulthandler's traceback names the user's file
    assert "segfault.py" in outcome.detail
    assert_replaced(pool, pid)


@pytest.mark.parametrize("python", INTERPRETERS)
def test_a_huge_allocation_hits_the_memory_limit(open_pool: OpenPool, python: str) -> None:
    pool = open_pool(FAULTS, python, size=1)
    pid = worker_pid(pool)
    outcome = pool.resolve("hog")
    assert outcome == SandboxFault(
        FaultKind.OUT_OF_MEMORY,
        "user code ran out of its 1024 MiB address space (while answering resolve"
        ' {"target": "hog"}); the worker was replaced',
    )
    assert_replaced(pool, pid)


def test_memory_that_grows_without_end_hits_the_memory_limit(open_pool: OpenPool) -> None:
    pool = open_pool(FAULTS, size=1, memory_limit=256 << 20)
    pid = worker_pid(pool)
    outcome = pool.resolve("grows")
    assert isinstance(outcome, SandboxFault)
    assert outcome.kind is FaultKind.OUT_OF_MEMORY
    assert outcome.message.startswith("user code ran out of its 256 MiB address space")
    assert_replaced(pool, pid)


@pytest.mark.parametrize("python", INTERPRETERS)
def test_printing_to_stdout_does_not_corrupt_the_protocol(open_pool: OpenPool, python: str) -> None:
    pool = open_pool(FAULTS, python, size=1)
    pid = worker_pid(pool)
    outcome = pool.resolve("prints.greet")
    assert outcome == RuntimeObject(
        "prints.greet",
        ObjectKind.FUNCTION,
        "()",
        ("user code wrote to stdout (the sandbox sends it to stderr)",),
    )
    assert_replaced(pool, pid)


@pytest.mark.parametrize("python", INTERPRETERS)
def test_reading_stdin_fails_in_user_code_instead_of_reading_the_protocol(
    open_pool: OpenPool, python: str
) -> None:
    pool = open_pool(FAULTS, python, size=1)
    pid = worker_pid(pool)
    outcome = pool.resolve("reads_stdin.NAME")
    assert outcome == ResolveFailure(
        "reads_stdin.NAME",
        0,
        FailureReason.IMPORT_ERROR,
        "OSError: the mockls sandbox gives user code no standard input",
        (
            "user code wrote to stdout (the sandbox sends it to stderr)",  # input()'s prompt
            "user code tried to read stdin (the sandbox gives it none)",
        ),
    )
    assert_replaced(pool, pid)


def test_a_fork_at_import_answers_once(open_pool: OpenPool) -> None:
    pool = open_pool(FAULTS, size=1)
    pid = worker_pid(pool)
    outcome = pool.resolve("forks.after_fork")
    assert outcome == RuntimeObject("forks.after_fork", ObjectKind.FUNCTION, "()")
    # the forked child returned into the worker and left silently: the protocol is intact
    assert worker_pid(pool) == pid
    assert pool.resolve("calm.answer") == RuntimeObject("calm.answer", ObjectKind.FUNCTION, "()")


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
