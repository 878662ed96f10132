"""How the code under test reads a name (``resolve/name_uses.py``): when, called or not, and
whether a call's result is dropped."""

from __future__ import annotations

from pathlib import Path

import pytest

from mockls.resolve.module_summary import summarize_module
from mockls.resolve.name_uses import ImportTimeRead, name_uses
from mockls.resolve.project import Project

from .conftest import FIXTURES

SILENT = FIXTURES / "silent_mistakes"


def _rows(source: str, names: list[str], module: str = "app.code") -> list[tuple[object, ...]]:
    summary = summarize_module(
        module, f"/nowhere/{module}.py", source, is_package=False, light=True
    )
    return [
        (use.dotted, use.span.start.line + 1, use.at_import, use.called, use.discarded)
        for use in name_uses([summary], names)
    ]


@pytest.mark.parametrize(
    ("source", "names", "expected"),
    [
        pytest.param(
            "from app import settings\nX = settings.A\ndef f(a=settings.B):\n"
            "    return settings.C\n",
            ["app.settings"],
            [
                ("app.settings.A", 2, ImportTimeRead.MODULE, False, False),
                ("app.settings.B", 3, ImportTimeRead.DEFAULT, False, False),
                ("app.settings.C", 4, None, False, False),
            ],
            id="module-level-default-and-body",
        ),
        pytest.param(
            "import app.settings as s\nclass K:\n    limit = s.A\n"
            "    @staticmethod\n    @cache(s.B)\n    def m(self):\n        return s.C\n",
            ["app.settings"],
            [
                ("app.settings.A", 3, ImportTimeRead.CLASS_BODY, False, False),
                ("app.settings.B", 5, ImportTimeRead.DECORATOR, False, False),
                ("app.settings.C", 7, None, False, False),
            ],
            id="class-body-and-decorator",
        ),
        pytest.param(
            "from app.notify import send\nasync def f():\n    send(1)\n    await send(2)\n"
            "    x = send(3)\n    return send(4)\n",
            ["app.notify.send"],
            [
                ("app.notify.send", 3, None, True, True),
                ("app.notify.send", 4, None, True, False),
                ("app.notify.send", 5, None, True, False),
                ("app.notify.send", 6, None, True, False),
            ],
            id="calls-dropped-or-kept",
        ),
        pytest.param(
            "TIMEOUT = 3\ndef f(t=TIMEOUT):\n    TIMEOUT = 4\n    return TIMEOUT\n"
            "def g(TIMEOUT):\n    return TIMEOUT\n"
            "def h():\n    global TIMEOUT\n    return TIMEOUT\n",
            ["app.code.TIMEOUT"],
            [
                ("app.code.TIMEOUT", 2, ImportTimeRead.DEFAULT, False, False),
                ("app.code.TIMEOUT", 9, None, False, False),
            ],
            id="own-names-and-local-shadows",
        ),
        pytest.param(
            "from app import settings\nF = lambda a=settings.A: settings.B\n",
            ["app.settings"],
            [
                ("app.settings.B", 2, None, False, False),
                ("app.settings.A", 2, ImportTimeRead.MODULE, False, False),
            ],
            id="lambda-default-and-body",
        ),
        pytest.param(
            "from . import settings\nX = settings.A\n",
            ["app"],
            [("app.settings.A", 2, ImportTimeRead.MODULE, False, False)],
            id="a-package-spelled-only-by-a-relative-import",
        ),
        pytest.param(
            "TIMEOUT = 3\ndef f(t=TIMEOUT):\n    pass\n",
            ["app.code"],
            [("app.code.TIMEOUT", 2, ImportTimeRead.DEFAULT, False, False)],
            id="the-module-itself-read-through-its-own-names",
        ),
        pytest.param(
            "from app import config\nX = config.A\n# settings\n",
            ["app.settings.A"],
            [],
            id="a-module-not-spelling-a-segment-cannot-read-it",
        ),
        pytest.param("def broken(:\n", ["app"], [], id="syntax-error"),
    ],
)
def test_reads_are_found_with_when_and_how(
    source: str, names: list[str], expected: list[tuple[object, ...]]
) -> None:
    assert _rows(source, names) == expected


def test_the_uses_of_the_code_under_test_of_a_file() -> None:
    project = Project(SILENT)
    project.scan()
    test_file = SILENT / "tests" / "test_uses.py"
    project.update_file(test_file, "import app.net\n")
    uses = project.uses(["app.settings.TIMEOUT", "app.settings.LIVE"], test_file)
    assert [
        (use.module, Path(use.path).relative_to(SILENT).as_posix(), use.dotted, use.at_import)
        for use in uses
    ] == [
        ("app.net", "app/net.py", "app.settings.TIMEOUT", ImportTimeRead.DEFAULT),
        ("app.net", "app/net.py", "app.settings.LIVE", None),
    ]
