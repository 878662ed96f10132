"""Real interpreters, real projects on disk, and a look at the processes the sandbox leaves.

The projects under ``projects/`` are user code for the workers (some of it crashes on
purpose): pytest never imports them.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from mockls.sandbox import Reply, SandboxOptions, SandboxPool
from scripts.engine_pythons import find_interpreter

collect_ignore_glob = ["projects/*"]

PROJECTS = Path(__file__).resolve().parent / "projects"

PATIENT = SandboxOptions(deadline=120.0, start_deadline=120.0)
"""Deadlines no request of a well-behaved module misses, even on a loaded two-core machine:
tests assert what happens, never how fast."""


def interpreter_for(version: str) -> str | None:
    """The newest CPython ``version`` (``"3.9"``) on this machine, if any (pyenv's, else PATH's)."""
    path = find_interpreter(version)
    return str(path) if path is not None else None


INTERPRETERS = [pytest.param(sys.executable, id="server")] + [
    pytest.param(path, id=version)
    for version in ("3.9", "3.13")
    if (path := interpreter_for(version)) is not None
]
"""The server's interpreter, and the oldest and newest supported ones when pyenv has them."""

SUPPORTED = [
    pytest.param(path, id=version)
    for version in ("3.9", "3.10", "3.11", "3.12", "3.13")
    if (path := interpreter_for(version)) is not None
]
"""Every CPython the sandbox supports that pyenv has: what runs code the workers bring along."""

TOO_OLD = [
    pytest.param(path, id=version)
    for version in ("2.7", "3.8")
    if (path := interpreter_for(version)) is not None
]
"""Interpreters older than the worker supports, when pyenv has them."""


OpenPool = Callable[..., SandboxPool]


@pytest.fixture(scope="module", params=INTERPRETERS)
def shapes_pool(request: pytest.FixtureRequest) -> Iterator[SandboxPool]:
    """A pool on the ``shapes`` project, once per interpreter and test module."""
    with SandboxPool(PROJECTS / "shapes", request.param, PATIENT) as pool:
        yield pool


def worker_pid(pool: SandboxPool) -> int:
    """The process id of the worker that answers a ``ping``."""
    reply = pool.call("ping", {})
    assert isinstance(reply, Reply), reply
    pid = reply.result["pid"]
    assert isinstance(pid, int)
    return pid


@pytest.fixture
def open_pool() -> Iterator[Callable[..., SandboxPool]]:
    """Open pools that are closed when the test ends: ``open_pool(root, python, **options)``."""
    pools: list[SandboxPool] = []

    def open_one(root: Path | None, python: str | None = None, **options: Any) -> SandboxPool:
        pool = SandboxPool(root, python, replace(PATIENT, **options))
        pools.append(pool)
        pool.start()
        return pool

    yield open_one
    for pool in pools:
        pool.close()


@pytest.fixture
def project_copy(tmp_path: Path) -> Callable[[str], Path]:
    """A copy of a project under ``projects/`` that a test may change."""

    def copy(name: str) -> Path:
        target = tmp_path / name
        shutil.copytree(PROJECTS / name, target)
        return target

    return copy


# -- processes ----------------------------------------------------------------------------


def process_state(pid: int) -> str | None:
    """The state letter of a process (``R``, ``S``, ``Z``...), ``None`` when there is none."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat.rpartition(")")[2].split()[0]


def group_of(pid: int) -> tuple[int, int] | None:
    """The process group and session of a process."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return None
    return int(fields[2]), int(fields[3])


def running_in_group(group: int) -> list[int]:
    """The processes of a process group that are still running (zombies are not)."""
    members = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            found = group_of(int(entry.name))
            if found is not None and found[0] == group and process_state(int(entry.name)) != "Z":
                members.append(int(entry.name))
    return members


def wait_until(condition: Callable[[], bool], what: str, ceiling: float = 120.0) -> None:
    """Wait for ``condition``; fail after ``ceiling`` seconds (a bound, not a measurement)."""
    end = time.monotonic() + ceiling
    while not condition():
        if time.monotonic() > end:
            pytest.fail(f"still waiting after {ceiling:g} s: {what}")
        time.sleep(0.05)


def run_python(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, check=False, timeout=300
    )
