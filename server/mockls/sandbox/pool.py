"""The sandbox worker pool: warm workers in the user's interpreter, behind a sync and an async API.

A :class:`SandboxPool` belongs to one workspace and interpreter (the ``python`` setting, else
the workspace's ``.venv``/``venv``, else the server's: :func:`mockls.layout.find_interpreter`).
It keeps ``size`` workers warm and gives each request to one idle worker. A worker is
replaced when it misses a deadline, dies, runs out of memory, or says it should not be used
again; it is recycled after ``max_requests`` requests, and before its next request once a
workspace file it imported has changed (:meth:`SandboxPool.notify_file_changed` makes that
immediate). Nothing raises: every call returns a result or a
:class:`~mockls.sandbox.protocol.SandboxFault`.

The sync methods block the calling thread (``mockls check``, the server's worker threads);
the ``*_async`` ones run them on the pool's threads and never block the event loop.
:meth:`SandboxPool.close` kills every worker; a worker whose server dies without closing the
pool sees its pipe close and kills its own process group.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import logging
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

from mockls.layout import find_interpreter
from mockls.layout import source_roots as layout_source_roots
from mockls.runtime.facts import RunFacts
from mockls.sandbox.cache import FileDigests, ResultCache
from mockls.sandbox.process import WorkerCommand, WorkerProcess, install_worker_files
from mockls.sandbox.protocol import (
    AppliedPatch,
    FaultKind,
    PatchOutcome,
    Reply,
    ResolveFailure,
    ResolveOutcome,
    RunOutcome,
    SandboxFault,
    SuiteRun,
    TestEnd,
    TestRun,
    parse_applied_patch,
    parse_resolve,
    parse_suite_run,
    parse_test_end,
    parse_test_run,
)

log = logging.getLogger(__name__)

__all__ = ["SandboxOptions", "SandboxPool"]

SUITE_RUN_LIMIT = 24 * 3600.0
"""Seconds a ``run_tests`` request may take in all: a safety net only; what stops a stuck run
is its :class:`_StallWatch` (each test, and collection, within ``test_deadline``)."""

_T = TypeVar("_T")
_Outcome = TypeVar("_Outcome")


@dataclass(frozen=True, slots=True)
class SandboxOptions:
    """How the pool runs user code; every field has a working default."""

    size: int = 2
    """Warm workers, which is also how many requests run at once."""

    deadline: float = 5.0
    """Seconds a worker has to answer a request before it is killed."""

    start_deadline: float = 30.0
    """Seconds a new worker has to introduce itself."""

    memory_limit: int = 1 << 30
    """A worker's address-space limit (``RLIMIT_AS``), in bytes."""

    process_cap: int = 128
    """Processes and threads a worker and what it starts may run besides those already
    running: more forks fail (``RLIMIT_NPROC``, or as root a ``pids`` cgroup)."""

    test_deadline: float = 60.0
    """Seconds a worker has to run one test (``run_test``) before it is killed; in a run of
    several (``run_tests``), each test and the collection."""

    max_requests: int = 200
    """Requests a worker answers before it is replaced by a fresh one."""

    environment: Mapping[str, str] | None = None
    """The workers' environment variables; ``None``: the server's."""


class SandboxPool:
    """Warm sandbox workers for one workspace. Thread-safe; use :meth:`close` (or ``with``).

    ``source_roots`` go on the workers' ``sys.path`` (default: what the workspace declares,
    :func:`mockls.layout.source_roots`); a project's pool takes its index's, so both agree.
    """

    def __init__(
        self,
        root: Path | None,
        python: str | None = None,
        options: SandboxOptions | None = None,
        source_roots: Sequence[Path] | None = None,
    ) -> None:
        self.root = Path(os.path.abspath(root)) if root is not None else None
        if source_roots is None and self.root is not None:
            source_roots = layout_source_roots(self.root)
        self._source_roots = tuple(source_roots or ())
        self.interpreter = find_interpreter(self.root, python)
        self.options = options or SandboxOptions()
        self._digests = FileDigests()
        self.cache = ResultCache(self._digests)
        self._condition = threading.Condition()
        self._idle: list[WorkerProcess] = []
        self._live: set[WorkerProcess] = set()
        self._lent: set[WorkerProcess] = set()
        """The workers a caller is using; only that caller may reap them."""
        self._busy = 0
        self._closed = False
        self._command: WorkerCommand | SandboxFault | None = None
        self._directory: Path | None = None
        self._executor = ThreadPoolExecutor(
            max_workers=self.options.size + 1, thread_name_prefix="mockls-sandbox"
        )

    # -- life -------------------------------------------------------------------------

    def start(self) -> None:
        """Start the warm workers without waiting for them; calls start the pool by themselves."""
        with self._condition:
            if self._closed or self._command is not None:
                return
            self._command = self._prepare()
        for _ in range(self.options.size):
            self._replace(None)

    def close(self) -> None:
        """Kill every worker (with its process group) and remove the private directory."""
        with self._condition:
            if self._closed:
                return
            self._closed = True
            lent, others = set(self._lent), self._live - self._lent
            self._idle.clear()
            self._live.clear()
            self._condition.notify_all()
        for worker in others:
            worker.kill()
        for worker in lent:  # their callers see them die now, and reap them
            worker.interrupt()
        self._executor.shutdown(wait=False, cancel_futures=True)
        if self._directory is not None:
            shutil.rmtree(self._directory, ignore_errors=True)

    async def close_async(self) -> None:
        """:meth:`close` off the event loop (it waits for killed workers to be reaped)."""
        await asyncio.to_thread(self.close)

    def __enter__(self) -> SandboxPool:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def notify_file_changed(self, path: str | Path) -> None:
        """A workspace file changed, appeared or was deleted: the workers that imported it
        are replaced and the cached answers that read it are dropped. Never blocks."""
        changed = os.path.abspath(path)
        self._digests.forget(changed)
        self.cache.file_changed(changed)
        with self._condition:
            stale = [worker for worker in self._idle if changed in worker.imported]
            for worker in stale:
                self._idle.remove(worker)
            for worker in self._lent:
                if changed in worker.imported:
                    worker.retire_reason = f"{changed} changed"
        for worker in stale:
            self._submit(self._replace, worker)

    # -- requests ---------------------------------------------------------------------

    def call(
        self,
        method: str,
        params: Mapping[str, Any],
        *,
        deadline: float | None = None,
        fresh: bool = False,
        watch: Callable[[WorkerProcess], object] | None = None,
    ) -> Reply | SandboxFault:
        """Send one request to a worker and wait for its reply (at most ``deadline`` seconds
        once a worker has it; the pool's deadline by default). ``fresh``: to a worker that
        has not answered anything yet (no user code imported). ``watch`` is given the worker
        before the request goes out (it may :meth:`~WorkerProcess.interrupt` it)."""
        try:
            outcome = self._call(method, params, deadline or self.options.deadline, fresh, watch)
        except Exception as error:  # a bug in mockls: the caller still gets an answer
            log.exception("sandbox: %s failed", method)
            outcome = SandboxFault(FaultKind.INTERNAL, f"the sandbox failed on {method}: {error}")
        if isinstance(outcome, SandboxFault):
            if self._closed:
                return _closed()
            log.info("sandbox: %s", outcome.message)
        return outcome

    def _call(
        self,
        method: str,
        params: Mapping[str, Any],
        deadline: float,
        fresh: bool,
        watch: Callable[[WorkerProcess], object] | None = None,
    ) -> Reply | SandboxFault:
        self.start()
        worker = self._acquire(fresh=fresh)
        if isinstance(worker, SandboxFault):
            return worker
        try:
            if watch is not None:
                watch(worker)
            return worker.request(method, params, deadline)
        finally:
            self._release(worker)

    async def call_async(
        self, method: str, params: Mapping[str, Any], *, deadline: float | None = None
    ) -> Reply | SandboxFault:
        """:meth:`call` on the pool's threads."""
        return await self._in_thread(lambda: self.call(method, params, deadline=deadline))

    def resolve(self, target: str, *, deadline: float | None = None) -> ResolveOutcome:
        """What ``target`` (a dotted name, as ``patch`` takes it) is at run time; cached by
        the target and the content of the workspace files its answer read."""
        return self._cached("resolve", {"target": target}, parse_resolve, deadline)

    async def resolve_async(self, target: str, *, deadline: float | None = None) -> ResolveOutcome:
        """:meth:`resolve` on the pool's threads."""
        return await self._in_thread(lambda: self.resolve(target, deadline=deadline))

    def apply_patch(
        self,
        target: str,
        lookup_sites: Sequence[tuple[str, str]] = (),
        *,
        deadline: float | None = None,
    ) -> PatchOutcome:
        """Start ``patch(target)`` (with mockengine) and see whether each ``(module,
        attribute)`` lookup site then holds the mock; cached like :meth:`resolve`."""
        params = {"target": target, "lookup_sites": [list(site) for site in lookup_sites]}
        return self._cached("apply_patch", params, parse_applied_patch, deadline)

    async def apply_patch_async(
        self,
        target: str,
        lookup_sites: Sequence[tuple[str, str]] = (),
        *,
        deadline: float | None = None,
    ) -> PatchOutcome:
        """:meth:`apply_patch` on the pool's threads."""
        return await self._in_thread(
            lambda: self.apply_patch(target, lookup_sites, deadline=deadline)
        )

    def autospec(self, target: str, *, deadline: float | None = None) -> ResolveOutcome:
        """What ``target`` is, with the signature of what ``create_autospec`` builds for it
        (``inspect.signature`` of the autospec); cached like :meth:`resolve`."""
        return self._cached("autospec", {"target": target}, parse_resolve, deadline)

    async def autospec_async(self, target: str, *, deadline: float | None = None) -> ResolveOutcome:
        """:meth:`autospec` on the pool's threads."""
        return await self._in_thread(lambda: self.autospec(target, deadline=deadline))

    def run_test(
        self, path: str | Path, name: str, module: str | None = None, source: str | None = None
    ) -> TestRun | SandboxFault:
        """Run the test ``name`` (``test_x`` or ``Class.test_x``) of the file at ``path`` (the
        module ``module``) in a worker that has run nothing else, with mockengine installed
        and instrumented; the worker is replaced afterwards. Never cached: a test's outcome
        may depend on anything.

        ``source`` is run as the test file instead of what it holds on disk: for a saved file
        with an edit of mockls's own applied (a refactoring run before and after), never for
        a text the user has not saved.
        """
        params: dict[str, Any] = {"path": os.path.abspath(path), "name": name, "module": module}
        if source is not None:
            params["source"] = source
        reply = self.call("run_test", params, deadline=self.options.test_deadline, fresh=True)
        return reply if isinstance(reply, SandboxFault) else parse_test_run(reply)

    async def run_test_async(
        self, path: str | Path, name: str, module: str | None = None, source: str | None = None
    ) -> TestRun | SandboxFault:
        """:meth:`run_test` on the pool's threads."""
        return await self._in_thread(lambda: self.run_test(path, name, module, source))

    def run_tests(self, root: str | Path, nodes: Sequence[str]) -> SuiteRun | SandboxFault:
        """Run pytest once over the tests ``nodes`` (node ids: ``path::Class::test_x``) with
        ``pytest --mockls``, rooted at ``root``, in a worker that has run nothing else (it is
        replaced afterwards). Never cached.

        A test that takes the worker down — it runs longer than ``test_deadline``, or the
        interpreter dies or runs out of memory outside of what pytest catches — ends with
        that fault; the tests after it run again in a fresh worker, past the ones that ended:
        no other test's outcome or facts are lost. A fault before any test started (the
        worker, or collection, failed) is the answer.
        """
        root = os.path.abspath(root)
        ended: list[TestEnd] = []
        facts = RunFacts()
        with tempfile.TemporaryDirectory(prefix="mockls-run-") as directory:
            for attempt in itertools.count():
                progress = Path(directory) / f"progress-{attempt}.jsonl"
                params = {
                    "root": root,
                    "nodes": list(nodes),
                    "deselect": [test.node for test in ended],
                    "progress": str(progress),
                }
                watchdog = _StallWatch(progress, self.options.test_deadline)
                reply = self.call(
                    "run_tests", params, deadline=SUITE_RUN_LIMIT, fresh=True, watch=watchdog.watch
                )
                watchdog.stop()
                if not isinstance(reply, SandboxFault):
                    run = parse_suite_run(root, reply)
                    if isinstance(run, SandboxFault):
                        return run
                    facts.merge(run.facts)
                    return SuiteRun(run.runner, root, (*ended, *run.tests), facts, run.message)
                running = _read_progress(progress, ended, facts)
                if running is None or running in {test.node for test in ended}:
                    # nothing was running: the worker or collection failed
                    if not ended:
                        return reply
                    return SuiteRun("pytest", root, tuple(ended), facts, reply.message)
                fault = reply
                if watchdog.stalled:
                    fault = SandboxFault(
                        FaultKind.TIMEOUT,
                        f"it did not end within {self.options.test_deadline:g} s and was stopped",
                        reply.detail,
                    )
                ended.append(TestEnd(running, RunOutcome.ERROR, fault.message, fault=fault))
        raise AssertionError("unreachable")  # itertools.count() never ends

    async def run_tests_async(
        self, root: str | Path, nodes: Sequence[str]
    ) -> SuiteRun | SandboxFault:
        """:meth:`run_tests` on the pool's threads."""
        return await self._in_thread(lambda: self.run_tests(root, nodes))

    def _cached(
        self,
        method: str,
        params: Mapping[str, Any],
        parse: Callable[[str, Reply], _Outcome | SandboxFault],
        deadline: float | None,
    ) -> _Outcome | SandboxFault:
        """A request about ``params["target"]``, answered from the cache when it can be."""
        target = params["target"]
        cached = self.cache.get(method, params)
        if cached is not None:
            return parse(target, cached)
        reply = self.call(method, params, deadline=deadline)
        if isinstance(reply, SandboxFault):
            return reply
        outcome = parse(target, reply)
        if not isinstance(outcome, SandboxFault):
            self.cache.put(method, params, reply, reports_missing=_reports_missing(outcome))
        return outcome

    # -- workers ----------------------------------------------------------------------

    def _prepare(self) -> WorkerCommand | SandboxFault:
        """The private directory and the command every worker starts with."""
        if not hasattr(os, "killpg"):
            return SandboxFault(FaultKind.NOT_STARTED, "the sandbox runs on Linux and macOS only")
        try:
            self._directory = Path(tempfile.mkdtemp(prefix="mockls-sandbox-"))
            install_worker_files(self._directory)
        except OSError as error:
            return SandboxFault(
                FaultKind.NOT_STARTED, f"cannot prepare the sandbox directory: {error}"
            )
        environment = self.options.environment
        return WorkerCommand(
            self.interpreter,
            self._directory,
            self._source_roots,
            self.options.memory_limit,
            dict(os.environ if environment is None else environment),
            self.options.process_cap,
        )

    def _spawn(self, *, lend: bool = False) -> WorkerProcess | SandboxFault:
        """A new worker (not waited for), lent to the caller when ``lend``."""
        command = self._command
        if not isinstance(command, WorkerCommand):
            return command if isinstance(command, SandboxFault) else _closed()
        try:
            worker = WorkerProcess(command)
        except OSError as error:
            return SandboxFault(
                FaultKind.NOT_STARTED,
                f"cannot start a sandbox worker with {self.interpreter}: {error.strerror or error}",
            )
        with self._condition:
            if not self._closed:
                self._live.add(worker)
                if lend:
                    self._lent.add(worker)
                return worker
        worker.kill()
        return _closed()

    def _replace(self, worker: WorkerProcess | None, *, free_slot: bool = False) -> None:
        """Kill ``worker`` (if any) and park a fresh one, unless the pool has its ``size``
        without it (``worker`` was started for one request); ``free_slot``: the caller's too."""
        if worker is not None:
            self._discard(worker)
        with self._condition:
            enough = len(self._live) >= self.options.size
        if enough:
            if free_slot:
                self._free_slot()
            return
        fresh = self._spawn()
        if isinstance(fresh, WorkerProcess):
            self._park(fresh, free_slot=free_slot)
            return
        if fresh.kind is not FaultKind.CLOSED:
            log.warning("sandbox: %s", fresh.message)
        if free_slot:
            self._free_slot()

    def _park(self, worker: WorkerProcess, *, free_slot: bool = False) -> None:
        """Make ``worker`` idle, unless the pool is closed or already has enough workers (two
        callers may have started one each); ``free_slot``: its caller is done."""
        with self._condition:
            if free_slot:
                self._busy -= 1
            keep = not self._closed and len(self._live) <= self.options.size
            if keep:
                self._idle.append(worker)
            else:
                self._live.discard(worker)
            self._condition.notify()
        if not keep:
            worker.kill()

    def _discard(self, worker: WorkerProcess) -> None:
        with self._condition:
            self._live.discard(worker)
            self._lent.discard(worker)
        worker.kill()

    def _acquire(self, *, fresh: bool = False) -> WorkerProcess | SandboxFault:
        """An idle, current, started worker, waiting for one to be free; or why there is none.
        ``fresh``: one that has not served a request (a new one when no idle one is).

        The worker is lent to the caller from the moment it leaves the idle list: from then
        on only the caller may reap it (:meth:`close` only kills its process group).
        """
        with self._condition:
            while not self._closed and self._busy >= self.options.size:
                self._condition.wait()
            if self._closed:
                return _closed()
            if isinstance(self._command, SandboxFault):
                return self._command
            self._busy += 1
            unused = [idle for idle in self._idle if not fresh or idle.served == 0]
            worker = unused[0] if unused else None
            if worker is not None:
                self._idle.remove(worker)
                self._lent.add(worker)
        found: WorkerProcess | SandboxFault | None = worker
        try:
            if worker is not None and not self._current(worker):
                self._discard(worker)
                found = None
            if found is None:
                found = self._spawn(lend=True)
            if isinstance(found, SandboxFault):
                fault: SandboxFault | None = found
            else:
                fault = found.wait_ready(self.options.start_deadline)
        except BaseException:
            self._give_up(found)
            raise
        if fault is not None:
            self._give_up(found)
            return fault
        assert isinstance(found, WorkerProcess)  # no fault: a started worker
        return found

    def _give_up(self, found: WorkerProcess | SandboxFault | None) -> None:
        """Undo an :meth:`_acquire` that found no usable worker."""
        if isinstance(found, WorkerProcess):
            self._discard(found)
        self._free_slot()

    def _release(self, worker: WorkerProcess) -> None:
        """Give ``worker`` back, or replace it when it should not serve again."""
        with self._condition:
            self._lent.discard(worker)
        if self._current(worker):
            self._park(worker, free_slot=True)
            return
        if worker.retire_reason:
            log.info("sandbox: replacing worker %d: %s", worker.pid, worker.retire_reason)
        self._replace(worker, free_slot=True)

    def _current(self, worker: WorkerProcess) -> bool:
        """Whether ``worker`` may serve another request."""
        return (
            worker.alive
            and worker.retire_reason is None
            and worker.served < self.options.max_requests
            and self._digests.unchanged(worker.imported)
        )

    def _free_slot(self) -> None:
        with self._condition:
            self._busy -= 1
            self._condition.notify()

    # -- threads ----------------------------------------------------------------------

    def _submit(self, function: Callable[..., object], *args: Any) -> None:
        with contextlib.suppress(RuntimeError):  # closed meanwhile: close() killed everything
            self._executor.submit(function, *args)

    async def _in_thread(self, function: Callable[[], _T]) -> _T | SandboxFault:
        try:
            future = self._executor.submit(function)
        except RuntimeError:
            return _closed()
        return await asyncio.wrap_future(future)


class _StallWatch:
    """Kills a ``run_tests`` worker whose progress file has said nothing for ``limit``
    seconds: a test (or collection) is stuck past the deadline."""

    POLL = 0.2
    """Seconds between looks at the progress file."""

    def __init__(self, progress: Path, limit: float) -> None:
        self.progress = progress
        self.limit = limit
        self.stalled = False
        self._done = threading.Event()

    def watch(self, worker: WorkerProcess) -> None:
        started = time.time()

        def look() -> None:
            while not self._done.wait(self.POLL):
                try:
                    last = max(started, self.progress.stat().st_mtime)
                except OSError:  # nothing written yet
                    last = started
                if time.time() - last > self.limit:
                    self.stalled = True
                    worker.interrupt()
                    return

        threading.Thread(target=look, name="mockls-sandbox-watch", daemon=True).start()

    def stop(self) -> None:
        self._done.set()


def _read_progress(progress: Path, ended: list[TestEnd], facts: RunFacts) -> str | None:
    """Add the tests the progress file says ended (and their facts) to ``ended`` and
    ``facts``; the node id of the test that started and did not end, if one did."""
    running: str | None = None
    try:
        lines = progress.read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    for line in lines:
        try:
            event = json.loads(line)
            if event.get("started"):
                running = str(event["node"])
                continue
            test = parse_test_end(event)
        except (ValueError, KeyError, TypeError, AttributeError):  # a line cut by the kill
            continue
        ended.append(test)
        recorded = RunFacts.from_json(event.get("facts"))
        if recorded is not None:
            facts.merge(recorded)
        running = None
    return running


def _reports_missing(outcome: object) -> bool:
    """Whether an answer says something could not be found (a new file may change it)."""
    if isinstance(outcome, ResolveFailure):
        return True
    if isinstance(outcome, AppliedPatch):
        return any(site.sees_mock is None for site in outcome.sites)
    return False


def _closed() -> SandboxFault:
    return SandboxFault(FaultKind.CLOSED, "the sandbox was shut down")
