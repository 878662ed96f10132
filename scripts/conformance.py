"""Conformance: run the ``mock`` backport's own test suite against mockengine.

Downloads the ``mock`` sdist from PyPI (with pip, once, into a cache outside the repository),
extracts its ``mock/tests`` package, and runs each test module with ``mock`` replaced by a thin
shim over mockengine. Prints passed/failed per file and a total, then checks the numbers against
``scripts/conformance.toml``: a file marked ``"all"`` must pass every test except the known
differences listed there (each with its reason); a number is the least that must pass.

    python scripts/conformance.py [--python PATH] [--json]

The parent process needs Python 3.11+ (tomllib); ``--python`` picks the interpreter the suite
runs under (any CPython 3.9+). The shim is the one place outside mockengine that reaches into
``mockengine._*``: the reference tests import the backport's private names (``_Call``, ...).
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import time
import unittest
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EXPECTATIONS = REPO / "scripts" / "conformance.toml"
FILE_TIMEOUT_SECONDS = 300


def cache_dir() -> Path:
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "mockls" / "conformance"


SHIM_INIT = '''"""The ``mock`` package for the conformance run: mockengine, backport names."""
import sys

IS_PYPY = "PyPy" in sys.version

import mock.mock as _mock
from mock.mock import *

__version__ = "{version}"
version_info = tuple(int(part) for part in __version__.split("."))
__all__ = ("__version__", "version_info") + tuple(_mock.__all__)
'''

SHIM_MOCK = '''"""``mock.mock`` for the conformance run: mockengine, and private names tests use."""
import sys
import types

import mockengine
from mockengine import *
from mockengine import __all__
from mockengine import _versions
from mockengine._calls import _Call, _CallList
from mockengine._introspection import is_callable as _callable
from mockengine._magic import PRECONFIGURED_MAGICS as _magics
from mockengine._mock import CallableMixin, InvalidSpecError
from mockengine._patching import _get_target, _patch

# The backport behaves as unittest.mock of 3.13 on every Python; so does the engine here.
_versions.follow((3, 13))


class _SettingsGoToMockengine(types.ModuleType):
    """Setting FILTER_DIR here sets it where mockengine reads it."""

    def __setattr__(self, name, value):
        if name == "FILTER_DIR":
            setattr(mockengine, name, value)
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _SettingsGoToMockengine
'''


def fetch_suite(version: str, sha256: str) -> Path:
    """The shim directory (holding the ``mock`` package with its tests), fetched once.

    Built in a scratch directory and renamed into place, so that runs started together (one
    per Python) never see half of it.
    """
    cache = cache_dir()
    shim = cache / f"shim-{version}"
    if shim.is_dir():
        return shim
    cache.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=cache) as scratch_name:
        scratch = Path(scratch_name)
        command = [
            sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
            "--no-binary", ":all:", f"mock=={version}", "--dest", str(scratch),
        ]  # fmt: skip
        subprocess.run(command, check=True)
        archive = scratch / f"mock-{version}.tar.gz"
        digest = hashlib.sha256(archive.read_bytes()).hexdigest()
        if digest != sha256:
            raise SystemExit(f"mock-{version}.tar.gz has sha256 {digest}, expected {sha256}")
        package = scratch / "shim" / "mock"
        (package / "tests").mkdir(parents=True)
        # The tests, and backports.py: their compatibility helpers for older Pythons (no mock).
        wanted = {f"mock-{version}/mock/backports.py": package / "backports.py"}
        prefix = f"mock-{version}/mock/tests/"
        with tarfile.open(archive) as tar:
            for member in tar.getmembers():
                if member.name.startswith(prefix) and member.name.endswith(".py"):
                    wanted[member.name] = package / "tests" / member.name[len(prefix) :]
                if member.isfile() and member.name in wanted:
                    source = tar.extractfile(member)
                    assert source is not None
                    wanted[member.name].write_bytes(source.read())
        (package / "__init__.py").write_text(SHIM_INIT.format(version=version))
        (package / "mock.py").write_text(SHIM_MOCK)
        with contextlib.suppress(OSError):  # another run put its copy in place first
            (scratch / "shim").rename(shim)
    return shim


# -- the child: runs one test module under the chosen interpreter -----------------------------


class _RecordingResult(unittest.TestResult):
    def __init__(self) -> None:
        super().__init__()
        self.outcomes: dict[str, str] = {}

    @staticmethod
    def _name(test: unittest.TestCase) -> str:
        return test.id().replace("mock.tests.", "", 1)

    def addSuccess(self, test: unittest.TestCase) -> None:
        self.outcomes.setdefault(self._name(test), "passed")

    def addFailure(self, test: unittest.TestCase, err: object) -> None:
        self.outcomes[self._name(test)] = "failed"

    def addError(self, test: unittest.TestCase, err: object) -> None:
        self.outcomes[self._name(test)] = "failed"

    def addSkip(self, test: unittest.TestCase, reason: str) -> None:
        self.outcomes[self._name(test)] = "skipped"

    def addExpectedFailure(self, test: unittest.TestCase, err: object) -> None:
        self.outcomes[self._name(test)] = "passed"

    def addUnexpectedSuccess(self, test: unittest.TestCase) -> None:
        self.outcomes[self._name(test)] = "failed"

    def addSubTest(self, test: unittest.TestCase, subtest: object, err: object) -> None:
        if err is not None:
            self.outcomes[self._name(test)] = "failed"


def run_module_here(shim: str, module: str, verbose: bool) -> None:
    sys.path[:0] = [shim, str(REPO)]
    suite = unittest.defaultTestLoader.loadTestsFromName(f"mock.tests.{module}")
    if verbose:
        unittest.TextTestRunner(stream=sys.stderr, verbosity=1).run(suite)
        return
    result = _RecordingResult()
    suite.run(result)
    print(json.dumps(result.outcomes))


# -- the parent ----------------------------------------------------------------------------


def run_module(python: str, shim: Path, module: str) -> dict[str, str]:
    command = [python, str(Path(__file__).resolve()), "--child", str(shim), module]
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    try:
        completed = subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=FILE_TIMEOUT_SECONDS,
            env=env,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return {f"{module} (timed out)": "failed"}
    try:
        return dict(json.loads(completed.stdout.strip().splitlines()[-1]))
    except (ValueError, IndexError):
        sys.stderr.write(completed.stderr[-3000:])
        return {f"{module} (could not run)": "failed"}


def check(python: str, expectations: dict, results: dict[str, dict[str, str]]) -> list[str]:
    """Print the table; return what falls short of the expectations."""
    known = expectations["known-differences"]
    problems = []
    version = subprocess.run(
        [python, "-c", "import platform; print(platform.python_version())"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    print(f"conformance of mockengine to mock {expectations['suite']['mock']}, Python {version}")
    print(f"  {'file':<20} {'passed':>6} {'failed':>6} {'known':>6} {'skipped':>7}  required")
    totals = [0, 0, 0, 0]
    for module, required in expectations["files"].items():
        outcomes = results[module]
        failed = sorted(name for name, outcome in outcomes.items() if outcome == "failed")
        unexplained = [name for name in failed if name not in known]
        counts = [
            sum(outcome == "passed" for outcome in outcomes.values()),
            len(unexplained),
            len(failed) - len(unexplained),
            sum(outcome == "skipped" for outcome in outcomes.values()),
        ]
        totals = [total + count for total, count in zip(totals, counts)]
        wanted = "all but known" if required == "all" else f">= {required} passed"
        print(
            f"  {module:<20} {counts[0]:>6} {counts[1]:>6} {counts[2]:>6} {counts[3]:>7}  {wanted}"
        )
        if required == "all":
            problems += [f"{name} failed" for name in unexplained]
        elif counts[0] < required:
            problems.append(f"{module}: {counts[0]} passed, fewer than {required}")
    print(f"  {'total':<20} {totals[0]:>6} {totals[1]:>6} {totals[2]:>6} {totals[3]:>7}")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", default=sys.executable, help="interpreter to run the suite")
    parser.add_argument("--json", action="store_true", help="print the outcomes as JSON too")
    parser.add_argument("--only", help="run one test module and show unittest's output")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.child:
        run_module_here(*arguments.child, verbose=False)
        return 0

    import tomllib  # noqa: PLC0415  (the parent only; children may run on Python 3.9)

    expectations = tomllib.loads(EXPECTATIONS.read_text())
    shim = fetch_suite(expectations["suite"]["mock"], expectations["suite"]["sha256"])
    if arguments.only:
        command = [arguments.python, "-c", (
            "import sys; sys.argv[1:] = []; "
            f"sys.path[:0] = [{str(shim)!r}, {str(REPO)!r}]; "
            f"import unittest; unittest.main(module='mock.tests.{arguments.only}')"
        )]  # fmt: skip
        return subprocess.run(command, check=False).returncode
    started = time.monotonic()
    results = {
        module: run_module(arguments.python, shim, module) for module in expectations["files"]
    }
    problems = check(arguments.python, expectations, results)
    if arguments.json:
        print(json.dumps(results, indent=1, sort_keys=True))
    print(f"  ({time.monotonic() - started:.1f} s)")
    for problem in problems:
        print(f"FAIL {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
