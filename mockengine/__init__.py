"""mockengine: a stdlib-only, drop-in implementation of ``unittest.mock``.

Use it as ``import mockengine as mock``. On CPython 3.9 to 3.13 it behaves as that
interpreter's own ``unittest.mock`` where versions differ. ``install()`` makes code imported
afterwards get it for ``unittest.mock`` and ``mock`` (``uninstall()`` undoes it).
The private names of ``unittest.mock`` that third-party code and CPython's tests import
(``_patch``, ``_Call``, ``_callable``, ...) are kept too, out of ``__all__``
(docs/mockengine.md lists them).
:mod:`mockengine.vocabulary` holds the named facts about mock objects that tools such as the
mockls server import; :mod:`mockengine.instrumentation` observes patches and their mocks.

The private modules are layers, each importing only those below it at load time
(``tests/mockengine/test_public_surface.py`` checks it): ``vocabulary`` <- ``_versions`` (how
``unittest.mock`` differs across Pythons) <- ``_sentinels`` <- ``_introspection``
(callability, signatures, async-ness of specs) <- ``_calls`` <- ``_mock`` (children, return
values, side effects, specs, recording, assertions) <- ``_magic`` <- ``_async`` <-
``_autospec`` <- ``_patching`` <- ``_property``, ``_seal``, ``_mock_open``, ``_threading``,
``_installation``, ``_trampolines`` (how ``instrumentation`` watches a function run before
3.12). The few upward references (a mock's child may be an ``AsyncMock``, an
autospec's lazy attribute is specced on first read) are function-local imports marked
``# import cycle``. Every mock has a class of its own (magic methods are looked up on the
type); what that class needs goes into it when it is made, never attribute by attribute
afterwards, and ``tests/mockengine/test_drop_in.py`` compares each shortcut with
``unittest.mock``.

PYTEST_DONT_REWRITE: a library, not test code. pytest marks every package of a distribution
that ships a pytest plugin for assertion rewriting (mockls ships ``pytest --mockls``), and
would otherwise warn when mockengine was imported before it started.
"""

from mockengine import _magic, vocabulary
from mockengine._async import AsyncMock
from mockengine._autospec import create_autospec
from mockengine._calls import ANY, call
from mockengine._calls import _Call as _Call
from mockengine._calls import _CallList as _CallList
from mockengine._installation import install as install  # public, not in __all__
from mockengine._installation import uninstall as uninstall  # (unittest.mock lacks them)
from mockengine._introspection import is_callable as _callable  # noqa: F401  (private, imported by tests)
from mockengine._magic import MagicMock, NonCallableMagicMock
from mockengine._mock import CallableMixin as CallableMixin
from mockengine._mock import InvalidSpecError as InvalidSpecError  # public, not in __all__
from mockengine._mock import Mock, NonCallableMock
from mockengine._mock_open import mock_open
from mockengine._patching import _get_target as _get_target
from mockengine._patching import _patch as _patch
from mockengine._patching import _patch_dict as _patch_dict
from mockengine._patching import patch
from mockengine._property import PropertyMock
from mockengine._seal import seal
from mockengine._sentinels import DEFAULT, sentinel
from mockengine._sentinels import _Sentinel as _Sentinel
from mockengine._sentinels import _SentinelObject as _SentinelObject
from mockengine._threading import ThreadingMock

FILTER_DIR = True
"""Whether ``dir()`` of a mock hides its internals (``mockengine.FILTER_DIR = False``: all)."""

# unittest.mock's private sets of magic method names, as copies: code adds to them (a workaround
# from old Pythons); what mocks support does not change when it does.
_all_magics = set(vocabulary.MAGIC_METHODS)
_magics = set(_magic.PRECONFIGURED_MAGICS)
_non_defaults = set(vocabulary.MAGIC_METHODS_WITHOUT_DEFAULTS)
_async_magics = set(vocabulary.ASYNC_MAGIC_METHODS)
_async_method_magics = set(_magic.ASYNC_METHOD_MAGICS)

__all__ = [  # noqa: RUF022  (unittest.mock's order)
    "Mock",
    "MagicMock",
    "patch",
    "sentinel",
    "DEFAULT",
    "ANY",
    "call",
    "create_autospec",
    "AsyncMock",
    "ThreadingMock",
    "FILTER_DIR",
    "NonCallableMock",
    "NonCallableMagicMock",
    "mock_open",
    "PropertyMock",
    "seal",
]
