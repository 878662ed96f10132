"""The sandbox worker: answers the server's requests inside the user's interpreter.

Runs on CPython 3.9-3.13 and imports only the standard library, and ``mockengine`` (from
the private library directory) for the requests that patch. The pool starts it as
``python -I worker.py --library DIR --memory-limit BYTES --process-cap N [--cgroup DIR]
[--root DIR]...`` in its own session and a temporary working directory. Before any user
code runs it:

- moves the protocol pipes (the server gave them as fd 0 and fd 1) to private descriptors,
  points fd 0 at ``/dev/null`` and fd 1 at stderr, and replaces ``sys.stdin`` (reading it
  raises, as under pytest's capture) and ``sys.stdout`` (writes go to stderr), so user code
  cannot read or corrupt the protocol;
- caps its address space (``RLIMIT_AS``) and the processes it may start (it joins the
  ``pids`` cgroup the server made, else sets ``RLIMIT_NPROC``), puts the library directory
  and the workspace's source roots first on ``sys.path``, and writes no bytecode (the
  workspace stays as it was; the caches already there are still read);
- becomes a *child subreaper* (Linux ``prctl``), so that what user code starts and abandons
  (a daemon that called ``setsid`` and lost its parent) is re-parented to the worker, not
  to init;
- reads requests on a thread that is also its lifeline: when the server closes the pipe
  (it shut the pool down, or died, even by ``kill -9``), the worker kills its whole process
  group and every process descended from it, those that left the group included.

Wire format, one JSON object per line. The worker first sends
``{"hello": {"protocol", "python", "executable", "pid", "methods"}}``; then for each request
``{"id", "method", "params"}`` exactly one reply ``{"id", "result" | "error", "imported",
"notes", "retire"}``: ``imported`` maps each workspace file imported while answering (or
found for an import that then raised) to its content digest, ``notes`` are sentences about
what user code did (wrote to stdout, read stdin), ``retire`` (or ``null``) says why the
worker should not be used again. A new request is a new entry in :data:`HANDLERS`; the
envelope does not change.

The server imports this module for the wire vocabulary (:data:`PROTOCOL`, the enums,
:func:`file_digest`); importing it runs nothing.
"""

from __future__ import annotations

import argparse
import contextlib
import enum
import functools
import hashlib
import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import inspect
import io
import json
import os
import queue
import signal
import sys
import threading
import types
from collections.abc import Callable, Iterator, Sequence
from typing import Any

PROTOCOL = 1
"""The version of the wire format; the pool refuses a worker that speaks another."""

MESSAGE_LIMIT = 200
"""The longest message (characters) a failure carries."""


class ObjectKind(enum.Enum):
    """What a resolved target is at run time."""

    MODULE = "module"
    CLASS = "class"
    FUNCTION = "function"
    METHOD = "method"  # anything callable found on a class: instance, class, static, builtin
    PROPERTY = "property"  # property and functools.cached_property
    OTHER = "other"


class FailureReason(enum.Enum):
    """Why a target did not resolve."""

    MODULE_NOT_FOUND = "module-not-found"  # the first segment is no importable module
    IMPORT_ERROR = "import-error"  # importing a module of the target raised
    ATTRIBUTE_ERROR = "attribute-error"  # no such attribute (nor submodule)
    LOOKUP_ERROR = "lookup-error"  # getting the attribute raised something else


class RunOutcome(enum.Enum):
    """How a test run ended."""

    PASSED = "passed"
    FAILED = "failed"  # an assertion failed
    ERROR = "error"  # it raised, or its setup or teardown failed
    SKIPPED = "skipped"
    NOT_FOUND = "not-found"  # no such test (or its module cannot be imported)
    UNAVAILABLE = "unavailable"  # nothing here can run it (pytest is not installed)


class ErrorKind(enum.Enum):
    """Why the worker answered a request with an error instead of a result."""

    UNKNOWN_METHOD = "unknown-method"
    BAD_REQUEST = "bad-request"
    OUT_OF_MEMORY = "out-of-memory"  # user code hit the address-space limit
    INTERNAL = "internal"  # a bug in the worker


class BadRequest(Exception):
    """The request's parameters are not what its handler takes."""


Handler = Callable[[dict[str, Any]], dict[str, Any]]


def file_digest(path: str) -> str | None:
    """The SHA-256 of a file's bytes, hex; ``None`` when it cannot be read."""
    try:
        with open(path, "rb") as stream:
            return hashlib.sha256(stream.read()).hexdigest()
    except OSError:
        return None


# -- requests -------------------------------------------------------------------------------


def ping(params: dict[str, Any]) -> dict[str, Any]:
    """Where the worker runs: interpreter, process, working directory, ``sys.path``."""
    return {
        "python": ".".join(str(part) for part in sys.version_info[:3]),
        "executable": sys.executable,
        "pid": os.getpid(),
        "cwd": os.getcwd(),
        "sys_path": list(sys.path),
    }


def resolve(params: dict[str, Any]) -> dict[str, Any]:
    """Import the longest importable module prefix of ``params["target"]``, then get the rest
    as attributes; say what the target is, or which segment failed and why."""
    found = _find(_target(params))
    if isinstance(found, dict):
        return found
    value, container = found
    return {"found": True, "kind": _kind(value, container).value, "signature": _signature(value)}


def apply_patch(params: dict[str, Any]) -> dict[str, Any]:
    """Start ``mockengine.patch(params["target"])`` and say, for each ``[module, attribute]``
    of ``params["lookup_sites"]``, whether ``getattr(module, attribute)`` is then the mock.

    The lookup sites' modules are imported before the patch starts, as a test module imports
    the code under test before its patches start (a module imported during the patch would
    bind the mock itself). A target that does not resolve is answered like ``resolve``.
    """
    target = _target(params)
    sites = params.get("lookup_sites", [])
    if not isinstance(sites, list) or not all(
        isinstance(site, list) and len(site) == 2 and all(isinstance(part, str) for part in site)
        for site in sites
    ):
        raise BadRequest("apply_patch needs 'lookup_sites' as a list of [module, attribute]")
    found = _find(target)
    if isinstance(found, dict):
        return found
    modules: dict[str, object] = {}
    problems: dict[str, str] = {}
    for module_name, _ in sites:
        try:
            modules[module_name] = importlib.import_module(module_name)
        except MemoryError:
            raise
        except BaseException as error:
            problems[module_name] = _one_line(error)
    import mockengine  # noqa: PLC0415 (only the requests that patch pay for importing it)

    try:
        patcher = mockengine.patch(target)
        mock = patcher.start()
    except MemoryError:
        raise
    except BaseException as error:
        return {"found": True, "started": False, "message": _one_line(error)}
    try:
        seen = [_sees(modules, problems, module, attribute, mock) for module, attribute in sites]
    finally:
        patcher.stop()
    return {"found": True, "started": True, "sites": seen}


def autospec(params: dict[str, Any]) -> dict[str, Any]:
    """What ``params["target"]`` is and the signature of what ``mockengine.create_autospec``
    builds for it (``None`` for a module, an object that is not callable, or one
    ``create_autospec`` refuses); or why the target did not resolve, as ``resolve`` says it."""
    found = _find(_target(params))
    if isinstance(found, dict):
        return found
    value, container = found
    kind = _kind(value, container)
    signature = None
    if kind is not ObjectKind.MODULE and callable(value):
        import mockengine  # noqa: PLC0415 (only the requests that patch pay for importing it)

        try:
            signature = _signature(mockengine.create_autospec(value))
        except MemoryError:
            raise
        except Exception:  # an object create_autospec refuses has no autospec signature
            signature = None
    return {"found": True, "kind": kind.value, "signature": signature}


def run_test(params: dict[str, Any]) -> dict[str, Any]:
    """Run one test with ``mockengine`` installed as ``unittest.mock`` and ``mock``, and say how
    it ended and what became of each patch started meanwhile.

    ``params``: ``path`` (the test file), ``name`` (``test_x`` or ``Class.test_x``) and
    ``module`` (its dotted name, for unittest); ``source``, when given, is the text to import
    for the test file instead of what it holds on disk (everything else, its conftest and
    package included, stays as it is). pytest runs it when the interpreter has pytest (its
    node id is ``path::Class::test_x``), else unittest does (test methods only). Each patch is
    reported with its target, how often its mock was called, whether its original ran while
    it was active, and where the original was called from. The worker is not used again
    afterwards: a test leaves state behind.
    """
    path, name, module = params.get("path"), params.get("name"), params.get("module")
    source = params.get("source")
    if not isinstance(path, str) or not isinstance(name, str):
        raise BadRequest("run_test needs a string 'path' and 'name'")
    if module is not None and not isinstance(module, str):
        raise BadRequest("run_test takes 'module' as a string")
    if source is not None and not isinstance(source, str):
        raise BadRequest("run_test takes 'source' as a string")
    import mockengine  # noqa: PLC0415 (only the requests that patch pay for importing it)
    import mockengine.instrumentation  # noqa: PLC0415

    mockengine.install()  # before the test module (and pytest-mock) import unittest.mock
    if source is not None:
        _SourceOverride(path, source).install()
    recording = _Recording(mockengine.instrumentation)
    runner, outcome, message = _run(path, name, module, recording)
    return {
        "runner": runner,
        "outcome": outcome.value,
        "message": message,
        "patches": recording.patches(),
    }


def run_tests(params: dict[str, Any]) -> dict[str, Any]:
    """Run pytest once over ``params["nodes"]`` (node ids, ``path::Class::test_x``) with
    ``pytest --mockls`` (``mockls.runtime``, from the private library directory): how each
    test ended, and the facts the run recorded (``RunFacts`` as JSON).

    ``params``: ``root`` (pytest's rootdir: the facts' paths are relative to it),
    ``deselect`` (node ids, relative to ``root``, an earlier run of the same selection already
    ended) and
    ``progress`` (a file the worker appends one JSON line to when a test starts, and one when
    it ended, with its outcome and the facts recorded since the last one): when the worker
    is killed (a test hung, crashed the interpreter, ran out of memory), the caller reads
    there which test was running and keeps what the others recorded.
    """
    nodes, deselect = params.get("nodes"), params.get("deselect", [])
    root, progress = params.get("root"), params.get("progress")
    if not isinstance(root, str) or not isinstance(progress, str):
        raise BadRequest("run_tests needs a string 'root' and 'progress'")
    if (
        not isinstance(nodes, list)
        or not isinstance(deselect, list)
        or not all(isinstance(node, str) for node in [*nodes, *deselect])
    ):
        raise BadRequest("run_tests takes 'nodes' and 'deselect' as lists of node ids")
    if importlib.util.find_spec("pytest") is None:
        return {
            "runner": "pytest",
            "message": "pytest is not installed in this interpreter",
            "tests": [],
            "facts": None,
        }
    import pytest  # noqa: PLC0415 (the user's; only when there is one)

    # pytest is given the files, and the plugin keeps the selected tests: a node id pytest
    # cannot find (its module does not import) would stop the whole run; a module that cannot
    # be collected leaves the others' tests to run
    files = list(dict.fromkeys(node.partition("::")[0] for node in nodes))
    arguments = [*files, "-q", f"--rootdir={root}", "--continue-on-collection-errors"]
    arguments += ["-p", "no:cacheprovider"]
    # mockls's plugin from the library directory, registered once: under its module name,
    # its entry point's name blocked (an interpreter that has mockls installed has one)
    arguments += ["-p", "no:mockls", "-p", "mockls.runtime.plugin", "--mockls"]
    if importlib.util.find_spec("xdist") is not None:
        arguments += ["-n", "0"]  # one process: this worker, under its limits
    tracker = _RunProgress(progress, _relative_nodes(nodes, root), frozenset(deselect))
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        # no cache directory, no bytecode (sys.dont_write_bytecode): the workspace stays as it is
        pytest.main(arguments, plugins=[tracker])
    problem = tracker.collect_errors[-1] if tracker.collect_errors else printed.getvalue()
    return {
        "runner": "pytest",
        "message": _last_line(problem) if tracker.collect_errors or not tracker.ended else "",
        "tests": tracker.ended,
        "facts": tracker.facts(),
    }


HANDLERS: dict[str, Handler] = {
    "ping": ping,
    "resolve": resolve,
    "apply_patch": apply_patch,
    "autospec": autospec,
    "run_test": run_test,
    "run_tests": run_tests,
}
"""The requests the worker answers, by method name."""

RETIRING = frozenset({"run_test", "run_tests"})
"""The requests after which the worker is not used again."""


class _SourceOverride(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Serves ``source`` as the module of the file at ``path``, whatever finds it (first on
    ``sys.meta_path``; put back there if pytest's assertion rewriter takes the place)."""

    def __init__(self, path: str, source: str) -> None:
        self.path = os.path.abspath(path)
        self.source = source

    def install(self) -> None:
        if sys.meta_path[:1] != [self]:
            with contextlib.suppress(ValueError):
                sys.meta_path.remove(self)
            sys.meta_path.insert(0, self)

    def find_spec(
        self, name: str, path: Sequence[str] | None, target: object = None
    ) -> importlib.machinery.ModuleSpec | None:
        found = importlib.machinery.PathFinder.find_spec(name, path)
        if found is None or found.origin is None or os.path.abspath(found.origin) != self.path:
            return None
        return importlib.util.spec_from_file_location(name, self.path, loader=self)

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> None:
        return None  # the default module

    def exec_module(self, module: types.ModuleType) -> None:
        exec(compile(self.source, self.path, "exec", dont_inherit=True), module.__dict__)


class _Recording:
    """Records the patches started while a test runs (set up, called, torn down), not those
    its runner started before (pytest-mock wraps the engine's assertion methods for the
    whole session), with where each original was called from."""

    def __init__(self, instrumentation: Any) -> None:
        self._recorder = instrumentation.Recorder(trace_originals=True)

    @contextlib.contextmanager
    def around_test(self) -> Iterator[None]:
        with self._recorder:
            yield

    def patches(self) -> list[dict[str, Any]]:
        return [
            {
                "kind": usage.patch.kind,
                "target": usage.patch.target,
                "module": usage.patch.module,
                "attribute": usage.patch.attribute,
                "call_count": usage.call_count,
                "original_called": usage.original_called,
                "callers": [list(site) for site in usage.original_callers],
            }
            for usage in self._recorder.patches
        ]


def _run(
    path: str, name: str, module: str | None, recording: _Recording
) -> tuple[str, RunOutcome, str]:
    """Run the test with pytest or unittest: which, how it ended, and what it said."""
    if importlib.util.find_spec("pytest") is not None:
        return ("pytest", *_run_with_pytest(path, name, recording))
    if module is None or "." not in name:
        return "unittest", RunOutcome.UNAVAILABLE, "pytest is not installed in this interpreter"
    return ("unittest", *_run_with_unittest(f"{module}.{name}", recording))


def _run_with_pytest(path: str, name: str, recording: _Recording) -> tuple[RunOutcome, str]:
    import pytest  # noqa: PLC0415 (the user's; only when there is one)

    class RecordingPlugin:  # a class instance: pytest keeps plugins in sets, they must hash
        @pytest.hookimpl(trylast=True)
        def pytest_configure(self, config: Any) -> None:
            # pytest's assertion rewriter goes first on sys.meta_path: a source override, if
            # any, must go before it
            for finder in list(sys.meta_path):
                if isinstance(finder, _SourceOverride):
                    finder.install()

        @pytest.hookimpl(hookwrapper=True)
        def pytest_runtest_protocol(self, item: Any, nextitem: Any) -> Iterator[None]:
            with recording.around_test():
                yield

    reports = _PytestReports()
    printed = io.StringIO()
    node = "::".join([path, *name.split(".")])
    with contextlib.redirect_stdout(printed):
        # no cache directory, no bytecode (sys.dont_write_bytecode): the workspace stays as it is
        pytest.main([node, "-q", "-p", "no:cacheprovider"], plugins=[reports, RecordingPlugin()])
    return reports.outcome(printed.getvalue())


class _PytestReports:
    """A pytest plugin that keeps how each phase of the test ended."""

    def __init__(self) -> None:
        self.phases: list[Any] = []
        self.collect_errors: list[str] = []

    def pytest_collectreport(self, report: Any) -> None:
        if report.failed:
            self.collect_errors.append(str(report.longrepr))

    def pytest_runtest_logreport(self, report: Any) -> None:
        self.phases.append(report)

    def outcome(self, printed: str) -> tuple[RunOutcome, str]:
        ended = self.judged(self.phases)
        if ended is not None:
            return ended
        problem = self.collect_errors[-1] if self.collect_errors else printed
        return RunOutcome.NOT_FOUND, _last_line(problem)

    @staticmethod
    def judged(phases: Sequence[Any]) -> tuple[RunOutcome, str] | None:
        """How a test whose phases (setup, call, teardown) reported ``phases`` ended;
        ``None`` when they do not say (it did not run)."""
        for report in phases:
            if report.failed:
                # an assertion in the test itself fails it; anything else is an error
                failed = report.when == "call" and _crash(report).startswith("AssertionError")
                return RunOutcome.FAILED if failed else RunOutcome.ERROR, _crash(report)
        for report in phases:
            if report.skipped:
                return RunOutcome.SKIPPED, _crash(report).removeprefix("Skipped: ")
        if any(report.when == "call" and report.passed for report in phases):
            return RunOutcome.PASSED, ""
        return None


class _RunProgress(_PytestReports):
    """A pytest plugin for ``run_tests``: how each test ended, written as it happens to the
    progress file with the facts ``pytest --mockls`` recorded meanwhile."""

    def __init__(self, progress: str, selected: frozenset[str], done: frozenset[str]) -> None:
        super().__init__()
        self.progress = progress
        self.selected = selected
        self.done = done
        self.pid = os.getpid()
        self.ended: list[dict[str, Any]] = []
        self.checks: Any = None
        self._reported = 0
        self._forked = False
        os.register_at_fork(after_in_parent=self._note_fork)

    def _note_fork(self) -> None:
        self._forked = True

    def pytest_configure(self, config: Any) -> None:
        from mockls.runtime.plugin import PLUGIN_NAME  # noqa: PLC0415 (the library's copy)

        self.checks = config.pluginmanager.get_plugin(PLUGIN_NAME)

    def pytest_collection_modifyitems(self, config: Any, items: list[Any]) -> None:
        """Keep the selected tests (all of a module given as a file) not already done."""
        kept: list[Any] = []
        dropped: list[Any] = []
        for item in items:
            node = item.nodeid
            chosen = node.partition("[")[0] in self.selected or node.partition("::")[0] in (
                self.selected
            )
            (kept if chosen and node not in self.done else dropped).append(item)
        if dropped:
            config.hook.pytest_deselected(items=dropped)
            items[:] = kept

    def pytest_runtest_logstart(self, nodeid: str) -> None:
        self.phases = []
        self._forked = False
        self._write({"node": nodeid, "started": True})

    def pytest_runtest_logfinish(self, nodeid: str) -> None:
        outcome, message = self.judged(self.phases) or (RunOutcome.NOT_FOUND, "")
        notes = ["user code started processes (they end with the worker)"] if self._forked else []
        ended = {"node": nodeid, "outcome": outcome.value, "message": message, "notes": notes}
        self.ended.append(ended)
        self._write({**ended, "facts": self._new_facts()})

    def facts(self) -> Any:
        """The whole run's facts (after the session ended), as JSON."""
        return None if self.checks is None else self.checks.facts.to_json()

    def _new_facts(self) -> Any:
        """The facts recorded since the last test ended (with their files' digests)."""
        if self.checks is None:
            return None
        recorded = self.checks.recording.facts
        since = type(recorded)(patches=recorded.patches[self._reported :])
        self._reported = len(recorded.patches)
        root = self.checks.root
        for fact in since.patches:
            site = fact.site
            if site is not None and site.path not in since.digests:
                digest = file_digest(os.path.join(root, site.path))
                if digest is not None:
                    since.digests[site.path] = digest
        return since.to_json()

    def _write(self, event: dict[str, Any]) -> None:
        if os.getpid() != self.pid:  # a fork of user code carried on into pytest
            return
        with open(self.progress, "a", encoding="utf-8") as stream:
            stream.write(json.dumps(event) + "\n")


def _relative_nodes(nodes: Sequence[str], root: str) -> frozenset[str]:
    """``nodes`` (``/abs/path.py::Class::test``) as pytest names them under ``root``."""
    relative = set()
    for node in nodes:
        path, separator, name = node.partition("::")
        shown = os.path.relpath(os.path.abspath(path), root).replace(os.sep, "/")
        relative.add(shown + separator + name)
    return frozenset(relative)


def _crash(report: Any) -> str:
    """What a pytest report says went wrong, in one line."""
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:  # a skip: (path, line, reason)
        return _shortened(str(longrepr[2]))
    message = getattr(getattr(longrepr, "reprcrash", None), "message", None)
    if isinstance(message, str) and message.strip():
        return _shortened(message.strip().splitlines()[0])
    return _last_line(str(longrepr))


def _run_with_unittest(dotted: str, recording: _Recording) -> tuple[RunOutcome, str]:
    import unittest  # noqa: PLC0415

    loader = unittest.TestLoader()
    try:
        suite = loader.loadTestsFromName(dotted)
    except MemoryError:
        raise
    except BaseException as error:  # the module cannot be imported, or has no such test
        return RunOutcome.NOT_FOUND, _one_line(error)
    if loader.errors:  # what it could not load it made a failing test of
        return RunOutcome.NOT_FOUND, _last_line(str(loader.errors[-1]))
    result = unittest.TestResult()
    with recording.around_test():
        suite.run(result)
    if result.failures:
        return RunOutcome.FAILED, _last_line(result.failures[0][1])
    if result.errors:
        return RunOutcome.ERROR, _last_line(result.errors[0][1])
    if result.skipped:
        return RunOutcome.SKIPPED, result.skipped[0][1]
    if result.testsRun:
        return RunOutcome.PASSED, ""
    return RunOutcome.NOT_FOUND, f"no test named {dotted}"


def _failure(segment: int, reason: FailureReason, error: BaseException) -> dict[str, Any]:
    return {
        "found": False,
        "segment": segment,
        "reason": reason.value,
        "message": _one_line(error),
    }


def _target(params: dict[str, Any]) -> str:
    target = params.get("target")
    if not isinstance(target, str):
        raise BadRequest("the request needs a string 'target'")
    if not all(segment.isidentifier() for segment in target.split(".")):
        raise BadRequest(f"not a dotted name: {target!r}")
    return target


def _find(target: str) -> tuple[object, object] | dict[str, Any]:
    """The object ``target`` names and the object it was found on (``None`` for a module
    imported as such), or the failure ``resolve`` reports."""
    segments = target.split(".")
    current: object = None
    index = 0
    while index < len(segments) and (index == 0 or _is_package(current)):
        name = ".".join(segments[: index + 1])
        try:
            current = importlib.import_module(name)
        except ModuleNotFoundError as error:
            if error.name != name:  # the module exists; something it imports does not
                return _failure(index, FailureReason.IMPORT_ERROR, error)
            if index == 0:
                return _failure(index, FailureReason.MODULE_NOT_FOUND, error)
            break  # not a submodule: maybe an attribute of the package
        except MemoryError:
            raise
        except BaseException as error:  # user code may raise anything, SystemExit included
            return _failure(index, FailureReason.IMPORT_ERROR, error)
        index += 1
    container: object = None
    for position in range(index, len(segments)):
        container = current
        try:
            current = getattr(current, segments[position])
        except AttributeError as error:
            return _failure(position, FailureReason.ATTRIBUTE_ERROR, error)
        except MemoryError:
            raise
        except BaseException as error:
            return _failure(position, FailureReason.LOOKUP_ERROR, error)
    return current, container


def _sees(
    modules: dict[str, object], problems: dict[str, str], module: str, attribute: str, mock: object
) -> dict[str, Any]:
    """Whether ``module.attribute`` is ``mock`` (``None`` with a message when it cannot tell)."""
    site: dict[str, Any] = {"module": module, "attribute": attribute}
    if module in problems:
        return {**site, "sees_mock": None, "message": problems[module]}
    try:
        value = getattr(modules[module], attribute)
    except MemoryError:
        raise
    except BaseException as error:
        return {**site, "sees_mock": None, "message": _one_line(error)}
    return {**site, "sees_mock": value is mock, "message": None}


def _one_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return _shortened(f"{type(error).__name__}: {text[0]}" if text else type(error).__name__)


def _last_line(text: str) -> str:
    """The last non-empty line of a report (a traceback's ends with the exception)."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return _shortened(lines[-1] if lines else "")


def _shortened(message: str) -> str:
    if len(message) > MESSAGE_LIMIT:
        message = message[: MESSAGE_LIMIT - 3] + "..."
    return message


def _is_package(value: object) -> bool:
    """Whether ``value`` is a package, asked without running a module ``__getattr__``."""
    return inspect.ismodule(value) and "__path__" in vars(value)


def _kind(value: object, container: object) -> ObjectKind:
    if inspect.ismodule(value):
        return ObjectKind.MODULE
    if inspect.isclass(value):
        return ObjectKind.CLASS
    if isinstance(value, (property, functools.cached_property)):
        return ObjectKind.PROPERTY
    if inspect.ismethod(value) or (inspect.isclass(container) and inspect.isroutine(value)):
        return ObjectKind.METHOD
    if inspect.isroutine(value):
        return ObjectKind.FUNCTION
    return ObjectKind.OTHER


def _signature(value: object) -> str | None:
    if inspect.ismodule(value) or not callable(value):
        return None
    try:
        return str(inspect.signature(value))
    except MemoryError:
        raise
    except Exception:  # no signature (many builtins), or user code raising while asked
        return None


# -- the process ----------------------------------------------------------------------------


class _WatchedOutput(io.TextIOWrapper):
    """``sys.stdout`` for user code: writes reach stderr, and the worker notices them."""

    written = False

    def write(self, text: str, /) -> int:
        self.written = True
        return super().write(text)


class _RefusedInput(io.RawIOBase):
    """Under ``sys.stdin`` for user code: reading raises, as it does under pytest's capture."""

    read_attempted = False

    def readable(self) -> bool:
        return True

    def fileno(self) -> int:
        return 0  # /dev/null, for code that only asks whether stdin is a terminal

    def readinto(self, buffer: Any, /) -> int:
        self.read_attempted = True
        raise OSError("the mockls sandbox gives user code no standard input")


def _watched_stdout() -> _WatchedOutput:
    return _WatchedOutput(io.FileIO(1, "w", closefd=False), encoding="utf-8", line_buffering=True)


class _ImportRecorder:
    """On ``sys.meta_path`` just before the path finder: notes the file of every module the
    path finder will find, so that a module whose import raised (and so left no trace in
    ``sys.modules``) still counts as read. Finds nothing itself."""

    def __init__(self) -> None:
        self.found: set[str] = set()

    def find_spec(self, name: str, path: Sequence[str] | None, target: object = None) -> None:
        try:
            spec = importlib.machinery.PathFinder.find_spec(name, path)
        except Exception:  # the path finder, asked next, raises the same for the import
            return
        if spec is not None and spec.has_location and isinstance(spec.origin, str):
            self.found.add(spec.origin)

    def install(self) -> None:
        finders = sys.meta_path
        if importlib.machinery.PathFinder in finders:
            finders.insert(finders.index(importlib.machinery.PathFinder), self)
        else:
            finders.append(self)


class _Worker:
    """The request loop, with the stdio guards and the record of what user code imported."""

    def __init__(self, channel_out: int, roots: Sequence[str], library: str) -> None:
        self.channel_out = channel_out
        self.pid = os.getpid()
        self.roots = [os.path.join(os.path.abspath(root), "") for root in roots]
        self.outside = [
            os.path.join(os.path.abspath(prefix), "")
            for prefix in {sys.prefix, sys.exec_prefix, sys.base_prefix, library}
        ]
        self.stdout = _watched_stdout()
        self.input = _RefusedInput()
        self.stdin = io.TextIOWrapper(io.BufferedReader(self.input), encoding="utf-8")
        sys.stdout, sys.stdin = self.stdout, self.stdin
        self.imports = _ImportRecorder()
        self.imports.install()
        self.forked = False
        os.register_at_fork(after_in_parent=self._note_fork)

    def _note_fork(self) -> None:
        self.forked = True

    def send(self, message: dict[str, Any]) -> None:
        data = (json.dumps(message) + "\n").encode("utf-8")
        while data:
            data = data[os.write(self.channel_out, data) :]

    def answer(self, line: bytes) -> dict[str, Any]:
        before = set(sys.modules)
        self.imports.found.clear()
        self.stdout.written = self.input.read_attempted = self.forked = False
        _forget_directory_listings()
        reply: dict[str, Any] = {"id": None, "retire": None}
        try:
            request = _parse_request(line)
            reply["id"] = request.get("id")
            method = request.get("method")
            params = request.get("params")
            if method not in HANDLERS:
                reply["error"] = _error(ErrorKind.UNKNOWN_METHOD, f"no such request: {method!r}")
            elif not isinstance(params, dict):
                reply["error"] = _error(ErrorKind.BAD_REQUEST, "'params' must be an object")
            else:
                reply["result"] = HANDLERS[method](params)
                if method in RETIRING:
                    reply["retire"] = f"it answered {method} (user code left its state behind)"
        except BadRequest as error:
            reply["error"] = _error(ErrorKind.BAD_REQUEST, str(error))
        except MemoryError:
            limit = _address_space_limit()
            reply["error"] = _error(ErrorKind.OUT_OF_MEMORY, f"user code ran out of {limit}")
            reply["retire"] = f"it ran out of memory ({limit})"
        except BaseException as error:  # a bug here, or user code's SystemExit from a getter
            reply["error"] = _error(ErrorKind.INTERNAL, _one_line(error))
        if os.getpid() != self.pid:  # user code forked and this is the child: stay silent
            os._exit(0)
        self._restore_stdio()
        notes = []
        if self.stdout.written:
            notes.append("user code wrote to stdout (the sandbox sends it to stderr)")
        if self.input.read_attempted:
            notes.append("user code tried to read stdin (the sandbox gives it none)")
        if self.forked:
            notes.append("user code started processes (they end with the worker)")
        reply["notes"] = notes
        if notes and reply["retire"] is None:
            reply["retire"] = "user code used stdin or stdout, or started processes"
        reply["imported"] = self._workspace_files(set(sys.modules) - before)
        return reply

    def _restore_stdio(self) -> None:
        """Flush what user code printed and put the guards back if user code replaced them."""
        try:
            self.stdout.flush()
        except (OSError, ValueError):  # user code closed it: a fresh guard takes its place
            self.stdout = _watched_stdout()
            self.stdout.written = True
        sys.stdout, sys.stdin = self.stdout, self.stdin

    def _workspace_files(self, names: set[str]) -> dict[str, str | None]:
        """The workspace files of the modules ``names`` and of every module found since the
        request began (imported or not), with their digests."""
        paths = set(self.imports.found)
        for name in names:
            path = getattr(sys.modules.get(name), "__file__", None)
            if isinstance(path, str):
                paths.add(path)
        return {
            path: file_digest(path)
            for path in map(os.path.abspath, paths)
            if self._in_workspace(path)
        }

    def _in_workspace(self, path: str) -> bool:
        parts = path.split(os.sep)
        return (
            any(path.startswith(root) for root in self.roots)
            and not any(path.startswith(prefix) for prefix in self.outside)
            and "site-packages" not in parts
            and "dist-packages" not in parts
        )


def _parse_request(line: bytes) -> dict[str, Any]:
    try:
        request = json.loads(line)
    except ValueError as error:
        raise BadRequest(f"not JSON: {error}") from None
    if not isinstance(request, dict):
        raise BadRequest("a request must be a JSON object")
    return request


def _forget_directory_listings() -> None:
    """Make the path finders list directories again, so that a module created since the last
    request is found (``importlib.invalidate_caches`` would also import ``importlib.metadata``,
    a tenth of a second on 3.13)."""
    for finder in list(sys.path_importer_cache.values()):
        if finder is not None and hasattr(finder, "invalidate_caches"):
            finder.invalidate_caches()


def _error(kind: ErrorKind, message: str) -> dict[str, str]:
    return {"kind": kind.value, "message": message}


def _address_space_limit() -> str:
    import resource  # noqa: PLC0415 (POSIX only, like the worker; read only when needed)

    limit = resource.getrlimit(resource.RLIMIT_AS)[0]
    if limit == resource.RLIM_INFINITY:
        return "memory"
    return f"its {limit / (1 << 20):g} MiB address space"


def _parse_arguments(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="mockls-sandbox-worker")
    parser.add_argument("--library", required=True)
    parser.add_argument("--memory-limit", type=int, required=True)
    parser.add_argument("--process-cap", type=int, required=True)
    parser.add_argument("--cgroup")
    parser.add_argument("--root", action="append", default=[])
    return parser.parse_args(argv)


def _take_protocol_channel() -> tuple[int, int]:
    """Move the protocol pipes off fd 0 and fd 1; give user code /dev/null and stderr."""
    channel_in, channel_out = os.dup(0), os.dup(1)  # dup'ed descriptors are not inherited
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    os.dup2(2, 1)
    return channel_in, channel_out


def _limit_memory(limit: int) -> None:
    import resource  # noqa: PLC0415 (POSIX only, like the worker; read only when needed)

    try:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ValueError, OSError) as error:  # macOS refuses RLIMIT_AS: run, but say so
        sys.stderr.write(f"mockls sandbox: no memory limit ({error})\n")


def _cap_processes(cap: int, cgroup: str | None) -> None:
    """Let this process and its descendants run at most ``cap`` more tasks: join the pids
    cgroup the server made (as root), else set ``RLIMIT_NPROC`` (which root ignores)."""
    if cgroup is not None:
        try:
            with open(os.path.join(cgroup, "cgroup.procs"), "w") as procs:
                procs.write(str(os.getpid()))
        except OSError as error:
            sys.stderr.write(f"mockls sandbox: no process cap ({error})\n")
        return
    if os.geteuid() == 0:
        return
    import resource  # noqa: PLC0415 (POSIX only, like the worker; read only when needed)

    running = _tasks_of(os.getuid())
    if running is None:  # no /proc (macOS): the deadline and the group kill must do
        return
    limit = running + cap
    hard = resource.getrlimit(resource.RLIMIT_NPROC)[1]
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    try:
        resource.setrlimit(resource.RLIMIT_NPROC, (limit, hard))
    except (ValueError, OSError) as error:
        sys.stderr.write(f"mockls sandbox: no process cap ({error})\n")


def _tasks_of(uid: int) -> int | None:
    """How many tasks (processes and threads) the user ``uid`` runs, as RLIMIT_NPROC counts."""
    try:
        entries = os.listdir("/proc")
    except OSError:
        return None
    tasks = 0
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/status", encoding="ascii", errors="replace") as status:
                fields = dict(line.split(":", 1) for line in status if ":" in line)
        except OSError:  # ended meanwhile
            continue
        if int(fields.get("Uid", "-1").split()[0]) == uid:
            tasks += int(fields.get("Threads", "1").strip())
    return tasks


_PR_SET_CHILD_SUBREAPER = 36
"""``prctl`` option (Linux 3.4+): orphaned descendants are re-parented to this process."""


def _become_subreaper() -> None:
    """Adopt the orphans of user code, so that the lifeline can find and end them."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes  # noqa: PLC0415 (Linux only, like the option)

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_SET_CHILD_SUBREAPER) failed")
    except (OSError, AttributeError) as error:
        sys.stderr.write(f"mockls sandbox: orphans of user code go to init ({error})\n")


def _descendants(ancestor: int) -> list[int]:
    """The processes below ``ancestor`` now (read from ``/proc``; empty without it)."""
    children: dict[int, list[int]] = {}
    try:
        entries = os.listdir("/proc")
    except OSError:
        return []
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as stat:
                parent = int(stat.read().rpartition(")")[2].split()[1])
        except (OSError, IndexError, ValueError):  # ended meanwhile
            continue
        children.setdefault(parent, []).append(int(entry))
    found: list[int] = []
    pending = list(children.get(ancestor, ()))
    while pending:
        pid = pending.pop()
        found.append(pid)
        pending.extend(children.get(pid, ()))
    return found


def _end_everything() -> None:
    """Kill every descendant of the worker (those that left its group too), then its group,
    which ends the worker itself."""
    for _ in range(3):  # a process may fork while the others are being killed
        descendants = _descendants(os.getpid())
        if not descendants:
            break
        for pid in descendants:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
    if os.getpgrp() == os.getpid():  # our own group (the pool starts us in a new session)
        os.killpg(os.getpgrp(), signal.SIGKILL)


def _read_requests(channel_in: int, inbox: queue.Queue[bytes]) -> None:
    """Hand each request line to the main thread; when the server is gone, end everything
    the worker started."""
    with os.fdopen(channel_in, "rb") as stream:
        for line in stream:
            inbox.put(line)
    _end_everything()
    os._exit(0)


def main(argv: Sequence[str]) -> None:
    channel_in, channel_out = _take_protocol_channel()
    arguments = _parse_arguments(argv)
    import faulthandler  # noqa: PLC0415 (only the worker process wants it on)

    faulthandler.enable(sys.stderr, all_threads=True)
    _limit_memory(arguments.memory_limit)
    _cap_processes(arguments.process_cap, arguments.cgroup)
    _become_subreaper()
    sys.dont_write_bytecode = True
    sys.path[:0] = [arguments.library, *arguments.root]
    worker = _Worker(channel_out, arguments.root, arguments.library)
    inbox: queue.Queue[bytes] = queue.Queue()
    threading.Thread(
        target=_read_requests, args=(channel_in, inbox), name="mockls-lifeline", daemon=True
    ).start()
    worker.send(
        {
            "hello": {
                "protocol": PROTOCOL,
                "python": list(sys.version_info[:3]),
                "implementation": sys.implementation.name,
                "executable": sys.executable,
                "pid": worker.pid,
                "methods": sorted(HANDLERS),
            }
        }
    )
    while True:
        worker.send(worker.answer(inbox.get()))


if __name__ == "__main__":
    main(sys.argv[1:])
