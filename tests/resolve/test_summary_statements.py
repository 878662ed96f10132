"""Whole module summaries of the statements whose syntax nodes hold plain names rather than
nodes (``global``, ``nonlocal``, a class pattern's keywords): what they bind and read."""

from __future__ import annotations

import asyncio.tasks
import logging
import textwrap
from pathlib import Path
from typing import NamedTuple

import pytest

from mockls.resolve.module_summary import summarize_module
from mockls.resolve.project import Project

from .conftest import describe


class Summarized(NamedTuple):
    bindings: set[str]
    imported_modules: set[str]
    lookups: set[str]
    loaded_names: set[str]
    dynamic: bool = False


CASES = {
    "nonlocal_binds_no_module_name": (
        """
        import json

        def counter():
            count = 0
            def bump():
                nonlocal count
                count += 1
                return json.dumps(count)
            return bump
        """,
        Summarized({"json", "counter"}, {"json"}, {"json.dumps"}, {"json", "count", "bump"}),
    ),
    "global_in_a_function_binds_the_module_name": (
        """
        def reset():
            global total
            total = 0
        """,
        Summarized({"reset", "total"}, set(), set(), set()),
    ),
    "a_class_pattern_s_keywords_are_attributes_not_names": (
        """
        from shop import payments

        def describe(event):
            match event:
                case payments.Refund(amount=0, reason=payments.NO_REASON):
                    return "empty"
        """,
        Summarized(
            {"payments", "describe"},
            {"shop", "shop.payments"},
            {"shop.payments.Refund", "shop.payments.NO_REASON"},
            {"event", "payments"},
        ),
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_whole_summary(case: str, caplog: pytest.LogCaptureFixture) -> None:
    source, expected = CASES[case]
    with caplog.at_level(logging.ERROR, logger="mockls.resolve.module_summary"):
        summary = summarize_module("m", "m.py", textwrap.dedent(source), is_package=False)
    assert caplog.records == []
    assert (
        Summarized(
            set(summary.bindings),
            set(summary.imported_modules),
            set(summary.lookups),
            set(summary.loaded_names),
            summary.dynamic,
        )
        == expected
    )


def test_the_standard_library_s_asyncio_tasks_is_summarized_whole(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # it uses nonlocal (in as_completed, gather); it was indexed as empty and dynamic
    path = Path(asyncio.tasks.__file__)
    with caplog.at_level(logging.ERROR, logger="mockls.resolve.module_summary"):
        summary = summarize_module("asyncio.tasks", str(path), path.read_text(), is_package=False)
    assert caplog.records == []
    assert not summary.dynamic
    assert {"gather", "wait_for", "create_task", "sleep"} <= summary.bindings.keys()


def test_a_missing_name_of_a_module_with_nonlocal_is_unresolved(tmp_path: Path) -> None:
    (tmp_path / "counting.py").write_text(
        textwrap.dedent(CASES["nonlocal_binds_no_module_name"][0])
    )
    project = Project(tmp_path)
    project.scan()
    assert describe(project.resolve_target("counting.missing"), tmp_path) == (
        "unresolved at 1 after 'counting'"
    )
