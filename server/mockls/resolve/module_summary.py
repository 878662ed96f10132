"""What one module binds and imports, read once from its source with :mod:`ast`.

A :class:`ModuleSummary` is what the import index keeps per module instead of the tree: the
names the module binds at import time and how (definition, ``from m import X``, ``import m``),
its classes and their members, the signatures of its functions, the modules it imports (for the
closure of the code under test) and the dotted names it looks up through imported modules (for
the where-to-patch rule). Summaries are immutable and built by :func:`summarize_module`, which
never raises: a file with syntax errors is summarized from what the recovering parser kept, and
``partial`` says so.
"""

from __future__ import annotations

import ast
import enum
import logging
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, cast

from mockls.resolve.resolution import (
    ParameterKind,
    Signature,
    SignatureParameter,
    TargetKind,
)
from mockls.spans import Span
from mockls.syntax.recovery import let_others_run, recover_module
from mockls.syntax.tree import dotted_parts

if TYPE_CHECKING:
    from mockls.resolve.name_uses import ModuleUses

log = logging.getLogger(__name__)

__all__ = [
    "BindingKind",
    "ClassSummary",
    "Member",
    "ModuleSummary",
    "NameBinding",
    "StarImport",
    "absolute_module",
    "cannot_mention",
    "summarize_module",
]


class BindingKind(enum.Enum):
    """How a module binds a name."""

    DEFINITION = "definition"  # def, class, assignment, for/with target, ``global`` in a def
    IMPORT_FROM = "import-from"  # from m import X [as Y]
    IMPORT_MODULE = "import-module"  # import m / import m.sub as s


@dataclass(frozen=True, slots=True)
class Member:
    """A class member: a method, a property, a class or instance attribute, a nested class.

    ``instance_only`` marks an attribute only instances get (``self.x = ...`` in a method, and
    nothing of that name in the class body): the class itself has no such attribute.
    """

    name: str
    kind: TargetKind
    span: Span
    signature: Signature | None = None
    nested: ClassSummary | None = None
    value_type: str | None = None
    """A property's type, as its getter's return annotation writes it."""
    instance_only: bool = False


@dataclass(frozen=True, slots=True)
class ClassSummary:
    """A class as written: its bases (dotted source text) and its members.

    ``dynamic`` is true when the class may have attributes its body does not show: a class
    decorator other than the well-known ones, a metaclass, ``__getattr__``/``__getattribute__``.
    ``dataclass_fields`` are the ``__init__`` parameters ``@dataclass`` makes from this class's
    own fields (``None``: not a plain ``@dataclass``, or one whose fields cannot be read).
    """

    name: str
    bases: tuple[str, ...]
    members: Mapping[str, Member]
    decorated: bool = False
    dynamic: bool = False
    dataclass_fields: tuple[SignatureParameter, ...] | None = None


@dataclass(frozen=True, slots=True)
class NameBinding:
    """One name a module binds at import time.

    Definitions carry ``target_kind`` and the name's ``span``, with the ``signature`` of a
    function and the ``class_summary`` of a class. Imports carry the absolute ``module`` they
    read from (``from m import X``: ``m`` and ``imported_name='X'``; ``import m.sub as s``:
    ``m.sub``; ``import m.sub``: binds ``m``), the import statement's span and a one-line,
    comment-free form of it that names only this binding (``from m import X as Y``).
    """

    name: str
    kind: BindingKind
    span: Span
    target_kind: TargetKind = TargetKind.UNKNOWN
    module: str = ""
    imported_name: str = ""
    statement: str = ""
    signature: Signature | None = None
    class_summary: ClassSummary | None = None


@dataclass(frozen=True, slots=True)
class StarImport:
    """``from module import *``: the absolute module, the statement's span and its text."""

    module: str
    span: Span
    statement: str


@dataclass(frozen=True, slots=True)
class ModuleSummary:
    """What the index knows about one module.

    ``bindings`` are the names bound at import time (the first binding of a name wins, as in
    ``try: import x`` / ``except ImportError: x = None``). ``star_imports`` are its
    ``from m import *``; ``all_names`` the literal ``__all__``.
    ``uncertain_names`` are bound only in ``if TYPE_CHECKING:`` blocks. ``imported_modules``
    are the absolute modules imported anywhere in the module (functions included);
    ``lookups`` the dotted names it reads through imported modules, written absolute
    (``payments.charge`` after ``from shop import payments`` is ``shop.payments.charge``);
    ``loaded_names`` every name the module reads. ``dynamic`` is true when the module may bind
    names its text does not show (a module-level ``__getattr__``, ``globals().update(...)``,
    ``globals()[name] = ...``, ``setattr(sys.modules[__name__], ...)``), ``partial``
    when the text had syntax errors.

    The index keeps *light* summaries (``text`` set): bindings without signatures, class
    members or exact name spans, and no ``lookups``/``loaded_names``; :meth:`detailed` reads
    the rest from the kept text once, when something asks.
    """

    name: str
    path: str
    is_package: bool
    bindings: Mapping[str, NameBinding]
    star_imports: tuple[StarImport, ...] = ()
    all_names: tuple[str, ...] | None = None
    uncertain_names: frozenset[str] = frozenset()
    imported_modules: frozenset[str] = frozenset()
    lookups: frozenset[str] = frozenset()
    loaded_names: frozenset[str] = frozenset()
    dynamic: bool = False
    partial: bool = False
    text: str | None = field(default=None, compare=False, repr=False)
    _detailed: list[ModuleSummary] = field(default_factory=list, compare=False, repr=False)
    read_uses: list[ModuleUses] = field(default_factory=list, compare=False, repr=False)
    """Where :mod:`~mockls.resolve.name_uses` keeps what it read from this text, once."""

    def detailed(self) -> ModuleSummary:
        """The whole summary: this one when it is already whole, else read once from ``text``.

        Two threads asking at once may both read it; either answer is the same.
        """
        if self.text is None:
            return self
        if not self._detailed:
            self._detailed.append(
                summarize_module(self.name, self.path, self.text, self.is_package)
            )
        return self._detailed[0]

    def public_names(self) -> tuple[str, ...]:
        """The names ``from this import *`` binds (without star-imported ones)."""
        if self.all_names is not None:
            return self.all_names
        return tuple(name for name in self.bindings if not name.startswith("_"))


_SIGNATURE_KEEPING_DECORATORS = frozenset(
    {
        "abstractmethod",
        "cache",
        "lru_cache",
        "wraps",
        "override",
        "final",
        "staticmethod",
        "classmethod",
        "property",
        "cached_property",
        "setter",
        "getter",
        "deleter",
        "abstractproperty",
        "abstractclassmethod",
        "abstractstaticmethod",
    }
)
"""Decorators after which :func:`inspect.signature` still shows the function as written."""

_PROPERTY_DECORATORS = frozenset(
    {"property", "cached_property", "setter", "getter", "deleter", "abstractproperty"}
)
_CLASSMETHOD_DECORATORS = frozenset({"classmethod", "abstractclassmethod"})
_STATICMETHOD_DECORATORS = frozenset({"staticmethod", "abstractstaticmethod"})
_PLAIN_CLASS_DECORATORS = frozenset({"final", "total_ordering", "unique", "runtime_checkable"})
"""Class decorators that add no attributes a test would patch."""

_TRY_STATEMENTS: tuple[type[ast.stmt], ...] = (ast.Try, getattr(ast, "TryStar", ast.Try))
"""``try`` and, from Python 3.11, ``try``/``except*``."""

_DYNAMIC_HINT = re.compile(r"\b(?:globals|vars|exec)\s*\(|\bsys\.modules\b")
"""Text that may write the module namespace (the whole walk then decides)."""

_TYPE_CHECKING = frozenset({"TYPE_CHECKING", "typing.TYPE_CHECKING"})


def absolute_module(
    module: str | None, level: int, importer: str, importer_is_package: bool
) -> str | None:
    """The absolute module of ``from <level dots><module> import ...`` in module ``importer``.

    ``None`` when the relative import climbs above the top-level package.
    """
    if level == 0:
        return module or None
    parts = importer.split(".") if importer else []
    if not importer_is_package:
        parts = parts[:-1]
    climb = level - 1
    if climb > len(parts) or (climb == len(parts) and not module):
        return None
    base = parts[: len(parts) - climb]
    if module:
        base = [*base, module]
    return ".".join(base) or None


def summarize_module(
    name: str, path: str, text: str, is_package: bool, light: bool = False
) -> ModuleSummary:
    """The summary of the module ``name`` whose source is ``text``; never raises.

    ``light`` leaves out what needs a walk over every expression or exact spans (see
    :class:`ModuleSummary`), about twice as fast: what the index does for every module.
    """
    try:
        return _Summarizer(name, is_package, text, light).summary(path)
    except Exception as error:  # a bug here must not take the index down with it
        if path not in _UNREADABLE:
            _UNREADABLE.add(path)
            log.warning(
                "cannot read module %s (%s: %s): its names are not checked",
                name or path,
                type(error).__name__,
                error,
                exc_info=log.isEnabledFor(logging.DEBUG),
            )
        # Dynamic and partial: targets in it are "cannot tell", never "missing".
        return ModuleSummary(name, path, is_package, {}, dynamic=True, partial=True)


_UNREADABLE: set[str] = set()
"""The paths whose summary failed, each logged once."""


def cannot_mention(text: str | None, identifier: str) -> bool:
    """Whether ``text`` shows that no expression in it reads ``identifier``, which spares
    reading a module whole: code reads a name only by writing it. Only for ASCII text, where
    identifiers are spelled as written (Python folds others, NFKC)."""
    return text is not None and text.isascii() and identifier not in text


def _decorator_name(node: ast.expr) -> str:
    """The last dotted segment of a decorator: ``functools.lru_cache(1)`` -> ``lru_cache``."""
    if isinstance(node, ast.Call):
        node = node.func
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Name):
        return node.id
    return ""


def _dotted(node: ast.expr) -> str | None:
    """``a.b.c`` for a chain of attributes on a name, else ``None``."""
    parts = dotted_parts(node)
    return ".".join(parts) if parts is not None else None


def _is_literal(node: ast.expr | None) -> bool:
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        return isinstance(node.operand, ast.Constant)
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        return all(_is_literal(element) for element in node.elts)
    if isinstance(node, ast.Dict):
        return all(
            key is not None and _is_literal(key) and _is_literal(value)
            for key, value in zip(node.keys, node.values, strict=True)
        )
    return False


def _string_list(node: ast.expr | None) -> list[str] | None:
    if isinstance(node, ast.List | ast.Tuple) and all(
        isinstance(element, ast.Constant) and isinstance(element.value, str)
        for element in node.elts
    ):
        return [
            element.value
            for element in node.elts
            if isinstance(element, ast.Constant) and isinstance(element.value, str)
        ]
    return None


def _is_field_call(value: ast.expr | None) -> bool:
    return isinstance(value, ast.Call) and _decorator_name(value) == "field"


def _field_keywords(call: ast.expr) -> dict[str, ast.expr] | None:
    """The keyword arguments of ``field(...)``; ``None`` when ``**options`` hides some."""
    keywords: dict[str, ast.expr] = {}
    for keyword in cast(ast.Call, call).keywords:
        if keyword.arg is None:
            return None
        keywords[keyword.arg] = keyword.value
    return keywords


def _as_try(statement: ast.stmt) -> ast.Try | None:
    """A ``try`` statement, or a ``try``/``except*`` (Python 3.11+, with the same fields)."""
    return cast(ast.Try, statement) if isinstance(statement, _TRY_STATEMENTS) else None


def _target_names(target: ast.expr) -> Iterator[ast.Name]:
    if isinstance(target, ast.Name):
        yield target
    elif isinstance(target, ast.Tuple | ast.List):
        for element in target.elts:
            yield from _target_names(element)
    elif isinstance(target, ast.Starred):
        yield from _target_names(target.value)


def _is_type_checking(test: ast.expr) -> bool:
    return _dotted(test) in _TYPE_CHECKING


@dataclass
class _Bindings:
    """Names bound in one namespace, the first binding of each kept."""

    items: dict[str, NameBinding] = field(default_factory=dict)

    def add(self, binding: NameBinding) -> None:
        self.items.setdefault(binding.name, binding)


class _Summarizer:
    """Reads one module's statements into a :class:`ModuleSummary`."""

    def __init__(self, name: str, is_package: bool, text: str, light: bool) -> None:
        self.name = name
        self.is_package = is_package
        self.light = light
        self.text = text
        # In pieces when long: one parse of megabytes would hold the interpreter's lock for
        # seconds. Only letting others run between them: a summary may be made under the jedi
        # lock, which a request may be waiting for.
        recovered = recover_module(text, let_others_run)
        self.statements = recovered.statements
        self.partial = recovered.problem is not None
        self.source = recovered.source
        self.module_bindings = _Bindings()
        self.uncertain: set[str] = set()
        self.star_imports: list[StarImport] = []
        self.all_names: list[str] | None = None
        self.dynamic = False

    def summary(self, path: str) -> ModuleSummary:
        self._module_block(self.statements, type_checking=False)
        lookups: set[str] = set()
        loaded: set[str] = set()
        if self.light and not _DYNAMIC_HINT.search(self.text):
            imported = self._scan_statements()
        else:
            imported, lookups, loaded = self._scan_whole_module()
            if _leaks_module_namespace(self.statements):
                self.dynamic = True
        return ModuleSummary(
            name=self.name,
            path=path,
            is_package=self.is_package,
            bindings=self.module_bindings.items,
            star_imports=tuple(self.star_imports),
            all_names=tuple(self.all_names) if self.all_names is not None else None,
            uncertain_names=frozenset(self.uncertain - self.module_bindings.items.keys()),
            imported_modules=frozenset(imported),
            lookups=frozenset(lookups),
            loaded_names=frozenset(loaded),
            dynamic=self.dynamic,
            partial=self.partial,
            text=self.text if self.light else None,
        )

    # -- module level ---------------------------------------------------------------------

    def _module_block(self, statements: Iterable[ast.stmt], type_checking: bool) -> None:
        for statement in statements:
            self._module_statement(statement, type_checking)

    def _module_statement(self, statement: ast.stmt, type_checking: bool) -> None:
        if type_checking:
            # Names bound only for the type checker do not exist at run time, but a patch
            # target naming one is not certainly wrong either: remember them as uncertain.
            recorder = _Bindings()
            saved = self.module_bindings
            self.module_bindings = recorder
            try:
                self._module_statement(statement, type_checking=False)
            finally:
                self.module_bindings = saved
            self.uncertain.update(recorder.items)
            return
        match statement:
            case ast.FunctionDef() | ast.AsyncFunctionDef():
                if statement.name in {"__getattr__", "__dir__"}:
                    self.dynamic = True
                self.module_bindings.add(self._function_binding(statement))
            case ast.ClassDef():
                self.module_bindings.add(self._class_binding(statement))
            case ast.Assign():
                literal = _is_literal(statement.value)
                for target in statement.targets:
                    self._bind_targets(target, literal and isinstance(target, ast.Name))
                    if isinstance(target, ast.Name) and target.id == "__all__":
                        self.all_names = _string_list(statement.value)
            case ast.AnnAssign():
                self._bind_targets(statement.target, _is_literal(statement.value))
            case ast.AugAssign():
                if isinstance(statement.target, ast.Name) and statement.target.id == "__all__":
                    extra = _string_list(statement.value)
                    if extra is not None and self.all_names is not None:
                        self.all_names.extend(extra)
                self._bind_targets(statement.target, literal=False)
            case ast.Import():
                self._import(statement)
            case ast.ImportFrom():
                self._import_from(statement)
            case ast.If() | ast.For() | ast.AsyncFor():
                self._module_compound(statement, type_checking)
            case ast.While() | ast.With() | ast.AsyncWith():
                self._module_compound(statement, type_checking)
            case ast.Expr():
                self._all_extension(statement.value)
            case _ if isinstance(statement, _TRY_STATEMENTS):
                self._module_compound(statement, type_checking)

    def _module_compound(self, statement: ast.stmt, type_checking: bool) -> None:
        """The blocks of a compound statement at module level run at import time."""
        match statement:
            case ast.If():
                if _is_type_checking(statement.test):
                    self._module_block(statement.body, type_checking=True)
                    self._module_block(statement.orelse, type_checking)
                else:
                    self._module_block(statement.body, type_checking)
                    self._module_block(statement.orelse, type_checking)
            case _ if (attempt := _as_try(statement)) is not None:
                self._module_block(attempt.body, type_checking)
                for handler in attempt.handlers:
                    if handler.name:
                        self._bind_name(handler.name, self.source.span(handler))
                    self._module_block(handler.body, type_checking)
                self._module_block(attempt.orelse, type_checking)
                self._module_block(attempt.finalbody, type_checking)
            case ast.For() | ast.AsyncFor():
                self._bind_targets(statement.target, literal=False)
                self._module_block(statement.body, type_checking)
                self._module_block(statement.orelse, type_checking)
            case ast.While():
                self._module_block(statement.body, type_checking)
                self._module_block(statement.orelse, type_checking)
            case ast.With() | ast.AsyncWith():
                for item in statement.items:
                    if item.optional_vars is not None:
                        self._bind_targets(item.optional_vars, literal=False)
                self._module_block(statement.body, type_checking)

    def _all_extension(self, value: ast.expr) -> None:
        """``__all__.extend([...])`` / ``__all__.append('x')``."""
        if not (
            isinstance(value, ast.Call)
            and isinstance(value.func, ast.Attribute)
            and isinstance(value.func.value, ast.Name)
            and value.func.value.id == "__all__"
            and self.all_names is not None
            and len(value.args) == 1
        ):
            return
        argument = value.args[0]
        if value.func.attr == "extend":
            extra = _string_list(argument)
            if extra is not None:
                self.all_names.extend(extra)
        elif (
            value.func.attr == "append"
            and isinstance(argument, ast.Constant)
            and isinstance(argument.value, str)
        ):
            self.all_names.append(argument.value)

    def _bind_targets(self, target: ast.expr, literal: bool) -> None:
        for name in _target_names(target):
            kind = TargetKind.CONSTANT if literal else TargetKind.ATTRIBUTE
            self._bind_name(name.id, self.source.span(name), kind)

    def _bind_name(self, name: str, span: Span, kind: TargetKind = TargetKind.ATTRIBUTE) -> None:
        self.module_bindings.add(NameBinding(name, BindingKind.DEFINITION, span, kind))

    def _import(self, statement: ast.Import) -> None:
        span = self.source.span(statement)
        for alias in statement.names:
            text = f"import {_alias_text(alias)}"
            if alias.asname:
                local, module = alias.asname, alias.name
            else:
                local = module = alias.name.split(".")[0]
            self.module_bindings.add(
                NameBinding(
                    local,
                    BindingKind.IMPORT_MODULE,
                    span,
                    TargetKind.MODULE,
                    module=module,
                    statement=text,
                )
            )

    def _import_from(self, statement: ast.ImportFrom) -> None:
        module = absolute_module(statement.module, statement.level, self.name, self.is_package)
        if module is None:
            return
        span = self.source.span(statement)
        written = "." * statement.level + (statement.module or "")
        for alias in statement.names:
            text = f"from {written} import {_alias_text(alias)}"
            if alias.name == "*":
                self.star_imports.append(StarImport(module, span, text))
                continue
            self.module_bindings.add(
                NameBinding(
                    alias.asname or alias.name,
                    BindingKind.IMPORT_FROM,
                    span,
                    module=module,
                    imported_name=alias.name,
                    statement=text,
                )
            )

    # -- definitions ----------------------------------------------------------------------

    def _name_span(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> Span:
        start = self.source.start(node)
        line = self.source.line(start.line)
        keyword = "class" if isinstance(node, ast.ClassDef) else "def"
        at = line.find(keyword, start.character)
        if at >= 0:
            at += len(keyword)
            while at < len(line) and line[at] in " \t\\":
                at += 1
            return self.source.identifier_at(start.line, at, node.name)
        return Span(start, start)

    def _function_binding(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> NameBinding:
        if self.light:
            return NameBinding(
                node.name, BindingKind.DEFINITION, self._header_span(node), TargetKind.FUNCTION
            )
        return NameBinding(
            node.name,
            BindingKind.DEFINITION,
            self._name_span(node),
            TargetKind.FUNCTION,
            signature=self._signature(node),
        )

    def _header_span(self, node: ast.stmt) -> Span:
        """Where a statement starts: the cheap stand-in for a name's span in light summaries."""
        start = self.source.start(node)
        return Span(start, start)

    def _class_binding(self, node: ast.ClassDef) -> NameBinding:
        if self.light:
            return NameBinding(
                node.name, BindingKind.DEFINITION, self._header_span(node), TargetKind.CLASS
            )
        return NameBinding(
            node.name,
            BindingKind.DEFINITION,
            self._name_span(node),
            TargetKind.CLASS,
            class_summary=self._class_summary(node),
        )

    def _signature(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> Signature | None:
        """The signature as written, or ``None`` when a decorator may change it."""
        for decorator in node.decorator_list:
            if _decorator_name(decorator) not in _SIGNATURE_KEEPING_DECORATORS:
                return None
        arguments = node.args
        parameters: list[SignatureParameter] = []
        positional = [*arguments.posonlyargs, *arguments.args]
        first_default = len(positional) - len(arguments.defaults)
        for index, argument in enumerate(positional):
            default = arguments.defaults[index - first_default] if index >= first_default else None
            kind = (
                ParameterKind.POSITIONAL_ONLY
                if index < len(arguments.posonlyargs)
                else ParameterKind.POSITIONAL_OR_KEYWORD
            )
            parameters.append(self._parameter(argument, kind, default))
        if arguments.vararg is not None:
            parameters.append(self._parameter(arguments.vararg, ParameterKind.VAR_POSITIONAL, None))
        for argument, keyword_default in zip(
            arguments.kwonlyargs, arguments.kw_defaults, strict=True
        ):
            parameters.append(
                self._parameter(argument, ParameterKind.KEYWORD_ONLY, keyword_default)
            )
        if arguments.kwarg is not None:
            parameters.append(self._parameter(arguments.kwarg, ParameterKind.VAR_KEYWORD, None))
        returns = self.source.text(node.returns) if node.returns is not None else None
        return Signature(tuple(parameters), returns, isinstance(node, ast.AsyncFunctionDef))

    def _parameter(
        self, argument: ast.arg, kind: ParameterKind, default: ast.expr | None
    ) -> SignatureParameter:
        return SignatureParameter(
            argument.arg,
            kind,
            has_default=default is not None,
            annotation=(
                self.source.text(argument.annotation) if argument.annotation is not None else None
            ),
            default=self.source.text(default) if default is not None else None,
        )

    def _class_summary(self, node: ast.ClassDef) -> ClassSummary:
        bases: list[str] = []
        for written in node.bases:
            base = written.value if isinstance(written, ast.Subscript) else written  # Generic[T]
            dotted = _dotted(base)
            bases.append(dotted if dotted is not None else "?")
        decorators = {_decorator_name(decorator) for decorator in node.decorator_list}
        dynamic = any(keyword.arg == "metaclass" for keyword in node.keywords) or bool(
            decorators - _PLAIN_CLASS_DECORATORS - {"dataclass", "define", "frozen", "s"}
        )
        members: dict[str, Member] = {}
        instance_attributes: dict[str, Member] = {}
        self._class_block(node.body, members, instance_attributes)
        for name, member in instance_attributes.items():
            members.setdefault(name, member)
        if "__getattr__" in members or "__getattribute__" in members:
            dynamic = True
        return ClassSummary(
            node.name,
            tuple(bases),
            members,
            decorated=bool(decorators - _PLAIN_CLASS_DECORATORS),
            dynamic=dynamic,
            dataclass_fields=self._dataclass_fields(node),
        )

    def _dataclass_fields(self, node: ast.ClassDef) -> tuple[SignatureParameter, ...] | None:
        """The ``__init__`` parameters ``@dataclass`` makes from the fields of ``node``."""
        options: dict[str, object] = {}
        found = False
        for decorator in node.decorator_list:
            if _decorator_name(decorator) != "dataclass":
                continue
            found = True
            if isinstance(decorator, ast.Call):
                for keyword in decorator.keywords:
                    if keyword.arg is None or not isinstance(keyword.value, ast.Constant):
                        return None  # **options, or an option that is not a literal
                    options[keyword.arg] = keyword.value.value
        if not found or options.get("init", True) is not True:
            return None
        keyword_only = options.get("kw_only") is True
        fields: list[SignatureParameter] = []
        for statement in node.body:
            if not isinstance(statement, ast.AnnAssign) or not isinstance(
                statement.target, ast.Name
            ):
                continue
            annotation = self.source.text(statement.annotation)
            bare = annotation.strip("'\"").split("[")[0].rsplit(".", 1)[-1]
            if bare == "ClassVar":
                continue
            if bare == "KW_ONLY":
                keyword_only = True
                continue
            call = statement.value if _is_field_call(statement.value) else None
            field_keywords = _field_keywords(call) if call is not None else {}
            if field_keywords is None:
                return None
            init = field_keywords.get("init")
            if isinstance(init, ast.Constant) and init.value is False:
                continue
            if init is not None and not isinstance(init, ast.Constant):
                return None
            kw_only = field_keywords.get("kw_only")
            default: str | None = None
            if statement.value is not None and call is None:
                default = self.source.text(statement.value)
            elif "default" in field_keywords:
                default = self.source.text(field_keywords["default"])
            elif "default_factory" in field_keywords:
                default = "<factory>"
            kind = (
                ParameterKind.KEYWORD_ONLY
                if keyword_only or (isinstance(kw_only, ast.Constant) and kw_only.value is True)
                else ParameterKind.POSITIONAL_OR_KEYWORD
            )
            fields.append(
                SignatureParameter(
                    statement.target.id, kind, default is not None, annotation, default
                )
            )
        return tuple(fields)

    def _class_block(
        self,
        statements: Iterable[ast.stmt],
        members: dict[str, Member],
        instance_attributes: dict[str, Member],
    ) -> None:
        for statement in statements:
            match statement:
                case ast.FunctionDef() | ast.AsyncFunctionDef():
                    member = self._method(statement)
                    members.setdefault(member.name, member)
                    if member.kind is not TargetKind.STATICMETHOD:
                        self._instance_attributes(
                            statement,
                            instance_attributes,
                            on_instances=member.kind is not TargetKind.CLASSMETHOD,
                        )
                case ast.ClassDef():
                    members.setdefault(
                        statement.name,
                        Member(
                            statement.name,
                            TargetKind.CLASS,
                            self._name_span(statement),
                            nested=self._class_summary(statement),
                        ),
                    )
                case ast.Assign():
                    literal = _is_literal(statement.value)
                    for target in statement.targets:
                        self._class_targets(target, literal, members)
                        if (
                            isinstance(target, ast.Name)
                            and target.id == "__slots__"
                            and (slots := _string_list(statement.value))
                        ):
                            for slot in slots:
                                members.setdefault(
                                    slot,
                                    Member(slot, TargetKind.ATTRIBUTE, self.source.span(target)),
                                )
                case ast.AnnAssign():
                    self._class_targets(statement.target, _is_literal(statement.value), members)
                case ast.AugAssign():
                    self._class_targets(statement.target, False, members)
                case ast.Import() | ast.ImportFrom():
                    for alias in statement.names:
                        if alias.name != "*":
                            local = alias.asname or alias.name.split(".")[0]
                            members.setdefault(
                                local,
                                Member(local, TargetKind.UNKNOWN, self.source.span(statement)),
                            )
                case ast.If() | ast.For() | ast.AsyncFor() | ast.While():
                    self._class_block(statement.body, members, instance_attributes)
                    self._class_block(statement.orelse, members, instance_attributes)
                case _ if (attempt := _as_try(statement)) is not None:
                    self._class_block(attempt.body, members, instance_attributes)
                    for handler in attempt.handlers:
                        self._class_block(handler.body, members, instance_attributes)
                    self._class_block(attempt.orelse, members, instance_attributes)
                    self._class_block(attempt.finalbody, members, instance_attributes)
                case ast.With() | ast.AsyncWith():
                    self._class_block(statement.body, members, instance_attributes)

    def _class_targets(self, target: ast.expr, literal: bool, members: dict[str, Member]) -> None:
        for name in _target_names(target):
            kind = (
                TargetKind.CONSTANT
                if literal and isinstance(target, ast.Name)
                else TargetKind.ATTRIBUTE
            )
            members.setdefault(name.id, Member(name.id, kind, self.source.span(name)))

    def _method(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> Member:
        decorators = {_decorator_name(decorator) for decorator in node.decorator_list}
        if decorators & _PROPERTY_DECORATORS:
            value_type = self.source.text(node.returns) if node.returns is not None else None
            return Member(
                node.name, TargetKind.PROPERTY, self._name_span(node), value_type=value_type
            )
        if decorators & _CLASSMETHOD_DECORATORS:
            kind = TargetKind.CLASSMETHOD
        elif decorators & _STATICMETHOD_DECORATORS:
            kind = TargetKind.STATICMETHOD
        else:
            kind = TargetKind.METHOD
        return Member(node.name, kind, self._name_span(node), self._signature(node))

    def _instance_attributes(
        self,
        method: ast.FunctionDef | ast.AsyncFunctionDef,
        attributes: dict[str, Member],
        *,
        on_instances: bool,
    ) -> None:
        """``self.x = ...`` (and ``cls.x = ...``) anywhere in a method's own body;
        ``on_instances`` tells the receiver is an instance (not a classmethod's ``cls``)."""
        arguments = [*method.args.posonlyargs, *method.args.args]
        if not arguments:
            return
        receiver = arguments[0].arg
        pending: list[ast.AST] = list(method.body)
        while pending:  # statements only: assignments to attributes are statements
            node = pending.pop()
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                continue
            targets: list[ast.expr] = []
            if isinstance(node, ast.Assign):
                targets = node.targets
            elif isinstance(node, ast.AnnAssign | ast.AugAssign):
                targets = [node.target]
            elif isinstance(node, ast.With | ast.AsyncWith):
                targets = [item.optional_vars for item in node.items if item.optional_vars]
            elif isinstance(node, ast.For | ast.AsyncFor):
                targets = [node.target]
            for target in targets:
                for element in _attribute_targets(target):
                    if isinstance(element.value, ast.Name) and element.value.id == receiver:
                        attributes.setdefault(
                            element.attr,
                            Member(
                                element.attr,
                                TargetKind.ATTRIBUTE,
                                self.source.attribute_name_span(element),
                                instance_only=on_instances,
                            ),
                        )
            for block in ("body", "orelse", "finalbody", "handlers", "cases"):
                pending.extend(getattr(node, block, ()))

    # -- the whole module: imports, lookups, names read -----------------------------------

    def _scan_statements(self) -> set[str]:
        """Modules imported anywhere, reading statements only (imports and ``global`` are
        statements): what a light summary needs."""
        imported: set[str] = set()
        roots: dict[str, str] = {}
        pending: list[ast.AST] = list(self.statements)
        while pending:
            node = pending.pop()
            if isinstance(node, ast.Import | ast.ImportFrom):
                self._note_import(node, imported, roots)
            elif isinstance(node, ast.Global):
                for global_name in node.names:
                    self._bind_name(global_name, self.source.span(node))
            else:
                for block in ("body", "orelse", "finalbody", "handlers", "cases"):
                    pending.extend(getattr(node, block, ()))
        return imported

    def _note_import(
        self, statement: ast.Import | ast.ImportFrom, imported: set[str], roots: dict[str, str]
    ) -> None:
        """Record the modules an import statement imports and the names it binds to them."""
        if isinstance(statement, ast.Import):
            for alias in statement.names:
                imported.add(alias.name)
                if alias.asname:
                    roots.setdefault(alias.asname, alias.name)
                else:
                    top = alias.name.partition(".")[0]
                    roots.setdefault(top, top)
            return
        module = absolute_module(statement.module, statement.level, self.name, self.is_package)
        if module is None:
            return
        imported.add(module)
        for alias in statement.names:
            if alias.name != "*":
                imported.add(f"{module}.{alias.name}")
                roots.setdefault(alias.asname or alias.name, f"{module}.{alias.name}")

    def _scan_whole_module(self) -> tuple[set[str], set[str], set[str]]:
        """Modules imported anywhere, dotted lookups through them, and every name read.

        One pass over every node of the module, so it is written for speed: an explicit
        stack, dispatch on the exact node type, and a dotted chain read whole (its inner
        nodes are not visited again). ``global x`` in any function binds ``x`` too;
        ``nonlocal x`` binds and reads nothing of the module's.
        """
        imported: set[str] = set()
        roots: dict[str, str] = {}
        chains: list[str] = []
        loaded: set[str] = set()
        stack: list[ast.AST | None] = list(self.statements)
        pop, push, extend = stack.pop, stack.append, stack.extend
        while stack:
            node = pop()
            if node is None:  # the gaps of kw_defaults and of dict keys
                continue
            kind = type(node)
            if kind is ast.Attribute:
                attribute = cast(ast.Attribute, node)
                dotted = _dotted(attribute)
                if dotted is not None:
                    loaded.add(dotted.partition(".")[0])
                    if type(attribute.ctx) is ast.Load:
                        chains.append(dotted)
                    continue
                if _writes_module_namespace(attribute, self.name):
                    self.dynamic = True
            elif kind is ast.Name:
                name = cast(ast.Name, node)
                if type(name.ctx) is ast.Load:
                    loaded.add(name.id)
                continue
            elif kind is ast.Constant:
                continue
            elif kind is ast.Import or kind is ast.ImportFrom:
                self._note_import(cast(ast.Import | ast.ImportFrom, node), imported, roots)
                continue
            elif kind is ast.Global:
                for global_name in cast(ast.Global, node).names:
                    self._bind_name(global_name, self.source.span(node))
                continue
            elif kind is ast.Nonlocal or kind is ast.MatchClass:
                # names held as strings (nonlocal's, a class pattern's keywords): nodes only
                extend(ast.iter_child_nodes(node))
                continue
            elif (kind is ast.Subscript or kind is ast.Call) and _writes_module_namespace(
                node, self.name
            ):
                self.dynamic = True
            for child in node._fields:
                value = getattr(node, child, None)
                if type(value) is list:
                    extend(value)
                elif isinstance(value, ast.AST):
                    push(value)
        lookups: set[str] = set()
        for chain in chains:
            root, _, rest = chain.partition(".")
            qualified_root = roots.get(root)
            if qualified_root is not None:
                lookups.add(f"{qualified_root}.{rest}")
        return imported, lookups, loaded


def _leaks_module_namespace(statements: list[ast.stmt]) -> bool:
    """Whether module-level code hands the module's namespace to code that may write it:
    ``vars()`` or ``globals()`` evaluated at module level as a default argument
    (``def set_constant(name, value, export=vars()): export[name] = value``) or a call's
    argument, and ``vars()`` written there as ``globals()`` would be (``vars()[name] = v``)."""
    pending: list[tuple[ast.AST, ast.AST | None]] = [(statement, None) for statement in statements]
    while pending:
        node, parent = pending.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            evaluated: list[ast.AST] = [*node.args.defaults]
            evaluated.extend(default for default in node.args.kw_defaults if default is not None)
            if not isinstance(node, ast.Lambda):
                evaluated.extend(node.decorator_list)
            pending.extend((child, node) for child in evaluated)
            continue
        if isinstance(node, ast.ClassDef):  # its body's vars() is the class's namespace
            evaluated = [*node.decorator_list, *node.bases, *node.keywords]
            pending.extend((child, node) for child in evaluated)
            continue
        if _is_namespace_call(node) and _hands_out(parent):
            return True
        pending.extend((child, node) for child in ast.iter_child_nodes(node))
    return False


def _hands_out(parent: ast.AST | None) -> bool:
    """Whether the namespace dict below ``parent`` goes where it may be written."""
    if isinstance(parent, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda | ast.keyword):
        return True  # a default argument, or a call's keyword argument
    if isinstance(parent, ast.Call | ast.Starred):
        return True  # an argument (the callee itself is no namespace call)
    if isinstance(parent, ast.Subscript):
        return isinstance(parent.ctx, ast.Store)
    if isinstance(parent, ast.Attribute):
        return parent.attr in {"update", "setdefault", "__setitem__"}
    return False


def _is_namespace_call(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in {"globals", "vars"}
        and not node.args
        and not node.keywords
    )


def _alias_text(alias: ast.alias) -> str:
    """``X`` or ``X as Y``: one name of an import, as the one-line form quotes it."""
    return f"{alias.name} as {alias.asname}" if alias.asname else alias.name


def _is_globals_call(node: ast.expr) -> bool:
    return (
        isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "globals"
    )


def _writes_module_namespace(node: ast.AST, module_name: str) -> bool:
    """``globals().update(...)``, ``globals()[name] = ...``, ``setattr(sys.modules[...], ...)``,
    ``exec(...)``: code that may bind module names its text does not show. Also
    ``sys.modules[__name__] = other`` (or the module's own name, or a key that cannot be
    read): the module others import is then another object, which cannot be judged."""
    if isinstance(node, ast.Attribute):
        return _is_globals_call(node.value) and node.attr in {"update", "setdefault", "__setitem__"}
    if isinstance(node, ast.Subscript):
        if not isinstance(node.ctx, ast.Store):
            return False
        if _dotted(node.value) == "sys.modules":
            key = node.slice
            return not isinstance(key, ast.Constant) or key.value == module_name
        return _is_globals_call(node.value)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.args:
        if node.func.id == "exec":
            return True
        first = node.args[0]
        return (
            node.func.id == "setattr"
            and isinstance(first, ast.Subscript)
            and _dotted(first.value) == "sys.modules"
        )
    return False


def _attribute_targets(target: ast.expr) -> Iterator[ast.Attribute]:
    if isinstance(target, ast.Attribute):
        yield target
    elif isinstance(target, ast.Tuple | ast.List):
        for element in target.elts:
            yield from _attribute_targets(element)
    elif isinstance(target, ast.Starred):
        yield from _attribute_targets(target.value)
