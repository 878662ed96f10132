"""docs/configuration.md is executed: its TOML examples load cleanly and its message is real."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mockls.config import LoadedSettings, Settings, load_settings_file
from mockls.files import MAX_SOURCE_CHARACTERS

DOC = Path(__file__).parents[2] / "docs" / "configuration.md"
TEXT = DOC.read_text(encoding="utf-8")
TOML_BLOCKS = re.findall(r"```toml\n(.*?)```", TEXT, flags=re.DOTALL)
KEY_HEADINGS = re.findall(r"^### `([a-z-]+)`$", TEXT, flags=re.MULTILINE)


def test_every_key_is_documented() -> None:
    assert KEY_HEADINGS == [
        "select",
        "ignore",
        "per-file-ignores",
        "exclude",
        "severity",
        "sandbox",
        "python",
        "source-roots",
    ]


@pytest.mark.parametrize("block", TOML_BLOCKS, ids=[f"block-{i}" for i in range(len(TOML_BLOCKS))])
def test_each_example_loads_without_problems_and_changes_something(
    tmp_path: Path, block: str
) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text(block, encoding="utf-8")
    loaded = load_settings_file(path)
    assert loaded.problems == ()
    assert loaded.settings != Settings()


def test_the_documented_warning_is_the_one_mockls_gives(tmp_path: Path) -> None:
    [shown] = re.findall(r"^mockls: warning: (/home/you/shop/pyproject.toml: .*)$", TEXT, re.M)
    path = tmp_path / "pyproject.toml"
    path.write_text('[tool.mockls]\nselect = ["misspeled-assert"]\n', encoding="utf-8")
    expected = shown.replace("/home/you/shop/pyproject.toml", str(path))
    assert load_settings_file(path) == LoadedSettings(Settings(), tmp_path, (expected,))


def test_the_size_limit_the_doc_gives_is_the_code_s() -> None:
    assert f"more than {MAX_SOURCE_CHARACTERS:,} characters" in DOC.read_text(encoding="utf-8")
