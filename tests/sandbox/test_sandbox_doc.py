"""docs/sandbox.md says what the code does: its limits table gives the defaults, its TOML
turns the sandbox off, and its "What runs when" table is what the command line and the
editor's settings decide."""

from __future__ import annotations

import re
from pathlib import Path

from mockls import cli
from mockls.config import LoadedSettings, Settings, load_settings_file
from mockls.lsp.sandbox import HOVER_SANDBOX_WAIT
from mockls.lsp.settings import SettingsProvider
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


def what_runs() -> dict[str, tuple[str, str]]:
    """The rows of the doc's "What runs when" table: situation -> (interpreter, sandbox)."""
    text = DOC.read_text(encoding="utf-8")
    table = text[text.index("| situation | your interpreter | the sandbox |") :].split("\n\n", 1)[0]
    rows = [line.split("|")[1:4] for line in table.splitlines()[2:]]
    return {situation.strip(): (runs.strip(), sandbox.strip()) for situation, runs, sandbox in rows}


def words(interpreter_runs: bool, sandbox_runs: bool, named: str = "") -> tuple[str, str]:
    interpreter = f"runs ({named})" if named and interpreter_runs else "runs"
    return (interpreter if interpreter_runs else "never: read", "runs" if sandbox_runs else "never")


def editor_settings(*sections: object) -> Settings:
    provider = SettingsProvider(load_project=lambda _directory: LoadedSettings(Settings(), None))
    for section in sections:
        provider.set_editor_settings(section)
    return provider.for_path(None).settings


def test_the_what_runs_table_says_what_the_code_decides() -> None:
    parser = cli._parser()
    decided = {
        "`mockls check`": words(*cli.check_may_run(parser.parse_args(["check"]))),
        "`mockls check --python PATH`": words(
            *cli.check_may_run(parser.parse_args(["check", "--python", "PATH"])), named="PATH"
        ),
        "`mockls check --verify`": words(
            *cli.check_may_run(parser.parse_args(["check", "--verify"]))
        ),
    }
    trusted = editor_settings({"trusted": True})
    decided["editor, trusted workspace"] = words(trusted.trusted, trusted.sandbox)
    untrusted = editor_settings({"trusted": False}, {}, {"select": []})
    decided['editor, after `"trusted": false`'] = words(untrusted.trusted, untrusted.sandbox)
    assert what_runs() == decided
