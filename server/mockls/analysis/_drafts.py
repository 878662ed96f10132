"""The builder's working state: scopes, the binding events in them, and drafts of model records.

The collector fills these in one walk over the tree; the builder then resolves names (which
need the whole module: Python decides what is local to a function by all of its body) and
freezes the drafts into the model's dataclasses.
"""

from __future__ import annotations

import ast
import enum
from dataclasses import dataclass, field, replace

from mockls.analysis.model import (
    Argument,
    MockBinding,
    MockFactory,
    NameRef,
    Parameter,
    PatchSite,
    PatchUse,
    SpecKind,
)
from mockls.spans import Position, Span


class ScopeKind(enum.Enum):
    """What opened a scope."""

    MODULE = "module"
    CLASS = "class"
    FUNCTION = "function"
    LAMBDA = "lambda"
    COMPREHENSION = "comprehension"


class EventKind(enum.Enum):
    """What a binding of a name (or ``self.attr``) binds it to."""

    MOCK = "mock"  # a mock: Mock(), patch(...) as m, an injected parameter, ...
    PATCHER = "patcher"  # a patcher: p = patch(...)
    START = "start"  # m = p.start(): a mock once p proves to be a patcher that creates one
    OTHER = "other"  # anything else


@dataclass(frozen=True, slots=True)
class ConfiguredAttribute:
    """``Mock(name=value)``, ``**{'a.b': value}`` or ``configure_mock(...)``: one key set."""

    key: str
    segment_spans: tuple[Span, ...]  # one span per dotted segment (all the same when unknown)
    value: ast.expr


@dataclass(eq=False, slots=True)
class CreatedMock:
    """What a mock-making expression makes: the facts a binding to it carries."""

    factory: MockFactory
    mock_class: str | None = None
    spec: Argument | None = None
    spec_kind: SpecKind | None = None
    configured: tuple[ConfiguredAttribute, ...] = ()
    scope: Scope | None = None  # where its configuring values are evaluated
    spec_instance: bool = False  # create_autospec(X, instance=True)


@dataclass(eq=False, slots=True)
class SiteDraft:
    """A :class:`PatchSite` whose use, patcher and mock are still being found out."""

    base: PatchSite
    use: PatchUse
    created: CreatedMock | None
    patcher: NameRef | None = None
    mock: NameRef | None = None
    final: PatchSite | None = None
    configuration_claimed: bool = False
    scope: Scope | None = None  # where the call is evaluated

    def freeze(self) -> PatchSite:
        """The finished site (built once, so every record shares the same object)."""
        if self.final is None:
            self.final = replace(self.base, use=self.use, patcher=self.patcher, mock=self.mock)
        return self.final


@dataclass(eq=False, slots=True)
class BindingDraft:
    """A name bound to a mock, before ambiguity is checked and uses are gathered."""

    name: str
    span: Span
    scope_label: str
    created: CreatedMock
    site: SiteDraft | None = None
    configured: set[str] = field(default_factory=set)
    configured_attributes: list[ConfiguredAttribute] = field(default_factory=list)
    real_chains: set[tuple[str, ...]] = field(default_factory=set)
    valid: bool = True
    final: MockBinding | None = None

    def freeze(self) -> MockBinding:
        """The finished binding."""
        if self.final is None:
            self.final = MockBinding(
                name=self.name,
                span=self.span,
                scope=self.scope_label,
                factory=self.created.factory,
                mock_class=self.created.mock_class,
                spec=self.created.spec,
                spec_kind=self.created.spec_kind,
                patch_site=self.site.freeze() if self.site is not None else None,
                configured=frozenset(self.configured),
                spec_instance=self.created.spec_instance,
            )
        return self.final


@dataclass(eq=False, slots=True)
class StartDraft:
    """``X.start()`` or ``with X as m``: a patcher ``X`` applied, maybe handing a mock to ``m``."""

    scope: Scope
    root: str  # the name X, or the first parameter in ``self.X``
    attribute: str | None  # X in ``self.X``
    position: Position
    use: PatchUse
    target: NameRef | None = None
    event: Event | None = None  # the binding event of the target, resolved with the start


@dataclass(eq=False, slots=True)
class Event:
    """One binding of a name in a scope (or of an attribute of a class)."""

    kind: EventKind
    position: Position
    binding: BindingDraft | None = None
    site: SiteDraft | None = None  # the patcher, for PATCHER
    start: StartDraft | None = None  # for START
    made_here: bool = False  # for OTHER: ``name = SomeClass(...)``, an object made on the spot


@dataclass(eq=False, slots=True)
class ChainDraft:
    """A chain of attributes and calls from a name: ``m.a().b`` as root ``m`` and its links."""

    scope: Scope
    root: ast.Name
    links: list[ast.expr]  # ast.Attribute and ast.Call nodes, from the root outward
    stored_value: ast.expr | None = None  # ``m.a.b = value``: the value assigned to the chain
    stores_unknown: bool = False  # ``m.a.b += 1``, ``for m.a in ...``: something is assigned


@dataclass(eq=False, slots=True)
class PatchedDraft:
    """A function with patch decorators (its own or its class's)."""

    name: str
    name_span: Span
    parameters: tuple[Parameter, ...]
    parameters_span: Span
    injected: list[tuple[SiteDraft, Parameter]]


@dataclass(eq=False, slots=True)
class ClassDraft:
    """A class: its scope, what ``self.x = ...`` binds, and what makes its members knowable."""

    name: str  # dotted from the module for classes in classes, plain otherwise
    node: ast.ClassDef
    scope: Scope
    local: bool  # defined at module level or in a class (so ``spec=Name`` can mean it)
    self_attributes: dict[str, list[Event]] = field(default_factory=dict)
    decorator_sites: list[SiteDraft] = field(default_factory=list)  # injecting, bottom-most first
    decorator_targets: dict[int, list[NameRef]] = field(default_factory=dict)
    bases: list[list[str] | None] = field(default_factory=list)
    base_classes: list[ClassDraft] = field(default_factory=list)

    def attribute_events(self, name: str) -> list[Event]:
        """Every binding of attribute ``name``: in the class body and through ``self``."""
        return self.scope.names.get(name, []) + self.self_attributes.get(name, [])


@dataclass(eq=False, slots=True)
class Scope:
    """A Python scope, with the binding events of its names."""

    kind: ScopeKind
    label: str
    parent: Scope | None
    names: dict[str, list[Event]] = field(default_factory=dict)
    declared_global: set[str] = field(default_factory=set)
    declared_nonlocal: set[str] = field(default_factory=set)
    mockers: set[str] = field(default_factory=set)
    stored_names: set[str] = field(default_factory=set)  # ``self.x = name``, ``d[k] = name``
    owner: ClassDraft | None = None  # the class of a class scope, or of a method
    self_name: str | None = None  # a method's first parameter

    def child_label(self, name: str) -> str:
        """The dotted label of a scope opened in this one."""
        return name if self.kind is ScopeKind.MODULE else f"{self.label}.{name}"

    def module(self) -> Scope:
        """The module scope this scope is nested in."""
        scope = self
        while scope.parent is not None:
            scope = scope.parent
        return scope


def binding_scope(scope: Scope, name: str, *, assignment_expression: bool = False) -> Scope:
    """The scope a binding of ``name`` in ``scope`` really binds in (``global``, ``nonlocal``,
    and ``:=`` in a comprehension, which binds in the enclosing function)."""
    while (
        assignment_expression and scope.kind is ScopeKind.COMPREHENSION and scope.parent is not None
    ):
        scope = scope.parent
    if name in scope.declared_global:
        return scope.module()
    if name in scope.declared_nonlocal:
        enclosing = scope.parent
        while enclosing is not None and enclosing.kind is not ScopeKind.MODULE:
            if enclosing.kind is not ScopeKind.CLASS and name in enclosing.names:
                return enclosing
            enclosing = enclosing.parent
    return scope


def owning_scope(scope: Scope, name: str) -> Scope | None:
    """The scope whose local ``name`` a use in ``scope`` refers to (``None``: not bound here).

    Class scopes are seen only from their own body, as in Python.
    """
    current: Scope | None = scope
    first = True
    while current is not None:
        if current.kind is ScopeKind.CLASS and not first:
            current = current.parent
            continue
        if name in current.declared_global:
            return scope.module() if name in scope.module().names else None
        if name in current.names and name not in current.declared_nonlocal:
            return current
        current = current.parent
        first = False
    return None


def method_class(scope: Scope, name: str) -> ClassDraft | None:
    """The class whose instance ``name`` is in ``scope``: ``self`` (or ``cls``) of a method."""
    owner = owning_scope(scope, name)
    if owner is None or owner.owner is None or owner.self_name != name:
        return None
    if owner.kind is not ScopeKind.FUNCTION or len(owner.names.get(name, ())) != 1:
        return None
    return owner.owner
