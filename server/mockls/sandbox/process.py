"""One sandbox worker process: starting it, one request at a time under a deadline, killing it.

A worker runs ``python -I worker.py ...`` from the pool's private directory, in a new
session (its own process group) and a fresh temporary working directory. The server writes
requests to its stdin and reads replies from its stdout, which the worker moves away from
user code before running any; its stderr (user output, faulthandler reports) is drained into
a short tail that faults quote. Waiting for a reply never outlasts the deadline: the pipes
are read with ``select``. Killing a worker kills its whole process group and reaps it.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import logging
import os
import select
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import mockls
from mockls.sandbox import worker
from mockls.sandbox.process_cap import PidsCgroup
from mockls.sandbox.protocol import FaultKind, Reply, SandboxFault
from mockls.sandbox.worker import PROTOCOL, ErrorKind

log = logging.getLogger(__name__)

__all__ = ["WorkerCommand", "WorkerProcess", "install_worker_files"]

OLDEST_PYTHON = (3, 9)
"""The oldest interpreter the worker supports."""

LINE_LIMIT = 64 << 20
"""The longest reply line (bytes) accepted from a worker."""

STDERR_TAIL = 8192
"""How much of the end of a worker's stderr is kept for fault reports (bytes)."""

WORKER_SCRIPT = "mockls_worker.py"
LIBRARY = "lib"


RUNTIME_FILES = (
    "__init__.py",
    "dataclass_slots.py",
    "findings.py",
    "spans.py",
    "syntax/__init__.py",
    "syntax/lines.py",
    "runtime",
)
"""What of ``mockls`` the workers get (paths in the package): ``mockls.runtime``, the plugin
of ``pytest --mockls`` that ``run_tests`` runs, and the modules it imports (standard library
only, and importable on CPython 3.9 as the worker is: see :mod:`mockls.dataclass_slots`), so
that the user's interpreter needs no mockls installed."""


def install_worker_files(directory: Path) -> None:
    """Fill the pool's private ``directory``: the worker script, and ``lib/`` holding only a
    copy of the ``mockengine`` package and of :data:`RUNTIME_FILES` (the only directory of
    them on the workers' ``sys.path``)."""
    spec = importlib.util.find_spec("mockengine")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("the mockengine package is not installed next to mockls")
    library = directory / LIBRARY
    compiled = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(spec.submodule_search_locations[0], library / "mockengine", ignore=compiled)
    package = Path(mockls.__file__).parent
    for name in RUNTIME_FILES:
        source, copy = package / name, library / "mockls" / name
        if source.is_dir():
            shutil.copytree(source, copy, ignore=compiled)
        else:
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, copy)
    shutil.copyfile(worker.__file__, directory / WORKER_SCRIPT)


@dataclass(frozen=True, slots=True)
class WorkerCommand:
    """How the pool starts its workers."""

    interpreter: str
    directory: Path
    """The private directory :func:`install_worker_files` filled."""
    roots: tuple[Path, ...]
    """The workspace's source roots, put first on the worker's ``sys.path``."""
    memory_limit: int
    """The worker's ``RLIMIT_AS``, in bytes."""
    environment: Mapping[str, str]
    process_cap: int
    """The processes and threads a worker and its descendants may add (see :mod:`.process_cap`)."""

    def argv(self, cgroup: PidsCgroup | None = None) -> list[str]:
        """``-I``: no ``PYTHON*`` variables, no user site-packages, no script directory on
        ``sys.path``; the worker sets ``sys.path`` up itself. ``cgroup``: the one it joins."""
        argv = [
            self.interpreter,
            "-I",
            str(self.directory / WORKER_SCRIPT),
            "--library",
            str(self.directory / LIBRARY),
            "--memory-limit",
            str(self.memory_limit),
            "--process-cap",
            str(self.process_cap),
        ]
        if cgroup is not None:
            argv += ["--cgroup", str(cgroup.path)]
        for root in self.roots:
            argv += ["--root", str(root)]
        return argv


class WorkerProcess:
    """A started worker. Not thread-safe: the pool hands it to one caller at a time.

    Raises :class:`OSError` when the interpreter cannot be started at all; every later
    problem is a :class:`SandboxFault` returned by :meth:`request`.
    """

    def __init__(self, command: WorkerCommand) -> None:
        self.command = command
        self.served = 0
        """Requests answered so far."""
        self.imported: dict[str, str | None] = {}
        """Every workspace file the worker has imported, with its digest at the time."""
        self.retire_reason: str | None = None
        """Why this worker must not be used again (set by the worker or by a fault)."""
        self._ready = False
        self._next_id = 0
        self._buffer = b""
        self._stderr = bytearray()
        self._stderr_lock = threading.Lock()
        self._killed = False
        self._kill_lock = threading.Lock()
        self.cwd = tempfile.mkdtemp(prefix="mockls-worker-")
        self.cgroup = PidsCgroup.create(command.process_cap)
        """The worker's ``pids`` cgroup, when the server runs as root and can make one."""
        try:
            self.process = subprocess.Popen(
                command.argv(self.cgroup),
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                cwd=self.cwd,
                env=dict(command.environment),
                start_new_session=True,
                bufsize=0,
            )
        except OSError:
            shutil.rmtree(self.cwd, ignore_errors=True)
            if self.cgroup is not None:
                self.cgroup.remove()
            raise
        # all three are pipes: asked for above
        assert self.process.stdin is not None
        assert self.process.stdout is not None
        assert self.process.stderr is not None
        self._stdin = self.process.stdin.fileno()
        self._stdout = self.process.stdout.fileno()
        os.set_blocking(self._stdin, False)
        self._drain = threading.Thread(
            target=self._drain_stderr,
            args=(self.process.stderr.fileno(),),
            name=f"mockls-sandbox-stderr-{self.pid}",
            daemon=True,
        )
        self._drain.start()

    @property
    def pid(self) -> int:
        """The worker's process id, which is also its process group id."""
        return self.process.pid

    @property
    def alive(self) -> bool:
        return not self._killed

    def wait_ready(self, timeout: float) -> SandboxFault | None:
        """Wait (once) for the worker's hello; a fault when it does not come or is wrong."""
        if self._ready:
            return None
        interpreter = self.command.interpreter
        message = self._receive(time.monotonic() + timeout, "its first message", timeout)
        if isinstance(message, SandboxFault):
            if message.kind is FaultKind.TIMEOUT:
                text = f"a sandbox worker started with {interpreter} did not start within"
                return SandboxFault(FaultKind.NOT_STARTED, f"{text} {timeout:g} s", message.detail)
            return SandboxFault(
                FaultKind.NOT_STARTED,
                f"cannot start a sandbox worker with {interpreter} (it needs CPython 3.9 or"
                f" newer): {_last_line(message.detail) or message.message}",
                message.detail,
            )
        problem = _hello_problem(message.get("hello"))
        if problem is not None:
            self.kill()
            return SandboxFault(
                FaultKind.NOT_STARTED,
                f"cannot start a sandbox worker with {self.command.interpreter}: {problem}",
            )
        self._ready = True
        return None

    def request(
        self, method: str, params: Mapping[str, Any], timeout: float
    ) -> Reply | SandboxFault:
        """Send one request and wait at most ``timeout`` seconds for its reply.

        On a fault the worker has been killed (``alive`` is false).
        """
        what = f"{method} {json.dumps(params)[:120]}"
        deadline = time.monotonic() + timeout
        self._next_id += 1
        line = json.dumps({"id": self._next_id, "method": method, "params": params}) + "\n"
        fault = self._send(line.encode("utf-8"), deadline, what, timeout)
        if fault is not None:
            return fault
        message = self._receive(deadline, what, timeout)
        if isinstance(message, SandboxFault):
            return message
        if message.get("id") != self._next_id:
            return self._fault(
                FaultKind.PROTOCOL, f"the sandbox worker answered another request than {what}"
            )
        self.served += 1
        return self._reply(message, what)

    def interrupt(self) -> None:
        """Kill the worker's process group, from any thread; the thread using the worker
        then sees it die and calls :meth:`kill` to reap it."""
        if self.cgroup is not None:  # also what left the process group
            self.cgroup.kill()
        if self.process.returncode is not None:  # reaped: the group id may not be ours now
            return
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.pid, signal.SIGKILL)

    def kill(self) -> None:
        """Kill the worker's process group, reap the worker, remove its working directory."""
        with self._kill_lock:
            if self._killed:
                return
            self._killed = True
        self.interrupt()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:  # stuck in the kernel; the kill still lands later
            log.warning("sandbox worker %d did not end after SIGKILL", self.pid)
        self._drain.join(timeout=1)  # its stderr closes with the group: collect the last words
        streams = [self.process.stdin, self.process.stdout]
        if not self._drain.is_alive():  # else a process that left the group still holds it
            streams.append(self.process.stderr)
        for stream in streams:
            if stream is not None:
                stream.close()
        shutil.rmtree(self.cwd, ignore_errors=True)
        if self.cgroup is not None:
            self.cgroup.remove()

    def stderr_tail(self) -> str:
        with self._stderr_lock:
            return self._stderr.decode("utf-8", "replace")

    # -- the wire ---------------------------------------------------------------------

    def _reply(self, message: dict[str, Any], what: str) -> Reply | SandboxFault:
        imported = message.get("imported")
        notes = message.get("notes")
        retire = message.get("retire")
        if (
            not isinstance(imported, dict)
            or not isinstance(notes, list)
            or not all(isinstance(note, str) for note in notes)
            or not (retire is None or isinstance(retire, str))
        ):
            return self._fault(
                FaultKind.PROTOCOL, f"the sandbox worker sent a malformed reply to {what}"
            )
        self.imported.update(imported)
        if retire is not None:
            self.retire_reason = retire
        error = message.get("error")
        if isinstance(error, dict):
            kind = error.get("kind")
            text = f"{error.get('message')} (while answering {what})"
            if kind == ErrorKind.OUT_OF_MEMORY.value:
                self.kill()
                return SandboxFault(FaultKind.OUT_OF_MEMORY, text + "; the worker was replaced")
            return SandboxFault(
                FaultKind.REJECTED, f"the sandbox worker refused {what}: {error.get('message')}"
            )
        result = message.get("result")
        if not isinstance(result, dict):
            return self._fault(FaultKind.PROTOCOL, f"the sandbox worker sent no result for {what}")
        return Reply(result, dict(self.imported), tuple(notes))

    def _send(self, data: bytes, deadline: float, what: str, timeout: float) -> SandboxFault | None:
        while data:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return self._timed_out(what, timeout)
            try:
                _, writable, _ = select.select([], [self._stdin], [], remaining)
                if writable:
                    data = data[os.write(self._stdin, data) :]
            except BlockingIOError:
                continue
            except (OSError, ValueError):  # the worker is gone (broken pipe, closed by a kill)
                return self._died(what)
        return None

    def _receive(
        self, deadline: float, what: str, timeout: float | None = None
    ) -> dict[str, Any] | SandboxFault:
        """The next message; a fault (the worker killed) on timeout, death or garbage."""
        while b"\n" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return self._timed_out(what, timeout)
            try:
                readable, _, _ = select.select([self._stdout], [], [], remaining)
                chunk = os.read(self._stdout, 1 << 16) if readable else None
            except (OSError, ValueError):  # closed by a kill
                chunk = b""
            if chunk is None:
                continue
            if not chunk:
                return self._died(what)
            self._buffer += chunk
            if len(self._buffer) > LINE_LIMIT:
                return self._fault(
                    FaultKind.PROTOCOL, f"the sandbox worker sent an endless line for {what}"
                )
        line, _, self._buffer = self._buffer.partition(b"\n")
        try:
            message = json.loads(line)
        except ValueError:
            message = None
        if not isinstance(message, dict):
            return self._fault(
                FaultKind.PROTOCOL, f"the sandbox worker sent something that is not JSON for {what}"
            )
        return message

    # -- faults -----------------------------------------------------------------------

    def _timed_out(self, what: str, timeout: float | None) -> SandboxFault:
        limit = f"within {timeout:g} s " if timeout is not None else ""
        return self._fault(
            FaultKind.TIMEOUT, f"the sandbox worker did not answer {what} {limit}and was stopped"
        )

    def _died(self, what: str) -> SandboxFault:
        self.kill()
        status = self.process.returncode
        if status is not None and status < 0:
            how = f"was killed by {_signal_name(-status)}"
        elif status:
            how = f"exited with status {status}"
        else:
            how = "ended"
        return SandboxFault(
            FaultKind.CRASHED,
            f"the sandbox worker {how} while answering {what}",
            self.stderr_tail(),
        )

    def _fault(self, kind: FaultKind, message: str) -> SandboxFault:
        self.kill()
        return SandboxFault(kind, message, self.stderr_tail())

    def _drain_stderr(self, descriptor: int) -> None:
        while True:
            try:
                chunk = os.read(descriptor, 1 << 16)
            except OSError:
                return
            if not chunk:
                return
            with self._stderr_lock:
                self._stderr += chunk
                del self._stderr[:-STDERR_TAIL]


def _hello_problem(hello: object) -> str | None:
    """What is wrong with a worker's hello, or ``None``."""
    if not isinstance(hello, dict):
        return "it did not introduce itself"
    if hello.get("protocol") != PROTOCOL:
        return f"it speaks protocol {hello.get('protocol')!r}, not {PROTOCOL}"
    version = hello.get("python")
    if not isinstance(version, list) or tuple(version[:2]) < OLDEST_PYTHON:
        shown = ".".join(str(part) for part in version) if isinstance(version, list) else "?"
        return f"the sandbox needs Python 3.9 or newer, this is {shown}"
    return None


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[-1] if lines else ""
