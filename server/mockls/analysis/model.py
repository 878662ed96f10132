"""The model of mock usage in one module: what the analysis finds and every rule reads.

All of it is plain frozen dataclasses with :class:`~mockls.spans.Span` ranges; the builder in
:mod:`mockls.analysis.builder` fills it from source text and never raises.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from mockengine import vocabulary
from mockls.spans import Span

ConstantValue = str | bytes | int | float | complex | bool | None
"""A value :func:`ast.literal_eval` could give for a constant expression."""


@dataclass(frozen=True, slots=True)
class Argument:
    """An argument as written in a call.

    ``value`` is meaningful only when ``is_constant`` is true (a literal such as ``'a.b'``,
    ``True``, ``3`` or ``None``).
    """

    text: str
    span: Span
    is_constant: bool = False
    value: ConstantValue = None


@dataclass(frozen=True, slots=True)
class NameRef:
    """A name as written at one place: ``m``, ``mock_charge`` or ``self.patcher``."""

    name: str
    span: Span


class MockLibrary(enum.Enum):
    """Which mock library an import refers to."""

    UNITTEST_MOCK = "unittest.mock"
    MOCK_BACKPORT = "mock"


ImportedMock = Callable[[str, int, str], str | None]
"""What ``from <level dots><module> import <name>`` binds, when it is outside the workspace.

Given by the workspace (``resolve/``), so that a module importing mock through the
project's own modules (``from tests import mock``, ``from .compat import patch``) is read
like one importing it directly: ``'unittest.mock'`` for ``from tests import mock`` when
``tests/__init__.py`` did ``from unittest import mock``; ``None`` for anything else.
"""


@dataclass(frozen=True, slots=True)
class MockImport:
    """One name the module binds to the mock library or to one of its members.

    ``from unittest import mock`` gives ``local_name='mock', member=''``;
    ``from unittest.mock import MagicMock as MM`` gives ``local_name='MM', member='MagicMock'``;
    ``import unittest.mock as um`` gives ``local_name='um', member=''``; ``import unittest.mock``
    gives ``local_name='unittest.mock', member=''``.
    """

    local_name: str
    member: str
    library: MockLibrary
    span: Span


class PatchKind(enum.Enum):
    """Which patcher a call uses."""

    PATCH = "patch"
    OBJECT = "patch.object"
    DICT = "patch.dict"
    MULTIPLE = "patch.multiple"

    @property
    def parameters(self) -> tuple[str, ...]:
        """The patcher's own parameters, in order; other keywords configure the mock (or, for
        ``patch.dict``/``patch.multiple``, name what to set)."""
        return _PATCHER_PARAMETERS[self]


_PATCHER_PARAMETERS: Mapping[PatchKind, tuple[str, ...]] = {
    PatchKind.PATCH: vocabulary.PATCH_PARAMETERS,
    PatchKind.OBJECT: vocabulary.PATCH_OBJECT_PARAMETERS,
    PatchKind.DICT: vocabulary.PATCH_DICT_PARAMETERS,
    PatchKind.MULTIPLE: vocabulary.PATCH_MULTIPLE_PARAMETERS,
}


class PatchUse(enum.Enum):
    """How a patcher is applied."""

    FUNCTION_DECORATOR = "function-decorator"
    CLASS_DECORATOR = "class-decorator"
    CONTEXT_MANAGER = "context-manager"
    STARTED = "started"  # p = patch(...); p.start()  (or patch(...).start())
    MOCKER = "mocker"  # mocker.patch(...): applied at once, undone by the fixture
    OTHER = "other"  # built but used some other way (stored, passed, returned)


@dataclass(frozen=True, slots=True)
class TargetPart:
    """A piece of a built patch target (see :attr:`PatchSite.built_target`).

    ``text`` is literal text, or ``''`` with ``is_module_name`` for the module's ``__name__``,
    or ``''`` with ``name_of`` for another module's (``pricing.__name__`` gives
    ``name_of='pricing'``, the expression as written). ``span`` is where the literal text is
    written, inside the quotes (possibly at a module-level constant's definition); ``None``
    when it cannot be edited in place (escapes, f-string pieces, ``__name__``).
    """

    text: str
    span: Span | None = None
    is_module_name: bool = False
    name_of: str = ""


@dataclass(frozen=True, slots=True)
class PatchSite:
    """One call of ``patch``, ``patch.object/dict/multiple`` or ``mocker.patch*``.

    ``target`` is the literal dotted target of ``patch``/``patch.dict``/``patch.multiple``, or
    the literal attribute name of ``patch.object``; ``target_span`` covers the string's
    contents (inside the quotes) so an edit replaces just the name. ``target_object`` is the
    first argument of ``patch.object`` (an expression). ``patcher`` is the name holding the
    patcher object (``p = patch(...)``), ``mock`` the name or parameter that receives the mock.
    ``built_target`` holds the target (or attribute name) when it is not one literal but is
    built from literals, module-level string constants and ``__name__`` (the module's own or
    an imported module's: ``f"{pricing.__name__}.tax"``) (``target`` is then
    ``None``); :meth:`target_text` gives either as text. ``scope`` is the dotted label of where
    the patch applies: the decorated function or class for a decorator (``'Tests.test_pay'``,
    ``'Tests'``), else the scope the call is written in (``'<module>'``, ``'Tests.setUp'``).
    ``object_is_local`` is true when the first name of ``target_object`` is bound in a function
    or class around the call rather than at module level (a local class, a parameter, ``self``):
    what it denotes cannot be told from the module's imports. ``object_made_here`` is true when
    that object is a name the same function binds only to new objects (``service =
    Service()``) and never stores in an attribute or item (``self.service = service``): no
    other test can reach it, so a patch of it that is never stopped leaks nowhere.
    """

    kind: PatchKind
    use: PatchUse
    via_mocker: bool
    span: Span
    callee_span: Span
    args: tuple[Argument, ...]
    keywords: Mapping[str, Argument]
    has_star_args: bool = False
    target: str | None = None
    target_span: Span | None = None
    target_object: Argument | None = None
    patcher: NameRef | None = None
    mock: NameRef | None = None
    built_target: tuple[TargetPart, ...] = ()
    scope: str = ""
    object_is_local: bool = False
    object_made_here: bool = False

    def target_text(
        self, module_name: str | None, qualify: Callable[[str], str | None] | None = None
    ) -> str | None:
        """The target as text, literal or built; ``module_name`` is the module's ``__name__``,
        ``qualify`` tells the dotted name an expression such as ``pricing`` denotes.

        ``None`` when there is no known target, or it is built from a ``__name__`` that
        ``module_name`` or ``qualify`` cannot tell.
        """
        if self.target is not None:
            return self.target
        if not self.built_target:
            return None
        pieces: list[str] = []
        for part in self.built_target:
            if part.is_module_name:
                if module_name is None:
                    return None
                pieces.append(module_name)
            elif part.name_of:
                qualified = qualify(part.name_of) if qualify is not None else None
                if not qualified:
                    return None
                pieces.append(qualified)
            else:
                pieces.append(part.text)
        return "".join(pieces)

    @property
    def injects_mock(self) -> bool:
        """Whether the decorator/context manager hands over a created mock.

        ``patch``/``patch.object`` do unless ``new`` is given; ``patch.dict`` never does;
        ``patch.multiple`` hands mocks over as keyword arguments, not positionally.
        """
        if self.kind is PatchKind.DICT or self.kind is PatchKind.MULTIPLE:
            return False
        new_index = 1 if self.kind is PatchKind.PATCH else 2
        return "new" not in self.keywords and len(self.args) <= new_index


@dataclass(frozen=True, slots=True)
class Parameter:
    """A parameter of a function definition.

    ``span`` covers the name; ``extent`` the whole ``name: annotation = default`` as written,
    whose text is ``text``. ``has_default`` tells whether a default follows.
    """

    name: str
    span: Span
    extent: Span
    text: str
    has_default: bool = False


@dataclass(frozen=True, slots=True)
class PatchedFunction:
    """A function whose patch decorators inject mocks as positional parameters.

    ``injected`` pairs each injecting decorator, bottom-most first (the order ``patch`` passes
    mocks in), with the parameter that receives its mock. Class decorators count for each
    test method of the class. ``parameters`` is the whole positional parameter list (for
    fixes that rewrite it); ``parameters_span`` covers it.
    """

    name: str
    name_span: Span
    parameters: tuple[Parameter, ...]
    parameters_span: Span
    injected: tuple[tuple[PatchSite, Parameter], ...]


class MockFactory(enum.Enum):
    """What made a mock."""

    MOCK_CLASS = "mock-class"  # Mock(), MagicMock(), AsyncMock(), NonCallableMock(), PropertyMock()
    AUTOSPEC = "create_autospec"
    PATCH = "patch"  # the mock a patcher creates (decorator, with ... as, start(), mocker.patch)
    MOCKER = "mocker"  # mocker.MagicMock(), mocker.Mock(), mocker.stub(), mocker.spy(...)


class SpecKind(enum.Enum):
    """How a mock is tied to a real object's shape."""

    SPEC = "spec"
    SPEC_SET = "spec_set"
    AUTOSPEC = "autospec"


@dataclass(frozen=True, slots=True)
class MockBinding:
    """A name, parameter or ``self.attr`` bound to a mock.

    ``scope`` is the dotted name of the scope the binding lives in (``'<module>'``,
    ``'TestShop.test_pay'``, or ``'TestShop'`` for ``self.attr`` bindings shared by the
    methods of a class). ``mock_class`` is the class name when known (``'MagicMock'``,
    ``'AsyncMock'``). ``spec`` is the spec expression when one is given
    (``spec=Foo``, ``create_autospec(Foo)``, ``patch.object(Foo, 'x', autospec=True)`` gives the
    patched attribute). ``configured`` lists the attribute names set through constructor
    keywords or ``configure_mock``. ``spec_instance`` is true for
    ``create_autospec(Foo, instance=True)`` (and for an ``instance`` that is not a literal): the
    mock may stand for an instance of the spec rather than for the spec itself.
    """

    name: str
    span: Span
    scope: str
    factory: MockFactory
    mock_class: str | None = None
    spec: Argument | None = None
    spec_kind: SpecKind | None = None
    patch_site: PatchSite | None = None
    configured: frozenset[str] = frozenset()
    spec_instance: bool = False

    @property
    def is_async(self) -> bool:
        """Whether the mock is (or may be) an ``AsyncMock``."""
        return self.mock_class == "AsyncMock"


class UseKind(enum.Enum):
    """How an attribute of a mock is used."""

    LOAD = "load"  # m.x
    CALL = "call"  # m.x(...)
    STORE = "store"  # m.x = ...
    DELETE = "delete"  # del m.x
    CONFIGURE = "configure"  # Mock(x=...) or m.configure_mock(x=...)


@dataclass(frozen=True, slots=True)
class CallArguments:
    """The arguments of a call as written: enough to tell whether they can bind to a signature.

    ``positional`` spans each positional argument that is not ``*x``, in order; ``keywords``
    names each keyword argument that is not ``**x``. ``star_args``/``star_kwargs`` tell whether
    ``*x``/``**x`` appear: what they hold is unknown. ``span`` covers the whole call.
    """

    span: Span
    positional: tuple[Span, ...] = ()
    keywords: tuple[NameRef, ...] = ()
    star_args: bool = False
    star_kwargs: bool = False


@dataclass(frozen=True, slots=True)
class ExpectedCall:
    """One ``call(...)`` entry of ``assert_has_calls([...])`` (or ``assert_has_awaits``).

    ``chain`` is the path written after ``call``, spelled like :attr:`AttributeUse.chain`:
    ``call(1)`` gives ``()``, ``call.save(1)`` gives ``('save',)``, ``call().save(1)`` gives
    ``('()', 'save')``.
    """

    chain: tuple[str, ...]
    arguments: CallArguments


@dataclass(frozen=True, slots=True)
class AttributeUse:
    """An attribute reached from a mock binding through a chain.

    ``m.return_value.save.assert_called_once_with(1)`` gives
    ``chain=('return_value', 'save', 'assert_called_once_with')`` and ``kind=CALL``; a call in
    the middle of a chain (``m().save``) appears as the segment ``'()'``. ``span`` covers the
    last attribute name only, which is what a rename replaces.

    A use of kind ``CALL`` carries the call's ``arguments``; a call of ``assert_has_calls`` or
    ``assert_has_awaits`` given a literal list or tuple also carries the ``call(...)`` entries
    of it in ``expected_calls`` (other entries are left out).
    """

    binding: MockBinding
    chain: tuple[str, ...]
    span: Span
    kind: UseKind
    arguments: CallArguments | None = None
    expected_calls: tuple[ExpectedCall, ...] = ()

    @property
    def attribute(self) -> str:
        """The last attribute of the chain: the one this use is about."""
        return self.chain[-1]


@dataclass(frozen=True, slots=True)
class MockCall:
    """A call of a mock itself: ``m(...)``, ``self.m(...)``, or of what a call returned.

    ``chain`` leads from the binding to the mock called, like :attr:`AttributeUse.chain`:
    ``()`` for ``m(...)``, ``('()',)`` for ``m()(...)``. (A call of an attribute, ``m.a(...)``,
    is an :class:`AttributeUse` of kind ``CALL``.) ``span`` covers the callee as written.
    ``continued`` tells that the chain goes on from what the call returns (``m().save``), as
    tests do to reach ``return_value``.
    """

    binding: MockBinding
    chain: tuple[str, ...]
    span: Span
    arguments: CallArguments
    continued: bool = False


@dataclass(frozen=True, slots=True)
class LocalClass:
    """A class defined in the module, with the attribute names its body defines.

    ``complete`` is false when a base class is not itself a local class with a complete
    member list, so a missing name proves nothing.
    """

    name: str
    members: frozenset[str]
    complete: bool


@dataclass(frozen=True, slots=True)
class StopCall:
    """Something that stops patchers: ``p.stop()``, ``addCleanup(p.stop)``, ``patch.stopall()``.

    ``patcher`` is the name stopped (``'p'``, ``'self.p'``), or ``None`` for ``stopall``.
    """

    patcher: str | None
    span: Span


@dataclass(frozen=True, slots=True)
class FunctionShape:
    """How a function decides how long a patch applied to it lasts.

    Kept for the functions that are pytest fixtures (``@pytest.fixture``, ``@fixture``) or
    carry patch decorators. ``label`` is the function's dotted scope label, as
    :attr:`PatchSite.scope` gives it for a decorator; ``is_generator`` tells whether its own
    body (not a nested function's) yields.
    """

    label: str
    name_span: Span
    is_fixture: bool
    is_generator: bool


@dataclass(frozen=True, slots=True)
class ReturnInPatch:
    """A ``return <value>`` while a patch is active: the patch ends as the function returns.

    The patch is a ``with patch(...)`` block around the ``return``, or a patch decorator of
    the function; a ``return`` inside several gives one record for each. ``function`` is the
    label of the function returning, ``returned`` the returned expression as written.
    """

    site: PatchSite
    span: Span
    function: str
    returned: str


@dataclass(frozen=True, slots=True)
class ModuleModel:
    """Everything the analysis found in one module.

    ``syntax_error`` is set when the source did not parse cleanly; the other fields then hold
    what could be recovered.
    """

    imports: tuple[MockImport, ...] = ()
    patch_sites: tuple[PatchSite, ...] = ()
    patched_functions: tuple[PatchedFunction, ...] = ()
    bindings: tuple[MockBinding, ...] = ()
    attribute_uses: tuple[AttributeUse, ...] = ()
    classes: Mapping[str, LocalClass] = field(default_factory=dict)
    stop_calls: tuple[StopCall, ...] = ()
    escaped_patchers: frozenset[str] = frozenset()
    syntax_error: str | None = None
    mock_calls: tuple[MockCall, ...] = ()
    functions: Mapping[str, FunctionShape] = field(default_factory=dict)
    returns_in_patch: tuple[ReturnInPatch, ...] = ()

    def spec_members(self, binding: MockBinding) -> frozenset[str] | None:
        """The attribute names the binding's spec defines, or ``None`` when unknown.

        Known only when the spec is a class defined in this module with a complete member
        list; resolution across modules belongs to ``resolve/``.
        """
        if binding.spec is None:
            return None
        local = self.classes.get(binding.spec.text)
        if local is None or not local.complete:
            return None
        return local.members
