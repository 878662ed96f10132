"""Run mockengine's tests and the conformance suites under every CPython from 3.9 to 3.13.

Finds the interpreters (pyenv's, else ``python3.X`` on PATH), says which it found, gives each a
venv with pytest under the cache (``~/.cache/mockls/pythons``, made once), then runs
``tests/mockengine``, ``scripts/conformance.py`` (the ``mock`` backport's suite) and
``scripts/cpython_testmock.py`` (that interpreter's own ``unittest.mock`` suite) under each,
two versions at a time.
Exits 1 when a version is missing or any run fails.

    python scripts/engine_pythons.py [--versions 3.9 3.12]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
VERSIONS = ("3.9", "3.10", "3.11", "3.12", "3.13")
PYTEST_REQUIREMENT = "pytest>=8.3,<9"  # pytest 8 is the last to run on all of 3.9-3.13


def cache_dir() -> Path:
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "mockls" / "pythons"


def pyenv_root() -> Path | None:
    if os.environ.get("PYENV_ROOT"):
        return Path(os.environ["PYENV_ROOT"])
    if shutil.which("pyenv"):
        found = subprocess.run(["pyenv", "root"], capture_output=True, text=True, check=False)
        if found.returncode == 0:
            return Path(found.stdout.strip())
    default = Path.home() / ".pyenv"
    return default if default.is_dir() else None


def _patch_level(path: Path) -> tuple[int, ...]:
    return tuple(int(part) for part in path.name.split(".") if part.isdigit())


def find_interpreter(version: str) -> Path | None:
    """The newest installed CPython ``version`` (pyenv first, then PATH)."""
    root = pyenv_root()
    if root is not None:
        candidates = [
            path
            for path in (root / "versions").glob(f"{version}.*")
            if path.name.replace(".", "").isdigit() and (path / "bin" / "python").exists()
        ]
        if candidates:
            return max(candidates, key=_patch_level) / "bin" / "python"
    on_path = shutil.which(f"python{version}")
    return Path(on_path) if on_path else None


def venv_for(interpreter: Path, version: str) -> Path:
    """A venv of ``interpreter`` with pytest, made once and reused."""
    venv = cache_dir() / version
    python = venv / "bin" / "python"
    stamp = venv / ".mockls-ready"
    if stamp.exists() and stamp.read_text() == PYTEST_REQUIREMENT and python.exists():
        return python
    shutil.rmtree(venv, ignore_errors=True)
    subprocess.run([str(interpreter), "-m", "venv", str(venv)], check=True)
    install = [str(python), "-m", "pip", "install", "--quiet", PYTEST_REQUIREMENT]
    subprocess.run(install, check=True, stderr=subprocess.DEVNULL)
    stamp.write_text(PYTEST_REQUIREMENT)
    return python


def run_version(version: str, interpreter: Path) -> tuple[bool, str]:
    """Engine tests and both conformance suites under one version: (passed, what they printed)."""
    started = time.monotonic()
    python = venv_for(interpreter, version)
    engine_tests = [
        str(python), "-m", "pytest", "-c", os.devnull, "--rootdir", str(REPO),
        "-p", "no:cacheprovider", "-W", "error", "--import-mode=importlib",
        # the checkout's mockls.egg-info names the pytest plugin; mockls is not installed here
        "-p", "no:mockls",
        "--strict-markers", "-q", "-ra", "tests/mockengine",
    ]  # fmt: skip
    conformance = [sys.executable, "scripts/conformance.py", "--python", str(python)]
    own_suite = [str(python), "scripts/cpython_testmock.py"]
    env = {**os.environ, "PYTHONPATH": str(REPO), "PYTHONDONTWRITEBYTECODE": "1"}
    output = [f"=== CPython {version} ({interpreter})"]
    passed = True
    for command in (engine_tests, conformance, own_suite):
        completed = subprocess.run(
            command, cwd=REPO, env=env, capture_output=True, text=True, check=False
        )
        lines = (completed.stdout + completed.stderr).rstrip().splitlines()
        output += lines if completed.returncode else lines[-14:]
        passed = passed and completed.returncode == 0
    output.append(f"=== CPython {version}: {'ok' if passed else 'FAILED'}, "
                  f"{time.monotonic() - started:.1f} s")  # fmt: skip
    return passed, "\n".join(output)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--versions", nargs="+", default=list(VERSIONS), metavar="3.X")
    arguments = parser.parse_args()
    found = {version: find_interpreter(version) for version in arguments.versions}
    missing = [version for version, path in found.items() if path is None]
    print("CPython versions found:", ", ".join(
        f"{version} ({path})" for version, path in found.items() if path is not None
    ) or "none")  # fmt: skip
    if missing:
        print("CPython versions MISSING:", ", ".join(missing), "(install them with pyenv)")
    with ThreadPoolExecutor(max_workers=2) as pool:
        runs = {
            version: pool.submit(run_version, version, path)
            for version, path in found.items()
            if path is not None
        }
        results = {version: run.result() for version, run in runs.items()}
    for _, output in results.values():
        print(output)
    failed = [version for version, (passed, _) in results.items() if not passed]
    print(f"engine tests and conformance suites: {len(results) - len(failed)} of "
          f"{len(arguments.versions)} versions passed"
          + (f"; failed: {', '.join(failed)}" if failed else "")
          + (f"; missing: {', '.join(missing)}" if missing else ""))  # fmt: skip
    return 1 if failed or missing else 0


if __name__ == "__main__":
    sys.exit(main())
