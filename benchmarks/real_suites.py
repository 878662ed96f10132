"""Real test suites from PyPI, unpacked with a venv each: what mockls is measured on at real scale.

Each suite is a maintained project whose sdist ships its tests and which patches a lot
(celery 5.5.3 ``t/``, botocore 1.43.11 ``tests/``, ansible-core 2.18.6 ``test/units/``). The
sdist is fetched with pip from PyPI into a cache outside the checkout
(``$XDG_CACHE_HOME/mockls/real-suites``, by default ``~/.cache/mockls/real-suites``), checked
against its pinned sha256, unpacked, and given a ``.venv`` inside the tree holding the project
and its test dependencies (so the server picks it as the workspace's interpreter). A tree is
only ever used complete: a process holds a lock on the cache while it builds, and the venv is
marked ready last. The first fetch of a suite takes a few minutes; later ones return at once.

    from real_suites import fetch
    suite = fetch("celery")            # a ReadySuite: .root, .tests, .python
    python benchmarks/real_suites.py celery            # prints the tree's path
    python benchmarks/real_suites.py celery --tests    # prints its test directory
    python benchmarks/real_suites.py all               # fetches the three
"""

from __future__ import annotations

import argparse
import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

__all__ = ["SUITES", "ReadySuite", "Suite", "cache_dir", "fetch"]

READY_MARK = ".mockls-ready"
"""Written into a suite's venv once every dependency is installed."""


@dataclass(frozen=True)
class Suite:
    """A pinned sdist and what its test suite needs."""

    name: str
    version: str
    archive: str
    """The sdist's file name on PyPI (its top directory is the name without ``.tar.gz``)."""
    sha256: str
    tests: str
    """The test directory, relative to the unpacked tree."""
    requirements: tuple[str, ...]
    """What the venv gets: the project itself at its version, and its test tools."""

    @property
    def directory(self) -> str:
        return self.archive.removesuffix(".tar.gz")


@dataclass(frozen=True)
class ReadySuite:
    """An unpacked suite whose venv is complete."""

    suite: Suite
    root: Path

    @property
    def tests(self) -> Path:
        return self.root / self.suite.tests

    @property
    def python(self) -> Path:
        return self.root / ".venv" / "bin" / "python"


SUITES = {
    suite.name: suite
    for suite in (
        Suite(
            name="celery",
            version="5.5.3",
            archive="celery-5.5.3.tar.gz",
            sha256="6c972ae7968c2b5281227f01c3a3f984037d21c5129d07bf3550cc2afc6b10a5",
            tests="t",
            requirements=("celery==5.5.3", "pytest", "pytest-mock"),
        ),
        Suite(
            name="botocore",
            version="1.43.11",
            archive="botocore-1.43.11.tar.gz",
            sha256="d7d479cc2809ec2728f2898521003adfb79bfe6a4615c59dfd222ec52b0cee6b",
            tests="tests",
            requirements=("botocore==1.43.11", "pytest"),
        ),
        Suite(
            name="ansible-core",
            version="2.18.6",
            archive="ansible_core-2.18.6.tar.gz",
            sha256="25bb20ce1516a1b7307831b263cef684043b3720711466bd9d4164e5fd576557",
            tests="test/units",
            requirements=("ansible-core==2.18.6", "pytest", "pytest-mock"),
        ),
    )
}


def cache_dir() -> Path:
    """Where the sdists, trees and venvs are kept: never under the repository."""
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "mockls" / "real-suites"


def fetch(name: str) -> ReadySuite:
    """The suite called ``name``, downloaded, checked, unpacked and given its venv (once)."""
    suite = SUITES[name]
    cache = cache_dir()
    root = cache / suite.directory
    ready = root / ".venv" / READY_MARK
    if ready.is_file():
        return ReadySuite(suite, root)
    cache.mkdir(parents=True, exist_ok=True)
    with _locked(cache / f"{suite.directory}.lock"):
        if not ready.is_file():  # another process may have finished it while we waited
            if not root.is_dir():
                _unpack(suite, _download(suite, cache / "sdists"), cache)
            _make_venv(suite, root)
            ready.touch()
    return ReadySuite(suite, root)


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    with path.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _download(suite: Suite, sdists: Path) -> Path:
    archive = sdists / suite.archive
    if not archive.is_file():
        command = [
            sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
            "--no-binary", ":all:", f"{suite.name}=={suite.version}", "--dest", str(sdists),
        ]  # fmt: skip
        subprocess.run(command, check=True)
    digest = hashlib.sha256(archive.read_bytes()).hexdigest()
    if digest != suite.sha256:
        archive.unlink()
        raise SystemExit(f"{suite.archive} has sha256 {digest}, expected {suite.sha256}")
    return archive


def _unpack(suite: Suite, archive: Path, cache: Path) -> None:
    """Unpacks into a scratch directory and renames it into place, so a tree is never half there."""
    with tempfile.TemporaryDirectory(dir=cache) as scratch:
        with tarfile.open(archive) as tar:
            tar.extractall(scratch, filter="data")
        (Path(scratch) / suite.directory).rename(cache / suite.directory)


def _make_venv(suite: Suite, root: Path) -> None:
    venv = root / ".venv"
    shutil.rmtree(venv, ignore_errors=True)  # a venv a killed run left half made
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    install = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet"]
    subprocess.run([*install, *suite.requirements], check=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("suite", choices=[*SUITES, "all"])
    shown = parser.add_mutually_exclusive_group()
    shown.add_argument("--tests", action="store_true", help="print the test directory")
    shown.add_argument("--python", action="store_true", help="print the venv's interpreter")
    arguments = parser.parse_args(argv)
    for name in SUITES if arguments.suite == "all" else [arguments.suite]:
        ready = fetch(name)
        if arguments.tests:
            print(ready.tests)
        elif arguments.python:
            print(ready.python)
        else:
            print(ready.root)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
