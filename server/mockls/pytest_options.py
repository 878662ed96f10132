"""What a project's pytest configuration says about it: how tests are named, where they are
(``testpaths``), and ``pythonpath``.

pytest reads the first of ``pytest.ini`` (``[pytest]``), ``pyproject.toml``
(``[tool.pytest.ini_options]``), ``tox.ini`` (``[pytest]``) and ``setup.cfg``
(``[tool:pytest]``) that has its section, in the project root. mockls reads the same file so
that the tests it runs (the "Verify patches" lens, ``mockls check --verify``) are the tests
``pytest`` run in the project root collects, that ``mockls check`` without paths checks where
that run looks, and that the directories pytest puts on ``sys.path`` are source roots. Reading
never fails: a broken file gives pytest's defaults.
"""

from __future__ import annotations

import fnmatch
import glob
import os
from dataclasses import dataclass
from pathlib import Path

from mockls.project_files import read_ini_section, read_toml, toml_value

__all__ = ["PYTEST_CONFIGURATION_FILES", "PytestOptions", "TestNaming", "read_pytest_options"]

_INI_SECTIONS = (
    ("pytest.ini", "pytest"),
    ("pyproject.toml", None),
    ("tox.ini", "pytest"),
    ("setup.cfg", "tool:pytest"),
)
PYTEST_CONFIGURATION_FILES = tuple(file_name for file_name, _section in _INI_SECTIONS)
"""The files in a project root that pytest may read its configuration from."""
_GLOB_CHARACTERS = frozenset("*?[")


def _matches(name: str, patterns: tuple[str, ...]) -> bool:
    """pytest's rule: a pattern with glob characters is a glob, any other a prefix."""
    return any(
        fnmatch.fnmatchcase(name, pattern)
        if _GLOB_CHARACTERS & set(pattern)
        else name.startswith(pattern)
        for pattern in patterns
    )


@dataclass(frozen=True, slots=True)
class TestNaming:
    """pytest's ``python_files``, ``python_classes`` and ``python_functions``."""

    __test__ = False  # not a pytest test class

    files: tuple[str, ...] = ("test_*.py", "*_test.py")
    classes: tuple[str, ...] = ("Test",)
    functions: tuple[str, ...] = ("test",)

    def is_test_file(self, file_name: str) -> bool:
        """Whether pytest collects a module of this file name."""
        return any(fnmatch.fnmatchcase(file_name, pattern) for pattern in self.files)

    def is_test_class(self, class_name: str) -> bool:
        """Whether pytest collects a class of this name (``unittest.TestCase`` subclasses
        are collected whatever their name)."""
        return _matches(class_name, self.classes)

    def is_test_function(self, function_name: str) -> bool:
        """Whether pytest collects a function or method of this name."""
        return _matches(function_name, self.functions)


@dataclass(frozen=True, slots=True)
class PytestOptions:
    """What mockls reads of a project's pytest configuration."""

    naming: TestNaming = TestNaming()
    pythonpath: tuple[Path, ...] = ()  # absolute directories
    testpaths: tuple[Path, ...] = ()
    """What ``testpaths`` names, its globs expanded as pytest expands them (absolute; empty
    when it is not set or names nothing that exists: pytest then searches the root)."""

    def collects(self, path: Path) -> bool:
        """Whether ``pytest`` run in the project root collects the tests of the module at
        ``path`` (absolute): its name is a test file's, and it lies under ``testpaths``."""
        if not self.naming.is_test_file(path.name):
            return False
        return not self.testpaths or any(
            path == testpath or testpath in path.parents for testpath in self.testpaths
        )


def read_pytest_options(root: Path | None) -> PytestOptions:
    """The pytest configuration of the project at ``root`` (pytest's defaults without one)."""
    if root is None:
        return PytestOptions()
    for file_name, section in _INI_SECTIONS:
        path = root / file_name
        values: object
        if section is None:
            values = toml_value(read_toml(path), "tool", "pytest", "ini_options")
        else:
            values = read_ini_section(path, section)
        if isinstance(values, dict):
            return _options(values, root)
    return PytestOptions()


def _words(value: object) -> tuple[str, ...] | None:
    """An ini value (whitespace-separated) or a TOML list as words; ``None`` when absent."""
    if isinstance(value, str):
        return tuple(value.split())
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return tuple(value)
    return None


def _options(values: dict[str, object], root: Path) -> PytestOptions:
    defaults = TestNaming()
    naming = TestNaming(
        files=_words(values.get("python_files")) or defaults.files,
        classes=_words(values.get("python_classes")) or defaults.classes,
        functions=_words(values.get("python_functions")) or defaults.functions,
    )
    pythonpath = tuple((root / entry).resolve() for entry in _words(values.get("pythonpath")) or ())
    return PytestOptions(
        naming, pythonpath, _testpaths(_words(values.get("testpaths")) or (), root)
    )


def _testpaths(patterns: tuple[str, ...], root: Path) -> tuple[Path, ...]:
    """pytest's expansion: each entry a recursive glob from the root, its matches sorted."""
    found: list[Path] = []
    for pattern in patterns:
        matches = sorted(glob.glob(pattern, root_dir=root, recursive=True))
        found.extend(Path(os.path.normpath(root / match)) for match in matches)
    return tuple(dict.fromkeys(found))
