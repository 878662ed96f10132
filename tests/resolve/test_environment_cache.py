"""What jedi said about an environment, kept on disk: used again only while it still holds."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from unittest import mock

import pytest

from mockls.resolve.environment import EnvironmentResolver
from mockls.resolve.environment_cache import EnvironmentCache

from .conftest import describe

TARGETS = ["os.getcwd", "json.loads", "json.lodas", "subprocess.Popen.communicate", "_datetime.x"]


@pytest.fixture
def cache_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "cache"
    monkeypatch.setenv("MOCKLS_CACHE_DIR", str(directory))
    return directory


def test_a_new_resolver_answers_what_the_last_one_found_without_starting_jedi(
    tmp_path: Path, cache_directory: Path
) -> None:
    first = EnvironmentResolver(tmp_path, sys.executable)
    answers = [first.resolve(target) for target in TARGETS]
    completions = first.completions("json")
    top_level = first.top_level_modules()
    assert [describe(answer, tmp_path) for answer in answers][2:] == [
        "unresolved at 1 after 'json': loads, load",
        "method subprocess.Popen.communicate [stdlib] (self, input=None, timeout=None)",
        "unknown",
    ]
    assert len(list(cache_directory.iterdir())) == 1

    again = EnvironmentResolver(tmp_path, sys.executable)
    with mock.patch("jedi.Script", side_effect=AssertionError("jedi started")):
        assert [again.resolve(target) for target in TARGETS] == answers
        assert again.completions("json") == completions
        assert again.top_level_modules() == top_level


def test_another_workspace_or_interpreter_has_a_cache_of_its_own(
    tmp_path: Path, cache_directory: Path
) -> None:
    EnvironmentResolver(tmp_path, sys.executable).resolve("os.getcwd")
    others = [
        EnvironmentResolver(tmp_path / "other", sys.executable),
        # running the interpreter instead of reading its packages may answer otherwise
        EnvironmentResolver(tmp_path, sys.executable, run_interpreter=True),
    ]
    with mock.patch("jedi.Script", side_effect=AssertionError("jedi started")):
        for other in others:
            assert other.resolve("os.getcwd") is None  # worked out again: jedi refused
    assert len(list(cache_directory.iterdir())) == 1  # nothing kept from a failure


def keep(cache: EnvironmentCache, key: str, source: Path, sys_path: list[str]) -> None:
    cache.put(("resolve", key), f"answer for {key}", [str(source)], sys_path)


def kept(directory: Path, key: str, environment: tuple[str, Path]) -> tuple[bool, object]:
    """What a cache opened afresh (as by another process) holds for ``key``."""
    return EnvironmentCache(*environment, directory).get(("resolve", key))


@pytest.fixture
def environment(tmp_path: Path) -> tuple[Path, Path, list[str], tuple[str, Path]]:
    """A source file, a ``sys.path`` directory and the (interpreter, root) of a cache."""
    site = tmp_path / "site-packages"
    site.mkdir()
    source = site / "payments.py"
    source.write_text("def charge(): ...\n")
    return source, site, [str(site)], (sys.executable, tmp_path)


def test_an_answer_is_dropped_when_the_file_it_was_read_from_changes(
    tmp_path: Path, environment: tuple[Path, Path, list[str], tuple[str, Path]]
) -> None:
    source, site, sys_path, identity = environment
    cache = EnvironmentCache(*identity, tmp_path / "cache")
    keep(cache, "payments.charge", source, sys_path)
    keep(cache, "other", site / "other.py", sys_path)  # a file that does not exist stays so
    assert kept(tmp_path / "cache", "payments.charge", identity) == (
        True,
        "answer for payments.charge",
    )
    status = source.stat()
    os.utime(source, ns=(status.st_atime_ns, status.st_mtime_ns + 1_000_000))
    assert kept(tmp_path / "cache", "payments.charge", identity) == (False, None)
    assert kept(tmp_path / "cache", "other", identity) == (True, "answer for other")


def test_every_answer_is_dropped_when_a_sys_path_directory_changes(
    tmp_path: Path, environment: tuple[Path, Path, list[str], tuple[str, Path]]
) -> None:
    source, site, sys_path, identity = environment
    keep(EnvironmentCache(*identity, tmp_path / "cache"), "payments.charge", source, sys_path)
    (site / "newly_installed.py").write_text("")  # an install changes the directory
    assert kept(tmp_path / "cache", "payments.charge", identity) == (False, None)
    # The file starts over for the new environment, and what is kept then holds.
    keep(EnvironmentCache(*identity, tmp_path / "cache"), "payments.charge", source, sys_path)
    assert kept(tmp_path / "cache", "payments.charge", identity) == (
        True,
        "answer for payments.charge",
    )


def test_processes_appending_to_one_file_keep_each_others_answers(
    tmp_path: Path, environment: tuple[Path, Path, list[str], tuple[str, Path]]
) -> None:
    source, _, sys_path, identity = environment
    first = EnvironmentCache(*identity, tmp_path / "cache")
    second = EnvironmentCache(*identity, tmp_path / "cache")
    keep(first, "a", source, sys_path)
    keep(second, "b", source, sys_path)
    keep(first, "c", source, sys_path)
    assert [kept(tmp_path / "cache", key, identity)[0] for key in "abc"] == [True, True, True]


@pytest.mark.parametrize(
    ("damage", "still_kept"),
    [
        pytest.param(lambda data: data[:-3], [True, False], id="truncated"),
        pytest.param(lambda data: b"not a cache", [False, False], id="foreign"),
        pytest.param(lambda data: b"", [False, False], id="empty"),
    ],
)
def test_a_damaged_file_keeps_what_can_be_read_and_never_raises(
    tmp_path: Path,
    environment: tuple[Path, Path, list[str], tuple[str, Path]],
    damage: object,
    still_kept: list[bool],
) -> None:
    source, _, sys_path, identity = environment
    cache = EnvironmentCache(*identity, tmp_path / "cache")
    keep(cache, "a", source, sys_path)
    keep(cache, "b", source, sys_path)
    cache.path.write_bytes(damage(cache.path.read_bytes()))  # type: ignore[operator]
    assert [kept(tmp_path / "cache", key, identity)[0] for key in "ab"] == still_kept
    # and it is written afresh when the next answer is kept
    keep(EnvironmentCache(*identity, tmp_path / "cache"), "c", source, sys_path)
    assert kept(tmp_path / "cache", "c", identity) == (True, "answer for c")


def test_the_answers_of_other_code_are_not_used(
    tmp_path: Path, environment: tuple[Path, Path, list[str], tuple[str, Path]]
) -> None:
    source, _, sys_path, identity = environment
    keep(EnvironmentCache(*identity, tmp_path / "cache"), "a", source, sys_path)
    upgraded = ("another jedi", ())
    with mock.patch("mockls.resolve.environment_cache._code_identity", return_value=upgraded):
        assert kept(tmp_path / "cache", "a", identity) == (False, None)
    assert kept(tmp_path / "cache", "a", identity) == (True, "answer for a")
