"""Each document gets its project's settings with the editor's laid over them."""

from __future__ import annotations

from pathlib import Path

import pytest

from mockls.config import LoadedSettings, Settings, load_project_settings
from mockls.lsp.settings import FileSettings, ProblemReporter, SettingsProvider, editor_section


def project(root: Path, mockls_table: str) -> Path:
    (root / "tests").mkdir(parents=True)
    (root / "pyproject.toml").write_text(f"[tool.mockls]\n{mockls_table}", encoding="utf-8")
    return root / "tests" / "test_orders.py"


def test_a_document_gets_its_projects_settings_and_relative_path(tmp_path: Path) -> None:
    test_file = project(
        tmp_path / "shop",
        "ignore = ['patcher-not-stopped']\n"
        "[tool.mockls.per-file-ignores]\n'tests/*' = ['misspelled-assert']\n",
    )
    provider = SettingsProvider()
    provider.set_workspace_folders((tmp_path,))
    assert provider.for_path(test_file) == FileSettings(
        settings=Settings(
            ignore=frozenset({"patcher-not-stopped"}),
            per_file_ignores=(("tests/*", frozenset({"misspelled-assert"})),),
        ),
        relative_path="tests/test_orders.py",
        root=tmp_path / "shop",
    )


def test_editor_settings_lay_over_the_project(tmp_path: Path) -> None:
    test_file = project(tmp_path, "ignore = ['patcher-not-stopped']\n")
    provider = SettingsProvider()
    provider.set_editor_settings(
        {"select": ["misspelled-assert"], "ignore": ["patch-argument-order"]}
    )
    assert provider.for_path(test_file).settings == Settings(
        select=frozenset({"misspelled-assert"}),
        ignore=frozenset({"patcher-not-stopped", "patch-argument-order"}),
    )


def test_problems_of_project_and_editor_are_reported(tmp_path: Path) -> None:
    test_file = project(tmp_path, "select = 'misspelled-assert'\n")
    provider = SettingsProvider()
    provider.set_editor_settings({"sandbox": {"enabled": "yes"}})
    loaded = provider.for_path(test_file)
    assert loaded.settings == Settings()
    assert loaded.problems == (
        f"{tmp_path / 'pyproject.toml'}: [tool.mockls] select: expected a list of rule codes, "
        "got 'misspelled-assert'; using the default",
        "editor settings: mockls.sandbox.enabled: expected true or false, got 'yes'; ignored",
    )


def test_project_files_are_read_once_while_unchanged(tmp_path: Path) -> None:
    test_file = project(tmp_path, "ignore = ['patcher-not-stopped']\n")
    reads: list[Path] = []

    def load(directory: Path) -> LoadedSettings:
        reads.append(directory)
        return load_project_settings(directory)

    provider = SettingsProvider(load_project=load)
    for _ in range(3):
        assert provider.for_path(test_file).settings.ignore == {"patcher-not-stopped"}
    assert reads == [test_file.parent]

    first_generation = provider.generation
    provider.reload_projects()
    assert provider.for_path(test_file).settings.ignore == {"patcher-not-stopped"}
    assert reads == [test_file.parent, test_file.parent]
    assert provider.generation > first_generation


def test_a_changed_project_file_is_read_again(tmp_path: Path) -> None:
    test_file = project(tmp_path, "ignore = ['patcher-not-stopped']\n")
    provider = SettingsProvider()
    assert provider.for_path(test_file).settings.ignore == {"patcher-not-stopped"}

    (tmp_path / "pyproject.toml").write_text("[tool.mockls]\n", encoding="utf-8")
    assert provider.for_path(test_file).settings.ignore == frozenset()


def test_unsaved_buffers_use_the_workspace_project(tmp_path: Path) -> None:
    project(tmp_path, "ignore = ['patcher-not-stopped']\n")
    provider = SettingsProvider()
    provider.set_workspace_folders((tmp_path,))
    assert provider.for_path(None) == FileSettings(
        Settings(ignore=frozenset({"patcher-not-stopped"})), "", tmp_path
    )


@pytest.mark.parametrize(
    ("folder", "expected"),
    [
        pytest.param("alpha", frozenset({"patcher-not-stopped"}), id="first-folder"),
        pytest.param("beta", frozenset({"misspelled-assert"}), id="second-folder"),
        pytest.param("gamma", frozenset({"patcher-not-stopped"}), id="outside-uses-the-first"),
    ],
)
def test_each_workspace_folder_has_its_own_editor_settings(
    tmp_path: Path, folder: str, expected: frozenset[str]
) -> None:
    provider = SettingsProvider()
    provider.set_workspace_folders([tmp_path / "alpha", tmp_path / "beta"])
    provider.set_editor_settings({"ignore": ["patcher-not-stopped"]})
    provider.set_editor_settings({"ignore": ["patcher-not-stopped"]}, tmp_path / "alpha")
    provider.set_editor_settings({"ignore": ["misspelled-assert"]}, tmp_path / "beta")
    test_file = project(tmp_path / folder, "")
    found = provider.for_path(test_file)
    assert (found.settings.ignore, found.relative_path) == (expected, "tests/test_orders.py")


def test_a_nested_folder_takes_precedence_over_the_one_holding_it(tmp_path: Path) -> None:
    provider = SettingsProvider()
    provider.set_workspace_folders([tmp_path, tmp_path / "inner"])
    provider.set_editor_settings({"ignore": ["misspelled-assert"]}, tmp_path / "inner")
    assert provider.folder_of(tmp_path / "inner" / "test_x.py") == tmp_path / "inner"
    assert provider.for_path(tmp_path / "inner" / "test_x.py").settings.ignore == frozenset(
        {"misspelled-assert"}
    )
    assert provider.for_path(tmp_path / "test_x.py").settings.ignore == frozenset()


def test_without_any_project_the_defaults_apply() -> None:
    assert SettingsProvider().for_path(None) == FileSettings(Settings(), "", None)


def test_a_file_outside_every_root_matches_by_its_name(tmp_path: Path) -> None:
    provider = SettingsProvider(load_project=lambda _directory: LoadedSettings(Settings(), None))
    provider.set_workspace_folders((tmp_path / "elsewhere",))
    assert provider.for_path(tmp_path / "test_x.py").relative_path == "test_x.py"


def test_a_failing_loader_gives_the_defaults(tmp_path: Path) -> None:
    def broken(_directory: Path) -> object:
        raise RuntimeError("bug")

    provider = SettingsProvider(load_project=broken)  # type: ignore[arg-type]
    assert provider.for_path(tmp_path / "test_x.py").settings == Settings()


@pytest.mark.parametrize(
    ("sent", "section"),
    [
        ({"mockls": {"select": []}}, {"select": []}),
        ({"select": []}, {"select": []}),
        (None, None),
        ("nonsense", "nonsense"),
    ],
)
def test_editor_section(sent: object, section: object) -> None:
    assert editor_section(sent) == section


def test_each_problem_is_shown_once() -> None:
    shown: list[str] = []
    reporter = ProblemReporter(shown.append)
    reporter.report(["a", "b"])
    reporter.report(["b", "c", "a"])
    assert shown == ["a", "b", "c"]
