"""Hover, definition and completion answer (or decline) at every position of broken text."""

from __future__ import annotations

from pathlib import Path

import pytest

from mockls.analysis.builder import build_model
from mockls.navigation import completions, definition, hover_card
from mockls.resolve.project import Project, ProjectFile
from mockls.spans import Position

TEST_MODULE = (
    Path(__file__).resolve().parent.parent / "fixtures/navigation_project/tests/test_orders.py"
)

BROKEN = [
    '@mock.patch("shop.\n',
    "from unittest import mock\n@mock.patch('shop.orders.charge'\ndef test(",
    "from unittest import mock\nwith mock.patch.object(, 'x') as m:\n",
    "from unittest import mock\n@mock.patch('\\x00.\\u00e9.\\n')\ndef t(m): pass\n",
    "from unittest import mock\nmock.patch(f'{__name__}.x')\nmock.patch(__name__ + '.')\n",
    "from unittest import mock\n@mock.patch('shop..orders')\n@mock.patch('.')\ndef t(a, b): pass\n",
    'from unittest import mock\nx = mock.patch("""shop.\norders""")\n',
    "\r\n\r@mock.patch('shop.\r\n",
]


@pytest.mark.parametrize("source", BROKEN)
def test_every_position_of_broken_text(project: Project, source: str) -> None:
    model = build_model(source)
    seen = ProjectFile(project, TEST_MODULE)
    lines = source.split("\n")
    for line in range(len(lines) + 1):
        for character in range(len(lines[line]) + 2 if line < len(lines) else 1):
            position = Position(line, character)
            hover_card(model, position, seen)
            definition(model, position, seen)
            completions(model, source, position, seen)
