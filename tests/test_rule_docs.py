"""Each rule has a docs page: the rule reports its "Bad" example and not its "Good" one."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mockls.config import Settings
from mockls.linter import lint_source
from mockls.rules import ALL_RULES

RULES_DOCS = Path(__file__).resolve().parent.parent / "docs" / "rules"

_EXAMPLE = re.compile(
    r"^#+\s*(?P<kind>Bad|Good)\b[^\n]*\n+```python\n(?P<code>.*?)^```", re.MULTILINE | re.DOTALL
)


def _examples(code: str) -> dict[str, list[str]]:
    page = (RULES_DOCS / f"{code}.md").read_text(encoding="utf-8")
    examples: dict[str, list[str]] = {"Bad": [], "Good": []}
    for match in _EXAMPLE.finditer(page):
        examples[match["kind"]].append(match["code"])
    return examples


CODES = [rule.code for rule in ALL_RULES]


@pytest.mark.parametrize("code", CODES)
def test_each_rule_has_a_page_with_one_bad_and_one_good_example(code: str) -> None:
    examples = _examples(code)
    assert [len(examples["Bad"]), len(examples["Good"])] == [1, 1]


@pytest.mark.parametrize("code", CODES)
def test_the_bad_example_is_reported_by_its_rule_only(code: str) -> None:
    (bad,) = _examples(code)["Bad"]
    findings = lint_source(bad, "tests/test_example.py", Settings())
    assert findings
    assert {finding.code for finding in findings} == {code}


@pytest.mark.parametrize("code", CODES)
def test_the_good_example_is_clean(code: str) -> None:
    (good,) = _examples(code)["Good"]
    assert lint_source(good, "tests/test_example.py", Settings()) == []


@pytest.mark.parametrize("code", CODES)
def test_the_page_says_how_to_silence_the_rule(code: str) -> None:
    page = (RULES_DOCS / f"{code}.md").read_text(encoding="utf-8")
    assert f"# mockls: ignore[{code}]" in page
    assert f'ignore = ["{code}"]' in page


def test_every_rule_page_belongs_to_a_rule() -> None:
    pages = {path.stem for path in RULES_DOCS.glob("*.md")} - {"README", "index"}
    assert sorted(pages) == sorted(CODES)
