"""How fast the real server answers on patch targets in a large workspace.

On the generated 5,000-module workspace of ``bench_resolve.py`` plus a test module with 200
patch targets, the real server (``python -m mockls`` over stdio, driven by pygls's
``LanguageClient``) is measured for:

- the first answer: a hover sent right after ``initialized`` waits for the workspace scan;
- diagnostics of the 200-target module once the project is ready: ``didOpen`` ->
  ``publishDiagnostics`` (no debounce on open), first re-open and warm re-opens;
- hover on the target strings (p50/p95, a cold pass then warm passes);
- completion inside the target strings: a module name in a 100-module package, and the
  attributes of a module (p50/p95, warm);
- the server's peak resident memory.

Budgets (issue 3): hover p95 < 50 ms warm, completion p95 < 50 ms warm, diagnostics of the
200-target file < 300 ms warm, server memory < 400 MB. Run it with
``.venv/bin/python benchmarks/bench_navigation.py`` (``--help`` for the options).
"""

from __future__ import annotations

import argparse
import asyncio
import math
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_diagnostics import ServerSession, machine, write_results
from bench_resolve import module_name, workspace_targets, write_workspace

RESULTS_DIR = Path(__file__).resolve().parent / "results"
BUDGETS_MS = {"hover": 50.0, "completion": 50.0, "diagnostics": 300.0}
MEMORY_BUDGET_MIB = 400.0
TARGETS = 200

TEST_HEADER = '''\
"""Generated: one test module patching {count} targets of a large workspace."""

from unittest import mock

{imports}
'''

TEST_FUNCTION = """

@mock.patch("{target}")
def test_{n}(patched):
    assert patched is not None
"""


def two_hundred_targets(modules: int, seed: int = 7) -> str:
    """A test module with ``TARGETS`` patch targets, importing the modules it patches."""
    chooser = random.Random(seed)
    chosen = chooser.sample(range(1, modules), (TARGETS + 5) // 6)
    targets = [target for index in chosen for target in workspace_targets(index)[:6]][:TARGETS]
    imports = "\n".join(
        f"from {package} import {module}"
        for package, module in sorted({module_name(index) for index in chosen})
    )
    tests = "".join(
        TEST_FUNCTION.format(target=target, n=number) for number, target in enumerate(targets)
    )
    return TEST_HEADER.format(count=len(targets), imports=imports) + tests


def string_positions(text: str, cut: Callable[[str], int]) -> list[tuple[int, int]]:
    """A ``(line, column)`` inside each ``@mock.patch("...")`` target, at ``cut(target)``."""
    positions = []
    for number, line in enumerate(text.splitlines()):
        if line.startswith('@mock.patch("'):
            start = len('@mock.patch("')
            target = line[start : line.index('"', start)]
            positions.append((number, start + cut(target)))
    return positions


def summary(samples: Sequence[float]) -> dict[str, float]:
    """Count, p50, p95 and max of ``samples`` seconds, in milliseconds (NaN: no samples)."""
    if not samples:
        return {"count": 0, "p50_ms": math.nan, "p95_ms": math.nan, "max_ms": math.nan}
    ordered = sorted(samples)
    return {
        "count": len(samples),
        "p50_ms": statistics.median(samples) * 1000,
        "p95_ms": ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))] * 1000,
        "max_ms": ordered[-1] * 1000,
    }


async def timed(
    request: Callable[[int, int], Awaitable[object]], place: tuple[int, int]
) -> tuple[float, object]:
    start = time.perf_counter()
    answer = await request(*place)
    return time.perf_counter() - start, answer


def hover(client: Any, uri: str) -> Callable[[int, int], Awaitable[object]]:
    """Asks ``client``'s server for the hover at a (line, column) of ``uri``."""
    from lsprotocol import types  # noqa: PLC0415  (only needed when a server is measured)

    def ask(line: int, column: int) -> Awaitable[object]:
        return client.text_document_hover_async(
            types.HoverParams(
                text_document=types.TextDocumentIdentifier(uri=uri),
                position=types.Position(line=line, character=column),
            )
        )

    return ask


def completion(client: Any, uri: str) -> Callable[[int, int], Awaitable[object]]:
    """Asks ``client``'s server for the completions at a (line, column) of ``uri``."""
    from lsprotocol import types  # noqa: PLC0415  (only needed when a server is measured)

    def ask(line: int, column: int) -> Awaitable[object]:
        return client.text_document_completion_async(
            types.CompletionParams(
                text_document=types.TextDocumentIdentifier(uri=uri),
                position=types.Position(line=line, character=column),
            )
        )

    return ask


async def measure(root: Path, test_file: Path, text: str, repeat: int) -> dict[str, Any]:
    session = ServerSession()
    client = session.client
    uri = test_file.as_uri()
    results: dict[str, Any] = {}
    hover_at = hover(client, uri)
    completion_at = completion(client, uri)

    started = time.perf_counter()
    try:
        await session.start(root)
        opened, _ = await session.open_and_wait(test_file, text)
        results["first_open_ms"] = opened * 1000
        first_target = string_positions(text, lambda target: 2)[0]
        seconds, answer = await timed(hover_at, first_target)
        results["first_hover_ms"] = seconds * 1000
        results["ready_after_start_s"] = time.perf_counter() - started
        if answer is None:
            raise RuntimeError("no hover card on the first patch target")

        diagnostics = []
        for _ in range(2 * repeat + 1):
            # Closing publishes an empty list (version None): wait for it before reopening.
            await session._wait(uri, -1, lambda: session.close(test_file))
            seconds, count = await session.open_and_wait(test_file, text)
            diagnostics.append(seconds)
        results["diagnostics_findings"] = count
        results["diagnostics_cold_ms"] = diagnostics[0] * 1000
        results["diagnostics_warm"] = summary(diagnostics[1:])

        hovers = string_positions(text, lambda target: len(target) - 2)
        cold = [(await timed(hover_at, place))[0] for place in hovers]
        warm = [(await timed(hover_at, place))[0] for _ in range(repeat) for place in hovers]
        results["hover_cold"] = summary(cold)
        results["hover_warm"] = summary(warm)

        in_module_name = string_positions(text, lambda target: target.index(".") + 4)
        after_module = string_positions(text, lambda target: target.index(".", 6) + 1)
        for name, places in (("modules", in_module_name), ("attributes", after_module)):
            samples = []
            items = 0
            for _ in range(repeat):
                for place in places:
                    seconds, answer = await timed(completion_at, place)
                    samples.append(seconds)
                    items = max(items, len(getattr(answer, "items", None) or []))
            results[f"completion_{name}"] = {**summary(samples), "items": items}
        results["peak_rss_mib"] = session.peak_rss_mib()
    finally:
        await session.stop()
    return results


def report(results: dict[str, Any]) -> None:
    print(f"first open (before the scan ends)   {results['first_open_ms']:8.1f} ms")
    print(f"first hover (waits for the scan)    {results['first_hover_ms']:8.1f} ms")
    print(f"ready after server start            {results['ready_after_start_s']:8.2f} s")
    print(f"diagnostics, {TARGETS} targets, first   {results['diagnostics_cold_ms']:8.1f} ms")
    rows = [
        ("diagnostics, warm", results["diagnostics_warm"], BUDGETS_MS["diagnostics"]),
        ("hover, cold", results["hover_cold"], None),
        ("hover, warm", results["hover_warm"], BUDGETS_MS["hover"]),
        ("completion of a module", results["completion_modules"], BUDGETS_MS["completion"]),
        ("completion of an attribute", results["completion_attributes"], BUDGETS_MS["completion"]),
    ]
    print(f"\n{'':28} {'n':>6} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}  budget")
    for name, numbers, budget in rows:
        verdict = "" if budget is None else ("ok" if numbers["p95_ms"] < budget else "OVER")
        print(
            f"{name:28} {numbers['count']:6d} {numbers['p50_ms']:8.1f} {numbers['p95_ms']:8.1f}"
            f" {numbers['max_ms']:8.1f}  {verdict}"
        )
    peak = results["peak_rss_mib"]
    if peak is not None:
        verdict = "ok" if peak < MEMORY_BUDGET_MIB else "OVER"
        print(f"\nserver peak memory {peak:.0f} MiB  (budget {MEMORY_BUDGET_MIB:.0f}) {verdict}")


def within_budgets(results: dict[str, Any]) -> bool:
    checks = [
        results["diagnostics_warm"]["p95_ms"] < BUDGETS_MS["diagnostics"],
        results["hover_warm"]["p95_ms"] < BUDGETS_MS["hover"],
        results["completion_modules"]["p95_ms"] < BUDGETS_MS["completion"],
        results["completion_attributes"]["p95_ms"] < BUDGETS_MS["completion"],
    ]
    peak = results["peak_rss_mib"]
    return all(checks) and (peak is None or peak < MEMORY_BUDGET_MIB)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--modules", type=int, default=5000, help="modules in the workspace")
    parser.add_argument("--repeat", type=int, default=5, help="warm passes over the targets")
    parser.add_argument("--output", type=Path, default=RESULTS_DIR, help="directory for JSON")
    options = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="mockls-bench-navigation-") as directory:
        root = Path(directory)
        write_workspace(root, options.modules)
        (root / "pyproject.toml").write_text("[project]\nname = 'generated'\n")
        text = two_hundred_targets(options.modules)
        test_file = root / "tests" / "test_two_hundred_targets.py"
        test_file.write_text(text)
        results = asyncio.run(measure(root, test_file, text, options.repeat))
    results["modules"] = options.modules
    results["machine"] = machine()
    report(results)
    write_results(results, options.output, "navigation")
    return 0 if within_budgets(results) else 1


if __name__ == "__main__":
    sys.exit(main())
