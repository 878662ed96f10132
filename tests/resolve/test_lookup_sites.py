"""Who in the code under test binds or looks up a patched name (the ``ineffective-patch`` facts)."""

from __future__ import annotations

from pathlib import Path
from unittest import mock

import pytest

from mockls.resolve.module_summary import ModuleSummary
from mockls.resolve.project import Project
from mockls.resolve.resolution import LookupReport

from .conftest import FIXTURES

LAYERED = FIXTURES / "layered"


def render(report: LookupReport, root: Path) -> dict[str, object]:
    """The whole report with paths relative to ``root`` and spans as 1-based lines."""
    return {
        "definition site": report.is_definition_site,
        "binders": [
            (
                binder.module,
                Path(binder.path).relative_to(root).as_posix(),
                binder.local_name,
                binder.import_span.start.line + 1,
                binder.statement,
            )
            for binder in report.binders
        ],
        "through module": list(report.through_module),
    }


CASES = [
    (
        "shop.payments.charge",
        "tests/test_checkout.py",
        {
            "definition site": True,
            "binders": [
                (
                    "shop.billing",
                    "shop/billing.py",
                    "pay",
                    3,
                    "from .payments import charge as pay",
                ),
                ("shop.legacy", "shop/legacy.py", "charge", 3, "from shop import charge"),
                ("shop.orders", "shop/orders.py", "charge", 4, "from shop.payments import charge"),
            ],
            "through module": ["shop.reports"],
        },
    ),
    # importing shop.reports runs shop/__init__.py, which imports shop.orders: it is under test
    (
        "shop.payments.charge",
        "tests/test_reports.py",
        {
            "definition site": True,
            "binders": [
                ("shop.orders", "shop/orders.py", "charge", 4, "from shop.payments import charge"),
            ],
            "through module": ["shop.reports"],
        },
    ),
    # looked up through the module only: nothing binds it
    (
        "shop.payments.refund",
        "tests/test_checkout.py",
        {"definition site": True, "binders": [], "through module": ["shop.orders"]},
    ),
    # the lookup site itself is patched
    (
        "shop.orders.charge",
        "tests/test_checkout.py",
        {"definition site": False, "binders": [], "through module": []},
    ),
    # importing shop.utils.helpers runs shop/__init__.py too
    (
        "shop.payments.charge",
        "tests/test_helpers.py",
        {
            "definition site": True,
            "binders": [
                ("shop.orders", "shop/orders.py", "charge", 4, "from shop.payments import charge"),
            ],
            "through module": [],
        },
    ),
    # not a module attribute: a class attribute, a module, outside the workspace
    (
        "shop.payments.Gateway.authorize",
        "tests/test_checkout.py",
        {"definition site": False, "binders": [], "through module": []},
    ),
    (
        "shop.payments",
        "tests/test_checkout.py",
        {"definition site": False, "binders": [], "through module": []},
    ),
    # outside the workspace: the module it is imported from counts as where it is defined
    (
        "os.path.join",
        "tests/test_checkout.py",
        {"definition site": True, "binders": [], "through module": []},
    ),
]


@pytest.mark.parametrize(("target", "test_file", "expected"), CASES)
def test_lookups_of_a_target_from_a_test_file(
    layered: Project, target: str, test_file: str, expected: dict[str, object]
) -> None:
    assert render(layered.lookups(target, LAYERED / test_file), LAYERED) == expected


def test_a_relative_import_in_a_src_layout_binds(
    installed: Project, installed_workspace: Path
) -> None:
    report = installed.lookups(
        "inventory.stock.reserve", installed_workspace / "tests/test_warehouse.py"
    )
    assert render(report, installed_workspace) == {
        "definition site": True,
        "binders": [
            (
                "inventory.warehouse",
                "src/inventory/warehouse.py",
                "reserve",
                3,
                "from .stock import reserve",
            ),
        ],
        "through module": [],
    }


def test_code_under_test_that_never_reaches_the_name_has_no_binders(
    installed: Project, installed_workspace: Path
) -> None:
    report = installed.lookups(
        "inventory.stock.reserve", installed_workspace / "tests/test_invoice.py"
    )
    assert report == LookupReport(is_definition_site=True)


def test_a_multi_line_import_is_quoted_on_one_line_without_comments_naming_the_binding(
    tmp_path: Path,
) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("")
    (tmp_path / "pkg" / "core.py").write_text("def run():\n    pass\n\n\ndef stop():\n    pass\n")
    (tmp_path / "pkg" / "app.py").write_text(
        "from .core import (  # the commands\n    stop,\n    run as start,  # renamed\n)\n\n\n"
        "def main():\n    start()\n    stop()\n"
    )
    (tmp_path / "test_app.py").write_text("import pkg.app\n")
    project = Project(tmp_path)
    project.scan()
    report = project.lookups("pkg.core.run", tmp_path / "test_app.py")
    assert [
        (b.statement, b.import_span.start.line, b.import_span.end.line) for b in report.binders
    ] == [("from .core import run as start", 0, 3)]


def test_a_star_import_that_is_used_binds(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("")
    (tmp_path / "pkg" / "core.py").write_text("def run():\n    pass\n")
    (tmp_path / "pkg" / "app.py").write_text("from pkg.core import *\n\n\ndef main():\n    run()\n")
    (tmp_path / "pkg" / "unused.py").write_text("from pkg.core import *\n")
    (tmp_path / "test_app.py").write_text("import pkg.app\nimport pkg.unused\n")
    project = Project(tmp_path)
    project.scan()
    report = project.lookups("pkg.core.run", tmp_path / "test_app.py")
    assert [(b.module, b.local_name, b.statement) for b in report.binders] == [
        ("pkg.app", "run", "from pkg.core import *")
    ]


READERS_PROJECT = {
    "pkg/__init__.py": "",
    "pkg/target.py": "def file(): ...\ndef other(): ...\n",
    "pkg/reader.py": "import pkg.target\n\ndef run():\n    return pkg.target.file()\n",
    "pkg/aliased.py": "from pkg import target as t\n\ndef run():\n    return t.file\n",
    # NFKC folds the ligature: this reads pkg.target.file without writing 'file'
    "pkg/folded.py": "import pkg.target\n\ndef run():\n    return pkg.target.\ufb01le()\n",
    "pkg/elsewhere.py": "import pkg.target\n\ndef run():\n    return pkg.target.other()\n",
    "tests/test_all.py": "import pkg.reader, pkg.aliased, pkg.folded, pkg.elsewhere\n",
}


def test_readers_are_found_without_reading_whole_the_modules_that_never_write_the_name(
    tmp_path: Path,
) -> None:
    for name, text in READERS_PROJECT.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    project = Project(tmp_path)
    project.scan()
    read_whole: list[str] = []
    detailed = ModuleSummary.detailed

    def recording(summary: ModuleSummary) -> ModuleSummary:
        read_whole.append(summary.name)
        return detailed(summary)

    with mock.patch.object(ModuleSummary, "detailed", autospec=True, side_effect=recording):
        report = project.lookups("pkg.target.file", tmp_path / "tests" / "test_all.py")
    assert report.through_module == ("pkg.aliased", "pkg.folded", "pkg.reader")
    assert "pkg.elsewhere" not in read_whole
    assert {"pkg.reader", "pkg.aliased", "pkg.folded"} <= set(read_whole)
