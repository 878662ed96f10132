"""How mockls does on a real project: every test file of celery 5.5.3's suite, in the real server.

celery's sdist (``real_suites.py``: from PyPI, sha256-pinned, with its own venv, which the
server picks as the project's interpreter) is the workspace. The real server (``python -m
mockls`` over stdio, driven by pygls's ``LanguageClient``, the sandbox off: this measures the
static answers) is measured for:

- cold start, in fresh servers: ``initialize`` answered after launch, and the first
  diagnostics of a test file opened right after ``initialized``, counted from launch;
- every test file of ``t/`` (``test*.py`` and ``conftest.py``) opened one by one once the
  workspace scan has ended: ``didOpen`` -> ``publishDiagnostics`` (p50/p95/max; the first lint
  after the scan is among them), hover on each patch target string (p50/p95) and completion
  after the last dot in it (p95), then the file is closed;
- the server's peak resident memory once all of them were opened and closed;
- ``mockls check t/`` from the tree's root: wall time of a first run and of warm runs.

What jedi finds in the environment is kept on disk between runs (``MOCKLS_CACHE_DIR``); the
benchmark gives it empty directories of its own, so the cold starts, the first server session
and the first check start without it, and the next session and the warm checks use what the
first ones left: both sessions are reported.

Budgets (issue 12): diagnostics p95 <= 100 ms and max <= 500 ms, hover p95 <= 50 ms,
completion p95 <= 50 ms, peak memory <= 200 MiB, ``initialize`` <= 300 ms, first diagnostics
<= 1 s after launch, ``mockls check t/`` <= 8 s warm. It writes
``benchmarks/results/celery-latest.json`` and exits 1 when a budget is missed. Run it with
``.venv/bin/python benchmarks/bench_celery.py`` (``--help`` for the options); the first run
fetches the suite (a minute or two).
"""

from __future__ import annotations

import argparse
import ast
import asyncio
import math
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_diagnostics import ServerSession, count_json_findings, machine, write_results
from bench_navigation import completion, hover, summary, timed
from real_suites import fetch

RESULTS_DIR = Path(__file__).resolve().parent / "results"
SUITE = "celery"
COLD_START_FILE = "t/unit/tasks/test_tasks.py"
"""Opened right after launch: a large test module importing much of celery."""
INITIALIZATION_OPTIONS = {"mockls": {"sandbox": {"enabled": False}}}
"""The static answers are measured: the sandbox, which runs after them, stays off."""

CACHE_VARIABLE = "MOCKLS_CACHE_DIR"
SLOWEST_SHOWN = 10
"""The slowest files' diagnostics are listed in the results, for whoever looks next."""
SESSIONS = {
    "first_session": "first session (empty environment cache)",
    "next_session": "next session (the environment cache the first one left)",
}

BUDGETS = {
    "diagnostics_p95_ms": 100.0,
    "diagnostics_max_ms": 500.0,
    "hover_p95_ms": 50.0,
    "completion_p95_ms": 50.0,
    "peak_rss_mib": 200.0,
    "initialize_ms": 300.0,
    "first_diagnostics_after_launch_ms": 1000.0,
    "check_warm_s": 8.0,
}


@dataclass(frozen=True)
class PatchString:
    """A patch target string literal on one line: where hover and completion are asked."""

    line: int
    hover_column: int
    """Inside the last segment of the target."""
    completion_column: int
    """Just after the last dot: the attributes of what the target's head names."""


def test_files(tests: Path) -> list[Path]:
    """The files pytest reads in ``tests``: test modules and conftest files, in path order."""
    found = [*tests.rglob("test*.py"), *tests.rglob("conftest.py")]
    return sorted(path for path in found if path.is_file())


def patch_strings(text: str) -> list[PatchString]:
    """Each ``patch("a.b.c")`` / ``x.patch("a.b.c")`` target written on one line."""
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return []
    lines = text.splitlines()
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and node.args):
            continue
        function = node.func
        name = function.id if isinstance(function, ast.Name) else getattr(function, "attr", "")
        target = node.args[0]
        if name != "patch" or not isinstance(target, ast.Constant):
            continue
        value = target.value
        if not isinstance(value, str) or "." not in value or target.end_lineno != target.lineno:
            continue
        # ast's columns count UTF-8 bytes; LSP's (with the default client) count code points,
        # the same on these ASCII lines.
        line = lines[target.lineno - 1]
        start = len(line.encode()[: target.col_offset].decode()) + 1  # after the quote
        last_dot = value.rindex(".")
        found.append(
            PatchString(
                line=target.lineno - 1,
                hover_column=start + (last_dot + 1 + len(value)) // 2,
                completion_column=start + last_dot + 1,
            )
        )
    return sorted(found, key=lambda place: (place.line, place.hover_column))


async def cold_start(root: Path) -> dict[str, float]:
    """A fresh server: ``initialize`` answered, and a file's first diagnostics, from launch;
    and the server's CPU time at both (which a busy machine does not stretch)."""
    path = root / COLD_START_FILE
    text = path.read_text(encoding="utf-8")
    session = ServerSession()
    try:
        launched = time.perf_counter()
        initialize = await session.start(root, initialization_options=INITIALIZATION_OPTIONS)
        initialize_cpu = cpu_seconds(session.pid)
        await session.open_and_wait(path, text)
        return {
            "initialize_ms": initialize * 1000,
            "first_diagnostics_after_launch_ms": (time.perf_counter() - launched) * 1000,
            "initialize_cpu_ms": (initialize_cpu or math.nan) * 1000,
            "first_diagnostics_cpu_ms": (cpu_seconds(session.pid) or math.nan) * 1000,
        }
    finally:
        await session.stop()


async def open_every_file(root: Path, files: Sequence[Path]) -> dict[str, Any]:
    """Open, hover, complete and close each file in turn in one server; its peak memory."""
    session = ServerSession()
    types = session.types
    client = session.client
    opened: list[float] = []
    opened_cpu: list[float] = []
    hovers: list[float] = []
    completions: list[float] = []
    cards = items = findings = 0
    per_file: list[tuple[float, str]] = []
    results: dict[str, Any] = {}
    try:
        await session.start(root, initialization_options=INITIALIZATION_OPTIONS)
        # A hover answers once the workspace scan has ended: ask it on an empty buffer, so
        # that the first test file opened is the first lint after the scan.
        probe = root / "t" / "mockls_bench_probe.py"
        await session.open_and_wait(probe, "")
        scan_started = time.perf_counter()
        await client.text_document_hover_async(
            types.HoverParams(
                text_document=types.TextDocumentIdentifier(uri=probe.as_uri()),
                position=types.Position(line=0, character=0),
            )
        )
        results["scan_wait_s"] = time.perf_counter() - scan_started
        await session._wait(probe.as_uri(), -1, lambda: session.close(probe))
        for path in files:
            text = path.read_text(encoding="utf-8")
            seconds, cpu, count = await open_measured(session, path, text)
            opened.append(seconds)
            if cpu is not None:
                opened_cpu.append(cpu)
            findings += count
            per_file.append((seconds, str(path.relative_to(root))))
            uri = path.as_uri()
            for place in patch_strings(text):
                seconds, card = await timed(hover(client, uri), (place.line, place.hover_column))
                hovers.append(seconds)
                cards += card is not None
                seconds, answer = await timed(
                    completion(client, uri), (place.line, place.completion_column)
                )
                completions.append(seconds)
                items += bool(getattr(answer, "items", answer))
            # Closing publishes an empty list (no version): wait for it before the next file.
            await session._wait(path.as_uri(), -1, lambda path=path: session.close(path))
        results["peak_rss_mib"] = session.peak_rss_mib()
        results["server_cpu_s"] = cpu_seconds(session.pid)
    except Exception as error:  # report it, keep the other numbers
        results["error"] = f"{type(error).__name__}: {error!r}"
        results["server_log_tail"] = "".join(session.stderr_tail)
    finally:
        await session.stop()
    results["files"] = len(opened)
    results["diagnostics"] = {**summary(opened), "findings": findings}
    # The server's CPU time from didOpen to publish (clock ticks: 10 ms steps), which a busy
    # machine stretches far less than the wall time.
    results["diagnostics_cpu"] = summary(opened_cpu)
    results["first_lint_after_scan_ms"] = opened[0] * 1000 if opened else None
    slowest = sorted(per_file, reverse=True)[:SLOWEST_SHOWN]
    results["slowest_files"] = [{"path": path, "ms": seconds * 1000} for seconds, path in slowest]
    results["hover"] = {**summary(hovers), "with_card": cards}
    results["completion"] = {**summary(completions), "with_items": items}
    return results


async def open_measured(
    session: ServerSession, path: Path, text: str
) -> tuple[float, float | None, int]:
    """Open ``path``: the seconds until its diagnostics arrive, the server's CPU seconds
    meanwhile (``None``: unknown) and how many diagnostics there are."""
    before = cpu_seconds(session.pid)
    seconds, count = await session.open_and_wait(path, text)
    after = cpu_seconds(session.pid)
    cpu = None if before is None or after is None else after - before
    return seconds, cpu, count


def cpu_seconds(pid: int | None) -> float | None:
    """The CPU time a live process has used so far (Linux ``/proc``): what a busy machine
    does not change, unlike the wall time."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except (OSError, TypeError):
        return None
    user, system = int(fields[11]), int(fields[12])  # utime and stime, in clock ticks
    return (user + system) / os.sysconf("SC_CLK_TCK")


def check_runs(root: Path, runs: int) -> dict[str, Any]:
    """``mockls check t/ --format json`` from the tree's root: a first run with an empty
    environment cache, then warm runs. Also the processes' CPU time: on a shared machine
    the wall time says as much about the neighbours as about mockls."""
    command = [sys.executable, "-m", "mockls", "check", "t/", "--format", "json"]
    seconds = []
    cpu_seconds = []
    findings = None
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run(command, cwd=root, capture_output=True, text=True, check=False)
        seconds.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu_seconds.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        findings = count_json_findings(done.stdout)
        if done.returncode not in (0, 1) or findings is None:
            return {"error": f"mockls check exited {done.returncode}: {done.stderr[-300:]}"}
    return {
        "first_s": seconds[0],
        "warm_s": min(seconds[1:]) if runs > 1 else None,
        "runs_s": seconds,
        "cpu_s": cpu_seconds,
        "findings": findings,
    }


@contextmanager
def environment_cache(directory: Path) -> Iterator[None]:
    """mockls processes started meanwhile keep what jedi found in ``directory``."""
    previous = os.environ.get(CACHE_VARIABLE)
    os.environ[CACHE_VARIABLE] = str(directory)
    try:
        yield
    finally:
        if previous is None:
            del os.environ[CACHE_VARIABLE]
        else:
            os.environ[CACHE_VARIABLE] = previous


def measured(results: dict[str, Any], session: str) -> dict[str, float | None]:
    """The figures the budgets are about, by budget name, with the server ``session``."""
    cold = results.get("cold_start", {})
    server = results.get(session, {})
    return {
        "diagnostics_p95_ms": server.get("diagnostics", {}).get("p95_ms"),
        "diagnostics_max_ms": server.get("diagnostics", {}).get("max_ms"),
        "hover_p95_ms": server.get("hover", {}).get("p95_ms"),
        "completion_p95_ms": server.get("completion", {}).get("p95_ms"),
        "peak_rss_mib": server.get("peak_rss_mib"),
        "initialize_ms": cold.get("initialize_ms"),
        "first_diagnostics_after_launch_ms": cold.get("first_diagnostics_after_launch_ms"),
        "check_warm_s": results.get("check", {}).get("warm_s"),
    }


def report(results: dict[str, Any]) -> bool:
    """Print every figure next to its budget; whether all were measured and met."""
    met = True
    for session, title in SESSIONS.items():
        server = results[session]
        scan = server.get("scan_wait_s", 0.0)
        print(f"\ncelery {results['version']}, {title}: {server['files']} test files")
        print(
            f"scan {scan:.2f} s; first lint after it {server['first_lint_after_scan_ms']:.0f} ms;"
            " slowest: "
            + ", ".join(
                f"{file['path']} {file['ms']:.0f} ms" for file in server["slowest_files"][:3]
            )
        )
        if server.get("server_cpu_s") is not None:
            print(f"server CPU time over the session {server['server_cpu_s']:.1f} s")
        for name in ("diagnostics", "diagnostics_cpu", "hover", "completion"):
            numbers = server.get(name)
            if numbers is None:
                continue
            label = "  (CPU)" if name == "diagnostics_cpu" else name
            print(
                f"{label:12} n={numbers['count']:4d} p50 {numbers['p50_ms']:7.1f} ms"
                f"  p95 {numbers['p95_ms']:7.1f} ms  max {numbers['max_ms']:7.1f} ms"
            )
        print(f"{'budget':36} {'measured':>10} {'limit':>8}")
        for name, value in measured(results, session).items():
            limit = BUDGETS[name]
            ok = value is not None and value <= limit
            met &= ok
            shown = "-" if value is None else f"{value:.1f}"
            print(f"{name:36} {shown:>10} {limit:8.1f}  {'ok' if ok else 'OVER'}")
    cold = results["cold_start"]
    print(
        f"\ncold start, server CPU time: {cold['initialize_cpu_ms']:.0f} ms at `initialize`,"
        f" {cold['first_diagnostics_cpu_ms']:.0f} ms at the first diagnostics"
    )
    check = results["check"]
    if "cpu_s" in check:
        cpu = ", ".join(f"{seconds:.1f}" for seconds in check["cpu_s"])
        print(f"\nmockls check t/: first {check['first_s']:.1f} s, CPU seconds per run {cpu}")
    for part in (*SESSIONS, "check"):
        if "error" in results.get(part, {}):
            print(f"\n{part}: {results[part]['error']}\n{results[part].get('server_log_tail', '')}")
    return met


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--cold-starts", type=int, default=3, help="fresh servers to time")
    parser.add_argument("--check-runs", type=int, default=3, help="`mockls check` runs (1 cold)")
    parser.add_argument("--output", type=Path, default=RESULTS_DIR, help="directory for JSON")
    options = parser.parse_args(argv)
    suite = fetch(SUITE)
    files = test_files(suite.tests)
    results: dict[str, Any] = {"version": suite.suite.version}
    with tempfile.TemporaryDirectory(prefix="mockls-bench-celery-") as scratch:
        # Cold: each cold start, the first session and the first check begin with an empty
        # cache of the environment; the next session and the warm checks find it filled.
        starts = []
        for run in range(options.cold_starts):
            with environment_cache(Path(scratch) / f"start-{run}"):
                starts.append(asyncio.run(cold_start(suite.root)))
        results["cold_start"] = {
            key: statistics.median(start[key] for start in starts) for key in starts[0]
        } | {"runs": starts}
        with environment_cache(Path(scratch) / "server"):
            for session in SESSIONS:
                results[session] = asyncio.run(open_every_file(suite.root, files))
        with environment_cache(Path(scratch) / "check"):
            results["check"] = check_runs(suite.root, options.check_runs)
    results["budgets"] = BUDGETS
    results["machine"] = machine()
    met = report(results)
    write_results(results, options.output, "celery")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
