"""Each rule has a docs page: the rule reports its "Bad" example and not its "Good" one.

A page whose rule needs a project describes one: code blocks titled with their path
(```` ```python title="shop/orders.py" ````) are the project's files, and the Bad and Good
examples are test modules in it (at their own title, else ``tests/test_example.py``). Each
example is then checked in that project, written to disk and indexed as ``mockls check``
would; a page without project files is checked as a lone file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from mockls.config import Settings
from mockls.findings import Finding
from mockls.linter import lint_source
from mockls.resolve.project import Project, ProjectFile
from mockls.rules import ALL_RULES

RULES_DOCS = Path(__file__).resolve().parent.parent / "docs" / "rules"

_CODE_BLOCK = re.compile(
    r"^(?:#+\s*(?P<kind>Bad|Good)\b[^\n]*\n+)?"
    r'```python(?:[ \t]+title="(?P<path>[^"\n]+)")?[ \t]*\n(?P<code>.*?)^```',
    re.MULTILINE | re.DOTALL,
)
_EXAMPLE_PATH = "tests/test_example.py"


@dataclass
class _Example:
    path: str
    code: str


@dataclass
class _Page:
    """A rule page's examples and the project files it describes (path -> text)."""

    examples: dict[str, list[_Example]] = field(default_factory=lambda: {"Bad": [], "Good": []})
    project_files: dict[str, str] = field(default_factory=dict)


def _page(code: str) -> _Page:
    page = _Page()
    text = (RULES_DOCS / f"{code}.md").read_text(encoding="utf-8")
    for match in _CODE_BLOCK.finditer(text):
        if match["kind"]:
            page.examples[match["kind"]].append(
                _Example(match["path"] or _EXAMPLE_PATH, match["code"])
            )
        elif match["path"]:
            page.project_files[match["path"]] = match["code"]
    return page


def _lint(page: _Page, example: _Example, directory: Path) -> list[Finding]:
    if not page.project_files:
        return lint_source(example.code, example.path, Settings())
    for relative, text in {**page.project_files, example.path: example.code}.items():
        path = directory / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    project = Project(directory)
    project.scan()
    return lint_source(
        example.code, example.path, Settings(), ProjectFile(project, directory / example.path)
    )


CODES = [rule.code for rule in ALL_RULES]


@pytest.mark.parametrize("code", CODES)
def test_each_rule_has_a_page_with_one_bad_and_one_good_example(code: str) -> None:
    examples = _page(code).examples
    assert [len(examples["Bad"]), len(examples["Good"])] == [1, 1]


@pytest.mark.parametrize("code", CODES)
def test_the_bad_example_is_reported_by_its_rule_only(code: str, tmp_path: Path) -> None:
    page = _page(code)
    (bad,) = page.examples["Bad"]
    findings = _lint(page, bad, tmp_path)
    assert findings
    assert {finding.code for finding in findings} == {code}


@pytest.mark.parametrize("code", CODES)
def test_the_good_example_is_clean(code: str, tmp_path: Path) -> None:
    page = _page(code)
    (good,) = page.examples["Good"]
    assert _lint(page, good, tmp_path) == []


@pytest.mark.parametrize("code", CODES)
def test_the_page_says_how_to_silence_the_rule(code: str) -> None:
    page = (RULES_DOCS / f"{code}.md").read_text(encoding="utf-8")
    assert f"# mockls: ignore[{code}]" in page
    assert f'ignore = ["{code}"]' in page


def test_every_rule_page_belongs_to_a_rule() -> None:
    pages = {path.stem for path in RULES_DOCS.glob("*.md")} - {"README", "index"}
    assert sorted(pages) == sorted(CODES)


def test_project_files_are_read_from_titled_blocks() -> None:
    page = _page("ineffective-patch")
    assert sorted(page.project_files) == ["shop/orders.py", "shop/payments.py"]
    assert [example.path for example in page.examples["Bad"]] == ["tests/test_orders.py"]
