"""``mockls check`` on the projects in ``tests/fixtures/patterns``: what real suites do.

Each project is a small complete suite showing one pattern seen in maintained test suites:
mock imported through the project's own modules, a patch that reaches the code under test
through its own module, and so on. A line marked ``# expect: <code>[, <code>...]`` is a
mistake and must get exactly those findings; every other line is correct code (a look-alike
of a mistake) and must stay quiet. The command runs as a user runs it, in a copy of the
project.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from .test_check_command import mockls

PATTERNS = Path(__file__).resolve().parent.parent / "fixtures" / "patterns"
_EXPECT = re.compile(r"#\s*expect:\s*(?P<codes>[\w\-, ]+)$")

Finding = tuple[str, int, str]
"""``(path, 1-based line, code)``."""


def expected_findings(project: Path) -> set[Finding]:
    """The findings the ``# expect:`` markers in ``project``'s Python files ask for."""
    expected: set[Finding] = set()
    for path in sorted(project.rglob("*.py")):
        relative = path.relative_to(project).as_posix()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            marker = _EXPECT.search(line)
            if marker is not None:
                for code in marker["codes"].split(","):
                    expected.add((relative, number, code.strip()))
    return expected


def check(project: Path) -> set[Finding]:
    """What ``mockls check --format json .`` reports, run in ``project``."""
    outcome = mockls(project, "check", "--format", "json", ".")
    assert outcome.code in (0, 1), outcome.stderr
    return {
        (finding["path"], finding["line"], finding["code"])
        for finding in json.loads(outcome.stdout)
    }


@pytest.mark.parametrize("name", sorted(path.name for path in PATTERNS.iterdir() if path.is_dir()))
def test_check_reports_exactly_the_marked_findings(name: str, tmp_path: Path) -> None:
    project = tmp_path / name
    shutil.copytree(PATTERNS / name, project)
    expected = expected_findings(project)
    assert expected, "a pattern project marks at least one true finding"
    assert check(project) == expected
