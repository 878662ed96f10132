"""Named facts about mock objects: the one place that lists what a mock really has.

Everything here is a plain frozenset or tuple of strings, documented by what ``unittest.mock``
does, so that tools reasoning about mocks (the mockls rules) never keep lists of their own.
"""

from __future__ import annotations

__all__ = [
    "ASSERT_METHODS",
    "ASSERT_TYPO_PREFIXES",
    "ASYNC_ASSERT_METHODS",
    "ASYNC_CONFIGURATION_ATTRIBUTES",
    "ASYNC_MAGIC_METHODS",
    "CALL_ASSERTIONS",
    "CALL_LIST_ASSERTIONS",
    "CONFIGURATION_ATTRIBUTES",
    "CREATE_AUTOSPEC_OPTIONS",
    "MAGIC_METHODS",
    "MAGIC_METHODS_WITHOUT_DEFAULTS",
    "MOCKER_FIXTURES",
    "MOCK_CLASSES",
    "MOCK_CONSTRUCTOR_OPTIONS",
    "MOCK_METHODS",
    "PATCH_DICT_PARAMETERS",
    "PATCH_MULTIPLE_PARAMETERS",
    "PATCH_OBJECT_PARAMETERS",
    "PATCH_PARAMETERS",
    "PREFIXLESS_ASSERTIONS",
    "SPEC_ARGUMENT_TYPOS",
    "SYNC_ASSERT_METHODS",
    "SYNC_MAGIC_METHODS",
    "UNSUPPORTED_MAGIC_METHODS",
    "mock_attribute_names",
]

SYNC_ASSERT_METHODS: frozenset[str] = frozenset(
    {
        "assert_any_call",
        "assert_called",
        "assert_called_once",
        "assert_called_once_with",
        "assert_called_with",
        "assert_has_calls",
        "assert_not_called",
    }
)
"""Assertion methods of every mock (``Mock``, ``MagicMock``, ``NonCallableMock``, ...)."""

ASYNC_ASSERT_METHODS: frozenset[str] = frozenset(
    {
        "assert_any_await",
        "assert_awaited",
        "assert_awaited_once",
        "assert_awaited_once_with",
        "assert_awaited_with",
        "assert_has_awaits",
        "assert_not_awaited",
    }
)
"""Assertion methods that only ``AsyncMock`` (and async autospecs) add."""

ASSERT_METHODS: frozenset[str] = SYNC_ASSERT_METHODS | ASYNC_ASSERT_METHODS
"""Every real assertion method name."""

CALL_ASSERTIONS: frozenset[str] = frozenset(
    {
        "assert_any_await",
        "assert_any_call",
        "assert_awaited_once_with",
        "assert_awaited_with",
        "assert_called_once_with",
        "assert_called_with",
    }
)
"""Assertions whose arguments are those of one expected call: ``m.assert_called_with(1, b=2)``."""

CALL_LIST_ASSERTIONS: frozenset[str] = frozenset({"assert_has_awaits", "assert_has_calls"})
"""Assertions given a list of expected calls: ``m.assert_has_calls([call(1), call.save(2)])``."""

ASSERT_TYPO_PREFIXES: tuple[str, ...] = ("assert", "assret", "asert", "aseert", "assrt")
"""Name prefixes a mock refuses (``AttributeError``) unless created with ``unsafe=True``."""

PREFIXLESS_ASSERTIONS: frozenset[str] = frozenset(
    name.removeprefix("assert_") for name in SYNC_ASSERT_METHODS
) - {"called"}
"""Assertion names written without ``assert_``: on a mock they return a (truthy) child mock.

``called`` is left out because it is a real attribute (a bool). Python 3.12 and later, the ``mock``
backport 5 and mockengine refuse the others with ``AttributeError``; earlier Pythons silently pass.
"""

CONFIGURATION_ATTRIBUTES: frozenset[str] = frozenset(
    {
        "call_args",
        "call_args_list",
        "call_count",
        "called",
        "method_calls",
        "mock_calls",
        "return_value",
        "side_effect",
    }
)
"""Attributes that configure or record a mock's calls; a typo of one silently makes a child mock."""

ASYNC_CONFIGURATION_ATTRIBUTES: frozenset[str] = frozenset(
    {"await_args", "await_args_list", "await_count"}
)
"""The recording attributes ``AsyncMock`` adds."""

MOCK_METHODS: frozenset[str] = frozenset(
    {"attach_mock", "configure_mock", "mock_add_spec", "reset_mock"}
)
"""Non-assertion methods of every mock."""

SYNC_MAGIC_METHODS: frozenset[str] = frozenset(
    f"__{name}__"
    for name in (
        "abs",
        "add",
        "and",
        "bool",
        "ceil",
        "complex",
        "contains",
        "delete",
        "delitem",
        "dir",
        "divmod",
        "enter",
        "eq",
        "exit",
        "float",
        "floor",
        "floordiv",
        "format",
        "fspath",
        "ge",
        "get",
        "getformat",
        "getinitargs",
        "getitem",
        "getnewargs",
        "getnewargs_ex",
        "getstate",
        "gt",
        "hash",
        "iadd",
        "iand",
        "ifloordiv",
        "ilshift",
        "imatmul",
        "imod",
        "imul",
        "index",
        "int",
        "invert",
        "ior",
        "ipow",
        "irshift",
        "isub",
        "iter",
        "itruediv",
        "ixor",
        "le",
        "len",
        "lshift",
        "lt",
        "matmul",
        "missing",
        "mod",
        "mul",
        "ne",
        "neg",
        "next",
        "or",
        "pos",
        "pow",
        "radd",
        "rand",
        "rdivmod",
        "reduce",
        "reduce_ex",
        "repr",
        "reversed",
        "rfloordiv",
        "rlshift",
        "rmatmul",
        "rmod",
        "rmul",
        "ror",
        "round",
        "rpow",
        "rrshift",
        "rshift",
        "rsub",
        "rtruediv",
        "rxor",
        "set",
        "setitem",
        "setstate",
        "sizeof",
        "str",
        "sub",
        "subclasses",
        "truediv",
        "trunc",
        "xor",
    )
)
"""Magic methods ``MagicMock`` supports (configurable by assignment)."""

ASYNC_MAGIC_METHODS: frozenset[str] = frozenset(
    {"__aenter__", "__aexit__", "__aiter__", "__anext__"}
)
"""Asynchronous magic methods ``MagicMock`` and ``AsyncMock`` support."""

MAGIC_METHODS: frozenset[str] = SYNC_MAGIC_METHODS | ASYNC_MAGIC_METHODS
"""Every magic method a ``MagicMock`` supports."""

MAGIC_METHODS_WITHOUT_DEFAULTS: frozenset[str] = frozenset(
    f"__{name}__"
    for name in (
        "delete",
        "dir",
        "format",
        "get",
        "getformat",
        "getinitargs",
        "getnewargs",
        "getnewargs_ex",
        "getstate",
        "missing",
        "reduce",
        "reduce_ex",
        "repr",
        "reversed",
        "set",
        "setstate",
        "subclasses",
    )
)
"""Supported magic methods a ``MagicMock`` leaves unset: they exist only once assigned.

Every other supported magic method is there from the start, with a default behaviour.
"""

UNSUPPORTED_MAGIC_METHODS: frozenset[str] = frozenset(
    {
        "__del__",
        "__getattr__",
        "__init__",
        "__instancecheck__",
        "__new__",
        "__prepare__",
        "__setattr__",
        "__subclasscheck__",
    }
)
"""Magic methods a mock refuses to have assigned (``AttributeError``): they would break it."""

MOCK_CLASSES: frozenset[str] = frozenset(
    {
        "AsyncMock",
        "MagicMock",
        "Mock",
        "NonCallableMagicMock",
        "NonCallableMock",
        "PropertyMock",
    }
)
"""Classes whose instances are mocks."""

MOCK_CONSTRUCTOR_OPTIONS: frozenset[str] = frozenset(
    {"spec", "spec_set", "wraps", "name", "parent", "unsafe"}
)
"""Keywords of the mock classes that do not configure an attribute (``return_value=`` does)."""

CREATE_AUTOSPEC_OPTIONS: frozenset[str] = MOCK_CONSTRUCTOR_OPTIONS | {"instance"}
"""Keywords of ``create_autospec`` that do not configure an attribute of the mock."""

MOCKER_FIXTURES: frozenset[str] = frozenset(
    {"mocker", "class_mocker", "module_mocker", "session_mocker"}
)
"""pytest-mock's fixtures that hand a test a ``MockerFixture``."""

PATCH_PARAMETERS: tuple[str, ...] = (
    "target",
    "new",
    "spec",
    "create",
    "spec_set",
    "autospec",
    "new_callable",
    "unsafe",
)
"""Parameters of ``patch`` in order; any other keyword configures the created mock."""

PATCH_OBJECT_PARAMETERS: tuple[str, ...] = (
    "target",
    "attribute",
    "new",
    "spec",
    "create",
    "spec_set",
    "autospec",
    "new_callable",
    "unsafe",
)
"""Parameters of ``patch.object`` in order; any other keyword configures the created mock."""

PATCH_DICT_PARAMETERS: tuple[str, ...] = ("in_dict", "values", "clear")
"""Parameters of ``patch.dict`` in order; any other keyword is a value to set in the dict."""

PATCH_MULTIPLE_PARAMETERS: tuple[str, ...] = (
    "target",
    "spec",
    "create",
    "spec_set",
    "autospec",
    "new_callable",
)
"""Parameters of ``patch.multiple``; any other keyword names an attribute to patch."""

SPEC_ARGUMENT_TYPOS: frozenset[str] = frozenset({"autospect", "auto_spec", "set_spec"})
"""Misspelled keywords ``patch`` and ``create_autospec`` refuse with ``RuntimeError``.

Unless ``unsafe=True``. Recent Pythons (3.10 point releases on) check them; older ones pass
them on to the mock as attributes to set.
"""


def mock_attribute_names(*, is_async: bool = False) -> frozenset[str]:
    """Every public attribute a mock has of its own: assertions, configuration and methods."""
    names = SYNC_ASSERT_METHODS | CONFIGURATION_ATTRIBUTES | MOCK_METHODS
    if is_async:
        names |= ASYNC_ASSERT_METHODS | ASYNC_CONFIGURATION_ATTRIBUTES
    return names
