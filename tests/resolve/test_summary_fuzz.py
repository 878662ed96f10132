"""Summaries of random text and of mutated fixture modules: a summary, never an internal error.

:func:`summarize_module` catches its own failures (so that the index survives a bug) and logs
them; here any such log is a failure, and the light and whole summaries must agree on what
the module binds.
"""

from __future__ import annotations

import logging

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mockls.resolve.module_summary import summarize_module

from .conftest import FIXTURES

CORPUS = "\n".join(
    path.read_text() for path in sorted((FIXTURES / "layered" / "shop").rglob("*.py"))
)


@st.composite
def mutated_corpus(draw: st.DrawFn) -> str:
    """The fixture modules with a slice cut out and random text put in."""
    start = draw(st.integers(0, len(CORPUS)))
    end = draw(st.integers(start, min(len(CORPUS), start + 200)))
    inserted = draw(
        st.text(
            alphabet=st.sampled_from(list("()[]{}:=.,*@ \n\tdefclassimportfromas_x'\"#\\")),
            max_size=30,
        )
    )
    return CORPUS[:start] + inserted + CORPUS[end:]


def _check(text: str, caplog: pytest.LogCaptureFixture) -> None:
    caplog.clear()
    with caplog.at_level(logging.ERROR, logger="mockls.resolve.module_summary"):
        light = summarize_module("pkg.mod", "pkg/mod.py", text, is_package=False, light=True)
        whole = light.detailed()
    assert caplog.records == []
    assert light.bindings.keys() == whole.bindings.keys()
    assert light.imported_modules == whole.imported_modules
    assert light.star_imports == whole.star_imports
    assert (light.dynamic, light.partial) == (whole.dynamic, whole.partial)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(mutated_corpus())
def test_mutated_modules_are_summarized(caplog: pytest.LogCaptureFixture, text: str) -> None:
    _check(text, caplog)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=300))
def test_random_text_is_summarized(caplog: pytest.LogCaptureFixture, text: str) -> None:
    _check(text, caplog)


def test_the_corpus_itself_is_summarized(caplog: pytest.LogCaptureFixture) -> None:
    _check(CORPUS, caplog)
