"""The tests a module defines, and the patches that may be active in each."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from mockls.analysis.builder import build_model
from mockls.analysis.discovery import TestClassKind, class_collection, find_tests, local_classes
from mockls.analysis.snapshot import ModuleSnapshot
from mockls.fixes.enclosing_test import enclosing_test
from mockls.pytest_options import TestNaming, read_pytest_options

SOURCE = """\
import unittest
from unittest import mock

import pytest


def setUpModule():
    mock.patch("app.config.DEBUG", True).start()


@pytest.fixture
def clock(mocker):
    return mocker.patch("app.time.now")


def helper():
    return mock.patch("app.helper")


@mock.patch("app.mail.send")
def test_sends(mock_send, clock):
    with mock.patch("app.mail.log"):
        pass


async def test_waits():
    pass


def not_a_test():
    mock.patch("app.other").start()


@mock.patch("app.db.connect")
class OrderTests(unittest.TestCase):
    def setUp(self):
        self.patcher = mock.patch("app.db.save")
        self.patcher.start()

    def test_saves(self):
        pass

    @mock.patch("app.db.load")
    def test_loads(self, mock_load, mock_connect):
        pass


class TestPlain:
    def test_plain(self):
        with mock.patch("app.plain"):
            pass


class Helpers:
    def test_like(self):
        pass
"""


def targets(name: str) -> list[str | None]:
    (test,) = [test for test in find_tests(SOURCE, build_model(SOURCE)) if test.name == name]
    return [site.target for site in test.patches]


def test_every_test_is_found_in_source_order_with_the_span_of_its_name() -> None:
    tests = find_tests(SOURCE, build_model(SOURCE))
    lines = SOURCE.splitlines()
    assert [
        (
            test.name,
            lines[test.span.start.line][test.span.start.character : test.span.end.character],
        )
        for test in tests
    ] == [
        ("test_sends", "test_sends"),
        ("test_waits", "test_waits"),
        ("OrderTests.test_saves", "test_saves"),
        ("OrderTests.test_loads", "test_loads"),
        ("TestPlain.test_plain", "test_plain"),
    ]


@pytest.mark.parametrize(
    ("test", "expected"),
    [
        pytest.param(
            "test_sends",
            ["app.config.DEBUG", "app.time.now", "app.mail.send", "app.mail.log"],
            id="own-decorator-body-fixture-and-module-setup",
        ),
        pytest.param("test_waits", ["app.config.DEBUG"], id="only-module-setup"),
        pytest.param(
            "OrderTests.test_saves",
            ["app.config.DEBUG", "app.db.connect", "app.db.save"],
            id="class-decorator-and-setUp",
        ),
        pytest.param(
            "OrderTests.test_loads",
            ["app.config.DEBUG", "app.db.connect", "app.db.save", "app.db.load"],
            id="not-the-other-tests-patches",
        ),
    ],
)
def test_the_patches_that_may_be_active_in_a_test(test: str, expected: list[str]) -> None:
    assert targets(test) == expected


def test_broken_code_gives_the_tests_that_can_be_recovered() -> None:
    source = "from unittest import mock\n\ndef test_ok():\n    pass\n\ndef test_broken(:\n"
    assert [test.name for test in find_tests(source, build_model(source))] == ["test_ok"]


CELERY_STYLE = """\
import unittest
from unittest import mock


class test_Worker:
    def test_start(self):
        with mock.patch("app.worker.run"):
            pass

    def check_stop(self):
        pass


class TestIgnored:
    def test_not_collected(self):
        pass


class WorkerCase(unittest.TestCase):
    def test_case(self):
        pass


def check_module_function():
    pass


def test_default_name():
    pass
"""


@pytest.mark.parametrize(
    ("naming", "expected"),
    [
        pytest.param(
            TestNaming(),
            ["TestIgnored.test_not_collected", "WorkerCase.test_case", "test_default_name"],
            id="pytest-defaults",
        ),
        pytest.param(
            TestNaming(classes=("test_*",)),
            ["test_Worker.test_start", "WorkerCase.test_case", "test_default_name"],
            id="python_classes-glob",
        ),
        pytest.param(
            TestNaming(classes=("test_",), functions=("test", "check_")),
            [
                "test_Worker.test_start",
                "test_Worker.check_stop",
                "WorkerCase.test_case",
                "check_module_function",
                "test_default_name",
            ],
            id="prefixes-and-a-second-function-prefix",
        ),
    ],
)
def test_tests_are_named_as_the_project_configures_pytest(
    naming: TestNaming, expected: list[str]
) -> None:
    found = find_tests(CELERY_STYLE, build_model(CELERY_STYLE), naming)
    assert [test.name for test in found] == expected


PYTEST_NAMING = Path(__file__).resolve().parents[1] / "fixtures" / "pytest_naming"


def collected_by_pytest(root: Path) -> list[str]:
    """The test ids the real pytest collects in the project at ``root``, with its own ini."""
    finished = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return [line for line in finished.stdout.splitlines() if "::" in line]


def test_the_tests_found_and_enclosing_a_line_are_those_pytest_collects() -> None:
    relative = "tests/test_named.py"
    source = (PYTEST_NAMING / relative).read_text(encoding="utf-8")
    naming = read_pytest_options(PYTEST_NAMING).naming
    found = find_tests(source, build_model(source), naming)
    tree = ModuleSnapshot(source).tree
    assert tree is not None
    patched_lines = [
        number for number, line in enumerate(source.splitlines()) if "mock.patch(" in line
    ]
    enclosing = [enclosing_test(tree, line, naming) for line in patched_lines]

    pytest_ids = collected_by_pytest(PYTEST_NAMING)
    assert len(pytest_ids) == 8  # the fixture is what it claims to be
    expected = [test_id.removeprefix(f"{relative}::").replace("::", ".") for test_id in pytest_ids]
    assert [test.name for test in found] == expected
    assert [test.name for test in enclosing if test is not None] == expected


CLASSES = """\
import unittest
from helpers import Base, ReleaseCase


class LocalBase:
    pass


class LocalCase(unittest.TestCase):
    pass


class test_plain:
    pass


class test_on_object(object):
    pass


class test_on_a_local_base(LocalBase):
    pass


class test_on_a_local_case(LocalCase):
    pass


class on_a_case_from_elsewhere(ReleaseCase):
    pass


class test_on_a_base_from_elsewhere(Base):
    pass


class on_a_base_from_elsewhere(Base):
    pass


class helper_class:
    pass
"""


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("test_plain", TestClassKind.PYTEST),
        ("test_on_object", TestClassKind.PYTEST),
        ("test_on_a_local_base", TestClassKind.PYTEST),
        ("test_on_a_local_case", TestClassKind.UNITTEST),
        ("on_a_case_from_elsewhere", TestClassKind.UNITTEST),
        ("test_on_a_base_from_elsewhere", TestClassKind.EITHER),
        ("on_a_base_from_elsewhere", TestClassKind.UNITTEST),  # collected only if a TestCase
        ("helper_class", None),
        ("LocalBase", None),
    ],
)
def test_how_pytest_collects_a_class(name: str, kind: TestClassKind | None) -> None:
    body = ast.parse(CLASSES).body
    klass = local_classes(body)[name]
    assert class_collection(body, klass, TestNaming(classes=("test_",))) is kind
