"""File discovery and reading: ``.gitignore``-style excludes, the walk, decoding sources."""

from __future__ import annotations

import codecs
import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mockls.files import (
    ExcludePattern,
    PathExcluder,
    SourceError,
    read_source,
    walk_python_files,
)

# Every path of the tree the patterns are matched against, with whether it is a directory.
TREE = {
    "a": True,
    "a/b.py": False,
    "a/b": True,
    "a/b/c": True,
    "a/b/c/d.py": False,
    "build": True,
    "build/x.py": False,
    "src/build": True,
    "src/build/y.py": False,
    "docs/x.py": False,
    "docs/sub/x.py": False,
    "keep.py": False,
    "c.py": False,
    "t/fixtures": True,
    "t/fixtures/f.py": False,
    "#x": False,
}

# pattern(s) -> the paths of TREE they exclude (a path inside an excluded directory counts).
# Each row was checked against `git check-ignore` / `git status --ignored` on the same tree.
EXCLUDE_CASES = [
    (
        ["*.py"],
        {
            "a/b.py",
            "a/b/c/d.py",
            "build/x.py",
            "src/build/y.py",
            "docs/x.py",
            "docs/sub/x.py",
            "keep.py",
            "c.py",
            "t/fixtures/f.py",
        },
    ),
    (["build"], {"build", "build/x.py", "src/build", "src/build/y.py"}),
    (["build/"], {"build", "build/x.py", "src/build", "src/build/y.py"}),
    (["/build"], {"build", "build/x.py"}),
    (["docs/*.py"], {"docs/x.py"}),
    (["**/fixtures"], {"t/fixtures", "t/fixtures/f.py"}),
    (["a/**"], {"a/b.py", "a/b", "a/b/c", "a/b/c/d.py"}),
    (["a/**/d.py"], {"a/b/c/d.py"}),
    (["a/**/"], {"a/b", "a/b/c", "a/b/c/d.py"}),
    (["a/*/c"], {"a/b/c", "a/b/c/d.py"}),
    (["[ck]*.py"], {"keep.py", "c.py"}),
    (
        ["[!ck]*.py"],
        {
            "a/b.py",
            "a/b/c/d.py",
            "build/x.py",
            "src/build/y.py",
            "docs/x.py",
            "docs/sub/x.py",
            "t/fixtures/f.py",
        },
    ),
    (
        ["?.py"],
        {
            "a/b.py",
            "a/b/c/d.py",
            "build/x.py",
            "src/build/y.py",
            "docs/x.py",
            "docs/sub/x.py",
            "c.py",
            "t/fixtures/f.py",
        },
    ),
    (["/*.py"], {"keep.py", "c.py"}),
    (["b.py/"], set()),
    (
        ["*.py", "!keep.py"],
        {
            "a/b.py",
            "a/b/c/d.py",
            "build/x.py",
            "src/build/y.py",
            "docs/x.py",
            "docs/sub/x.py",
            "c.py",
            "t/fixtures/f.py",
        },
    ),
    (["a/", "!a/b.py"], {"a", "a/b.py", "a/b", "a/b/c", "a/b/c/d.py"}),
    (["a/**", "!a/b.py"], {"a/b", "a/b/c", "a/b/c/d.py"}),
    (["\\#x"], {"#x"}),
    (["#x", "", "   "], set()),
    (["docs/**/x.py"], {"docs/x.py", "docs/sub/x.py"}),
    (["[z-a].py"], set()),
    (["x[.py"], set()),
]


@pytest.mark.parametrize(
    ("patterns", "expected"),
    EXCLUDE_CASES,
    ids=[" ".join(map(repr, patterns)) for patterns, _ in EXCLUDE_CASES],
)
def test_exclude_patterns_follow_gitignore(patterns: list[str], expected: set[str]) -> None:
    root = Path("/project")
    excluder = PathExcluder(patterns, root)
    excluded = {path for path, is_dir in TREE.items() if excluder.excludes(root / path, is_dir)}
    assert excluded == expected


def test_paths_outside_the_root_are_never_excluded() -> None:
    excluder = PathExcluder(["*.py"], Path("/project"))
    assert not excluder.excludes(Path("/elsewhere/a.py"), is_directory=False)
    assert not PathExcluder(["*.py"], None).excludes(Path("/project/a.py"), is_directory=False)


def test_blank_and_comment_patterns_are_dropped() -> None:
    assert [ExcludePattern.parse(text) for text in ("", "  ", "# note", "/")] == [None] * 4


def make_tree(root: Path, names: list[str]) -> None:
    for name in names:
        path = root / name
        if name.endswith("/"):
            path.mkdir(parents=True, exist_ok=True)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("x = 1\n", encoding="utf-8")


def test_walk_is_sorted_and_skips_tool_directories(tmp_path: Path) -> None:
    make_tree(
        tmp_path,
        [
            "z.py",
            "a.py",
            "notes.txt",
            "stub.pyi",
            "pkg/__init__.py",
            "pkg/mod.py",
            "pkg/__pycache__/mod.py",
            ".venv/lib/site.py",
            "venv/lib/site.py",
            "node_modules/x/y.py",
            ".git/hooks/h.py",
            ".tox/py/t.py",
            ".mypy_cache/m.py",
            "dir.py/inside.py",
            "env311/pyvenv.cfg",
            "env311/lib/python3.11/site-packages/pkg.py",
        ],
    )
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "o.py").write_text("", encoding="utf-8")
    (tmp_path / "linked").symlink_to(tmp_path / "outside", target_is_directory=True)
    errors: list[tuple[Path, OSError]] = []
    found = list(
        walk_python_files(tmp_path, lambda path, is_dir: False, lambda p, e: errors.append((p, e)))
    )
    assert [path.relative_to(tmp_path).as_posix() for path in found] == [
        "a.py",
        "z.py",
        "dir.py/inside.py",
        "outside/o.py",
        "pkg/__init__.py",
        "pkg/mod.py",
    ]
    assert errors == []


def test_walk_asks_about_each_entry_and_prunes_excluded_directories(tmp_path: Path) -> None:
    make_tree(tmp_path, ["keep/a.py", "drop/b.py", "keep/drop.py"])
    asked: list[tuple[str, bool]] = []

    def excluded(path: Path, is_directory: bool) -> bool:
        asked.append((path.relative_to(tmp_path).as_posix(), is_directory))
        return path.name.startswith("drop")

    found = list(walk_python_files(tmp_path, excluded, lambda path, error: None))
    assert [path.relative_to(tmp_path).as_posix() for path in found] == ["keep/a.py"]
    assert sorted(asked) == [
        ("drop", True),
        ("keep", True),
        ("keep/a.py", False),
        ("keep/drop.py", False),
    ]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        pytest.param(b"x = 'caf\xc3\xa9'\n", "x = 'café'\n", id="utf-8-by-default"),
        pytest.param(codecs.BOM_UTF8 + b"x = 1\n", "x = 1\n", id="bom-is-dropped"),
        pytest.param(
            b"# -*- coding: latin-1 -*-\nx = 'caf\xe9'\n",
            "# -*- coding: latin-1 -*-\nx = 'café'\n",
            id="pep-263-cookie",
        ),
        pytest.param(
            b"#!/usr/bin/env python\n# vim: set fileencoding=cp1252 :\ns = '\x80'\n",
            "#!/usr/bin/env python\n# vim: set fileencoding=cp1252 :\ns = '€'\n",
            id="cookie-on-second-line",
        ),
        pytest.param(b"a = 1\r\nb = 2\r\n", "a = 1\r\nb = 2\r\n", id="crlf-kept"),
        pytest.param(b"", "", id="empty"),
    ],
)
def test_sources_decode_as_python_does(tmp_path: Path, data: bytes, expected: str) -> None:
    path = tmp_path / "m.py"
    path.write_bytes(data)
    assert read_source(path) == expected


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param(
            b"x = 1\n\x00\x01\x02",
            "cannot decode m.py: not a Python source file (it contains NUL bytes)",
            id="nul-bytes",
        ),
        pytest.param(
            b"x = 1\ny = 2\nz = '\xff'\n",
            "cannot decode m.py: not a Python source file (invalid utf-8 bytes on line 3)",
            id="invalid-utf-8-late",
        ),
        pytest.param(
            b"\xff\xfe\x89PNG\n",
            "cannot decode m.py: not a Python source file (invalid utf-8 bytes on line 1)",
            id="invalid-utf-8-first-line",
        ),
        pytest.param(
            b"# coding: klingon\nx = 1\n",
            "cannot decode m.py: not a Python source file (unknown encoding: klingon)",
            id="unknown-cookie",
        ),
        pytest.param(
            codecs.BOM_UTF8 + b"# coding: latin-1\nx = 1\n",
            "cannot decode m.py: not a Python source file (encoding problem: utf-8)",
            id="bom-contradicts-cookie",
        ),
    ],
)
def test_non_source_bytes_are_a_clear_error(tmp_path: Path, data: bytes, message: str) -> None:
    path = tmp_path / "m.py"
    path.write_bytes(data)
    with pytest.raises(SourceError) as caught:
        read_source(path)
    assert caught.value.describe("m.py") == message


def test_a_broken_symlink_cannot_be_read(tmp_path: Path) -> None:
    link = tmp_path / "gone.py"
    link.symlink_to(tmp_path / "missing.py")
    with pytest.raises(SourceError) as caught:
        read_source(link)
    assert caught.value.describe("gone.py") == "cannot read gone.py: a broken symbolic link"


def test_a_fifo_is_refused_instead_of_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.py"
    os.mkfifo(fifo)
    with pytest.raises(SourceError) as caught:
        read_source(fifo)
    assert caught.value.describe("pipe.py") == "cannot read pipe.py: not a regular file"


def test_a_large_file_is_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "big.py"
    text = "".join(f"value_{number} = {number}\n" for number in range(200_000))
    path.write_text(text, encoding="utf-8")
    assert read_source(path) == text


PATTERN_ALPHABET = st.sampled_from([*"ab*?/[]!-^\\# .", "**", "**/", "/**"])


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.lists(PATTERN_ALPHABET, max_size=8).map("".join), max_size=4),
    st.lists(st.sampled_from(["a", "b", "a.py", "[", "*", "-", " "]), min_size=1, max_size=4),
    st.booleans(),
)
def test_any_pattern_matches_without_raising(
    patterns: list[str], parts: list[str], is_directory: bool
) -> None:
    excluder = PathExcluder(patterns, Path("/project"))
    path = Path("/project", *parts)
    assert excluder.excludes(path, is_directory) in (True, False)
    assert excluder.excludes_entry(path, is_directory) in (True, False)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_decode_or_give_a_source_error(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "m.py"
        path.write_bytes(data)
        try:
            outcome = f"text of {len(read_source(path))} characters"
        except SourceError as error:
            outcome = error.describe("m.py")
    assert outcome.startswith(("text of ", "cannot decode m.py: not a Python source file ("))
