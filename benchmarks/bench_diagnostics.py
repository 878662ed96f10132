"""How fast mockls turns a test file into diagnostics, measured against ``ast.parse`` (the floor).

For generated test modules of about 100, 1,000 and 10,000 lines (see ``generate.py``) it
measures:

- ``ast.parse`` of the text, in process: the floor every other number is a ratio to;
- ``mockls.linter.lint_source``, in process: the work of ``mockls check`` per file;
- ``python -m mockls check FILE --format json`` as a subprocess, end to end (interpreter start
  and imports included), next to a subprocess that only runs ``ast.parse`` on the file;
- the time from sending ``textDocument/didOpen`` (and then a ``didChange``) to receiving
  ``textDocument/publishDiagnostics`` for that version through the real server process
  (``python -m mockls`` over stdio), raw: nothing is subtracted, so the server's debounce is
  part of the number (none on open; ``CHANGE_DELAY`` after a change);
- the server's peak resident memory (``VmHWM`` from ``/proc``, after every file was opened).

It prints tables and writes the numbers as JSON to ``benchmarks/results/``. Run it with
``make bench`` or ``.venv/bin/python benchmarks/bench_diagnostics.py --help``.
"""

from __future__ import annotations

import argparse
import ast
import asyncio
import contextlib
import json
import logging
import math
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from generate import generate_test_module  # the script's own directory is on sys.path

RESULTS_DIR = Path(__file__).resolve().parent / "results"
BUDGET_SECONDS = 0.100
"""Diagnostics for a 1,000-line file within this long after the debounce on open."""
BUDGET_LINES = 1000
SERVER_TIMEOUT_SECONDS = 60.0


@dataclass
class Timing:
    """Repeated measurements of one thing, in seconds."""

    samples: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.samples) if self.samples else float("nan")

    @property
    def p90(self) -> float:
        """The 90th percentile (nearest rank) of the samples."""
        if not self.samples:
            return float("nan")
        ordered = sorted(self.samples)
        rank = max(0, -(-9 * len(ordered) // 10) - 1)
        return ordered[rank]

    def summary(self) -> dict[str, Any]:
        return {
            "median_s": self.median,
            "p90_s": self.p90,
            "min_s": min(self.samples, default=float("nan")),
            "runs": len(self.samples),
        }


@dataclass
class FileResult:
    """Everything measured for one generated file."""

    target_lines: int
    lines: int
    ast_parse: Timing = field(default_factory=Timing)
    lint_source: Timing = field(default_factory=Timing)
    lint_findings: int | None = None
    check_subprocess: Timing = field(default_factory=Timing)
    parse_subprocess: Timing = field(default_factory=Timing)
    check_findings: int | None = None
    did_open: Timing = field(default_factory=Timing)
    did_change: Timing = field(default_factory=Timing)
    server_diagnostics: int | None = None
    errors: list[str] = field(default_factory=list)


def time_calls(function: Callable[[], object], repeat: int) -> Timing:
    """Call ``function`` ``repeat`` times and record each call's wall time."""
    timing = Timing()
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        timing.samples.append(time.perf_counter() - start)
    return timing


def measure_in_process(result: FileResult, source: str, repeat: int) -> None:
    """``ast.parse`` and ``lint_source`` of the same text in this process."""
    result.ast_parse = time_calls(lambda: ast.parse(source), repeat)
    try:
        from mockls.config import Settings  # noqa: PLC0415  (the benchmark survives a broken tree)
        from mockls.linter import lint_source  # noqa: PLC0415
    except ImportError as error:
        result.errors.append(f"lint_source unavailable: {error}")
        return
    settings = Settings()
    result.lint_findings = len(lint_source(source, "tests/test_generated.py", settings))
    result.lint_source = time_calls(
        lambda: lint_source(source, "tests/test_generated.py", settings), repeat
    )


def measure_subprocess(result: FileResult, path: Path, repeat: int) -> None:
    """``mockls check`` end to end, and a bare ``ast.parse`` subprocess as its floor."""
    check = [sys.executable, "-m", "mockls", "check", str(path), "--format", "json"]
    floor = [
        sys.executable,
        "-c",
        "import ast, sys; ast.parse(open(sys.argv[1]).read())",
        str(path),
    ]
    outputs: list[subprocess.CompletedProcess[str]] = []

    def run_check() -> None:
        outputs.append(subprocess.run(check, capture_output=True, text=True, check=False))

    result.check_subprocess = time_calls(run_check, repeat)
    result.parse_subprocess = time_calls(
        lambda: subprocess.run(floor, capture_output=True, check=True), repeat
    )
    last = outputs[-1]
    findings = count_json_findings(last.stdout)
    if last.returncode not in (0, 1) or findings is None:
        # 1 means "findings", but a crash exits 1 too: only JSON output counts as a run.
        result.errors.append(f"mockls check exited {last.returncode}: {last.stderr.strip()[-300:]}")
        result.check_subprocess = Timing()
        return
    result.check_findings = findings


def count_json_findings(output: str) -> int | None:
    """The number of findings in ``mockls check --format json`` output, if it can tell."""
    try:
        data = json.loads(output)
    except json.JSONDecodeError:
        return None
    if isinstance(data, dict):
        data = data.get("findings", data.get("diagnostics"))
    return len(data) if isinstance(data, list) else None


class ServerSession:
    """The real server over stdio, driven by pygls's ``LanguageClient``."""

    def __init__(self) -> None:
        from lsprotocol import types  # noqa: PLC0415  (only needed when a server is measured)
        from pygls.lsp.client import LanguageClient  # noqa: PLC0415

        self.types = types
        self.client = LanguageClient("mockls-benchmark", "1")
        # uri -> (the document version awaited, the future its diagnostics resolve)
        self.waiting: dict[str, tuple[int, asyncio.Future[tuple[float, int]]]] = {}
        self.stderr_tail: list[str] = []

        def on_diagnostics(params: types.PublishDiagnosticsParams) -> None:
            arrived = time.perf_counter()
            version, future = self.waiting.get(params.uri, (None, None))
            if future is None or future.done():
                return
            if params.version is None or params.version == version:
                future.set_result((arrived, len(params.diagnostics)))

        # pygls's feature() is unannotated, so register without decorator syntax (and keep
        # a plain function: pygls sets attributes on what it registers).
        register = self.client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        register(on_diagnostics)

    async def start(
        self, root: Path, capabilities: Any = None, initialization_options: Any = None
    ) -> float:
        """Start the server on ``root`` (``capabilities``: lsprotocol's, none by default).

        Returns the seconds from launching the process until ``initialize`` was answered.
        """
        types = self.types
        launched = time.perf_counter()
        await self.client.start_io(sys.executable, "-m", "mockls")
        self._drain = asyncio.create_task(self._drain_stderr())
        await self.client.initialize_async(
            types.InitializeParams(
                capabilities=capabilities or types.ClientCapabilities(),
                process_id=os.getpid(),
                root_uri=root.as_uri(),
                workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name=root.name)],
                initialization_options=initialization_options,
            )
        )
        initialized = time.perf_counter() - launched
        self.client.initialized(types.InitializedParams())
        return initialized

    async def _drain_stderr(self) -> None:
        """Read the server's log so that a full pipe never blocks it; keep the end for errors."""
        process = self.client._server  # pygls keeps the process here
        if process is None or process.stderr is None:
            return
        while line := await process.stderr.readline():
            self.stderr_tail = [*self.stderr_tail[-20:], line.decode(errors="replace")]

    @property
    def pid(self) -> int | None:
        process = self.client._server
        return None if process is None else process.pid

    def peak_rss_mib(self) -> float | None:
        """The server's peak resident memory so far, in MiB (``None``: not known)."""
        pid = self.pid
        peak = peak_rss_kib(pid) if pid is not None else None
        return None if peak is None else peak / 1024

    async def _wait(
        self,
        uri: str,
        version: int,
        send: Callable[[], None],
        timeout: float = SERVER_TIMEOUT_SECONDS,
    ) -> tuple[float, int]:
        """Call ``send``; the seconds until diagnostics for ``version`` arrive, and how many."""
        future: asyncio.Future[tuple[float, int]] = asyncio.get_running_loop().create_future()
        self.waiting[uri] = (version, future)
        start = time.perf_counter()
        send()
        try:
            arrived, count = await asyncio.wait_for(future, timeout)
        finally:
            del self.waiting[uri]
        return arrived - start, count

    def open(self, path: Path, text: str) -> Callable[[], None]:
        types = self.types
        item = types.TextDocumentItem(uri=path.as_uri(), language_id="python", version=1, text=text)
        return lambda: self.client.text_document_did_open(
            types.DidOpenTextDocumentParams(text_document=item)
        )

    def change(self, path: Path, text: str, version: int) -> Callable[[], None]:
        """A whole-document change (valid under incremental sync too)."""
        types = self.types
        params = types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=path.as_uri(), version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
        return lambda: self.client.text_document_did_change(params)

    def close(self, path: Path) -> None:
        types = self.types
        self.client.text_document_did_close(
            types.DidCloseTextDocumentParams(
                text_document=types.TextDocumentIdentifier(uri=path.as_uri())
            )
        )

    async def open_and_wait(
        self, path: Path, text: str, timeout: float = SERVER_TIMEOUT_SECONDS
    ) -> tuple[float, int]:
        """Open ``path``: the seconds until its diagnostics arrive, and how many there are."""
        return await self._wait(path.as_uri(), 1, self.open(path, text), timeout)

    async def change_and_wait(self, path: Path, text: str, version: int) -> tuple[float, int]:
        """Replace the text of open ``path``: the seconds until the new diagnostics arrive."""
        return await self._wait(path.as_uri(), version, self.change(path, text, version))

    async def stop(self) -> None:
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self.client.shutdown_async(None), 10)
            self.client.exit(None)
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self.client.stop(), 10)  # type: ignore[no-untyped-call]
        process = self.client._server
        if process is not None and process.returncode is None:
            process.kill()
            await process.wait()


def peak_rss_kib(pid: int) -> int | None:
    """The peak resident set size of a live process, from ``/proc`` (Linux)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return None


async def measure_server(
    results: Sequence[FileResult], sources: Sequence[str], root: Path, repeats: Sequence[int]
) -> dict[str, Any]:
    """didOpen and didChange -> publishDiagnostics for every file; facts about the server."""
    facts: dict[str, Any] = {}
    # What a user does: open test files that exist in the workspace (so the server's scan has
    # indexed them). Files the scan never saw cost an extra parse each; the empty files and the
    # warm-up file below are such unsaved buffers.
    for result, source, repeat in zip(results, sources, repeats, strict=True):
        for run in range(repeat):
            tests = root / "tests"
            tests.mkdir(parents=True, exist_ok=True)
            (tests / f"test_{result.target_lines}_{run}.py").write_text(source, encoding="utf-8")
    session = ServerSession()
    try:
        await session.start(root)
        # The first open pays for imports and warm-up; it is reported, not mixed into the runs.
        warm_up = root / "tests" / "test_warm_up.py"
        facts["first_open_s"], _ = await session.open_and_wait(warm_up, sources[0])
        # A hover answers once the workspace scan has ended: measure after it, not during it.
        scan_started = time.perf_counter()
        await session.client.text_document_hover_async(
            session.types.HoverParams(
                text_document=session.types.TextDocumentIdentifier(uri=warm_up.as_uri()),
                position=session.types.Position(line=0, character=0),
            )
        )
        facts["scan_wait_s"] = time.perf_counter() - scan_started
        session.close(warm_up)
        empty = Timing()
        for run in range(max(repeats)):
            path = root / "tests" / f"test_empty_{run}.py"
            seconds, _ = await session.open_and_wait(path, "")
            session.close(path)
            empty.samples.append(seconds)
        facts["empty_file"] = empty.summary()
        for result, source, repeat in zip(results, sources, repeats, strict=True):
            # The edit a user makes: one more test method at the end of the file.
            edited = source + EXTRA_TEST
            for run in range(repeat):
                path = root / "tests" / f"test_{result.target_lines}_{run}.py"
                seconds, count = await session.open_and_wait(path, source)
                result.did_open.samples.append(seconds)
                result.server_diagnostics = count
                seconds, _ = await session.change_and_wait(path, edited, 2)
                result.did_change.samples.append(seconds)
                session.close(path)
                # At a person's pace: closing a changed file re-indexes it from disk; let that
                # finish before the next file opens rather than measure the two overlapping.
                await asyncio.sleep(PAUSE_BETWEEN_FILES_S)
        pid = session.pid
        facts["peak_rss_kib"] = None if pid is None else peak_rss_kib(pid)
    except Exception as error:  # report it, keep the other numbers
        facts["error"] = f"{type(error).__name__}: {error!r}"
        facts["server_log_tail"] = "".join(session.stderr_tail)
    finally:
        await session.stop()
    if facts.get("peak_rss_kib") is None and "error" not in facts:
        # No /proc: the largest child waited for so far, and the server is the only one yet.
        facts["peak_rss_kib_children"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return facts


PAUSE_BETWEEN_FILES_S = 0.5
"""Seconds between closing one file and opening the next in the server measurements."""

EXTRA_TEST = """
    def test_added_while_typing(self):
        mock_save = Mock()
        mock_save.assert_not_called()
"""

OPEN_DELAY_SECONDS = 0.0
"""The server lints a document as soon as it is opened (mockls.lsp.diagnostics: "opening,
saving and a settings change lint at once"); only edits wait for ``CHANGE_DELAY``."""


def server_debounce() -> dict[str, float | None]:
    """The server's debounce before linting, on open and after a change."""
    try:
        from mockls.lsp.diagnostics import CHANGE_DELAY  # noqa: PLC0415  (optional import)
    except ImportError:
        return {"open_s": None, "change_s": None}
    return {"open_s": OPEN_DELAY_SECONDS, "change_s": CHANGE_DELAY}


def ms(seconds: float | None) -> str:
    if seconds is None or math.isnan(seconds):
        return "-"
    return f"{seconds * 1000:.1f}"


def ratio(value: float, floor: float) -> str:
    if math.isnan(value) or math.isnan(floor) or floor <= 0:
        return "-"
    return f"{value / floor:.1f}x"


def per_second(lines: int, seconds: float) -> str:
    if math.isnan(seconds) or seconds <= 0:
        return "-"
    return f"{lines / seconds:,.0f}"


def print_table(title: str, header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    print(f"\n{title}")
    print("  ".join(cell.rjust(width) for cell, width in zip(header, widths, strict=True)))
    print("  ".join("-" * width for width in widths))
    for row in rows:
        print("  ".join(cell.rjust(width) for cell, width in zip(row, widths, strict=True)))


def report(results: Sequence[FileResult], server: dict[str, Any] | None) -> None:
    print_table(
        "In process: ast.parse (the floor) and mockls.linter.lint_source",
        ["lines", "ast.parse ms", "lint ms", "lint p90 ms", "lint lines/s", "x ast", "findings"],
        [
            [
                str(r.lines),
                ms(r.ast_parse.median),
                ms(r.lint_source.median),
                ms(r.lint_source.p90),
                per_second(r.lines, r.lint_source.median),
                ratio(r.lint_source.median, r.ast_parse.median),
                str(r.lint_findings if r.lint_findings is not None else "-"),
            ]
            for r in results
        ],
    )
    print_table(
        "Subprocess: `python -m mockls check FILE --format json`, end to end",
        ["lines", "check ms", "lines/s", "x ast", "ast.parse subprocess ms", "x that", "findings"],
        [
            [
                str(r.lines),
                ms(r.check_subprocess.median),
                per_second(r.lines, r.check_subprocess.median),
                ratio(r.check_subprocess.median, r.ast_parse.median),
                ms(r.parse_subprocess.median),
                ratio(r.check_subprocess.median, r.parse_subprocess.median),
                str(r.check_findings if r.check_findings is not None else "-"),
            ]
            for r in results
        ],
    )
    if server is None:
        return
    debounce = server.get("debounce", {})
    print_table(
        "Real server over stdio: didOpen / didChange -> publishDiagnostics, raw (with debounce)",
        [
            "lines",
            "open ms",
            "open p90",
            "x ast",
            "change ms",
            "change p90",
            "runs",
            "diags",
            "budget",
        ],
        [
            [
                str(r.lines),
                ms(r.did_open.median),
                ms(r.did_open.p90),
                ratio(r.did_open.median, r.ast_parse.median),
                ms(r.did_change.median),
                ms(r.did_change.p90),
                str(len(r.did_open.samples)),
                str(r.server_diagnostics if r.server_diagnostics is not None else "-"),
                budget_verdict(r, debounce.get("open_s")),
            ]
            for r in results
        ],
    )
    empty = server.get("empty_file", {})
    rss = server.get("peak_rss_kib") or server.get("peak_rss_kib_children")
    print(
        f"\nserver debounce: on open {ms(debounce.get('open_s'))} ms, after a change "
        f"{ms(debounce.get('change_s'))} ms (both included above). Empty file: "
        f"{ms(empty.get('median_s'))} ms median. First open (cold): "
        f"{ms(server.get('first_open_s'))} ms, then {ms(server.get('scan_wait_s'))} ms until the "
        "workspace scan ended. Peak RSS: "
        f"{f'{rss / 1024:.1f} MiB' if rss else 'unknown'}."
    )
    if "error" in server:
        print(f"server error: {server['error']}\n{server.get('server_log_tail', '')}")


def budget_verdict(result: FileResult, debounce: float | None) -> str:
    """Whether the 1,000-line file met the budget: diagnostics within 100 ms after the debounce."""
    if result.target_lines != BUDGET_LINES or not result.did_open.samples:
        return ""
    allowed = BUDGET_SECONDS + (debounce or 0.0)
    verdict = "ok" if result.did_open.p90 <= allowed else "OVER"
    return f"{verdict}: p90 <= {allowed * 1000:.0f} ms"


def write_results(data: dict[str, Any], directory: Path, kind: str) -> Path:
    """Write ``data`` as ``<kind>-<time>.json`` and ``<kind>-latest.json``; the first's path."""
    directory.mkdir(parents=True, exist_ok=True)
    stamped = directory / f"{kind}-{time.strftime('%Y%m%d-%H%M%S')}.json"
    for path in (stamped, directory / f"{kind}-latest.json"):
        path.write_text(json.dumps(data, indent=2) + "\n")
    return stamped


def machine() -> dict[str, Any]:
    """The facts about this machine that every benchmark's results carry."""
    return {
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "executable": sys.executable,
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument(
        "--repeat", type=int, default=None, help="runs per measurement (default: by size)"
    )
    parser.add_argument("--no-server", action="store_true", help="skip the language server")
    parser.add_argument("--no-subprocess", action="store_true", help="skip `mockls check` runs")
    parser.add_argument("--output", type=Path, default=RESULTS_DIR, help="directory for JSON")
    options = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)  # pygls warns about notifications we ignore

    sources = [generate_test_module(size) for size in options.sizes]
    results = [
        FileResult(target_lines=size, lines=source.count("\n"))
        for size, source in zip(options.sizes, sources, strict=True)
    ]
    # Fewer runs for big files keeps the whole benchmark near a minute on two cores.
    repeats = [options.repeat or (30 if size <= 1000 else 10) for size in options.sizes]
    subprocess_repeats = [options.repeat or 5 for _ in options.sizes]

    server: dict[str, Any] | None = None
    with tempfile.TemporaryDirectory(prefix="mockls-bench-") as workspace:
        root = Path(workspace)
        (root / "tests").mkdir()
        paths = [root / "tests" / f"test_generated_{size}.py" for size in options.sizes]
        for result, source, path, repeat in zip(results, sources, paths, repeats, strict=True):
            path.write_text(source)
            measure_in_process(result, source, repeat)
        # The server runs before any other child process, so that RUSAGE_CHILDREN is its own.
        if not options.no_server:
            server = asyncio.run(measure_server(results, sources, root, repeats))
            server["debounce"] = server_debounce()
        if not options.no_subprocess:
            for result, path, runs in zip(results, paths, subprocess_repeats, strict=True):
                measure_subprocess(result, path, runs)

    report(results, server)
    options.output.mkdir(parents=True, exist_ok=True)
    data = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": machine(),
        "budget": {"lines": BUDGET_LINES, "seconds_after_debounce": BUDGET_SECONDS},
        "server": server,
        "files": [
            {
                **{key: value for key, value in asdict(r).items() if not isinstance(value, dict)},
                **{
                    name: getattr(r, name).summary()
                    for name in (
                        "ast_parse",
                        "lint_source",
                        "check_subprocess",
                        "parse_subprocess",
                        "did_open",
                        "did_change",
                    )
                },
            }
            for r in results
        ],
    }
    print(f"\nwrote {write_results(data, options.output, 'diagnostics')}")
    errors = [error for r in results for error in r.errors]
    for error in errors:
        print(f"error: {error}", file=sys.stderr)
    return 1 if errors or (server is not None and "error" in server) else 0


if __name__ == "__main__":
    sys.exit(main())
