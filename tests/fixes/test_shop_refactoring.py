"""``examples/shop`` has a test with three nested patches, and the refactoring flattens it: the
test passes before and after, run by pytest in a copy of the shop."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from mockls.fixes.flatten_patches import ADD_CLEANUP
from mockls.fixes.refactoring import ParsedModule
from mockls.fixes.refactorings import refactorings
from mockls.spans import Position, Span

SHOP = Path(__file__).resolve().parents[2] / "examples" / "shop"
REFUNDS = Path("tests") / "test_refunds.py"
TIMEOUT = 120.0
"""Seconds before a pytest run is given up: a hang guard, never a measure of speed."""


def flattened(source: str) -> str:
    offset = source.index("        with mock.patch(") + len("        ")
    line = source.count("\n", 0, offset)
    cursor = Position(line, offset - source.rindex("\n", 0, offset) - 1)
    module = ParsedModule.of(source)
    assert module is not None
    offered = {
        found.refactoring.title: found.fixed_source
        for found in refactorings(module, Span(cursor, cursor))
    }
    assert list(offered) == [ADD_CLEANUP]
    return offered[ADD_CLEANUP]


def outcome(shop: Path) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(REFUNDS)],
        cwd=shop,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
        env={**os.environ, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"},  # the test needs none
    )
    return result.stdout.strip().splitlines()[-1].split(" in ")[0]


def test_the_shop_test_with_three_nested_patches_flattens(tmp_path: Path) -> None:
    source = (SHOP / REFUNDS).read_text(encoding="utf-8")
    assert source.count("with mock.patch") == 3
    after = flattened(source)
    assert "with " not in after.split("class RefundTests", 1)[1]
    assert after.count("self.addCleanup(") == 3

    shop = tmp_path / "shop"
    shutil.copytree(SHOP, shop, ignore=shutil.ignore_patterns("__pycache__"))
    before_outcome = outcome(shop)
    (shop / REFUNDS).write_text(after, encoding="utf-8")
    assert (before_outcome, outcome(shop)) == ("1 passed", "1 passed")
