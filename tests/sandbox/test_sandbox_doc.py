"""docs/sandbox.md says what the code does: its limits table gives the defaults, its TOML
turns the sandbox off."""

from __future__ import annotations

import re
from pathlib import Path

from mockls.config import load_settings_file
from mockls.lsp.sandbox import HOVER_SANDBOX_WAIT
from mockls.sandbox import SandboxOptions

DOC = Path(__file__).resolve().parents[2] / "docs" / "sandbox.md"


def limits() -> dict[str, str]:
    """The rows of the doc's table of limits: what -> the default as written."""
    text = DOC.read_text(encoding="utf-8")
    table = text[text.index("| limit | default |") :].split("\n\n", 1)[0]
    rows = [line.split("|")[1:3] for line in table.splitlines()[2:]]
    return {name.strip(): default.strip() for name, default in rows}


def test_the_limits_table_gives_the_defaults_of_the_code() -> None:
    options = SandboxOptions()
    assert limits() == {
        "deadline per request": f"{options.deadline:g} s",
        "deadline per test run": f"{options.test_deadline:g} s",
        "time to start a worker": f"{options.start_deadline:g} s",
        "memory (`RLIMIT_AS`)": f"{options.memory_limit >> 30} GiB",
        "processes and threads (the *process cap*)": f"{options.process_cap} more than already run",
        "requests per worker": str(options.max_requests),
    }


def test_the_pool_size_the_doc_gives_is_the_default() -> None:
    assert "a pool of warm *workers* (2 by default)" in DOC.read_text(encoding="utf-8")
    assert SandboxOptions().size == 2


def test_its_toml_turns_the_sandbox_off(tmp_path: Path) -> None:
    (block,) = re.findall(r"```toml\n(.*?)```", DOC.read_text(encoding="utf-8"), re.DOTALL)
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(block, encoding="utf-8")
    loaded = load_settings_file(pyproject)
    assert (loaded.settings.sandbox, loaded.problems) == (False, ())


def test_the_hover_bound_the_doc_gives_is_the_code_s() -> None:
    assert "a hover never waits more than half a second" in DOC.read_text(encoding="utf-8")
    assert HOVER_SANDBOX_WAIT == 0.5
