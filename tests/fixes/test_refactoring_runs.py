"""Each golden case's tests give the same results with pytest before and after the refactoring.

The tests of a case check what the patches do while the test runs (``os.getcwd`` returns the
mock's value, the mock was called so), so a refactoring that changed when a patch applies
would change a result. Every test runs in a process of its own, forked from one pytest
session, so that a patch one case leaks on purpose cannot reach another.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from conftest import GoldenCase

DRIVER = r"""
import json, os, sys
import pytest
from _pytest.runner import runtestprotocol

class Forked:
    '''Runs each test in a forked child and keeps its outcome (what pytest-forked does).'''

    def __init__(self):
        self.found = {}

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_protocol(self, item, nextitem):
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(read)
            reports = runtestprotocol(item, log=False, nextitem=None)
            failed = [report.outcome for report in reports if report.outcome != "passed"]
            os.write(write, (failed[0] if failed else "passed").encode())
            os._exit(0)
        os.close(write)
        with os.fdopen(read, "rb") as stream:
            self.found[item.nodeid] = stream.read().decode() or "crashed"
        os.waitpid(pid, 0)
        return True

output, paths = sys.argv[1], sys.argv[2:]
forked = Forked()
arguments = ["-q", "-p", "no:cacheprovider", "-p", "pytest_mock", "--import-mode=importlib"]
arguments += ["-c", os.devnull]
pytest.main([*arguments, "--rootdir", os.path.commonpath(paths), *paths], plugins=[forked])
with open(output, "w") as stream:
    json.dump(forked.found, stream)
"""

TIMEOUT = 300.0
"""Seconds before the run is given up: a hang guard, never a measure of speed."""


def test_each_case_gives_the_same_results_before_and_after(
    golden_cases: list[GoldenCase], tmp_path: Path
) -> None:
    runnable = [case for case in golden_cases if case.runs]
    assert len(runnable) >= 15
    paths: dict[str, tuple[Path, Path]] = {}
    for case in runnable:
        assert case.after is not None
        paths[case.name] = (
            _written(tmp_path / "before" / case.name, case.module_name, case.source),
            _written(tmp_path / "after" / case.name, case.module_name, case.after),
        )
    output = tmp_path / "outcomes.json"
    every_path = [str(path) for pair in paths.values() for path in pair]
    subprocess.run(
        [sys.executable, "-c", DRIVER, str(output), *every_path],
        check=True,
        capture_output=True,
        timeout=TIMEOUT,
        # Only the plugins the cases use (pytest-mock's ``mocker``): finding every installed
        # plugin again in each forked session costs a second apiece.
        env={**os.environ, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"},
    )
    found: dict[str, str] = json.loads(output.read_text())
    root = os.path.commonpath(every_path)
    compared = {
        name: (_outcomes(found, before, root), _outcomes(found, after, root))
        for name, (before, after) in paths.items()
    }
    differing = {name: pair for name, pair in compared.items() if pair[0] != pair[1]}
    assert differing == {}
    not_passing = {
        name: before
        for name, (before, _) in compared.items()
        if not before or set(before.values()) != {"passed"}
    }
    assert not_passing == {}, "every case's tests pass, so that a change of meaning shows"


def _outcomes(found: dict[str, str], path: Path, root: str) -> dict[str, str]:
    """The outcome of each test of the module at ``path``, by its name in the module."""
    prefix = f"{path.relative_to(root).as_posix()}::"
    return {
        node.removeprefix(prefix): outcome
        for node, outcome in found.items()
        if node.startswith(prefix)
    }


def _written(directory: Path, module_name: str, text: str) -> Path:
    directory.mkdir(parents=True)
    path = directory / f"{module_name}.py"
    path.write_bytes(text.encode("utf-8"))
    return path
