"""Calls of the mock API: which API a callee names, and what a call patches or makes."""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping, Sequence

from mockengine.vocabulary import (
    CREATE_AUTOSPEC_OPTIONS,
    MOCK_CLASSES,
    MOCK_CONSTRUCTOR_OPTIONS,
)
from mockls.analysis._drafts import ConfiguredAttribute, CreatedMock, Scope, ScopeKind
from mockls.analysis._imports import CALL, CREATE_AUTOSPEC, MOCK_OPEN, MockNames
from mockls.analysis._targets import BuiltTargets
from mockls.analysis.model import (
    Argument,
    CallArguments,
    ConstantValue,
    ExpectedCall,
    MockFactory,
    NameRef,
    PatchKind,
    PatchSite,
    PatchUse,
    SpecKind,
    TargetPart,
)
from mockls.spans import Span
from mockls.syntax.literals import literal_number
from mockls.syntax.source_text import SourceText
from mockls.syntax.tree import dotted_parts

# Facts of the libraries around mock that the vocabulary does not cover.
_MOCKER_STUBS = {"stub": "MagicMock", "async_stub": "AsyncMock"}
_MOCKER_SPY = "spy"
_CALL_SEGMENT = "()"  # a call in the middle of a chain, as AttributeUse spells it

PATCH_KINDS: dict[str, PatchKind] = {kind.value: kind for kind in PatchKind}
"""The patchers by API name (``'patch.object'``)."""


class KeywordArguments(Mapping[str, Argument]):
    """A call's keyword arguments: read-only, and hashable like the frozen records holding it.

    With a plain ``dict`` a :class:`PatchSite` (and every binding and use that refers to one)
    could not be put in a set or used as a key.
    """

    __slots__ = ("_arguments",)

    def __init__(self, arguments: dict[str, Argument]) -> None:
        self._arguments = arguments

    def __getitem__(self, name: str) -> Argument:
        return self._arguments[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._arguments)

    def __len__(self) -> int:
        return len(self._arguments)

    def __hash__(self) -> int:
        return hash(frozenset(self._arguments.items()))

    def __repr__(self) -> str:
        return repr(self._arguments)


class MockCalls:
    """Reads calls against the mock imports of one module and pytest-mock's fixtures."""

    def __init__(
        self, source: SourceText, names: MockNames, built_targets: BuiltTargets | None = None
    ) -> None:
        self.source = source
        self.names = names
        self.built_targets = built_targets
        self.mocker_names: set[str] = set()

    def add_mocker(self, name: str, scope: Scope) -> None:
        """Record that ``name`` holds a pytest-mock fixture in ``scope``."""
        scope.mockers.add(name)
        self.mocker_names.add(name)

    def api(self, node: ast.expr, scope: Scope) -> tuple[str, bool] | None:
        """The mock API a callee names, and whether through pytest-mock's ``mocker``."""
        root = node
        while isinstance(root, ast.Attribute):
            root = root.value
        if not isinstance(root, ast.Name):
            return None
        is_mocker = root.id in self.mocker_names and _is_mocker(root.id, scope)
        if not is_mocker and not self.names.may_resolve(root.id):
            return None  # the common case, decided without building the dotted name
        parts = dotted_parts(node)
        if parts is None:
            return None
        if len(parts) > 1 and is_mocker:
            return ".".join(parts[1:]), True
        resolved = self.names.resolve(parts)
        return (resolved, False) if resolved is not None else None

    def site_base(self, node: ast.Call, kind: PatchKind, via_mocker: bool) -> PatchSite:
        """The site of a patch call, with its use still to be found out (``OTHER`` for now)."""
        args: list[Argument] = []
        has_star_args = False
        for argument in node.args:
            if isinstance(argument, ast.Starred):
                has_star_args = True
                break
            args.append(self.argument(argument))
        keywords: dict[str, Argument] = {}
        for keyword in node.keywords:
            if keyword.arg is None:
                has_star_args = True
            else:
                keywords[keyword.arg] = self.argument(keyword.value)
        target: Argument | None
        target_object: Argument | None = None
        if kind is PatchKind.OBJECT:
            target_object = _positional_or_keyword(args, keywords, 0, "target")
            target = _positional_or_keyword(args, keywords, 1, "attribute")
        elif kind is PatchKind.DICT:
            target = _positional_or_keyword(args, keywords, 0, "in_dict")
        else:
            target = _positional_or_keyword(args, keywords, 0, "target")
        target_node = _argument_node(node, kind)
        target_span: Span | None = None
        built_target: tuple[TargetPart, ...] | None = None
        if target is not None:
            contents = (
                self.source.string_contents_span(target_node) if target_node is not None else None
            )
            target_span = contents or target.span
            if target_node is not None and self.built_targets is not None:
                built_target = self.built_targets.parts(target_node)
        return PatchSite(
            kind=kind,
            use=PatchUse.OTHER,
            via_mocker=via_mocker,
            span=self.source.span(node),
            callee_span=self.source.span(node.func),
            args=tuple(args),
            keywords=KeywordArguments(keywords),
            has_star_args=has_star_args,
            target=target.value if target is not None and isinstance(target.value, str) else None,
            target_span=target_span,
            target_object=target_object,
            built_target=built_target or (),
        )

    def patch_created(self, base: PatchSite, node: ast.Call, scope: Scope) -> CreatedMock | None:
        """The mock a patcher creates, or ``None`` (``new`` given, not a mock class, dict...)."""
        if base.kind is PatchKind.DICT or base.kind is PatchKind.MULTIPLE:
            return None
        if not base.injects_mock or base.has_star_args:
            return None
        keywords = base.keywords
        mock_class: str | None = "MagicMock"
        factory_node = _keyword_node(node, "new_callable")
        if factory_node is not None and not _is_none(factory_node):
            api = self.api(factory_node, scope)
            if api is None or api[0] not in MOCK_CLASSES:
                return None
            mock_class = api[0]
        spec: Argument | None = None
        spec_kind: SpecKind | None = None
        for option, kind in (
            ("autospec", SpecKind.AUTOSPEC),
            ("spec_set", SpecKind.SPEC_SET),
            ("spec", SpecKind.SPEC),
        ):
            given = keywords.get(option)
            if given is None or (given.is_constant and given.value in (None, False)):
                continue
            spec_kind = kind
            spec = (
                self._patched_object(base) if given.is_constant and given.value is True else given
            )
            if kind is SpecKind.AUTOSPEC:
                mock_class = None  # autospec picks the class from the real object
            break
        return CreatedMock(
            factory=MockFactory.PATCH,
            mock_class=mock_class,
            spec=spec,
            spec_kind=spec_kind,
            configured=self.configuration(node, frozenset(base.kind.parameters)),
            scope=scope,
        )

    def _patched_object(self, base: PatchSite) -> Argument | None:
        """What ``spec=True``/``autospec=True`` copies: the target (``'a.B'``, or ``Foo.x``)."""
        if base.kind is not PatchKind.OBJECT:
            return _positional_or_keyword(base.args, base.keywords, 0, "target")
        if base.target_object is None or base.target is None or base.target_span is None:
            return None
        return Argument(f"{base.target_object.text}.{base.target}", base.target_span)

    def created_mock(self, value: ast.expr, scope: Scope) -> CreatedMock | None:
        """What a mock-making call (``Mock(...)``, ``create_autospec(...)``, ``mocker.stub()``)
        makes; ``None`` for any other expression."""
        if not isinstance(value, ast.Call):
            return None
        api = self.api(value.func, scope)
        if api is None:
            return None
        name, via_mocker = api
        factory = MockFactory.MOCKER if via_mocker else MockFactory.MOCK_CLASS
        first = value.args[0] if value.args and not isinstance(value.args[0], ast.Starred) else None
        if name in MOCK_CLASSES:
            spec, spec_kind = None, None
            spec_set_node = _keyword_node(value, "spec_set")
            spec_node = _keyword_node(value, "spec")
            if spec_set_node is not None and not _is_none(spec_set_node):
                spec, spec_kind = self.argument(spec_set_node), SpecKind.SPEC_SET
            elif spec_node is not None and not _is_none(spec_node):
                spec, spec_kind = self.argument(spec_node), SpecKind.SPEC
            elif first is not None and not _is_none(first):
                spec, spec_kind = self.argument(first), SpecKind.SPEC
            return CreatedMock(
                factory=factory,
                mock_class=name,
                spec=spec,
                spec_kind=spec_kind,
                configured=self.configuration(value, MOCK_CONSTRUCTOR_OPTIONS),
                scope=scope,
            )
        if name == CREATE_AUTOSPEC:
            spec_node = first if first is not None else _keyword_node(value, "spec")
            instance_node = _keyword_node(value, "instance")
            if instance_node is None and len(value.args) > 2:
                instance_node = value.args[2]  # create_autospec(spec, spec_set, instance)
            return CreatedMock(
                factory=MockFactory.MOCKER if via_mocker else MockFactory.AUTOSPEC,
                spec=self.argument(spec_node) if spec_node is not None else None,
                spec_kind=SpecKind.AUTOSPEC,
                configured=self.configuration(value, CREATE_AUTOSPEC_OPTIONS),
                scope=scope,
                spec_instance=instance_node is not None and not _is_false(instance_node),
            )
        if name == MOCK_OPEN:
            # mock_open() is a MagicMock for open(); ``m()`` and ``m.return_value`` the handle.
            return CreatedMock(factory=factory, mock_class="MagicMock", scope=scope)
        if via_mocker and name in _MOCKER_STUBS:
            return CreatedMock(factory=MockFactory.MOCKER, mock_class=_MOCKER_STUBS[name])
        if via_mocker and name == _MOCKER_SPY and len(value.args) == 2:
            owner, attribute = value.args
            if isinstance(attribute, ast.Constant) and isinstance(attribute.value, str):
                span = self.source.string_contents_span(attribute) or self.source.span(attribute)
                text = f"{self.source.text(owner)}.{attribute.value}"
                return CreatedMock(
                    factory=MockFactory.MOCKER,
                    spec=Argument(text, span),
                    spec_kind=SpecKind.AUTOSPEC,
                )
        return None

    def configuration(
        self, call: ast.Call, options: frozenset[str]
    ) -> tuple[ConfiguredAttribute, ...]:
        """The attributes a call's keywords set on the mock it makes (``return_value=1``,
        ``**{'a.b': 2}``); ``options`` are the keywords that configure something else."""
        found: list[ConfiguredAttribute] = []
        for keyword in call.keywords:
            if keyword.arg is not None:
                if keyword.arg in options or keyword.arg.startswith("_"):
                    continue
                span = self.source.name_span(keyword, keyword.arg)
                found.append(ConfiguredAttribute(keyword.arg, (span,), keyword.value))
            elif isinstance(keyword.value, ast.Dict):
                found.extend(self._configured_by_dict(keyword.value))
        return tuple(found)

    def _configured_by_dict(self, mapping: ast.Dict) -> list[ConfiguredAttribute]:
        found: list[ConfiguredAttribute] = []
        for key, value in zip(mapping.keys, mapping.values, strict=False):
            if not (isinstance(key, ast.Constant) and isinstance(key.value, str)) or not key.value:
                continue
            segments = key.value.split(".")
            contents = self.source.string_contents_span(key)
            if contents is None:
                spans = (self.source.span(key),) * len(segments)
            else:
                column = contents.start.character
                segment_spans: list[Span] = []
                for segment in segments:
                    segment_spans.append(
                        Span.of(
                            contents.start.line,
                            column,
                            contents.start.line,
                            column + len(segment),
                        )
                    )
                    column += len(segment) + 1
                spans = tuple(segment_spans)
            found.append(ConfiguredAttribute(key.value, spans, value))
        return found

    def call_arguments(self, call: ast.Call) -> CallArguments:
        """The arguments of a call as written (see :class:`CallArguments`)."""
        positional: list[Span] = []
        star_args = False
        for argument in call.args:
            if isinstance(argument, ast.Starred):
                star_args = True
            else:
                positional.append(self.source.span(argument))
        keywords: list[NameRef] = []
        star_kwargs = False
        for keyword in call.keywords:
            if keyword.arg is None:
                star_kwargs = True
            else:
                keywords.append(NameRef(keyword.arg, self.source.name_span(keyword, keyword.arg)))
        return CallArguments(
            span=self.source.span(call),
            positional=tuple(positional),
            keywords=tuple(keywords),
            star_args=star_args,
            star_kwargs=star_kwargs,
        )

    def expected_calls(self, call: ast.Call, scope: Scope) -> tuple[ExpectedCall, ...]:
        """The ``call(...)`` entries of the literal list (or tuple) ``assert_has_calls`` and
        ``assert_has_awaits`` are given; other entries, and other arguments, give nothing."""
        listed = call.args[0] if call.args else _keyword_node(call, "calls")
        if not isinstance(listed, ast.List | ast.Tuple):
            return ()
        found: list[ExpectedCall] = []
        for entry in listed.elts:
            expected = self._expected_call(entry, scope)
            if expected is not None:
                found.append(expected)
        return tuple(found)

    def _expected_call(self, entry: ast.expr, scope: Scope) -> ExpectedCall | None:
        """``call(1)``, ``call.save(1)``, ``mock.call().save(1)``: the path after ``call``."""
        if not isinstance(entry, ast.Call):
            return None
        outer: list[str] = []  # the segments after ``call``, outermost first
        callee = entry.func
        while True:
            if isinstance(callee, ast.Call):
                outer.append(_CALL_SEGMENT)
                callee = callee.func
                continue
            if not isinstance(callee, ast.Name | ast.Attribute):
                return None
            api = self.api(callee, scope)
            if api is not None:
                head, *rest = api[0].split(".")
                if head != CALL:
                    return None
                chain = (*rest, *reversed(outer))
                return ExpectedCall(chain, self.call_arguments(entry))
            if not isinstance(callee, ast.Attribute):
                return None
            outer.append(callee.attr)
            callee = callee.value

    def argument(self, node: ast.expr) -> Argument:
        """An expression as written, with its value when it is a constant."""
        span = self.source.span(node)
        text = self.source.text_of(span)
        constant, value = _constant(node)
        return Argument(text, span, constant, value)


def _is_mocker(name: str, scope: Scope) -> bool:
    current: Scope | None = scope
    while current is not None:
        if name in current.mockers:
            return True
        if name in current.names and current.kind is not ScopeKind.CLASS:
            return False
        current = current.parent
    return False


def _positional_or_keyword(
    args: Sequence[Argument], keywords: Mapping[str, Argument], index: int, keyword: str
) -> Argument | None:
    if index < len(args):
        return args[index]
    return keywords.get(keyword)


def _argument_node(call: ast.Call, kind: PatchKind) -> ast.expr | None:
    """The expression of the target (or ``patch.object``'s attribute name) in a patch call."""
    index, keyword = {
        PatchKind.OBJECT: (1, "attribute"),
        PatchKind.DICT: (0, "in_dict"),
    }.get(kind, (0, "target"))
    positional = []
    for argument in call.args:
        if isinstance(argument, ast.Starred):
            break
        positional.append(argument)
    if index < len(positional):
        return positional[index]
    return _keyword_node(call, keyword)


def _keyword_node(call: ast.Call, name: str) -> ast.expr | None:
    for keyword in call.keywords:
        if keyword.arg == name:
            return keyword.value
    return None


def _is_none(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value is None


def _is_false(node: ast.expr) -> bool:
    """Whether an argument is a literal that is false (``False``, ``None``, ``0``)."""
    return isinstance(node, ast.Constant) and not node.value


def _constant(node: ast.expr) -> tuple[bool, ConstantValue]:
    """Whether ``node`` is a constant (or a signed number) as :func:`ast.literal_eval` reads
    it, and its value; without calling it (see :mod:`mockls.syntax.literals`)."""
    if isinstance(node, ast.Constant):
        value = node.value
        if value is None or isinstance(value, str | bytes | int | float | complex | bool):
            return True, value
        return False, None
    if isinstance(node, ast.UnaryOp):
        number = literal_number(node)
        return number is not None, number
    return False, None
