"""One walk over a module's tree that records scopes, binding events, patch sites and chains.

Statements are visited recursively (Python bounds their nesting); expressions with an explicit
stack, so a deeply nested expression cannot exhaust the interpreter's stack.
"""

from __future__ import annotations

import ast
import logging
from collections.abc import Iterable
from dataclasses import replace

from mockengine.vocabulary import MOCKER_FIXTURES
from mockls.analysis._calls import PATCH_KINDS, MockCalls
from mockls.analysis._drafts import (
    BindingDraft,
    ChainDraft,
    ClassDraft,
    ConfiguredAttribute,
    CreatedMock,
    Event,
    EventKind,
    PatchedDraft,
    Scope,
    ScopeKind,
    SiteDraft,
    StartDraft,
    binding_scope,
    method_class,
)
from mockls.analysis._imports import PATCH_STOPALL, MockNames
from mockls.analysis._targets import BuiltTargets
from mockls.analysis.model import FunctionShape, NameRef, Parameter, PatchUse
from mockls.checkpoints import checkpoint
from mockls.spans import Position, Span
from mockls.syntax.source_text import SourceText
from mockls.syntax.tree import dotted_parts

log = logging.getLogger(__name__)

# Facts of the libraries around mock that the vocabulary does not cover.
_MOCKER_FIXTURE_ANNOTATIONS = frozenset({"MockerFixture", "MockFixture"})
_TEST_METHOD_PREFIX = "test"  # patch.TEST_PREFIX: a class decorator patches these methods
_ENTER_CONTEXT = frozenset({"enter_context", "enterContext", "enterClassContext"})
_START, _STOP = "start", "stop"
_STATICMETHOD = "staticmethod"
_FIXTURE = "fixture"  # pytest.fixture, pytest_asyncio.fixture, or ``from pytest import fixture``


_ESCAPE_PARENTS = (
    ast.Call,
    ast.List,
    ast.Tuple,
    ast.Set,
    ast.Dict,
    ast.Return,
    ast.Yield,
    ast.YieldFrom,
    ast.Assign,
    ast.AnnAssign,
    ast.NamedExpr,
    ast.Lambda,
)
"""Where a patcher's name hands the patcher to someone else (an argument, a container, ...)."""

_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)


class Collector:
    """Walks a module once and keeps every draft the builder needs."""

    def __init__(self, source: SourceText, names: MockNames) -> None:
        self.source = source
        self.calls = MockCalls(source, names)
        self.module = Scope(ScopeKind.MODULE, "<module>", None)
        self.scopes: list[Scope] = [self.module]
        self.classes: list[ClassDraft] = []
        self.sites: dict[int, SiteDraft] = {}
        self.bindings: list[BindingDraft] = []
        self.chains: list[ChainDraft] = []
        self.starts: dict[int, StartDraft] = {}
        self.patched: list[PatchedDraft] = []
        self.stops: list[tuple[Scope, str | None, str | None, Span]] = []
        self.escapes: list[tuple[Scope, str, str | None]] = []
        self._handled_targets: set[int] = set()
        self._stored_values: dict[int, ast.expr | None] = {}
        self.functions: list[FunctionShape] = []
        self.returns_in_patch: list[tuple[SiteDraft, ast.Return, Scope]] = []
        self._open_patches: list[SiteDraft] = []  # the ``with patch(...)`` blocks around us

    def dismantle(self) -> None:
        """Break the drafts' reference cycles once the model is built (a scope holds its events,
        an event its drafts, a draft its scope or event; a class scope and its class hold each
        other), so that reference counting frees them all, without the cyclic garbage collector.
        """
        for scope in self.scopes:
            scope.names.clear()
            scope.owner = None
        for klass in self.classes:
            klass.self_attributes.clear()
            klass.base_classes.clear()
        for start in self.starts.values():
            start.event = None  # whose ``start`` may be this very draft

    # --- statements ---------------------------------------------------------------------------

    def collect(self, statements: list[ast.stmt]) -> None:
        """Walk a module's statements."""
        self.calls.built_targets = BuiltTargets(statements, self.source)
        self._statements(statements, self.module)

    def _statements(self, statements: Iterable[ast.stmt], scope: Scope) -> None:
        for statement in statements:
            checkpoint()  # a large module's walk gives way to requests, and stops when unwanted
            try:
                self._statement(statement, scope)
            except RecursionError:
                log.debug("statement at line %s is nested too deeply", statement.lineno)

    def _statement(self, node: ast.stmt, scope: Scope) -> None:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            self._function(node, scope)
        elif isinstance(node, ast.ClassDef):
            self._class(node, scope)
        elif isinstance(node, ast.Assign):
            self._assign(node, scope)
        elif isinstance(node, ast.AnnAssign):
            if node.value is not None:
                self._bind(node.target, node.value, scope)
            elif isinstance(node.target, ast.Name):
                self._handled_targets.add(id(node.target))
                if scope.kind is ScopeKind.CLASS:  # a declared member: ``x: int``
                    self._record(node.target, scope, Event(EventKind.OTHER, self._start(node)))
            self._expressions((node.annotation, node.target, node.value), scope, node)
        elif isinstance(node, ast.AugAssign):
            self._stored_values[id(node.target)] = None
            self._expressions((node.target, node.value), scope, node)
        elif isinstance(node, ast.With | ast.AsyncWith):
            self._with(node, scope)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            for alias in node.names:
                if alias.name != "*":
                    name = (alias.asname or alias.name).split(".")[0]
                    self._record_name(name, scope, Event(EventKind.OTHER, self._start(node)))
        elif isinstance(node, ast.Global):
            scope.declared_global.update(node.names)
        elif isinstance(node, ast.Nonlocal):
            scope.declared_nonlocal.update(node.names)
        elif isinstance(node, ast.For | ast.AsyncFor):
            self._stored_values[id(node.target)] = None
            self._expressions((node.target, node.iter), scope, node)
            self._statements(node.body, scope)
            self._statements(node.orelse, scope)
        elif isinstance(node, ast.Return):
            if node.value is not None:
                for site in self._open_patches:
                    self.returns_in_patch.append((site, node, scope))
            self._expressions((node.value,), scope, node)
        else:
            self._other_statement(node, scope)

    def _other_statement(self, node: ast.stmt, scope: Scope) -> None:
        for name, value in ast.iter_fields(node):
            if isinstance(value, ast.expr):
                self._expressions((value,), scope, node)
            elif isinstance(value, list):
                for item in value:
                    if isinstance(item, ast.stmt):
                        self._statements((item,), scope)
                    elif isinstance(item, ast.expr):
                        self._expressions((item,), scope, node)
                    elif isinstance(item, ast.ExceptHandler):
                        if item.name:
                            event = Event(EventKind.OTHER, self._start(item))
                            self._record_name(item.name, scope, event)
                        self._expressions((item.type,), scope, item)
                        self._statements(item.body, scope)
                    elif isinstance(item, ast.match_case):
                        self._pattern(item.pattern, scope)
                        self._expressions((item.guard,), scope, node)
                        self._statements(item.body, scope)
            elif name == "pattern" and isinstance(value, ast.pattern):
                self._pattern(value, scope)

    def _pattern(self, pattern: ast.pattern, scope: Scope) -> None:
        for node in ast.walk(pattern):
            captured = getattr(node, "name", None) or getattr(node, "rest", None)
            if isinstance(captured, str):
                self._record_name(captured, scope, Event(EventKind.OTHER, self._start(pattern)))
            if isinstance(node, ast.MatchValue):
                self._expressions((node.value,), scope, None)

    # --- definitions --------------------------------------------------------------------------

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef, scope: Scope) -> None:
        sites: list[SiteDraft] = []
        for decorator in node.decorator_list:
            site = self._patch_call(
                decorator, scope, PatchUse.FUNCTION_DECORATOR, scope.child_label(node.name)
            )
            if site is not None:
                sites.append(site)
        arguments = node.args
        self._expressions(
            (
                *node.decorator_list,
                *arguments.defaults,
                *(default for default in arguments.kw_defaults if default is not None),
                node.returns,
                *(argument.annotation for argument in _all_arguments(arguments)),
            ),
            scope,
            node,
        )
        self._record_name(node.name, scope, Event(EventKind.OTHER, self._start(node)))

        function = Scope(ScopeKind.FUNCTION, scope.child_label(node.name), scope)
        self.scopes.append(function)
        positional = [*arguments.posonlyargs, *arguments.args]
        in_class = scope.kind is ScopeKind.CLASS and scope.owner is not None
        is_static = any(_decorator_name(d) == _STATICMETHOD for d in node.decorator_list)
        receivers = positional
        if in_class and not is_static and positional:
            function.owner = scope.owner
            function.self_name = positional[0].arg
            receivers = positional[1:]

        injecting = [site for site in reversed(sites) if site.base.injects_mock]
        class_sites: list[SiteDraft] = []
        if in_class and scope.owner is not None and node.name.startswith(_TEST_METHOD_PREFIX):
            class_sites = scope.owner.decorator_sites
        defaults = _positional_defaults(arguments)
        parameters = {
            id(argument): self._parameter(argument, defaults.get(id(argument)))
            for argument in positional
        }
        injected: list[tuple[SiteDraft, Parameter]] = []
        for site, argument in zip([*injecting, *class_sites], receivers, strict=False):
            parameter = parameters[id(argument)]
            injected.append((site, parameter))
            reference = NameRef(parameter.name, parameter.span)
            if site in class_sites and scope.owner is not None:
                scope.owner.decorator_targets.setdefault(id(site), []).append(reference)
            elif site.mock is None:
                site.mock = reference
            self._record_name(
                argument.arg, function, self._mock_event(reference, function, site.created, site)
            )
        paired = {id(argument) for _, argument in zip(injected, receivers, strict=False)}
        for argument in _all_arguments(arguments):
            if id(argument) in paired:
                continue
            if argument.arg in MOCKER_FIXTURES or _is_mocker_annotation(argument.annotation):
                self.calls.add_mocker(argument.arg, function)
            self._record_name(argument.arg, function, Event(EventKind.OTHER, self._start(argument)))
        is_fixture = any(_decorator_name(d) == _FIXTURE for d in node.decorator_list)
        if sites or is_fixture:
            self.functions.append(
                FunctionShape(
                    function.label,
                    self.source.function_name_span(node),
                    is_fixture=is_fixture,
                    is_generator=_yields(node),
                )
            )
        if injected:
            self.patched.append(
                PatchedDraft(
                    name=node.name,
                    name_span=self.source.function_name_span(node),
                    parameters=tuple(parameters[id(argument)] for argument in positional),
                    parameters_span=self._parameters_span(node, positional),
                    injected=injected,
                )
            )
        open_patches, self._open_patches = self._open_patches, list(sites)
        self._statements(node.body, function)
        self._open_patches = open_patches

    def _class(self, node: ast.ClassDef, scope: Scope) -> None:
        sites: list[SiteDraft] = []
        for decorator in node.decorator_list:
            site = self._patch_call(
                decorator, scope, PatchUse.CLASS_DECORATOR, scope.child_label(node.name)
            )
            if site is not None:
                sites.append(site)
        self._expressions(
            (*node.decorator_list, *node.bases, *(k.value for k in node.keywords)), scope, node
        )
        self._record_name(node.name, scope, Event(EventKind.OTHER, self._start(node)))
        label = scope.child_label(node.name)
        class_scope = Scope(ScopeKind.CLASS, label, scope)
        local = scope.kind is ScopeKind.MODULE or (
            scope.kind is ScopeKind.CLASS and scope.owner is not None and scope.owner.local
        )
        draft = ClassDraft(name=label, node=node, scope=class_scope, local=local)
        draft.decorator_sites = [site for site in reversed(sites) if site.base.injects_mock]
        draft.bases = [dotted_parts(base) for base in node.bases]
        class_scope.owner = draft
        self.scopes.append(class_scope)
        self.classes.append(draft)
        self._statements(node.body, class_scope)
        for site in draft.decorator_sites:
            receivers = draft.decorator_targets.get(id(site), [])
            if len(receivers) == 1 and site.mock is None:
                site.mock = receivers[0]

    def _parameter(self, argument: ast.arg, default: ast.expr | None) -> Parameter:
        start = self.source.start(argument)
        span = self.source.identifier_at(start.line, start.character, argument.arg)
        extent = Span(start, self.source.span(default if default is not None else argument).end)
        return Parameter(
            argument.arg,
            span,
            extent=extent,
            text=self.source.text_of(extent),
            has_default=default is not None,
        )

    def _parameters_span(
        self, node: ast.FunctionDef | ast.AsyncFunctionDef, positional: list[ast.arg]
    ) -> Span:
        if positional:
            end = self.source.span(positional[-1]).end
            if node.args.defaults:
                end = max(end, self.source.span(node.args.defaults[-1]).end)
            return Span(self.source.start(positional[0]), end)
        name = self.source.function_name_span(node).end
        text = self.source.line(name.line)
        opening = text.find("(", name.character)
        column = opening + 1 if opening >= 0 else name.character
        return Span.of(name.line, column, name.line, column)

    # --- binding statements -------------------------------------------------------------------

    def _assign(self, node: ast.Assign, scope: Scope) -> None:
        value = node.value
        target = node.targets[0]
        if (
            len(node.targets) == 1
            and isinstance(target, ast.Tuple | ast.List)
            and isinstance(value, ast.Tuple | ast.List)
            and len(target.elts) == len(value.elts)
            and not any(isinstance(e, ast.Starred) for e in (*target.elts, *value.elts))
        ):
            for element, element_value in zip(target.elts, value.elts, strict=True):
                self._bind(element, element_value, scope)
        else:
            for each in node.targets:
                self._bind(each, value, scope)
        self._expressions((*node.targets, value), scope, node)

    def _bind(self, target: ast.expr, value: ast.expr, scope: Scope) -> None:
        """Record what assigning ``value`` to a name or ``self.attr`` binds it to."""
        if isinstance(target, ast.Attribute):
            self._stored_values[id(target)] = value
        if isinstance(target, ast.Attribute | ast.Subscript) and isinstance(value, ast.Name):
            scope.stored_names.add(value.id)
        reference = self._name_ref(target, scope)
        if reference is None:
            return
        event = self._value_event(value, reference, scope)
        self._record(target, scope, event)

    def _value_event(self, value: ast.expr, reference: NameRef, scope: Scope) -> Event:
        position = reference.span.start
        site = self._patch_call(value, scope, PatchUse.OTHER)
        if site is not None:
            if site.base.via_mocker:
                site.use = PatchUse.MOCKER
                return self._site_result(site, reference, scope)
            site.patcher = reference
            return Event(EventKind.PATCHER, position, site=site)
        if isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute):
            method, receiver = value.func.attr, value.func.value
            if method == _START and not value.args and not value.keywords:
                inner = self._patch_call(receiver, scope, PatchUse.STARTED)
                if inner is not None:
                    inner.use = PatchUse.STARTED
                    return self._site_result(inner, reference, scope)
                start = self._start_draft(receiver, scope, PatchUse.STARTED, reference)
                if start is not None:
                    self.starts[id(value)] = start
                    start.event = Event(EventKind.START, position, start=start)
                    return start.event
            if method in _ENTER_CONTEXT and len(value.args) == 1:
                entered = self._patch_call(value.args[0], scope, PatchUse.CONTEXT_MANAGER)
                if entered is not None:
                    entered.use = PatchUse.CONTEXT_MANAGER
                    return self._site_result(entered, reference, scope)
        created = self.calls.created_mock(value, scope)
        if created is not None:
            return self._mock_event(reference, scope, created, None)
        return Event(EventKind.OTHER, position, made_here=_makes_object(value))

    def _site_result(self, site: SiteDraft, reference: NameRef, scope: Scope) -> Event:
        """The event for a name that receives what an applied patcher hands over."""
        if site.created is None or not site.base.injects_mock:
            return Event(EventKind.OTHER, reference.span.start)
        if site.mock is None:
            site.mock = reference
        return self._mock_event(reference, scope, site.created, site)

    def _mock_event(
        self, reference: NameRef, scope: Scope, created: CreatedMock | None, site: SiteDraft | None
    ) -> Event:
        if created is None:
            return Event(EventKind.OTHER, reference.span.start)
        return Event(
            EventKind.MOCK,
            reference.span.start,
            binding=self.mock_binding(reference, scope, created, site),
        )

    def mock_binding(
        self, reference: NameRef, scope: Scope, created: CreatedMock, site: SiteDraft | None
    ) -> BindingDraft:
        """A binding of ``reference`` (``m`` or ``self.m``) in ``scope`` to a created mock."""
        label = scope.label
        if "." in reference.name:  # self.m: shared by the methods of the class
            owner = method_class(scope, reference.name.split(".")[0])
            label = owner.name if owner is not None else label
        binding = BindingDraft(reference.name, reference.span, label, created, site)
        for attribute in self._claim_configuration(created, site):
            binding.configured.add(attribute.key)
            binding.configured_attributes.append(attribute)
        self.bindings.append(binding)
        return binding

    @staticmethod
    def _claim_configuration(
        created: CreatedMock, site: SiteDraft | None
    ) -> tuple[ConfiguredAttribute, ...]:
        """The configuring keywords, given to the first binding of a site only (a class
        decorator hands one mock to each test method, but its keywords are written once)."""
        if site is None:
            return created.configured
        if site.configuration_claimed:
            return ()
        site.configuration_claimed = True
        return created.configured

    def _with(self, node: ast.With | ast.AsyncWith, scope: Scope) -> None:
        depth = len(self._open_patches)
        for item in node.items:
            expression, variable = item.context_expr, item.optional_vars
            reference = self._name_ref(variable, scope) if variable is not None else None
            site = self._patch_call(expression, scope, PatchUse.CONTEXT_MANAGER)
            if site is not None and site.base.via_mocker:
                # mocker.patch(...) patches at once and returns the mock; ``as`` would get
                # what its __enter__ returns, another mock.
                if reference is not None and variable is not None:
                    self._record(variable, scope, Event(EventKind.OTHER, reference.span.start))
            elif site is not None:
                site.use = PatchUse.CONTEXT_MANAGER
                self._open_patches.append(site)
                if reference is not None and variable is not None:
                    self._record(variable, scope, self._site_result(site, reference, scope))
            else:
                start = self._start_draft(expression, scope, PatchUse.CONTEXT_MANAGER, reference)
                if start is not None:
                    self.starts[id(expression)] = start
                    if reference is not None and variable is not None:
                        start.event = Event(EventKind.START, reference.span.start, start=start)
                        self._record(variable, scope, start.event)
            if variable is not None:
                self._stored_values.setdefault(id(variable), None)
            self._expressions((expression, variable), scope, node)
        self._statements(node.body, scope)
        del self._open_patches[depth:]

    def _record(self, target: ast.expr, scope: Scope, event: Event) -> None:
        """Record a binding event for a name or ``self.attr`` target."""
        self._handled_targets.add(id(target))
        if isinstance(target, ast.Name):
            self._record_name(target.id, scope, event)
        elif isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name):
            owner = method_class(scope, target.value.id)
            if owner is not None:
                owner.self_attributes.setdefault(target.attr, []).append(event)

    def _record_name(self, name: str, scope: Scope, event: Event) -> None:
        binding_scope(scope, name).names.setdefault(name, []).append(event)

    def _name_ref(self, target: ast.expr, scope: Scope) -> NameRef | None:
        """``m`` or ``self.m`` as a binding target; ``None`` for anything else."""
        if isinstance(target, ast.Name):
            return NameRef(target.id, self.source.span(target))
        if (
            isinstance(target, ast.Attribute)
            and isinstance(target.value, ast.Name)
            and method_class(scope, target.value.id) is not None
        ):
            return NameRef(f"{target.value.id}.{target.attr}", self.source.span(target))
        return None

    def _start_draft(
        self, receiver: ast.expr, scope: Scope, use: PatchUse, target: NameRef | None
    ) -> StartDraft | None:
        """A draft for applying the patcher named by ``receiver`` (``p`` or ``self.p``)."""
        position = self.source.start(receiver)
        if isinstance(receiver, ast.Name):
            return StartDraft(scope, receiver.id, None, position, use, target)
        if isinstance(receiver, ast.Attribute) and isinstance(receiver.value, ast.Name):
            return StartDraft(scope, receiver.value.id, receiver.attr, position, use, target)
        return None

    # --- mock API calls -----------------------------------------------------------------------

    def _patch_call(
        self, node: ast.expr, scope: Scope, use: PatchUse, decorated: str | None = None
    ) -> SiteDraft | None:
        """The site of a ``patch``-family call (made once per call node); ``decorated`` is the
        label of the function or class a decorator applies to."""
        if not isinstance(node, ast.Call):
            return None
        known = self.sites.get(id(node))
        if known is not None:
            return known
        api = self.calls.api(node.func, scope)
        if api is None:
            return None
        name, via_mocker = api
        kind = PATCH_KINDS.get(name)
        if kind is None:
            return None
        base = replace(
            self.calls.site_base(node, kind, via_mocker),
            scope=decorated if decorated is not None else scope.label,
        )
        if via_mocker and use is PatchUse.OTHER:
            use = PatchUse.MOCKER
        site = SiteDraft(base, use, self.calls.patch_created(base, node, scope), scope=scope)
        self.sites[id(node)] = site
        return site

    # --- expressions --------------------------------------------------------------------------

    def _expressions(
        self, nodes: Iterable[ast.expr | None], scope: Scope, parent: ast.AST | None
    ) -> None:
        stack: list[tuple[ast.AST, Scope, ast.AST | None]] = [
            (node, scope, parent) for node in nodes if node is not None
        ]
        while stack:
            node, current, above = stack.pop()
            if isinstance(node, ast.Attribute | ast.Call):
                self._chain(node, current, above, stack)
            elif isinstance(node, ast.Name):
                self._name(node, current, above)
            elif isinstance(node, ast.Starred):
                stack.append((node.value, current, above))
            elif isinstance(node, ast.NamedExpr):
                target_scope = binding_scope(current, node.target.id, assignment_expression=True)
                self._bind(node.target, node.value, target_scope)
                stack.append((node.value, current, node))
            elif isinstance(node, ast.Lambda):
                self._lambda(node, current, stack)
            elif isinstance(node, _COMPREHENSIONS):
                self._comprehension(node, current, stack)
            else:
                for child in ast.iter_child_nodes(node):
                    if isinstance(child, ast.expr):
                        stack.append((child, current, node))
                    elif isinstance(child, ast.keyword):
                        stack.append((child.value, current, node))

    def _name(self, node: ast.Name, scope: Scope, parent: ast.AST | None) -> None:
        if isinstance(node.ctx, ast.Store):
            if id(node) not in self._handled_targets:
                self._record_name(node.id, scope, Event(EventKind.OTHER, self._start(node)))
        elif isinstance(node.ctx, ast.Load) and isinstance(parent, _ESCAPE_PARENTS):
            self.escapes.append((scope, node.id, None))

    def _chain(
        self,
        top: ast.Attribute | ast.Call,
        scope: Scope,
        parent: ast.AST | None,
        stack: list[tuple[ast.AST, Scope, ast.AST | None]],
    ) -> None:
        links: list[ast.expr] = []
        node: ast.expr = top
        while isinstance(node, ast.Attribute | ast.Call):
            links.append(node)
            node = node.value if isinstance(node, ast.Attribute) else node.func
        links.reverse()
        root = node
        for link in links:
            if isinstance(link, ast.Call):
                for argument in link.args:
                    stack.append((argument, scope, link))
                for keyword in link.keywords:
                    stack.append((keyword.value, scope, link))
        if not isinstance(root, ast.Name):
            stack.append((root, scope, links[0]))
            self._calls_in_chain(None, links, scope)
            return
        self._calls_in_chain(root, links, scope)
        if isinstance(top, ast.Attribute) and not isinstance(top.ctx, ast.Load):
            self._attribute_target(top, root, links, scope)
        draft = ChainDraft(scope, root, links)  # every chain: ``m(...)`` calls the mock itself
        if id(top) in self._stored_values:
            value = self._stored_values[id(top)]
            draft.stored_value = value
            draft.stores_unknown = value is None
        elif isinstance(top, ast.Attribute) and isinstance(top.ctx, ast.Store):
            draft.stores_unknown = True
        self.chains.append(draft)
        if parent is not None and isinstance(top, ast.Attribute) and isinstance(top.ctx, ast.Load):
            self._passed_attribute(top, root, links, scope, parent)

    def _attribute_target(
        self, top: ast.Attribute, root: ast.Name, links: list[ast.expr], scope: Scope
    ) -> None:
        """``self.x = ...`` not handled by a binding statement (``for self.x in``, ``+=``)."""
        if len(links) != 1 or id(top) in self._handled_targets or isinstance(top.ctx, ast.Del):
            return
        owner = method_class(scope, root.id)
        if owner is not None:
            owner.self_attributes.setdefault(top.attr, []).append(
                Event(EventKind.OTHER, self._start(top))
            )

    def _calls_in_chain(self, root: ast.Name | None, links: list[ast.expr], scope: Scope) -> None:
        """Patch calls, ``X.start()``, ``X.stop()`` and ``patch.stopall()`` along a chain."""
        parts: list[str] | None = [root.id] if root is not None else None
        for index, link in enumerate(links):
            if isinstance(link, ast.Attribute):
                if parts is not None:
                    parts.append(link.attr)
                continue
            if parts is not None and isinstance(link, ast.Call):
                self._call(link, parts, links, index, scope)
            parts = None

    def _call(
        self, call: ast.Call, parts: list[str], links: list[ast.expr], index: int, scope: Scope
    ) -> None:
        following = links[index + 1 : index + 3]
        is_started = (
            len(following) == 2
            and isinstance(following[0], ast.Attribute)
            and following[0].attr == _START
            and isinstance(following[1], ast.Call)
        )
        site = self._patch_call(call, scope, PatchUse.STARTED if is_started else PatchUse.OTHER)
        if site is not None:
            if is_started and site.use is PatchUse.OTHER:
                site.use = PatchUse.STARTED
            return
        api = self.calls.api(call.func, scope)
        if api is not None and api == (PATCH_STOPALL, False):
            self.stops.append((scope, None, None, self.source.span(call)))
            return
        if len(parts) not in (2, 3) or parts[-1] not in (_START, _STOP):
            return
        receiver = call.func.value if isinstance(call.func, ast.Attribute) else None
        if receiver is None:
            return
        if parts[-1] == _STOP:
            attribute = parts[1] if len(parts) == 3 else None
            self.stops.append((scope, parts[0], attribute, self.source.span(call)))
        elif id(call) not in self.starts:
            start = self._start_draft(receiver, scope, PatchUse.STARTED, None)
            if start is not None:
                self.starts[id(call)] = start

    def _passed_attribute(
        self,
        top: ast.Attribute,
        root: ast.Name,
        links: list[ast.expr],
        scope: Scope,
        parent: ast.AST,
    ) -> None:
        """``addCleanup(p.stop)``, ``addCleanup(patch.stopall)``, or ``self.p`` handed on."""
        if not all(isinstance(link, ast.Attribute) for link in links):
            return
        if isinstance(parent, ast.Call) and top is not parent.func:
            first = links[0]
            if top.attr == _STOP and len(links) <= 2 and isinstance(first, ast.Attribute):
                attribute = first.attr if len(links) == 2 else None
                self.stops.append((scope, root.id, attribute, self.source.span(parent)))
                return
            if self.calls.api(top, scope) == (PATCH_STOPALL, False):
                self.stops.append((scope, None, None, self.source.span(parent)))
                return
        if len(links) == 1 and isinstance(parent, _ESCAPE_PARENTS):
            self.escapes.append((scope, root.id, top.attr))

    def _lambda(
        self,
        node: ast.Lambda,
        scope: Scope,
        stack: list[tuple[ast.AST, Scope, ast.AST | None]],
    ) -> None:
        arguments = node.args
        for default in (*arguments.defaults, *arguments.kw_defaults):
            if default is not None:
                stack.append((default, scope, node))
        inner = Scope(ScopeKind.LAMBDA, scope.child_label("<lambda>"), scope)
        self.scopes.append(inner)
        for argument in _all_arguments(arguments):
            self._record_name(argument.arg, inner, Event(EventKind.OTHER, self._start(argument)))
        stack.append((node.body, inner, node))

    def _comprehension(
        self,
        node: ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp,
        scope: Scope,
        stack: list[tuple[ast.AST, Scope, ast.AST | None]],
    ) -> None:
        label = f"<{type(node).__name__.lower()}>"
        inner = Scope(ScopeKind.COMPREHENSION, scope.child_label(label), scope)
        self.scopes.append(inner)
        for index, generator in enumerate(node.generators):
            stack.append((generator.iter, scope if index == 0 else inner, node))
            stack.append((generator.target, inner, node))
            for condition in generator.ifs:
                stack.append((condition, inner, node))
        if isinstance(node, ast.DictComp):
            stack.append((node.key, inner, node))
            stack.append((node.value, inner, node))
        else:
            stack.append((node.elt, inner, node))

    def _start(self, node: ast.AST) -> Position:
        return self.source.start(node)


def _makes_object(value: ast.expr) -> bool:
    """Whether ``value`` makes a new object: a call of a class (a capitalised name, by
    convention; a factory such as ``get_config()`` may hand out a shared one)."""
    if not isinstance(value, ast.Call):
        return False
    callee = value.func
    name = callee.attr if isinstance(callee, ast.Attribute) else getattr(callee, "id", "")
    return name[:1].isupper()


def _positional_defaults(arguments: ast.arguments) -> dict[int, ast.expr]:
    """The default of each positional parameter that has one, by the ``id`` of its node."""
    positional = [*arguments.posonlyargs, *arguments.args]
    with_defaults = positional[len(positional) - len(arguments.defaults) :]
    pairs = zip(with_defaults, arguments.defaults, strict=True)
    return {id(argument): default for argument, default in pairs}


def _all_arguments(arguments: ast.arguments) -> list[ast.arg]:
    found = [*arguments.posonlyargs, *arguments.args]
    if arguments.vararg is not None:
        found.append(arguments.vararg)
    found.extend(arguments.kwonlyargs)
    if arguments.kwarg is not None:
        found.append(arguments.kwarg)
    return found


def _yields(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """Whether the function's own body yields (which makes it a generator)."""
    stack: list[ast.AST] = list(function.body)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Yield | ast.YieldFrom):
            return True
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda):
            stack.extend(ast.iter_child_nodes(node))
    return False


def _decorator_name(node: ast.expr) -> str | None:
    parts = dotted_parts(node.func if isinstance(node, ast.Call) else node)
    return parts[-1] if parts else None


def _is_mocker_annotation(annotation: ast.expr | None) -> bool:
    if annotation is None:
        return False
    if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
        return annotation.value.rsplit(".", 1)[-1] in _MOCKER_FIXTURE_ANNOTATIONS
    parts = dotted_parts(annotation)
    return parts is not None and parts[-1] in _MOCKER_FIXTURE_ANNOTATIONS
