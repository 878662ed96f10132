"""The ``resolve`` request in real interpreters: what a target is, or where and why it fails."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from mockls.sandbox import Reply, ResolveFailure, RuntimeObject, SandboxFault, SandboxPool

from .conftest import PROJECTS


def describe(outcome: RuntimeObject | ResolveFailure | SandboxFault | Reply) -> str:
    """An outcome in one line: ``function (figure, factor, *, around=None)``,
    ``segment 1 after 'geometry': attribute-error: AttributeError: ...``."""
    if isinstance(outcome, RuntimeObject):
        return (
            f"{outcome.kind.value} {outcome.signature}" if outcome.signature else outcome.kind.value
        )
    if isinstance(outcome, ResolveFailure):
        return (
            f"segment {outcome.segment} after {outcome.resolved_prefix!r}:"
            f" {outcome.reason.value}: {outcome.message}"
        )
    if isinstance(outcome, SandboxFault):
        return f"fault {outcome.kind.value}: {outcome.message}"
    return f"reply {outcome.result}"


SHAPES = [
    ("geometry", "module"),
    ("geometry.figures", "module"),
    ("geometry.VERSION", "other"),
    ("geometry.Circle", "class (radius: float) -> None"),
    ("geometry.figures.Circle.area", "method (self) -> float"),
    ("geometry.figures.Circle.diameter", "property"),
    ("geometry.figures.Circle.perimeter", "property"),
    ("geometry.figures.Circle.unit", "method (scale: float = 1.0) -> 'Circle'"),
    ("geometry.figures.Circle.describe", "method (text, *, loud=False)"),
    ("geometry.figures.scale", "function (figure, factor, *, around=None)"),
    ("geometry.figures.UNIT", "other"),
    ("geometry.figures.UNIT.area", "method () -> float"),
    ("os.path.join", "function (a, *p)"),
    ("json", "module"),
    # what does not resolve, and why
    (
        "geometri.figures",
        "segment 0 after '': module-not-found: ModuleNotFoundError: No module named 'geometri'",
    ),
    (
        "geometry.figurs.Circle",
        "segment 1 after 'geometry': attribute-error:"
        " AttributeError: module 'geometry' has no attribute 'figurs'",
    ),
    (
        "geometry.figures.Circle.radius",
        "segment 3 after 'geometry.figures.Circle': attribute-error:"
        " AttributeError: type object 'Circle' has no attribute 'radius'",
    ),
    (
        "geometry.broken.anything",
        "segment 1 after 'geometry': import-error:"
        " RuntimeError: geometry.broken cannot be imported",
    ),
    (
        "geometry.needs_dependency.thing",
        "segment 1 after 'geometry': import-error:"
        " ModuleNotFoundError: No module named 'not_installed_anywhere'",
    ),
    ("geometry.exits.thing", "segment 1 after 'geometry': import-error: SystemExit: 3"),
    (
        "geometry.lazy.computed",
        "segment 2 after 'geometry.lazy': lookup-error: ValueError: cannot compute",
    ),
    (
        "geometry.lazy.missing",
        "segment 2 after 'geometry.lazy': attribute-error:"
        " AttributeError: module 'geometry.lazy' has no attribute 'missing'",
    ),
    (
        "os.path.joinn",
        "segment 2 after 'os.path': attribute-error:"
        " AttributeError: module 'posixpath' has no attribute 'joinn'",
    ),
]


@pytest.mark.parametrize(("target", "expected"), SHAPES, ids=[target for target, _ in SHAPES])
def test_resolve_reports_the_kind_and_signature_or_the_failing_segment(
    shapes_pool: SandboxPool, target: str, expected: str
) -> None:
    assert describe(shapes_pool.resolve(target)) == expected


def test_a_src_layout_puts_src_and_the_root_on_sys_path(
    open_pool: Callable[..., SandboxPool],
) -> None:
    pool = open_pool(PROJECTS / "src_project")
    assert describe(pool.resolve("inventory.stock.reserve")) == "function (item, quantity=1)"
    assert describe(pool.resolve("tasks.rebuild")) == "function (force=False)"


def test_a_target_that_is_not_a_dotted_name_is_rejected_and_the_worker_survives(
    open_pool: Callable[..., SandboxPool],
) -> None:
    pool = open_pool(PROJECTS / "shapes", size=1)
    before = pool.call("ping", {})
    outcome = pool.resolve("geometry.figures.")
    assert describe(outcome) == (
        'fault rejected: the sandbox worker refused resolve {"target": "geometry.figures."}:'
        " not a dotted name: 'geometry.figures.'"
    )
    after = pool.call("ping", {})
    assert isinstance(before, Reply)
    assert isinstance(after, Reply)
    assert after.result["pid"] == before.result["pid"]


def test_an_unknown_request_is_rejected(open_pool: Callable[..., SandboxPool]) -> None:
    pool = open_pool(PROJECTS / "shapes", size=1)
    outcome = pool.call("teleport", {"target": "geometry.Circle"})
    assert describe(outcome) == (
        'fault rejected: the sandbox worker refused teleport {"target": "geometry.Circle"}:'
        " no such request: 'teleport'"
    )


def test_the_environment_reaches_user_code(open_pool: Callable[..., SandboxPool]) -> None:
    plain = open_pool(PROJECTS / "shapes", size=1, environment={})
    flavoured = open_pool(PROJECTS / "shapes", size=1, environment={"SHAPES_FLAVOUR": "special"})
    assert describe(plain.resolve("flavour.special")).startswith("segment 1 after 'flavour'")
    assert describe(flavoured.resolve("flavour.special")) == "function ()"


def test_answers_are_the_same_from_the_cache(open_pool: Callable[..., SandboxPool]) -> None:
    pool = open_pool(PROJECTS / "shapes", size=1)
    first = [pool.resolve(target) for target, _ in SHAPES]
    assert [describe(outcome) for outcome in first] == [expected for _, expected in SHAPES]
    assert [pool.resolve(target) for target, _ in SHAPES] == first
