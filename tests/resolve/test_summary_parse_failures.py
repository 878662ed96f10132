"""A module the parser fails on (CPython 3.11's gh-106905 ``SystemError`` from ``ast.parse`` in
several threads) is parsed again; one that still fails is logged once, by name, and is
"cannot tell", never an empty module."""

from __future__ import annotations

import ast
import logging
from unittest import mock

import pytest

from mockls.resolve.module_summary import summarize_module

SOURCE = "def charge():\n    pass\n"
MISMATCH = SystemError("AST constructor recursion depth mismatch (before=1, after=2)")


def test_a_parse_that_fails_once_is_tried_again() -> None:
    real_parse = ast.parse
    with mock.patch("ast.parse", side_effect=[MISMATCH, real_parse(SOURCE)]) as parse:
        summary = summarize_module("shop.payments", "/w/shop/payments.py", SOURCE, False)
    assert parse.call_count == 2
    assert "charge" in summary.bindings
    assert not summary.dynamic


def test_a_module_that_never_parses_is_logged_once_by_name_and_judged_unknown(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING, logger="mockls.resolve.module_summary")
    with mock.patch("ast.parse", side_effect=MISMATCH):
        summaries = [
            summarize_module("shop.broken", "/w/shop/broken.py", SOURCE, False) for _ in range(2)
        ]
    assert [record.getMessage() for record in caplog.records] == [
        "cannot read module shop.broken (SystemError: AST constructor recursion depth mismatch "
        "(before=1, after=2)): its names are not checked"
    ]
    assert all(summary.dynamic and summary.partial for summary in summaries)
