"""At every line of real test modules, every refactoring either offers nothing or edits that
apply without conflict and leave valid Python; none of them raises.

The providers are called directly, not through :func:`refactorings` (which would log and hide a
failure), on the golden cases, the shop's tests and a generated benchmark module.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from mockls.fixes.edits import apply_edits
from mockls.fixes.quick_fixes import is_valid_python
from mockls.fixes.refactoring import ParsedModule
from mockls.fixes.refactorings import PROVIDERS
from mockls.spans import Position, Span

REPOSITORY = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPOSITORY / "benchmarks"))
from generate import generate_test_module  # noqa: E402  (benchmarks/ is put on the path just above)

MODULES = {
    **{
        f"golden/{path.parent.name}": path.read_bytes().decode().replace("<|>", "")
        for path in sorted((REPOSITORY / "tests" / "fixtures" / "refactor").glob("*/before.py"))
    },
    **{
        f"shop/{path.name}": path.read_text(encoding="utf-8")
        for path in sorted((REPOSITORY / "examples" / "shop" / "tests").glob("test_*.py"))
    },
    "generated": generate_test_module(300),
}


@pytest.mark.parametrize("name", sorted(MODULES))
def test_every_line_gives_sound_refactorings(name: str) -> None:
    source = MODULES[name]
    module = ParsedModule.of(source)
    assert module is not None
    lines = source.splitlines()
    offered = 0
    for number, text in enumerate(lines):
        for column in {0, len(text) - len(text.lstrip())}:
            cursor = Position(number, column)
            for provider in PROVIDERS:
                for refactoring in provider(module, Span(cursor, cursor)):
                    result = apply_edits(source, refactoring.edits)
                    assert result != source
                    assert is_valid_python(result), (refactoring.title, number)
                    offered += 1
    assert offered > 0 or name != "generated"


@pytest.mark.parametrize("typed", ["with mock.patch(", "mock.patch.object(", "assertEqual("])
def test_a_half_typed_module_gets_no_refactoring_and_no_error(typed: str) -> None:
    source = MODULES["golden/nested-three-patches"]
    assert ParsedModule.of(source[: source.index(typed) + len(typed)]) is None
