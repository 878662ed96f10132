"""docs/mockengine.md is executed: each of its Python examples runs cleanly, in an interpreter
of its own (one installs mockengine in place of unittest.mock)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parents[2] / "docs" / "mockengine.md"
EXAMPLES = re.findall(r"^```python\n(.*?)^```", DOC.read_text(), re.MULTILINE | re.DOTALL)


def test_the_page_has_examples() -> None:
    assert len(EXAMPLES) >= 2


@pytest.mark.parametrize("example", EXAMPLES)
def test_example_runs(example: str) -> None:
    completed = subprocess.run(
        [sys.executable, "-c", example],
        capture_output=True,
        text=True,
        cwd=DOC.parents[1],
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
