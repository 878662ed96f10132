"""The Project facade: module names, qualifying expressions, completion, keeping current."""

from __future__ import annotations

import threading
from pathlib import Path
from unittest import mock

import pytest

from mockls.resolve import index as index_module
from mockls.resolve import patch_reach
from mockls.resolve import project as project_module
from mockls.resolve.project import Project, ProjectFile
from mockls.resolve.resolution import Completion, LookupReport, Resolved, TargetKind

from .conftest import FIXTURES, describe

LAYERED = FIXTURES / "layered"
CHECKOUT = LAYERED / "tests" / "test_checkout.py"


@pytest.mark.parametrize(
    ("relative", "expected"),
    [
        ("shop/__init__.py", "shop"),
        ("shop/utils/helpers.py", "shop.utils.helpers"),
        ("tests/test_checkout.py", "tests.test_checkout"),
        ("not-a-package/module.py", None),
        ("shop/README.md", None),
    ],
)
def test_module_name_of_a_path(layered: Project, relative: str, expected: str | None) -> None:
    assert layered.module_name(LAYERED / relative) == expected


def test_module_names_in_a_src_layout_start_below_src(
    installed: Project, installed_workspace: Path
) -> None:
    assert (
        installed.module_name(installed_workspace / "src/inventory/stock.py") == "inventory.stock"
    )
    assert (
        installed.module_name(installed_workspace / "tests/test_warehouse.py")
        == "tests.test_warehouse"
    )


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("Order", "shop.orders.Order"),
        ("billing.bill", "shop.billing.bill"),
        ("mock.patch", "unittest.mock.patch"),
        ("test_pay", "tests.test_checkout.test_pay"),
        ("dict", "builtins.dict"),
        ("undefined_name", None),
        ("self.service", None),
    ],
)
def test_qualify_an_expression_through_the_imports_of_a_module(
    layered: Project, expression: str, expected: str | None
) -> None:
    assert layered.qualify(CHECKOUT, expression) == expected


def test_qualify_without_a_file_cannot_tell(layered: Project) -> None:
    assert layered.qualify(None, "Order") is None


def test_project_file_answers_for_its_file(layered: Project) -> None:
    file = ProjectFile(layered, CHECKOUT)
    assert file.module_name == "tests.test_checkout"
    assert file.qualify("Order") == "shop.orders.Order"
    assert file.lookups("shop.payments.refund").through_module == ("shop.orders",)
    assert ProjectFile(layered, None).lookups("shop.payments.refund") == LookupReport()


@pytest.mark.parametrize(
    ("prefix", "expected"),
    [
        ("shop.pay", [Completion("payments", TargetKind.MODULE, "shop.payments")]),
        (
            "shop.payments.Gateway.a",
            [
                Completion("api_key", TargetKind.ATTRIBUTE, "shop.payments.Gateway.api_key"),
                Completion(
                    "authorize", TargetKind.METHOD, "shop.payments.Gateway.authorize(self, amount)"
                ),
            ],
        ),
        (
            "shop.utils.",
            [
                Completion("helpers", TargetKind.MODULE, "shop.utils.helpers"),
                Completion("slugify", TargetKind.FUNCTION, "shop.utils.helpers.slugify(text)"),
            ],
        ),
        (
            "shop.orders.ch",
            [
                Completion(
                    "charge",
                    TargetKind.FUNCTION,
                    'shop.payments.charge(amount: float, currency: str = "EUR", *,'
                    " idempotency_key: str | None = None) -> str",
                )
            ],
        ),
        ("shop.payments.charge.", []),
        ("shop.nothing.", []),
    ],
)
def test_completion_in_the_workspace(
    layered: Project, prefix: str, expected: list[Completion]
) -> None:
    assert layered.complete(prefix) == expected


def test_top_level_completion_lists_workspace_modules_first(layered: Project) -> None:
    labels = [completion.label for completion in layered.complete("sh")]
    assert labels[0] == "shop"
    assert {"shelve", "shlex", "shutil"} <= set(labels[1:])


def test_completion_in_the_environment(layered: Project) -> None:
    assert [completion.label for completion in layered.complete("json.lo")] == ["load", "loads"]
    assert [completion.label for completion in layered.complete("unittest.mo")] == ["mock"]
    # a workspace name bound to a module outside the workspace
    assert [completion.label for completion in layered.complete("shop.environment.ospath.joi")] == [
        "join"
    ]


def test_completion_hides_dunder_names_until_asked(layered: Project) -> None:
    assert "__init__" not in [c.label for c in layered.complete("shop.payments.Gateway.")]
    assert [c.label for c in layered.complete("shop.payments.Gateway.__in")] == ["__init__"]


def _copy_project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    (root / "pkg").mkdir(parents=True)
    (root / "pkg" / "__init__.py").write_text("")
    (root / "pkg" / "core.py").write_text("def run():\n    pass\n")
    (root / "pkg" / "app.py").write_text("from pkg.core import run\n\n\ndef main():\n    run()\n")
    (root / "test_app.py").write_text("import pkg.app\n")
    return root


def test_update_file_invalidates_resolutions(tmp_path: Path) -> None:
    root = _copy_project(tmp_path)
    project = Project(root)
    project.scan()
    assert (
        describe(project.resolve_target("pkg.core.run"), root)
        == "function pkg.core.run () @ pkg/core.py:1:5"
    )
    assert (
        describe(project.resolve_target("pkg.core.stop"), root)
        == "unresolved at 2 after 'pkg.core'"
    )
    project.update_file(
        root / "pkg" / "core.py", "def run(fast=False):\n    pass\n\n\ndef stop():\n    pass\n"
    )
    assert (
        describe(project.resolve_target("pkg.core.run"), root)
        == "function pkg.core.run (fast=False) @ pkg/core.py:1:5"
    )
    assert (
        describe(project.resolve_target("pkg.core.stop"), root)
        == "function pkg.core.stop () @ pkg/core.py:5:5"
    )


def test_update_file_adds_and_removes_modules(tmp_path: Path) -> None:
    root = _copy_project(tmp_path)
    project = Project(root)
    project.scan()
    project.update_file(root / "pkg" / "extra" / "new.py", "VALUE = 1\n")
    assert (
        describe(project.resolve_target("pkg.extra.new.VALUE"), root)
        == "constant pkg.extra.new.VALUE @ pkg/extra/new.py:1:1"
    )
    assert [c.label for c in project.complete("pkg.")] == ["app", "core", "extra"]
    project.update_file(root / "pkg" / "extra" / "new.py", None)
    assert (
        describe(project.resolve_target("pkg.extra.new.VALUE"), root)
        == "unresolved at 1 after 'pkg'"
    )
    assert [c.label for c in project.complete("pkg.")] == ["app", "core"]


def test_update_file_changes_the_lookups(tmp_path: Path) -> None:
    root = _copy_project(tmp_path)
    project = Project(root)
    project.scan()
    assert [b.module for b in project.lookups("pkg.core.run", root / "test_app.py").binders] == [
        "pkg.app"
    ]
    project.update_file(
        root / "pkg" / "app.py", "from pkg import core\n\n\ndef main():\n    core.run()\n"
    )
    report = project.lookups("pkg.core.run", root / "test_app.py")
    assert (report.binders, report.through_module) == ((), ("pkg.app",))


def test_an_unsaved_test_file_is_read_from_the_editor(tmp_path: Path) -> None:
    root = _copy_project(tmp_path)
    project = Project(root)
    project.scan()
    project.update_file(
        root / "test_app.py", "from pkg.app import main\nfrom pkg.core import run as r\n"
    )
    assert project.qualify(root / "test_app.py", "r") == "pkg.core.run"


def test_scan_skips_virtual_environments_and_tool_directories(tmp_path: Path) -> None:
    root = _copy_project(tmp_path)
    for directory in (
        ".venv/lib",
        "venv/lib",
        "env/lib",
        "node_modules/x",
        ".git/x",
        "pkg/__pycache__",
    ):
        (root / directory).mkdir(parents=True)
        (root / directory / "stray.py").write_text("X = 1\n")
    (root / "env" / "pyvenv.cfg").write_text("home = /usr/bin\n")
    project = Project(root)
    project.scan()
    assert sorted(project.index.snapshot().modules) == ["pkg", "pkg.app", "pkg.core", "test_app"]
    # files changing there later (a package installed) are no workspace modules either
    project.update_file(root / "env" / "lib" / "stray.py", "Y = 2\n")
    project.update_file(root / "node_modules" / "x" / "more.py", "Y = 2\n")
    assert sorted(project.index.snapshot().modules) == ["pkg", "pkg.app", "pkg.core", "test_app"]
    assert project.module_name(root / "env" / "lib" / "stray.py") is None


def test_a_package_wins_over_a_module_of_the_same_name(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("FROM_PACKAGE = 1\n")
    (tmp_path / "pkg.py").write_text("FROM_MODULE = 1\n")
    project = Project(tmp_path)
    project.scan()
    assert isinstance(project.resolve_target("pkg.FROM_PACKAGE"), Resolved)


BROKEN_SOURCES = [
    "def run(:\n    pass\n\nVALUE = 1\n",
    "from . import\n",
    "\0\0\0",
    "class C(\n",
    "x = " + "(" * 500 + ")" * 500 + "\n",
    "import\n",
    "\udcff = 1\n",
]


@pytest.mark.parametrize("source", BROKEN_SOURCES)
def test_a_broken_file_never_raises_and_its_names_are_unknown(tmp_path: Path, source: str) -> None:
    (tmp_path / "broken.py").write_bytes(source.encode("utf-8", errors="surrogateescape"))
    project = Project(tmp_path)
    project.scan()
    assert project.resolve_target("broken.surely_missing") is None
    project.update_file(tmp_path / "broken.py", source)
    assert project.resolve_target("broken.surely_missing") is None
    assert project.lookups("broken.run", tmp_path / "broken.py") == LookupReport()
    project.complete("broken.")
    project.qualify(tmp_path / "broken.py", "far")


def test_a_relative_import_above_the_top_level_binds_nothing(tmp_path: Path) -> None:
    (tmp_path / "far.py").write_text("from ........ import far\n")
    project = Project(tmp_path)
    project.scan()
    assert describe(project.resolve_target("far.far"), tmp_path) == "unresolved at 1 after 'far'"
    assert project.qualify(tmp_path / "far.py", "far") is None


def test_a_file_that_parses_after_recovery_keeps_its_names(tmp_path: Path) -> None:
    (tmp_path / "broken.py").write_text("def run(:\n    pass\n\nVALUE = 1\n")
    project = Project(tmp_path)
    project.scan()
    assert (
        describe(project.resolve_target("broken.VALUE"), tmp_path)
        == "constant broken.VALUE @ broken.py:4:1"
    )


def test_concurrent_requests_get_the_same_answers(layered: Project) -> None:
    targets = [
        "shop.payments.charge",
        "shop.orders.charge",
        "os.path.join",
        "shop.paymnts",
        "json.loads",
    ]
    expected = [describe(layered.resolve_target(target), LAYERED) for target in targets]
    answers: list[list[str]] = []

    def ask() -> None:
        answers.append([describe(layered.resolve_target(target), LAYERED) for target in targets])

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == [expected] * 8


def test_the_editor_text_wins_over_a_scan_running_meanwhile(tmp_path: Path) -> None:
    root = _copy_project(tmp_path)
    project = Project(root)
    editor_text = "def run(fast=True):\n    pass\n"
    read_source = index_module.read_source

    def read_while_the_editor_changes_core(path: Path) -> str:
        if path.name == "app.py":  # the scan reads app.py, then core.py changes in the editor
            project.update_file(root / "pkg" / "core.py", editor_text)
        return read_source(path)

    with mock.patch.object(index_module, "read_source", read_while_the_editor_changes_core):
        project.scan()
    assert describe(project.resolve_target("pkg.core.run"), root) == (
        "function pkg.core.run (fast=True) @ pkg/core.py:1:5"
    )


def test_the_public_surface_of_the_project_module() -> None:
    assert sorted(project_module.__all__) == [
        "Binder",
        "Completion",
        "LookupReport",
        "NameUse",
        "Project",
        "ProjectFile",
    ]


def test_the_public_surface_of_the_patch_facts_module() -> None:
    """What a patch names and reaches moved out of the project facade into its own module."""
    assert sorted(patch_reach.__all__) == [
        "Lookup",
        "ModulePatches",
        "PatchReach",
        "lookup_target",
        "patch_target",
        "patched_names",
        "replaced_names",
        "test_of",
    ]


def test_unusual_targets_never_raise(layered: Project) -> None:
    for target in ["", ".", "shop.", ".shop", "shop..payments", "shop.payments.charge ", "1shop"]:
        resolution = layered.resolve_target(target)
        assert resolution is None or not isinstance(resolution, Resolved), target


@pytest.mark.parametrize(
    "source",
    [
        "def __getattr__(name):\n    return name\n",
        "globals().update(made=1)\n",
        "globals()['made'] = 1\n",
        "import sys\nsetattr(sys.modules[__name__], 'made', 1)\n",
        "exec('made = 1')\n",
    ],
)
def test_a_module_that_makes_names_at_run_time_leaves_missing_ones_unknown(
    tmp_path: Path, source: str
) -> None:
    (tmp_path / "maker.py").write_text(source)
    project = Project(tmp_path)
    project.scan()
    assert project.resolve_target("maker.made") is None


def test_reading_globals_does_not_make_a_module_dynamic(tmp_path: Path) -> None:
    (tmp_path / "reader.py").write_text("def has(name):\n    return name in globals()\n")
    project = Project(tmp_path)
    project.scan()
    assert describe(project.resolve_target("reader.made"), tmp_path) == (
        "unresolved at 1 after 'reader'"
    )
