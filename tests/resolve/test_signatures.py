"""Signatures read from source: rendered like :func:`inspect.signature`, bound like
:meth:`inspect.Signature.bind` (the check autospecced mocks run on every call)."""

from __future__ import annotations

import inspect
import itertools
import textwrap
from typing import Any

import pytest

from mockls.resolve.module_summary import summarize_module
from mockls.resolve.resolution import CallShape, Signature

DEFINITIONS = [
    "def f(): pass",
    "def f(a): pass",
    "def f(a, b=1): pass",
    "def f(a, /, b, *, c): pass",
    "def f(a, /, b=2, *args, c, d=4, **kwargs): pass",
    "def f(*args): pass",
    "def f(**kwargs): pass",
    "def f(a, /, **kwargs): pass",
    "def f(*, key): pass",
    "def f(a: int, b: 'str' = 'x', *rest: int, flag: bool = False) -> list[int]: pass",
]


def _signature(definition: str) -> Signature:
    summary = summarize_module("m", "m.py", definition + "\n", is_package=False)
    signature = summary.bindings["f"].signature
    assert signature is not None
    return signature


def _function(definition: str) -> Any:
    namespace: dict[str, Any] = {}
    # dont_inherit: this module's ``from __future__ import annotations`` must not apply
    exec(compile(definition, "<definition>", "exec", dont_inherit=True), namespace)
    return namespace["f"]


@pytest.mark.parametrize("definition", DEFINITIONS)
def test_a_signature_renders_like_inspect(definition: str) -> None:
    expected = str(inspect.signature(_function(definition)))
    assert _signature(definition).text() == expected


KEYWORD_NAMES = ("a", "b", "c", "key", "other")
SHAPES = [
    CallShape(positional, keywords)
    for positional in range(4)
    for count in range(3)
    for keywords in itertools.combinations(KEYWORD_NAMES, count)
]


@pytest.mark.parametrize("definition", DEFINITIONS)
def test_binding_errors_are_the_ones_inspect_raises(definition: str) -> None:
    signature = _signature(definition)
    real = inspect.signature(_function(definition))
    for shape in SHAPES:
        arguments = list(range(shape.positional))
        keywords = dict.fromkeys(shape.keywords, 0)
        try:
            real.bind(*arguments, **keywords)
            expected = None
        except TypeError as error:
            expected = str(error)
        assert signature.bind_error(shape) == expected, (definition, shape)


@pytest.mark.parametrize(
    ("definition", "shape", "expected"),
    [
        # *args / **kwargs in the call leave what they might hold open
        ("def f(a, b): pass", CallShape(0, (), star_args=True), None),
        ("def f(a, *, b): pass", CallShape(1, (), star_kwargs=True), None),
        ("def f(a, *, b): pass", CallShape(0, (), star_args=True), None),
        (
            "def f(a): pass",
            CallShape(1, ("a",), star_args=True),
            "multiple values for argument 'a'",
        ),
        ("def f(a): pass", CallShape(2, (), star_args=True), "too many positional arguments"),
        (
            "def f(a): pass",
            CallShape(1, ("z",), star_kwargs=True),
            "got an unexpected keyword argument 'z'",
        ),
    ],
)
def test_binding_with_unpacked_arguments_checks_only_what_is_certain(
    definition: str, shape: CallShape, expected: str | None
) -> None:
    assert _signature(definition).bind_error(shape) == expected


def test_without_first_drops_self_like_a_bound_method() -> None:
    source = textwrap.dedent(
        """
        def f(self, a, *, b=1): pass
        """
    )
    assert _signature(source).without_first().text() == "(a, *, b=1)"
    assert _signature("def f(*args): pass").without_first().text() == "(*args)"
    assert _signature("def f(): pass").without_first().text() == "()"


def test_decorators_that_may_change_a_signature_leave_it_unknown() -> None:
    source = "\n".join(
        [
            "import functools",
            "@functools.lru_cache",
            "def f(a): pass",
            "@app.get('/')",
            "def g(b): pass",
        ]
    )
    summary = summarize_module("m", "m.py", source, is_package=False)
    assert summary.bindings["f"].signature == _signature("def f(a): pass")
    assert summary.bindings["g"].signature is None
