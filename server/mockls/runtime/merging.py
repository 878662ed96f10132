"""``mockls merge-reports``: one report from the ``--mockls-report`` files of several runs
(CI shards, or ``mockls check --format json`` outputs): every finding once, in order."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

__all__ = ["ReportError", "merge_reports"]


class ReportError(Exception):
    """A report that is not a JSON list of findings."""


def merge_reports(paths: Iterable[Path]) -> list[dict[str, Any]]:
    """The findings of every report at ``paths``, each once, by path, place and code."""
    merged: dict[str, dict[str, Any]] = {}
    for path in paths:
        try:
            entries = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError) as error:
            raise ReportError(f"{path}: cannot read it as JSON ({error})") from None
        if not isinstance(entries, list) or not all(_is_finding(entry) for entry in entries):
            raise ReportError(f"{path}: not a list of findings (path, line, column, code...)")
        for entry in entries:
            merged.setdefault(json.dumps(entry, sort_keys=True), entry)
    return sorted(
        merged.values(),
        key=lambda entry: (entry["path"], entry["line"], entry["column"], entry["code"]),
    )


def _is_finding(entry: Any) -> bool:
    return isinstance(entry, dict) and {"path", "line", "column", "code", "message"} <= set(entry)
