"""Calls on spec'd mocks bound to the real signatures: which of them the real object refuses.

A mock with a spec stands for a real function or class. An autospecced mock refuses calls whose
arguments do not bind to the real signature (``TypeError``), and every spec'd mock compares an
asserted call by binding it to that signature: an assertion whose arguments cannot bind never
passes. The children of a ``Mock(spec=Class)`` check nothing, yet stand for real methods.

:func:`unbindable_calls` binds, statically, each call of such a mock (and of the children its
spec describes) and each expected call of ``assert_called_with`` and friends and of
``assert_has_calls([...])`` to the real signature, with ``self``/``cls`` handled the way
autospec handles them. Whatever it cannot be sure of is left out: an unresolvable spec,
``*args`` in the call, ``*args`` or ``**kwargs`` in the signature where they would take the
arguments, a child the test replaced. The ``signature-mismatch`` rule reports what it finds;
the "Add ``autospec=True``" refactoring counts what would fail once a patch is autospecced.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from mockengine import vocabulary
from mockls.analysis.model import (
    CallArguments,
    MockBinding,
    ModuleModel,
    PatchKind,
    PatchSite,
    SpecKind,
    UseKind,
)
from mockls.resolve.patch_reach import patch_target
from mockls.resolve.resolution import (
    CallShape,
    ParameterKind,
    Resolved,
    Signature,
    TargetKind,
)
from mockls.spans import Span

if TYPE_CHECKING:
    from mockls.resolve.project import ProjectFile

__all__ = ["Callee", "SpecCall", "Unbindable", "patched_target", "unbindable_calls"]

_CALL = "()"
_RETURN_VALUE = "return_value"
_MOCK_OWN_NAMES = vocabulary.mock_attribute_names(is_async=True)
_NON_CALLABLE_MOCKS = frozenset({"NonCallableMock", "NonCallableMagicMock", "PropertyMock"})
_DOTTED_NAME = re.compile(r"[^\W\d]\w*(?:\.[^\W\d]\w*)*")


class _Stands(enum.Enum):
    """What a spec'd mock stands for, which decides what its calls and children mean."""

    CALLABLE = "callable"  # a function, or a method as the mock sees it: calling it is the call
    CLASS = "class"  # the class itself: calling it constructs; return_value is an instance
    INSTANCE = "instance"  # an instance of the class: its methods are bound
    MODULE = "module"  # a module: its functions and classes are children


@dataclass(frozen=True, slots=True)
class _Spec:
    """A binding's spec, resolved: what the mock stands for and how strictly it is checked."""

    resolved: Resolved
    stands: _Stands
    autospecced: bool
    own_signature: Signature | None  # what calling the mock itself binds to, when known
    member_prefix: str  # the dotted name its children are looked up under
    keeps_self: bool = False  # a function patched on its class: the instance comes first


@dataclass(frozen=True, slots=True)
class SpecCall:
    """One call to judge: the mock at ``chain`` from ``binding`` called with ``arguments``.

    ``assertion`` names the assertion that expects the call (``''`` for a ``call(...)`` entry
    of ``assert_has_calls``), ``None`` for a real call. ``callee_span`` is where to report
    what is not about one argument.
    """

    binding: MockBinding
    chain: tuple[str, ...]
    arguments: CallArguments
    callee_span: Span
    assertion: str | None = None
    reaches_return_value: bool = False  # m().save: called to reach return_value


@dataclass(frozen=True, slots=True)
class Callee:
    """The real callable a mock (or a child of it) stands for, as the mock sees it."""

    name: str  # qualified name, for messages
    signature: Signature
    resolved: Resolved


@dataclass(frozen=True, slots=True)
class Unbindable:
    """A call whose arguments the real callable cannot accept, and why (Python's words).

    ``autospecced`` tells whether the mock checks calls itself (else only its assertions
    compare through the signature); ``keeps_self`` that it replaces a function on its class,
    so an instance calls it with itself first.
    """

    call: SpecCall
    callee: Callee
    error: str
    autospecced: bool
    keeps_self: bool


def unbindable_calls(model: ModuleModel, project: ProjectFile | None) -> Iterator[Unbindable]:
    """The calls and asserted calls of spec'd mocks whose arguments surely cannot bind."""
    if project is None:
        return
    binder = _Binder(model, project)
    for call in _calls(model):
        found = binder.unbindable(call)
        if found is not None:
            yield found


def _calls(model: ModuleModel) -> Iterator[SpecCall]:
    """Every call of a spec'd mock or of a child of it, real or expected by an assertion."""
    for call in model.mock_calls:
        if call.binding.spec is not None:
            yield SpecCall(
                call.binding,
                call.chain,
                call.arguments,
                call.span,
                reaches_return_value=call.continued,
            )
    for use in model.attribute_uses:
        if use.kind is not UseKind.CALL or use.arguments is None or use.binding.spec is None:
            continue
        name, parent = use.attribute, use.chain[:-1]
        if name in vocabulary.CALL_ASSERTIONS:
            yield SpecCall(use.binding, parent, use.arguments, use.span, name)
        elif name in vocabulary.CALL_LIST_ASSERTIONS:
            for expected in use.expected_calls:
                arguments = expected.arguments
                yield SpecCall(use.binding, parent + expected.chain, arguments, arguments.span, "")
        elif name not in _MOCK_OWN_NAMES:
            yield SpecCall(use.binding, use.chain, use.arguments, use.span)


def patched_target(site: PatchSite, project: ProjectFile) -> tuple[str | None, str | None]:
    """The dotted name a ``patch`` or ``patch.object`` of a named object replaces
    (``'shop.orders.charge'``) and its owner's (``'shop.orders'``), as far as the module's
    text tells (:func:`~mockls.resolve.patch_reach.patch_target`); ``None`` when it does not."""
    if site.kind is PatchKind.OBJECT:
        attribute = site.target_text(None)
        if (
            site.target_object is None
            or attribute is None
            or _DOTTED_NAME.fullmatch(site.target_object.text) is None
        ):
            return None, None
    elif site.kind is not PatchKind.PATCH:
        return None, None
    target = patch_target(site, project)
    if target is None:
        return None, None
    if site.kind is PatchKind.OBJECT:
        return target, target[: -len(f".{attribute}")]
    return target, target.rpartition(".")[0]


class _Binder:
    """Resolves each binding's spec once and binds the calls made on it."""

    def __init__(self, model: ModuleModel, project: ProjectFile) -> None:
        self.project = project
        # Keyed by identity: the model shares one record per binding, and hashing a binding
        # (with its patch site and all) again and again costs more than the rest of the rule.
        self._specs: dict[int, _Spec | None] = {}
        self._replaced = _replaced_chains(model)
        self._qualified: dict[str, str | None] = {}

    def unbindable(self, call: SpecCall) -> Unbindable | None:
        """The call, when its arguments surely cannot bind."""
        spec = self._spec(call.binding)
        if spec is None:
            return None
        if call.reaches_return_value and not spec.autospecced:
            return None  # m().save: a spec'd mock accepts any call, and this one is no test
        chain = _normalized(call.chain)
        if self._is_replaced(call.binding, chain):
            return None
        callee = self._callee(spec, chain)
        if callee is None:
            return None
        arguments = call.arguments
        shape = CallShape(
            positional=len(arguments.positional),
            keywords=tuple(keyword.name for keyword in arguments.keywords),
            star_args=arguments.star_args,
            star_kwargs=arguments.star_kwargs,
        )
        error = callee.signature.bind_error(shape)
        if error is None:
            return None
        unknown = _unknown_keyword(callee.signature, shape)
        if unknown is not None:
            # Python's own call names an unknown keyword before a missing argument (which is
            # often the one the keyword misspells); Signature.bind does it the other way round.
            error = f"got an unexpected keyword argument {unknown!r}"
        keeps_self = spec.keeps_self and not call.chain
        return Unbindable(call, callee, error, spec.autospecced, keeps_self)

    # --- the spec -----------------------------------------------------------------------------

    def _spec(self, binding: MockBinding) -> _Spec | None:
        key = id(binding)
        if key not in self._specs:
            self._specs[key] = self._resolve_spec(binding)
        return self._specs[key]

    def _resolve_spec(self, binding: MockBinding) -> _Spec | None:
        spec = binding.spec
        if spec is None or binding.spec_kind is None:
            return None
        autospecced = binding.spec_kind is SpecKind.AUTOSPEC
        target, owner = self._patched_target(binding)
        patched = target is not None
        if target is None:
            if spec.is_constant or _DOTTED_NAME.fullmatch(spec.text) is None:
                return None
            target = self._qualify(spec.text)
            owner = target.rpartition(".")[0] if target is not None else None
        if target is None:
            return None
        resolved = self.project.resolve_target(target)
        if not isinstance(resolved, Resolved):
            return None
        kind = resolved.kind
        if kind is TargetKind.MODULE:
            return _Spec(resolved, _Stands.MODULE, autospecced, None, target)
        if kind is TargetKind.CLASS:
            # patch(spec=True), autospec and create_autospec(X) replace the class itself;
            # Mock(spec=X) stands for an instance of it (children are its methods).
            if binding.spec_instance or not (patched or autospecced):
                return _Spec(resolved, _Stands.INSTANCE, autospecced, None, target)
            own = resolved.signature if not _non_callable(binding) else None
            return _Spec(resolved, _Stands.CLASS, autospecced, own, target)
        signature = resolved.signature
        if signature is None or _non_callable(binding):
            return None
        if kind is TargetKind.FUNCTION or kind is TargetKind.STATICMETHOD:
            own = signature
        elif kind is TargetKind.CLASSMETHOD:
            own = signature.without_first()  # looked up on the class: bound to it
        elif kind is TargetKind.METHOD and autospecced and owner is not None:
            # The function itself, looked up on its class: the mock replacing it is a function
            # too, so an instance passes itself as the first argument.
            if not self._is_class(owner):
                return None
            return _Spec(resolved, _Stands.CALLABLE, autospecced, signature, target, True)
        else:
            return None
        return _Spec(resolved, _Stands.CALLABLE, autospecced, own, target)

    def _patched_target(self, binding: MockBinding) -> tuple[str | None, str | None]:
        """The dotted target (and its owner) when the spec is the patched object itself."""
        site = binding.patch_site
        if site is None or binding.spec is None:
            return None, None
        if site.kind is PatchKind.PATCH:
            written = site.args[0] if site.args else site.keywords.get("target")
            if written is None or written != binding.spec:
                return None, None
        elif site.kind is PatchKind.OBJECT and binding.spec.span != site.target_span:
            return None, None
        return patched_target(site, self.project)

    def _qualify(self, expression: str) -> str | None:
        """The dotted name an expression denotes through the module's imports (cached)."""
        if expression not in self._qualified:
            self._qualified[expression] = self.project.qualify(expression)
        return self._qualified[expression]

    def _is_class(self, dotted: str) -> bool:
        owner = self.project.resolve_target(dotted)
        return isinstance(owner, Resolved) and owner.kind is TargetKind.CLASS

    # --- the callee ---------------------------------------------------------------------------

    def _callee(self, spec: _Spec, chain: tuple[str, ...]) -> Callee | None:
        """What the mock at ``chain`` stands for, when its signature is known."""
        if not chain:
            if spec.own_signature is None:
                return None
            return Callee(spec.resolved.qualified_name, spec.own_signature, spec.resolved)
        member: str | None = None
        if spec.stands is _Stands.CLASS:
            if len(chain) == 2 and chain[0] == _RETURN_VALUE:
                member = chain[1]  # an instance's method
            elif len(chain) == 1 and spec.autospecced:
                member = chain[0]  # autospec treats the class's methods like bound ones
        elif spec.stands in (_Stands.INSTANCE, _Stands.MODULE) and len(chain) == 1:
            member = chain[0]
        if member is None or member in _MOCK_OWN_NAMES:
            return None
        return self._member(spec, member)

    def _member(self, spec: _Spec, member: str) -> Callee | None:
        resolved = self.project.resolve_target(f"{spec.member_prefix}.{member}")
        if not isinstance(resolved, Resolved) or resolved.signature is None:
            return None
        signature = resolved.signature
        kind = resolved.kind
        if spec.stands is _Stands.MODULE:
            if kind not in (TargetKind.FUNCTION, TargetKind.CLASS):
                return None
        elif kind in (TargetKind.METHOD, TargetKind.CLASSMETHOD):
            signature = signature.without_first()
        elif kind is not TargetKind.STATICMETHOD:
            return None
        return Callee(resolved.qualified_name, signature, resolved)

    def _is_replaced(self, binding: MockBinding, chain: tuple[str, ...]) -> bool:
        """Whether the test set the mock at ``chain`` (or a parent of it) to something else."""
        replaced = self._replaced.get(id(binding))
        if not replaced:
            return False
        return any(chain[:length] in replaced for length in range(1, len(chain) + 1))


def _unknown_keyword(signature: Signature, shape: CallShape) -> str | None:
    """The first keyword that names no parameter at all, when nothing takes ``**kwargs``."""
    if any(parameter.kind is ParameterKind.VAR_KEYWORD for parameter in signature.parameters):
        return None
    names = {parameter.name for parameter in signature.parameters}
    return next((keyword for keyword in shape.keywords if keyword not in names), None)


def _replaced_chains(model: ModuleModel) -> dict[int, set[tuple[str, ...]]]:
    """Per binding, the chains the test set to something of its own (``m.save = Mock()``,
    ``Mock(spec=X, save=...)``, ``m.configure_mock(**{'a.save': ...})``, ``del m.save``): the
    spec says nothing about them any more."""
    replaced: dict[int, set[tuple[str, ...]]] = {}
    configured: dict[int, tuple[MockBinding, set[tuple[str, ...]]]] = {}
    for use in model.attribute_uses:
        if use.kind in (UseKind.STORE, UseKind.DELETE):
            replaced.setdefault(id(use.binding), set()).add(_normalized(use.chain))
        elif use.kind is UseKind.CONFIGURE:
            entry = configured.setdefault(id(use.binding), (use.binding, set()))
            entry[1].add(_normalized(use.chain))
    for key, (binding, chains) in configured.items():
        # A dotted key gives a use per segment; only the whole key is set (a.save, not a).
        keys = {tuple(name.split(".")) for name in binding.configured}
        replaced.setdefault(key, set()).update(
            chain
            for chain in chains
            if chain in keys or not any(other[: len(chain)] == chain != other for other in chains)
        )
    return replaced


def _normalized(chain: tuple[str, ...]) -> tuple[str, ...]:
    """A chain with calls spelled as ``return_value`` (``m()`` is ``m.return_value``)."""
    return tuple(_RETURN_VALUE if segment == _CALL else segment for segment in chain)


def _non_callable(binding: MockBinding) -> bool:
    """Whether calling the mock fails anyway (``NonCallableMock(spec=f)``)."""
    return binding.mock_class in _NON_CALLABLE_MOCKS
