"""How fast mockls answers code actions (refactorings and quick-fixes) on large test files.

For generated test modules of about 1,000 and 10,000 lines (``generate.py``), placed in a copy
of ``examples/shop`` so that their patch targets resolve, it measures in process:

- ``ast.parse`` of the text: the floor;
- ``ParsedModule.of``: what the first code-action request of a new document version costs
  (the syntax tree; the model of mock usage is built only once a refactoring could apply);
- ``refactorings`` at four places: a line in a test body where none can apply (where a cursor
  usually rests); a ``with patch`` header, the first request of a version (which builds the
  model) and then warm; a class line (the moves into ``setUp`` are checked); a patch call
  ("Add ``autospec=True``", which resolves the target and binds the module's calls again);

and through the real server (``python -m mockls`` over stdio, VS Code's capabilities): the
``textDocument/codeAction`` round trip at the same places, the first after the file is opened
and then warm, and the server's peak resident memory. The workspace is trusted and saved, so
the refactorings offered there are proved in the sandbox in the background meanwhile; last,
the proof of flattening the shop's refund test: how long from the first request until it is
offered verified, and the round trips of the requests asked every 50 ms while it ran.

It prints tables and writes ``benchmarks/results/code-actions-<time>.json``. Run it with
``.venv/bin/python benchmarks/bench_code_actions.py`` (``--help`` for the options).
"""

from __future__ import annotations

import argparse
import ast
import asyncio
import logging
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from bench_diagnostics import (  # the script's own directory is on sys.path
    RESULTS_DIR,
    ServerSession,
    machine,
    time_calls,
    write_results,
)
from generate import generate_test_module

REPOSITORY = Path(__file__).resolve().parent.parent
SHOP = REPOSITORY / "examples" / "shop"

BUDGET_SECONDS = 0.050
"""A warm code-action answer on a 1,000-line file, anywhere in it, within this long (p90)."""
BUDGET_LINES = 1000

PROOF_TIMEOUT_SECONDS = 300.0
"""Give up waiting for a proof (two test runs) after this long."""

PLACES: dict[str, tuple[str, int]] = {
    # name: (a line's text to find, the column to put the cursor at)
    "body line": ('        mock_charge.assert_called_once_with("4242", 2400)', 8),
    "with header": ('        with patch("shop.orders.refund") as mock_refund', 8),
    "class line": ("class OrderTests", 6),
    "patch call": ('    @patch("shop.orders.charge")', 6),
}


def cursor(text: str, place: str) -> tuple[int, int]:
    """The 0-based line and column of a named place (its first occurrence)."""
    line_text, column = PLACES[place]
    lines = text.splitlines()
    return next(number for number, line in enumerate(lines) if line.startswith(line_text)), column


def milliseconds(samples: Sequence[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "median_ms": statistics.median(ordered) * 1000,
        "p90_ms": ordered[max(0, -(-9 * len(ordered) // 10) - 1)] * 1000,
        "runs": len(ordered),
    }


def measure_in_process(source: str, path: Path, root: Path, repeat: int) -> dict[str, Any]:
    from mockls.fixes.refactoring import ParsedModule  # noqa: PLC0415  (the benchmark survives a broken tree)
    from mockls.fixes.refactorings import refactorings  # noqa: PLC0415
    from mockls.resolve.project import Project, ProjectFile  # noqa: PLC0415
    from mockls.spans import Position, Span  # noqa: PLC0415

    project = Project(root)
    project.scan()
    project_file = ProjectFile(project, path)
    results: dict[str, Any] = {
        "ast_parse": milliseconds(time_calls(lambda: ast.parse(source), repeat).samples),
        "parsed_module": milliseconds(
            time_calls(lambda: ParsedModule.of(source, project_file), repeat).samples
        ),
    }

    def at(module: Any, place: str) -> Callable[[], object]:
        line, column = cursor(source, place)
        selection = Span(Position(line, column), Position(line, column))
        return lambda: refactorings(module, selection)

    # The first request of a version on a header builds the model: a fresh module each run.
    first: list[float] = []
    offered: dict[str, list[str]] = {}
    for _ in range(repeat):
        module = ParsedModule.of(source, project_file)
        start = time.perf_counter()
        at(module, "with header")()
        first.append(time.perf_counter() - start)
    results["with header (first of a version)"] = milliseconds(first)
    module = ParsedModule.of(source, project_file)
    for place in PLACES:
        request = at(module, place)
        offered[place] = [found.refactoring.title for found in request()]
        results[place] = milliseconds(time_calls(request, repeat).samples)
    results["offered"] = offered
    return results


async def measure_server(root: Path, paths: dict[int, Path], repeat: int) -> dict[str, Any]:
    session = ServerSession()
    types = session.types
    capabilities = types.ClientCapabilities(
        text_document=types.TextDocumentClientCapabilities(
            code_action=types.CodeActionClientCapabilities(
                code_action_literal_support=types.ClientCodeActionLiteralOptions(
                    code_action_kind=types.ClientCodeActionKindOptions(
                        value_set=[kind.value for kind in types.CodeActionKind]
                    )
                )
            )
        )
    )
    results: dict[str, Any] = {}
    try:
        await session.start(root, capabilities)
        for size, path in paths.items():
            text = path.read_text(encoding="utf-8")
            opened, _ = await session.open_and_wait(path, text)
            uri = path.as_uri()

            async def ask(place: str, text: str = text, uri: str = uri) -> tuple[float, int]:
                seconds, titles = await titles_at(session, uri, *cursor(text, place))
                return seconds, len(titles)

            first = {place: await ask(place) for place in PLACES}
            warm = {place: [(await ask(place))[0] for _ in range(repeat)] for place in PLACES}
            results[str(size)] = {
                "open_to_diagnostics_ms": opened * 1000,
                "first_after_open": {
                    place: {"ms": seconds * 1000, "actions": count}
                    for place, (seconds, count) in first.items()
                },
                "warm": {place: milliseconds(samples) for place, samples in warm.items()},
            }
            session.close(path)
        results["proof"] = await measure_proof(session, root / "tests" / "test_refunds.py")
        results["peak_rss_mib"] = session.peak_rss_mib()
    finally:
        await session.stop()
    return results


async def titles_at(
    session: ServerSession, uri: str, line: int, column: int
) -> tuple[float, list[str]]:
    """A ``textDocument/codeAction`` request at a position: its round trip, the titles."""
    types = session.types
    position = types.Position(line=line, character=column)
    start = time.perf_counter()
    answer = await session.client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=types.Range(start=position, end=position),
            context=types.CodeActionContext(diagnostics=[]),
        )
    )
    return time.perf_counter() - start, [action.title for action in answer or []]


async def measure_proof(session: ServerSession, path: Path) -> dict[str, Any]:
    """Ask for the refactorings at the first ``with`` of ``path`` every 50 ms until one is
    offered verified: how long that took, and the round trips meanwhile."""
    text = path.read_text(encoding="utf-8")
    await session.open_and_wait(path, text)
    lines = text.splitlines()
    line = next(number for number, each in enumerate(lines) if each.lstrip().startswith("with "))
    column = lines[line].index("with ")
    start = time.perf_counter()
    samples: list[float] = []
    while time.perf_counter() - start < PROOF_TIMEOUT_SECONDS:
        seconds, titles = await titles_at(session, path.as_uri(), line, column)
        samples.append(seconds)
        if any(title.endswith("(verified)") for title in titles):
            break
        await asyncio.sleep(0.05)
    else:
        raise RuntimeError(f"no refactoring at line {line + 1} of {path} was ever verified")
    session.close(path)
    return {
        "seconds_to_verified": time.perf_counter() - start,
        "while_proving": milliseconds(samples),
    }


def report(in_process: dict[int, dict[str, Any]], server: dict[str, Any] | None) -> None:
    print("\nIn process (ms, median / p90)")
    for size, results in in_process.items():
        print(f"  {size:>6} lines")
        for name, timing in results.items():
            if name != "offered":
                print(f"    {name:36} {timing['median_ms']:9.2f} {timing['p90_ms']:9.2f}")
        for place, titles in results["offered"].items():
            print(f"    offered at {place}: {titles or 'nothing'}")
    if server is None:
        return
    print("\nThe real server: textDocument/codeAction round trips (ms)")
    for size, results in server.items():
        if size in ("peak_rss_mib", "proof"):
            continue
        print(
            f"  {size:>6} lines   (didOpen -> diagnostics {results['open_to_diagnostics_ms']:.0f})"
        )
        for place, first in results["first_after_open"].items():
            warm = results["warm"][place]
            print(
                f"    {place:14} first {first['ms']:8.1f}   warm median {warm['median_ms']:7.1f}"
                f" p90 {warm['p90_ms']:7.1f}   ({first['actions']} actions)"
            )
    proof = server["proof"]
    meanwhile = proof["while_proving"]
    print(
        f"  proof of a refactoring (two test runs): verified after"
        f" {proof['seconds_to_verified']:.1f} s; {meanwhile['runs']} requests meanwhile, median"
        f" {meanwhile['median_ms']:.1f} ms, p90 {meanwhile['p90_ms']:.1f} ms"
    )
    print(f"  peak memory: {server['peak_rss_mib']:.0f} MiB")


def within_budget(server: dict[str, Any] | None) -> bool:
    if server is None or str(BUDGET_LINES) not in server:
        return True
    warm = server[str(BUDGET_LINES)]["warm"]
    timings = [*warm.values(), server["proof"]["while_proving"]]
    return all(timing["p90_ms"] <= BUDGET_SECONDS * 1000 for timing in timings)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--repeat", type=int, default=10, help="runs per measurement")
    parser.add_argument("--no-server", action="store_true", help="skip the language server")
    parser.add_argument("--output", type=Path, default=RESULTS_DIR, help="directory for JSON")
    options = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)

    with tempfile.TemporaryDirectory(prefix="mockls-bench-") as workspace:
        root = Path(workspace) / "shop"
        shutil.copytree(SHOP, root, ignore=shutil.ignore_patterns("__pycache__"))
        paths = {size: root / "tests" / f"test_generated_{size}.py" for size in options.sizes}
        sources = {size: generate_test_module(size) for size in options.sizes}
        for size, path in paths.items():
            path.write_text(sources[size], encoding="utf-8")
        in_process = {
            size: measure_in_process(sources[size], paths[size], root, options.repeat)
            for size in options.sizes
        }
        server = (
            None if options.no_server else asyncio.run(measure_server(root, paths, options.repeat))
        )

    report(in_process, server)
    verdict = within_budget(server)
    print(
        f"\nbudget: warm code actions on a {BUDGET_LINES}-line file, and while a proof runs,"
        f" p90 <= {BUDGET_SECONDS * 1000:.0f} ms: {'met' if verdict else 'MISSED'}"
    )
    written = write_results(
        {
            "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "machine": machine(),
            "budget": {"lines": BUDGET_LINES, "warm_p90_seconds": BUDGET_SECONDS},
            "in_process": {str(size): results for size, results in in_process.items()},
            "server": server,
        },
        options.output,
        "code-actions",
    )
    print(f"results: {written}")
    return 0 if verdict else 1


if __name__ == "__main__":
    sys.exit(main())
