"""The pool's life: which interpreter and paths workers get, recycling, following file changes,
the cache, two workers at once, the async API, and shutting everything down."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import sysconfig
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from unittest import mock

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
from mockls.sandbox.process_cap import PIDS_HIERARCHY, PidsCgroup

from .conftest import (
    INTERPRETERS,
    PROJECTS,
    OpenPool,
    group_of,
    interpreter_for,
    process_state,
    running_in_group,
    wait_until,
    worker_pid,
)

FAULTS = PROJECTS / "faults"
SHAPES = PROJECTS / "shapes"


def ping(pool: SandboxPool) -> dict[str, object]:
    reply = pool.call("ping", {})
    assert isinstance(reply, Reply), reply
    return dict(reply.result)


# -- interpreter and paths ----------------------------------------------------------------


def make_venv(workspace: Path, python: str) -> Path:
    """A ``.venv`` in ``workspace`` made by ``python``, with ``parcel`` in its site-packages."""
    venv = workspace / ".venv"
    subprocess.run([python, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=300)
    interpreter = venv / "bin" / "python"
    purelib = subprocess.run(
        [str(interpreter), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout.strip()
    (Path(purelib) / "parcel").mkdir(parents=True)
    (Path(purelib) / "parcel" / "__init__.py").write_bytes(
        (PROJECTS / "installed" / "parcel" / "__init__.py").read_bytes()
    )
    return interpreter


@pytest.mark.parametrize("python", INTERPRETERS)
def test_the_workspace_venv_is_the_interpreter_and_its_site_packages_are_visible(
    open_pool: OpenPool, project_copy: Callable[[str], Path], python: str
) -> None:
    workspace = project_copy("shapes")
    interpreter = make_venv(workspace, python)
    pool = open_pool(workspace, size=1)
    assert pool.interpreter == str(interpreter)
    assert ping(pool)["executable"] == str(interpreter)
    assert pool.resolve("uses_parcel.ship") == RuntimeObject(
        "uses_parcel.ship", ObjectKind.FUNCTION, "(box, *, express=False)"
    )


def test_the_python_setting_wins_over_the_workspace_venv(
    open_pool: OpenPool, project_copy: Callable[[str], Path]
) -> None:
    workspace = project_copy("shapes")
    make_venv(workspace, sys.executable)
    pool = open_pool(workspace, sys.executable, size=1)
    assert pool.interpreter == sys.executable
    assert isinstance(pool.resolve("uses_parcel.ship"), ResolveFailure)


def test_without_a_setting_or_a_venv_the_interpreter_is_the_servers(open_pool: OpenPool) -> None:
    assert open_pool(SHAPES, size=1).interpreter == sys.executable


def test_the_servers_packages_stay_out_of_another_interpreter(open_pool: OpenPool) -> None:
    python = interpreter_for("3.9") or interpreter_for("3.13")
    assert python is not None, "the sandbox tests need pyenv's 3.9 or 3.13"
    server_packages = sysconfig.get_paths()["purelib"]
    pool = open_pool(
        SHAPES, python, size=1, environment={**os.environ, "PYTHONPATH": server_packages}
    )
    sys_path = ping(pool)["sys_path"]
    assert isinstance(sys_path, list)
    assert server_packages not in sys_path
    library, workspace = Path(sys_path[0]), sys_path[1]
    # mockls there is only its pytest plugin and what that imports (process.RUNTIME_FILES)
    assert sorted(path.name for path in library.iterdir()) == ["mockengine", "mockls"]
    assert workspace == str(SHAPES)
    for server_module in ("pygls", "jedi"):
        outcome = pool.resolve(server_module)
        assert isinstance(outcome, ResolveFailure), outcome
        assert outcome.reason is FailureReason.MODULE_NOT_FOUND
    for server_part in ("mockls.lsp", "mockls.cli", "mockls.rules"):
        outcome = pool.resolve(server_part)
        assert isinstance(outcome, ResolveFailure), outcome
        assert (outcome.segment, outcome.reason) == (1, FailureReason.ATTRIBUTE_ERROR)
    assert pool.resolve("mockengine") == RuntimeObject("mockengine", ObjectKind.MODULE)


# -- recycling and file changes -----------------------------------------------------------


def test_a_worker_is_recycled_after_its_request_budget(open_pool: OpenPool) -> None:
    pool = open_pool(SHAPES, size=1, max_requests=3)
    pids = [worker_pid(pool) for _ in range(7)]
    assert pids[0] == pids[1] == pids[2] != pids[3]
    assert pids[3] == pids[4] == pids[5] != pids[6]
    assert process_state(pids[0]) is None  # reaped


def write(path: Path, text: str) -> None:
    path.write_text(text)
    stamp = path.stat().st_mtime_ns + 2_000_000_000  # a new mtime even on a coarse clock
    os.utime(path, ns=(stamp, stamp))


@pytest.mark.parametrize("notified", [True, False], ids=["notified", "unnotified"])
def test_a_changed_module_is_read_again_by_a_fresh_worker(
    open_pool: OpenPool, project_copy: Callable[[str], Path], notified: bool
) -> None:
    workspace = project_copy("shapes")
    figures = workspace / "geometry" / "figures.py"
    pool = open_pool(workspace, size=1)
    assert isinstance(pool.resolve("geometry.figures.scale"), RuntimeObject)
    first = worker_pid(pool)
    write(figures, figures.read_text().replace("def scale(figure,", "def resize(figure,"))
    if notified:  # the idle worker is replaced at once, in the background
        pool.notify_file_changed(figures)
        wait_until(lambda: process_state(first) is None, "the worker that imported it to go")
    outcome = pool.resolve("geometry.figures.scale")  # not from the cache
    assert isinstance(outcome, ResolveFailure)
    assert outcome.reason is FailureReason.ATTRIBUTE_ERROR
    assert isinstance(pool.resolve("geometry.figures.resize"), RuntimeObject)
    assert worker_pid(pool) != first


def test_a_module_that_failed_to_import_is_read_again_once_fixed(
    open_pool: OpenPool, project_copy: Callable[[str], Path]
) -> None:
    workspace = project_copy("shapes")
    pool = open_pool(workspace, size=1)
    failure = pool.resolve("geometry.broken.anything")
    assert isinstance(failure, ResolveFailure)
    assert failure.reason is FailureReason.IMPORT_ERROR
    write(workspace / "geometry" / "broken.py", "anything = 1\n")
    # not notified: the failed import still counts as a file the answer read
    assert pool.resolve("geometry.broken.anything") == RuntimeObject(
        "geometry.broken.anything", ObjectKind.OTHER
    )


def test_a_new_module_is_found_once_notified(
    open_pool: OpenPool, project_copy: Callable[[str], Path]
) -> None:
    workspace = project_copy("shapes")
    pool = open_pool(workspace, size=1)
    missing = pool.resolve("geometry.added.thing")
    assert isinstance(missing, ResolveFailure)
    added = workspace / "geometry" / "added.py"
    write(added, "def thing():\n    pass\n")
    pool.notify_file_changed(added)
    assert pool.resolve("geometry.added.thing") == RuntimeObject(
        "geometry.added.thing", ObjectKind.FUNCTION, "()"
    )


def test_a_cached_answer_does_not_ask_a_worker(open_pool: OpenPool) -> None:
    pool = open_pool(SHAPES, size=1)
    with mock.patch.object(pool, "call", wraps=pool.call) as call:
        first = pool.resolve("geometry.figures.Circle.area")
        second = pool.resolve("geometry.figures.Circle.area")
        missing = pool.resolve("geometry.nothing")
        pool.resolve("geometry.nothing")
    assert (
        first
        == second
        == RuntimeObject("geometry.figures.Circle.area", ObjectKind.METHOD, "(self) -> float")
    )
    assert isinstance(missing, ResolveFailure)
    assert call.call_count == 2


def test_answers_that_read_a_changed_file_leave_the_cache(
    open_pool: OpenPool, project_copy: Callable[[str], Path]
) -> None:
    workspace = project_copy("shapes")
    pool = open_pool(workspace, size=1)
    pool.resolve("json.dumps")  # first: the worker has imported no workspace file yet
    pool.resolve("geometry.figures.scale")
    pool.resolve("geometry.nothing")
    assert len(pool.cache) == 3
    pool.notify_file_changed(workspace / "flavour.py")  # read by none: may make "nothing" exist
    assert len(pool.cache) == 2
    pool.notify_file_changed(workspace / "geometry" / "figures.py")
    assert len(pool.cache) == 1
    with mock.patch.object(pool, "call", wraps=pool.call) as call:
        pool.resolve("json.dumps")
    call.assert_not_called()


# -- concurrency --------------------------------------------------------------------------


def test_two_workers_answer_while_one_is_stuck(open_pool: OpenPool) -> None:
    pool = open_pool(FAULTS, size=2)
    with ThreadPoolExecutor(1) as executor:
        stuck = executor.submit(pool.resolve, "hang")
        try:
            answers = [pool.resolve("calm.answer") for _ in range(5)]
            assert not stuck.done()  # still stuck: the other worker answered
            assert answers == [RuntimeObject("calm.answer", ObjectKind.FUNCTION, "()")] * 5
        finally:
            pool.close()
        assert stuck.result(timeout=300) == SandboxFault(
            FaultKind.CLOSED, "the sandbox was shut down"
        )


def test_closing_while_a_worker_starts_answers_closed(open_pool: OpenPool, tmp_path: Path) -> None:
    """The caller waiting for a new worker's first message sees it killed, and says so."""
    started, go = tmp_path / "started", tmp_path / "go"
    slow_python = tmp_path / "slow-python"
    slow_python.write_text(
        f"#!/bin/sh\ntouch {started}\nwhile [ ! -e {go} ]; do sleep 0.05; done\n"
        f'exec {sys.executable} "$@"\n'
    )
    slow_python.chmod(0o755)
    pool = SandboxPool(SHAPES, str(slow_python))
    with ThreadPoolExecutor(1) as executor:
        waiting = executor.submit(pool.resolve, "geometry")
        wait_until(started.exists, "the worker process to start")
        pool.close()
        go.touch()
        assert waiting.result(timeout=300) == SandboxFault(
            FaultKind.CLOSED, "the sandbox was shut down"
        )


def test_a_bug_on_the_server_side_is_a_fault_not_an_exception(open_pool: OpenPool) -> None:
    pool = open_pool(SHAPES, size=1)
    outcome = pool.call("ping", {"not json": object()})
    assert isinstance(outcome, SandboxFault)
    assert outcome.kind is FaultKind.INTERNAL
    assert outcome.message.startswith("the sandbox failed on ping: Object of type object")
    assert isinstance(pool.call("ping", {}), Reply)  # the slot and the worker came back


def test_the_async_api_keeps_the_event_loop_running(open_pool: OpenPool) -> None:
    pool = open_pool(FAULTS, size=2)

    async def scenario() -> tuple[int, object, list[object]]:
        hang = asyncio.create_task(pool.resolve_async("hang", deadline=2.0))
        ticks = 0
        while not hang.done():
            await asyncio.sleep(0.01)
            ticks += 1
        pings = await asyncio.gather(pool.call_async("ping", {}), pool.call_async("ping", {}))
        return ticks, hang.result(), pings

    ticks, hang, pings = asyncio.run(scenario())
    assert ticks > 0
    assert isinstance(hang, SandboxFault)
    assert hang.kind is FaultKind.TIMEOUT
    assert all(isinstance(reply, Reply) for reply in pings)


def test_requests_after_close_are_answered_as_closed(open_pool: OpenPool) -> None:
    pool = open_pool(SHAPES, size=1)
    pool.close()
    closed = SandboxFault(FaultKind.CLOSED, "the sandbox was shut down")
    assert pool.resolve("geometry") == closed
    assert asyncio.run(pool.resolve_async("geometry")) == closed


# -- no process left behind ---------------------------------------------------------------


def test_close_kills_the_workers_and_what_user_code_started(open_pool: OpenPool) -> None:
    pool = open_pool(FAULTS, size=2)
    assert pool.resolve("spawns") == RuntimeObject("spawns", ObjectKind.MODULE)
    pids = [worker_pid(pool), worker_pid(pool)]
    assert len(set(pids)) == 2
    groups = [running_in_group(pid) for pid in pids]
    assert sorted(len(group) for group in groups) == [1, 2]  # one worker runs the sleeper
    pool.close()
    for pid in pids:
        assert process_state(pid) is None  # killed and reaped
        wait_until(lambda pid=pid: running_in_group(pid) == [], f"group {pid} to end")


SERVER = """
import json, sys, time
from mockls.sandbox import SandboxPool, SandboxOptions
pool = SandboxPool(sys.argv[1], options=SandboxOptions(deadline=120, start_deadline=120))
pool.resolve("spawns")
print(json.dumps([pool.call("ping", {}).result["pid"] for _ in range(2)]), flush=True)
if sys.argv[2] == "wait":
    time.sleep(600)
"""


@pytest.mark.parametrize("ending", ["exits", "killed"])
def test_workers_end_when_the_server_ends_without_closing(ending: str) -> None:
    with subprocess.Popen(
        [sys.executable, "-c", SERVER, str(FAULTS), "wait" if ending == "killed" else "exit"],
        stdout=subprocess.PIPE,
        text=True,
    ) as server:
        assert server.stdout is not None
        pids = json.loads(server.stdout.readline())
        if ending == "killed":
            server.send_signal(signal.SIGKILL)
        server.wait(timeout=300)
    assert len(set(pids)) == 2
    for pid in set(pids):
        wait_until(lambda pid=pid: running_in_group(pid) == [], f"group {pid} to end")


ESCAPING_SERVER = """
import sys
from mockls.sandbox import SandboxPool, SandboxOptions
pool = SandboxPool(sys.argv[1], options=SandboxOptions(size=1, deadline=120, start_deadline=120))
print(pool.resolve("escapes"), flush=True)
sys.stdin.read()
"""


def test_what_user_code_started_outside_the_group_dies_with_a_killed_server(
    tmp_path: Path,
) -> None:
    escapes = tmp_path / "escapes.pids"
    with subprocess.Popen(
        [sys.executable, "-c", ESCAPING_SERVER, str(FAULTS)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "ESCAPES_FILE": str(escapes)},
    ) as server:
        assert server.stdout is not None
        assert "RuntimeObject" in server.stdout.readline()
        pids = [int(pid) for pid in escapes.read_text().split()]
        assert all(process_state(pid) not in (None, "Z") for pid in pids)
        assert all(group_of(pid) != group_of(server.pid) for pid in pids)
        server.send_signal(signal.SIGKILL)
        server.wait(timeout=300)
    for pid in pids:
        wait_until(lambda pid=pid: process_state(pid) in (None, "Z"), f"process {pid} to end")


@pytest.mark.skipif(
    os.geteuid() != 0 or not (PIDS_HIERARCHY / "cgroup.procs").is_file(),
    reason="pids cgroups are made only by a root server on cgroup v1",
)
def test_the_cgroup_of_a_dead_server_is_reclaimed_with_what_runs_in_it() -> None:
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait(timeout=60)
    stale = PIDS_HIERARCHY / f"mockls-{gone.pid}-1"
    stale.mkdir()
    with subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"]) as left:
        (stale / "cgroup.procs").write_text(str(left.pid))
        made = PidsCgroup.create(8)
        assert made is not None
        made.remove()
        assert left.wait(timeout=60) == -signal.SIGKILL
    assert not stale.exists()
