"""Loading settings never raises, whatever the file or the editor holds."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from mockls.config import LoadedSettings, Settings, apply_editor_settings, load_settings_file
from mockls.rules import RULES_BY_CODE

KEYS = st.sampled_from(
    [
        "select",
        "ignore",
        "per-file-ignores",
        "exclude",
        "severity",
        "sandbox",
        "python",
        "interpreter",
        "enabled",
        "tests/*.py",
        *RULES_BY_CODE,
        "error",
        "other",
    ]
)
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-5, 5)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8)
    | st.sampled_from([*RULES_BY_CODE, "error", "hint", "warning", "bogus"])
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=4),
    max_leaves=12,
)


def toml_value(value: object) -> str:
    """A TOML inline value (``None`` is written as a string: TOML has no null)."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(k)} = {toml_value(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return '"null"'
    return json.dumps(value)


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(KEYS, VALUES, max_size=6))
def test_any_mockls_table_loads_without_raising(table: dict[str, object]) -> None:
    text = "[tool.mockls]\n" + "".join(
        f"{json.dumps(k)} = {toml_value(v)}\n" for k, v in table.items()
    )
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "pyproject.toml"
        path.write_text(text, encoding="utf-8")
        loaded = load_settings_file(path)
    assert isinstance(loaded, LoadedSettings)
    assert isinstance(loaded.settings, Settings)
    assert all(isinstance(problem, str) for problem in loaded.problems)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=200))
def test_any_bytes_load_without_raising(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "pyproject.toml"
        path.write_bytes(b"[tool.mockls]\n" + data)
        loaded = load_settings_file(path)
    assert isinstance(loaded.settings, Settings)


@settings(max_examples=300, deadline=None)
@given(VALUES | st.dictionaries(KEYS, VALUES, max_size=6))
def test_any_editor_section_applies_without_raising(editor: object) -> None:
    merged, problems = apply_editor_settings(Settings(), editor)
    assert isinstance(merged, Settings)
    assert all(isinstance(problem, str) for problem in problems)
