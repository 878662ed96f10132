"""docs/editors.md is executed: its settings are valid and its Neovim 0.7 set-up really works.

Every JSON and TOML block parses and every ``mockls`` settings section in it is accepted without
a problem; every Lua block compiles; the Neovim 0.7 block, run verbatim in a headless Neovim
against the real server, gets diagnostics for ``examples/shop`` with its settings applied.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from mockls.config import Settings, apply_editor_settings

if sys.version_info >= (3, 11):
    import tomllib
else:  # Python 3.10: the same parser, from PyPI (as mockls.config does)
    import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]

REPOSITORY = Path(__file__).resolve().parents[2]
EDITORS_DOC = REPOSITORY / "docs" / "editors.md"
SHOP_TESTS = REPOSITORY / "examples" / "shop" / "tests"

_FENCE = re.compile(r"^```(?P<language>\w*)\n(?P<body>.*?)^```$", re.MULTILINE | re.DOTALL)


def code_blocks(language: str) -> list[str]:
    return [
        match["body"]
        for match in _FENCE.finditer(EDITORS_DOC.read_text(encoding="utf-8"))
        if match["language"] == language
    ]


def mockls_sections(value: object) -> Iterator[object]:
    """Every value under a ``mockls`` key, at any depth."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "mockls":
                yield item
            else:
                yield from mockls_sections(item)
    elif isinstance(value, list):
        for item in value:
            yield from mockls_sections(item)


def test_the_doc_has_the_blocks_these_tests_check() -> None:
    counts = {language: len(code_blocks(language)) for language in ("json", "toml", "lua")}
    assert counts == {"json": 1, "toml": 1, "lua": 3}


@pytest.mark.parametrize("block", code_blocks("json"))
def test_json_settings_examples_are_accepted_without_a_problem(block: str) -> None:
    sections = list(mockls_sections(json.loads(block)))

    assert sections
    for section in sections:
        assert_valid_settings(section)


def test_helix_example_adds_mockls_to_python_with_valid_settings() -> None:
    (block,) = code_blocks("toml")
    config = tomllib.loads(block)

    server = config["language-server"]["mockls"]
    assert server["command"] == "mockls"
    assert_valid_settings(server["config"]["mockls"])
    (python,) = config["language"]
    assert python["name"] == "python"
    assert "mockls" in python["language-servers"]


def assert_valid_settings(section: object) -> None:
    settings, problems = apply_editor_settings(Settings(), section)
    assert problems == ()
    assert settings != Settings()


NVIM = shutil.which("nvim")


@pytest.mark.editor
@pytest.mark.parametrize("block", code_blocks("lua"))
def test_lua_examples_compile(block: str, tmp_path: Path) -> None:
    snippet = tmp_path / "snippet.lua"
    snippet.write_text(block)
    check = f"lua assert(loadfile({json.dumps(str(snippet))}))"

    result = run_nvim(["-c", check, "-c", "qall!"], tmp_path)

    assert result.returncode == 0, result.stderr


DRIVER = """\
vim.cmd("luafile " .. vim.fn.fnameescape(SNIPPET))
local found = {}
for _, file in ipairs(FILES) do
  vim.cmd("edit " .. vim.fn.fnameescape(file))
  vim.bo.filetype = "python"
  local buffer = vim.api.nvim_get_current_buf()
  vim.wait(30000, function() return #vim.diagnostic.get(buffer) > 0 end, 50)
  vim.wait(1000)  -- a settings change may still re-publish; keep the last word
  for _, diagnostic in ipairs(vim.diagnostic.get(buffer)) do
    local lsp = diagnostic.user_data and diagnostic.user_data.lsp or {}
    table.insert(found, {
      file = vim.fn.fnamemodify(file, ":t"),
      line = diagnostic.lnum + 1,
      code = diagnostic.code or lsp.code,
      severity = diagnostic.severity,
      source = diagnostic.source,
    })
  end
end
vim.fn.writefile({ vim.fn.json_encode(found) }, OUTPUT)
vim.cmd("qall!")
"""


@pytest.mark.editor
def test_neovim_07_snippet_gets_diagnostics_with_its_settings(tmp_path: Path) -> None:
    neovim_07_block = next(block for block in code_blocks("lua") if "start_client" in block)
    snippet = tmp_path / "mockls.lua"
    snippet.write_text(neovim_07_block)
    output = tmp_path / "diagnostics.json"
    files = [SHOP_TESTS / "test_orders.py", SHOP_TESTS / "test_cancel_and_ship.py"]
    driver = tmp_path / "drive.lua"
    driver.write_text(
        f"SNIPPET = {json.dumps(str(snippet))}\n"
        f"OUTPUT = {json.dumps(str(output))}\n"
        f"FILES = {{ {', '.join(json.dumps(str(file)) for file in files)} }}\n" + DRIVER
    )

    result = run_nvim(["-c", f"luafile {driver}"], tmp_path)

    assert result.returncode == 0, result.stderr
    found = {
        (item["file"], item["line"], item["code"], item["severity"], item["source"])
        for item in json.loads(output.read_text())
    }
    error, warning = 1, 2  # vim.diagnostic.severity
    # The settings ask for misspelled-assert as an error and ignore patcher-not-stopped.
    assert {
        ("test_orders.py", 47, "misspelled-assert", error, "mockls"),
        ("test_orders.py", 55, "misspelled-assert", error, "mockls"),
        ("test_orders.py", 66, "misspelled-assert", error, "mockls"),
        ("test_cancel_and_ship.py", 40, "misspelled-mock-attribute", warning, "mockls"),
    } <= found
    assert not [item for item in found if item[2] == "patcher-not-stopped"]


def run_nvim(arguments: list[str], directory: Path) -> subprocess.CompletedProcess[str]:
    """Headless Neovim without user config, with this venv's ``mockls`` first on ``PATH``."""
    assert NVIM is not None, "nvim is not installed: `make neovim` installs it"
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    environment = {**os.environ, "PATH": path, "XDG_STATE_HOME": str(directory)}
    return subprocess.run(
        [NVIM, "--headless", "-u", "NONE", "-i", "NONE", "-n", *arguments],
        cwd=directory,
        env=environment,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
    )
