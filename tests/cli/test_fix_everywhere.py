"""``mockls check --fix --unsafe-fixes`` over copies of examples/ and tests/fixtures: every
module that compiled before compiles after, at least one fix of each rule that has fixes was
applied, and a second run changes nothing."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from mockls.fixes.quick_fixes import is_valid_python

REPOSITORY = Path(__file__).resolve().parents[2]
TREES = ("examples", "tests/fixtures")


def fix_all(root: Path, *options: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mockls", "check", *options, *TREES],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def sources(root: Path) -> dict[Path, bytes]:
    return {
        path.relative_to(root): path.read_bytes()
        for tree in TREES
        for path in sorted((root / tree).rglob("*.py"))
        if "__pycache__" not in path.parts
    }


def compiles(data: bytes) -> bool:
    try:
        return is_valid_python(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        return False


def test_fix_never_breaks_a_module_and_settles(tmp_path: Path) -> None:
    for tree in TREES:
        shutil.copytree(
            REPOSITORY / tree, tmp_path / tree, ignore=shutil.ignore_patterns("__pycache__")
        )
    before = sources(tmp_path)
    fixable = json.loads(fix_all(tmp_path, "--format", "json", "--exit-zero").stdout)

    first = fix_all(tmp_path, "--fix", "--unsafe-fixes", "--show-fixes")

    after = sources(tmp_path)
    broken = [path for path, data in before.items() if compiles(data) and not compiles(after[path])]
    assert broken == []
    changed = {path for path in before if before[path] != after[path]}
    fixed_codes = {entry["code"] for entry in fixable if entry["fixes"]}
    assert changed, first.stdout
    assert fixed_codes <= {
        line.split(" x ")[1].split(":")[0] for line in first.stdout.splitlines() if " x " in line
    }
    second = fix_all(tmp_path, "--fix", "--unsafe-fixes")
    assert second.stderr.splitlines()[-1].startswith("Fixed 0 problems")
    assert sources(tmp_path) == after
