"""Source text -> :class:`~mockls.analysis.model.ModuleModel`, the model every rule reads.

:func:`build_model` parses (recovering around syntax errors), walks the tree once to record
scopes, binding events, patch sites and attribute chains, then resolves names the way Python
does (what is local to a function depends on its whole body) and freezes the model.

Precision comes first, so the builder leaves out what it cannot be sure of:

- a name (or ``self.attr``) also bound to something that is not a mock in the same scope is
  not a mock binding at all;
- a chain stops being a mock where its value stops being one: after a recording attribute or
  method of the mock (``call_args``, ``side_effect``, ``assert_called()``, ...), and past an
  attribute assigned a real value (``m.return_value = [1]`` ends ``m.return_value.append``).

Conventions the rules can rely on, where the model's docstrings leave a choice:

- ``self.attr`` names are written as in the source (``self.m``, ``cls.m``) and resolved through
  the method's first parameter; a class-scoped binding is found from subclasses' methods too;
- a mock made by ``patch``/``patch.object`` has ``mock_class='MagicMock'`` (or the
  ``new_callable`` mock class), ``None`` with ``autospec`` (the real object decides); a
  ``spec=True``/``autospec=True`` spec is the target ``Argument`` (for ``patch.object``, one
  whose text is ``Obj.attribute``, spanning the attribute name);
- ``configured`` holds keys as written, dotted ones too (``'a.b'`` from ``**{'a.b': 1}``);
  a class decorator's keywords are configure uses of the first method's mock only, so each
  written keyword is reported once;
- a class decorator's ``mock`` is set when exactly one test method receives it;
- ``mocker.patch(...)`` entered with ``with ... as x`` binds nothing (``x`` is what the mock's
  ``__enter__`` returns).
"""

from __future__ import annotations

import ast
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from mockengine.vocabulary import CALL_LIST_ASSERTIONS, mock_attribute_names
from mockls.analysis._classes import MAX_BASE_DEPTH, link_bases, local_classes
from mockls.analysis._collect import Collector
from mockls.analysis._drafts import (
    BindingDraft,
    ChainDraft,
    ClassDraft,
    ConfiguredAttribute,
    Event,
    EventKind,
    Scope,
    ScopeKind,
    SiteDraft,
    method_class,
    owning_scope,
)
from mockls.analysis._imports import MockNames
from mockls.analysis.model import (
    AttributeUse,
    CallArguments,
    ExpectedCall,
    ImportedMock,
    MockCall,
    ModuleModel,
    PatchedFunction,
    PatchUse,
    ReturnInPatch,
    StopCall,
    UseKind,
)
from mockls.checkpoints import checkpoint
from mockls.spans import Position, Span
from mockls.syntax.collector import paused
from mockls.syntax.recovery import RecoveredModule, recover_module

__all__ = ["build_model"]

log = logging.getLogger(__name__)

_LEADING_NAME = re.compile(r"[^\W\d]\w*")
"""The name an expression such as ``payments.gateway`` starts with."""

_CALL = "()"
_RETURN_VALUE = "return_value"
_CONFIGURE_MOCK = "configure_mock"
_NOT_MOCKS = mock_attribute_names(is_async=True) - {_RETURN_VALUE}
"""A mock's own attributes and methods: none of them gives a child mock."""


def build_model(
    source: str | RecoveredModule, imported_mock: ImportedMock | None = None
) -> ModuleModel:
    """The model of mock usage in ``source`` (its text, or the text already parsed); never
    raises, whatever the text.

    When the text does not parse, ``syntax_error`` says why and the rest of the model holds
    what could be recovered around the error. ``imported_mock`` tells which names imported
    from workspace modules are mock's (without it only direct imports of mock count).
    """
    try:
        with paused():  # a big model is many objects, none of them garbage until the end
            return _build(source, imported_mock)
    except Exception:  # a bug here must not take the rules down with it
        log.exception("analysis failed; reporting an empty model")
        return ModuleModel(syntax_error="the analysis failed on this text")


def _build(source: str | RecoveredModule, imported_mock: ImportedMock | None) -> ModuleModel:
    recovered = recover_module(source) if isinstance(source, str) else source
    names = MockNames(recovered.statements, recovered.source, imported_mock)
    collector = Collector(recovered.source, names)
    try:
        collector.collect(recovered.statements)
        return _Resolver(collector).model(names, recovered.problem)
    finally:
        collector.dismantle()


class _Resolver:
    """Resolves the collector's drafts against the module's scopes and freezes the model."""

    def __init__(self, collector: Collector) -> None:
        self.collector = collector
        self.source = collector.source
        self.uses: list[AttributeUse] = []
        self._use_drafts: list[_UseDraft] = []
        self._call_drafts: list[_UseDraft] = []
        self._called_names: frozenset[str] = frozenset()

    def model(self, names: MockNames, syntax_error: str | None) -> ModuleModel:
        collector = self.collector
        link_bases(collector.classes)
        self._mark_local_objects()
        self._resolve_starts()
        self._check_ambiguity()
        self._called_names = frozenset(
            binding.name for binding in collector.bindings if binding.valid
        )
        for chain in collector.chains:
            checkpoint()
            self._chain_uses(chain)
        for binding in collector.bindings:
            checkpoint()
            if binding.valid:
                self._configuration_uses(binding, (), binding.configured_attributes, None)
        bindings = sorted(
            (binding.freeze() for binding in collector.bindings if binding.valid),
            key=lambda binding: (binding.span.start, binding.name),
        )
        uses = [
            AttributeUse(
                draft.binding.freeze(),
                draft.chain,
                draft.span,
                draft.kind,
                draft.arguments,
                draft.expected_calls,
            )
            for draft in self._use_drafts
            if draft.is_valid()
        ]
        uses.sort(key=lambda use: (use.span.start, len(use.chain)))
        mock_calls = [
            MockCall(
                draft.binding.freeze(), draft.chain, draft.span, draft.arguments, draft.continued
            )
            for draft in self._call_drafts
            if draft.arguments is not None and draft.is_valid(called=True)
        ]
        mock_calls.sort(key=lambda call: (call.span.start, len(call.chain)))
        sites = sorted(
            (site.freeze() for site in collector.sites.values()),
            key=lambda site: site.span.start,
        )
        patched = tuple(
            PatchedFunction(
                name=draft.name,
                name_span=draft.name_span,
                parameters=draft.parameters,
                parameters_span=draft.parameters_span,
                injected=tuple((site.freeze(), parameter) for site, parameter in draft.injected),
            )
            for draft in sorted(collector.patched, key=lambda draft: draft.name_span.start)
        )
        stops = sorted(
            (
                StopCall(root if attribute is None else f"{root}.{attribute}", span)
                if root is not None
                else StopCall(None, span)
                for _, root, attribute, span in collector.stops
            ),
            key=lambda stop: stop.span.start,
        )
        return ModuleModel(
            imports=tuple(names.imports),
            patch_sites=tuple(sites),
            patched_functions=patched,
            bindings=tuple(bindings),
            attribute_uses=tuple(uses),
            classes=local_classes(collector.classes, collector.module),
            stop_calls=tuple(stops),
            escaped_patchers=frozenset(self._escaped_patchers()),
            syntax_error=syntax_error,
            mock_calls=tuple(mock_calls),
            functions={shape.label: shape for shape in collector.functions},
            returns_in_patch=tuple(
                ReturnInPatch(
                    site.freeze(),
                    self.source.span(node),
                    scope.label,
                    self.source.text_of(self.source.span(node.value)) if node.value else "",
                )
                for site, node, scope in collector.returns_in_patch
            ),
        )

    # --- patchers -----------------------------------------------------------------------------

    def _resolve_starts(self) -> None:
        """Tie each ``p.start()`` / ``with p as m`` to the patcher ``p`` names."""
        for start in self.collector.starts.values():
            site = self._patcher(start.scope, start.root, start.attribute, start.position)
            event = start.event
            if site is None:
                if event is not None:
                    event.kind = EventKind.OTHER
                continue
            if site.use is PatchUse.OTHER:
                site.use = start.use
            if event is None:
                continue
            if site.created is None or not site.base.injects_mock or start.target is None:
                event.kind = EventKind.OTHER
                continue
            if site.mock is None:
                site.mock = start.target
            event.kind = EventKind.MOCK
            event.binding = self.collector.mock_binding(
                start.target, start.scope, site.created, site
            )

    def _patcher(
        self, scope: Scope, root: str, attribute: str | None, position: Position
    ) -> SiteDraft | None:
        events = self._events(scope, root, attribute)
        patchers = [event for event in events if event.kind is EventKind.PATCHER]
        chosen = _at(patchers, position)
        return chosen.site if chosen is not None else None

    def _mark_local_objects(self) -> None:
        """Set ``object_is_local`` on ``patch.object`` sites whose object's first name is
        bound in a function or class around the call, and ``object_made_here`` when that
        function made the object itself and stored it nowhere (before any site is frozen)."""
        for site in self.collector.sites.values():
            target_object = site.base.target_object
            if target_object is None or site.scope is None:
                continue
            root = _LEADING_NAME.match(target_object.text)
            if root is None:
                continue
            name = root.group()
            owner = owning_scope(site.scope, name)
            if owner is not None and owner.kind is not ScopeKind.MODULE:
                made_here = (
                    owner is site.scope
                    and owner.kind is ScopeKind.FUNCTION
                    and target_object.text == name
                    and name not in owner.stored_names
                    and all(event.made_here for event in owner.names[name])
                )
                site.base = replace(site.base, object_is_local=True, object_made_here=made_here)

    def _events(self, scope: Scope, root: str, attribute: str | None) -> list[Event]:
        """The binding events of ``root`` (or of ``root.attribute`` when root is ``self``)."""
        if attribute is None:
            owner = owning_scope(scope, root)
            return owner.names.get(root, []) if owner is not None else []
        klass = method_class(scope, root)
        return _attribute_events(klass, attribute, set()) if klass is not None else []

    def _escaped_patchers(self) -> set[str]:
        escaped: set[str] = set()
        for scope, root, attribute in self.collector.escapes:
            events = self._events(scope, root, attribute)
            if any(event.kind is EventKind.PATCHER for event in events):
                escaped.add(root if attribute is None else f"{root}.{attribute}")
        return escaped

    # --- bindings -----------------------------------------------------------------------------

    def _check_ambiguity(self) -> None:
        """A name bound to a mock and to something else in one scope is no mock binding."""
        for scope in self.collector.scopes:
            if scope.kind is ScopeKind.CLASS:
                continue
            for events in scope.names.values():
                _drop_if_mixed(events)
        for klass in self.collector.classes:
            for name in set(klass.scope.names) | set(klass.self_attributes):
                _drop_if_mixed(klass.attribute_events(name))

    def _binding(
        self, scope: Scope, root: str, attribute: str | None, position: Position
    ) -> BindingDraft | None:
        events = self._events(scope, root, attribute)
        if any(event.kind is not EventKind.MOCK for event in events):
            return None
        chosen = _at(events, position)
        if chosen is None or chosen.binding is None or not chosen.binding.valid:
            return None
        return chosen.binding

    def _chain_binding(
        self, scope: Scope, root: ast.Name, links: list[ast.expr]
    ) -> tuple[BindingDraft, list[ast.expr]] | None:
        position = self.source.start(root)
        if method_class(scope, root.id) is not None:
            first = links[0] if links else None
            if not isinstance(first, ast.Attribute):
                return None
            binding = self._binding(scope, root.id, first.attr, position)
            return (binding, links[1:]) if binding is not None else None
        binding = self._binding(scope, root.id, None, position)
        return (binding, links) if binding is not None else None

    # --- attribute uses -----------------------------------------------------------------------

    def _chain_uses(self, draft: ChainDraft) -> None:
        if draft.root.id not in self._called_names and not any(
            isinstance(link, ast.Attribute) for link in draft.links
        ):
            return  # f(x) or f(x)(y) of a name that is no mock: most calls in a module
        resolved = self._chain_binding(draft.scope, draft.root, draft.links)
        if resolved is None:
            return
        binding, links = resolved
        calls = self.collector.calls
        chain: list[str] = []
        for index, link in enumerate(links):
            if isinstance(link, ast.Call):
                if index == 0 or isinstance(links[index - 1], ast.Call):
                    self._call_drafts.append(
                        _UseDraft(
                            binding,
                            tuple(chain),
                            self.source.span(link.func),
                            UseKind.CALL,
                            calls.call_arguments(link),
                            continued=index + 1 < len(links),
                        )
                    )
                chain.append(_CALL)
                continue
            if not isinstance(link, ast.Attribute):
                return
            chain.append(link.attr)
            following = links[index + 1] if index + 1 < len(links) else None
            kind = _use_kind(link, following)
            arguments: CallArguments | None = None
            expected_calls: tuple[ExpectedCall, ...] = ()
            if isinstance(following, ast.Call):
                arguments = calls.call_arguments(following)
                if link.attr in CALL_LIST_ASSERTIONS:
                    expected_calls = calls.expected_calls(following, draft.scope)
            self._use_drafts.append(
                _UseDraft(
                    binding,
                    tuple(chain),
                    self.source.attribute_name_span(link),
                    kind,
                    arguments,
                    expected_calls,
                )
            )
            if link.attr == _CONFIGURE_MOCK and isinstance(following, ast.Call):
                configured = self.collector.calls.configuration(following, frozenset())
                self._configuration_uses(binding, tuple(chain[:-1]), configured, draft.scope)
                if len(chain) == 1:
                    binding.configured.update(attribute.key for attribute in configured)
            if link.attr in _NOT_MOCKS:
                return
        if (
            links
            and isinstance(links[-1], ast.Attribute)
            and (
                draft.stores_unknown
                or (
                    draft.stored_value is not None
                    and not self._is_mock_value(draft.stored_value, draft.scope)
                )
            )
        ):
            binding.real_chains.add(_normalized(chain))

    def _configuration_uses(
        self,
        binding: BindingDraft,
        prefix: tuple[str, ...],
        configured: Iterable[ConfiguredAttribute],
        scope: Scope | None,
    ) -> None:
        for attribute in configured:
            segments = tuple(attribute.key.split("."))
            for length in range(1, len(segments) + 1):
                span = attribute.segment_spans[min(length, len(attribute.segment_spans)) - 1]
                chain = prefix + segments[:length]
                self._use_drafts.append(_UseDraft(binding, chain, span, UseKind.CONFIGURE))
            value_scope = scope or binding.created.scope
            if value_scope is None or not self._is_mock_value(attribute.value, value_scope):
                binding.real_chains.add(_normalized(prefix + segments))

    def _is_mock_value(self, node: ast.expr, scope: Scope) -> bool:
        """Whether an assigned value is surely a mock (a new one, or a mock binding's chain)."""
        if (
            isinstance(node, ast.Call)
            and self.collector.calls.created_mock(node, scope) is not None
        ):
            return True
        links: list[ast.expr] = []
        while isinstance(node, ast.Attribute):
            links.append(node)
            node = node.value
        if not isinstance(node, ast.Name):
            return False
        links.reverse()
        if method_class(scope, node.id) is not None and not links:
            return False
        resolved = self._chain_binding(scope, node, links)
        if resolved is None:
            return False
        _, rest = resolved
        return not any(isinstance(link, ast.Attribute) and link.attr in _NOT_MOCKS for link in rest)


@dataclass(frozen=True, slots=True)
class _UseDraft:
    """An attribute use (or a call of the mock itself) before its binding is known to hold."""

    binding: BindingDraft
    chain: tuple[str, ...]
    span: Span
    kind: UseKind
    arguments: CallArguments | None = None
    expected_calls: tuple[ExpectedCall, ...] = ()
    continued: bool = False  # for a call: the chain goes on from what it returns

    def is_valid(self, *, called: bool = False) -> bool:
        """Whether the binding is a mock binding and the chain still reaches a mock (the chain
        and the value it holds, when ``called``: ``m.return_value = 1`` makes ``m()(...)`` no
        call of a mock)."""
        chain = (*self.chain, _CALL) if called else self.chain
        return self.binding.valid and not _through_real_value(chain, self.binding.real_chains)


def _attribute_events(klass: ClassDraft, name: str, seen: set[int]) -> list[Event]:
    """The events of ``self.name`` in a class, looked up in its local bases when it has none."""
    events = klass.attribute_events(name)
    if events or id(klass) in seen or len(seen) >= MAX_BASE_DEPTH:
        return events
    seen.add(id(klass))
    for base in klass.base_classes:
        found = _attribute_events(base, name, seen)
        if found:
            return found
    return []


def _drop_if_mixed(events: list[Event]) -> None:
    if any(event.kind is not EventKind.MOCK for event in events):
        for event in events:
            if event.binding is not None:
                event.binding.valid = False


def _at(events: list[Event], position: Position) -> Event | None:
    """The event in force at ``position``: the last one before it, else the first."""
    before = [event for event in events if event.position <= position]
    if before:
        return max(before, key=lambda event: event.position)
    return min(events, key=lambda event: event.position) if events else None


def _use_kind(link: ast.Attribute, following: ast.expr | None) -> UseKind:
    if isinstance(following, ast.Call):
        return UseKind.CALL
    if isinstance(link.ctx, ast.Store):
        return UseKind.STORE
    if isinstance(link.ctx, ast.Del):
        return UseKind.DELETE
    return UseKind.LOAD


def _normalized(chain: Iterable[str]) -> tuple[str, ...]:
    """A chain with calls spelled as ``return_value`` (``m()`` is ``m.return_value``)."""
    return tuple(_RETURN_VALUE if segment == _CALL else segment for segment in chain)


def _through_real_value(chain: tuple[str, ...], real_chains: set[tuple[str, ...]]) -> bool:
    """Whether a use reaches past an attribute that was assigned a real value."""
    if not real_chains:
        return False
    normalized = _normalized(chain)
    return any(normalized[:length] in real_chains for length in range(1, len(normalized)))
