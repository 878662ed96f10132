"""The golden refactoring cases of ``tests/fixtures/refactor``, handed to tests as ``golden_case``
(one test per case) or ``golden_cases`` (all of them).

A case is a directory with ``before.py`` (a test module with a cursor ``<|>``, or two
markers around a selection), ``case.toml`` (``offered``: the exact titles of the code
actions at the marker, quick-fixes first; ``apply``: the one to apply, whose result is
``after.py``; ``runs = false`` when the module's tests cannot be run before and after) and,
when something is applied, ``after.py``. Files are read as bytes, so CR LF line breaks and
tabs are compared as they are.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

from mockls.spans import Position, Span

CASES_DIRECTORY = Path(__file__).resolve().parents[1] / "fixtures" / "refactor"
MARKER = "<|>"


@dataclass(frozen=True)
class GoldenCase:
    """One case, read from its directory."""

    name: str
    source: str
    selection: Span
    offered: list[str]
    apply: str | None
    after: str | None
    runs: bool

    @property
    def module_name(self) -> str:
        """The file name its tests are run under (pytest wants identifiers)."""
        return f"test_{self.name.replace('-', '_')}"


def read_text(path: Path) -> str:
    """A file's text with its line breaks as written."""
    return path.read_bytes().decode("utf-8")


def unmarked(marked: str) -> tuple[str, Span]:
    """The text without its markers, and the selection they stood for (a cursor for one)."""
    pieces = marked.split(MARKER)
    assert len(pieces) in (2, 3), f"expected one or two {MARKER} markers"
    text = "".join(pieces)
    positions: list[Position] = []
    offset = 0
    for piece in pieces[:-1]:
        offset += len(piece)
        before = text[:offset]
        line = before.count("\n") + before.count("\r") - before.count("\r\n")
        line_start = max(before.rfind("\n"), before.rfind("\r")) + 1
        positions.append(Position(line, offset - line_start))
    return text, Span(positions[0], positions[-1])


def load(directory: Path) -> GoldenCase:
    spec = tomllib.loads(read_text(directory / "case.toml"))
    source, selection = unmarked(read_text(directory / "before.py"))
    after_path = directory / "after.py"
    apply = spec.get("apply")
    return GoldenCase(
        name=directory.name,
        source=source,
        selection=selection,
        offered=list(spec["offered"]),
        apply=apply,
        after=read_text(after_path) if after_path.exists() else None,
        runs=bool(spec.get("runs", apply is not None)),
    )


def all_cases() -> list[GoldenCase]:
    directories = sorted(CASES_DIRECTORY.iterdir())
    return [load(directory) for directory in directories if directory.is_dir()]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "golden_case" in metafunc.fixturenames:
        cases = all_cases()
        metafunc.parametrize("golden_case", cases, ids=[case.name for case in cases])


@pytest.fixture(scope="session")
def golden_cases() -> list[GoldenCase]:
    return all_cases()
