"""How the code under test reads a dotted name: when (at import or when it runs) and how
(called, its result thrown away).

The where-to-patch facts of :mod:`~mockls.resolve.lookup_sites` say *who* looks a name up;
these say *how*, for the rules whose mistake is in the use: a value read only while a module
is imported (``read-at-import``), a class only instantiated while the test configures the
class mock's methods (``class-instead-of-instance``), an ``async def`` called without
``await`` (``async-call-not-awaited``). Each module is read once, kept with its summary; a read is
written absolute, like :attr:`ModuleSummary.lookups` (``settings.TIMEOUT`` after
``from app import settings`` is ``app.settings.TIMEOUT``; a module's own top-level names are
``<module>.<name>``), and a name a function binds itself (a parameter, an assignment) is
not the module's.
"""

from __future__ import annotations

import ast
import logging
from collections import deque
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from mockls.files import SourceError, read_source
from mockls.resolve.module_summary import ModuleSummary, absolute_module
from mockls.spans import LineIndex, Span
from mockls.syntax.tree import dotted_parts

__all__ = ["ImportTimeRead", "ModuleUses", "NameUse", "module_uses", "name_uses"]

log = logging.getLogger(__name__)


class ImportTimeRead:
    """Where a read runs while its module is imported (the values of :attr:`NameUse.at_import`)."""

    MODULE = "a module-level statement"
    CLASS_BODY = "a class body"
    DEFAULT = "a default argument"
    DECORATOR = "a decorator"


@dataclass(frozen=True, slots=True)
class NameUse:
    """One read of a dotted name in a module of the code under test.

    ``dotted`` is the whole chain as read, absolute (``app.settings.TIMEOUT.seconds``);
    ``span`` covers it. ``at_import`` says where a read that runs on import sits (one of
    :class:`ImportTimeRead`), ``None`` for a read inside a function body. ``called`` tells
    that the chain is called (``Client(...)``), ``discarded`` that the call is a statement of
    its own, whose result (a coroutine, for an ``async def``) nothing keeps.
    """

    dotted: str
    module: str
    path: str
    span: Span
    at_import: str | None
    called: bool = False
    discarded: bool = False

    def reads(self, name: str) -> bool:
        """Whether this use reads ``name`` (the chain is ``name`` or goes on from it)."""
        return self.dotted == name or self.dotted.startswith(f"{name}.")


def name_uses(modules: Iterable[ModuleSummary], names: Collection[str]) -> list[NameUse]:
    """The uses, in ``modules``, of each of ``names`` or of what lies under them."""
    found: list[NameUse] = []
    for module in modules:
        if not module.read_uses:  # (once read, looking the names up costs less than this)
            text = _text_of(module)
            if text is None or not any(_may_read(module.name, text, name) for name in names):
                continue
        uses, by_prefix = module_uses(module)
        # A use reads a name when the name is one of its dotted prefixes: look the names up
        # instead of comparing every use with every name (thousands of uses, hundreds of times).
        positions = {position for name in names for position in by_prefix.get(name, ())}
        found.extend(uses[position] for position in sorted(positions))
    return found


ModuleUses = tuple[tuple[NameUse, ...], dict[str, tuple[int, ...]]]
"""A module's uses, and for each dotted prefix of a use (``a``, ``a.b``, ``a.b.c`` of
``a.b.c``) the positions of the uses that read it, in order."""


def module_uses(module: ModuleSummary) -> ModuleUses:
    """Every use in ``module``, read from its text once and kept with its summary.

    Two threads asking at once may both read it; either answer is the same.
    """
    if not module.read_uses:
        text = _text_of(module)
        uses = (
            () if text is None else _module_uses(module.name, module.path, text, module.is_package)
        )
        by_prefix: dict[str, list[int]] = {}
        for position, use in enumerate(uses):
            parts = use.dotted.split(".")
            for depth in range(1, len(parts) + 1):
                by_prefix.setdefault(".".join(parts[:depth]), []).append(position)
        module.read_uses.append(
            (uses, {prefix: tuple(positions) for prefix, positions in by_prefix.items()})
        )
    return module.read_uses[0]


def _text_of(module: ModuleSummary) -> str | None:
    """The text the index kept for ``module``, else the file's (``None``: unreadable)."""
    if module.text is not None:
        return module.text
    try:
        return read_source(Path(module.path))
    except SourceError:
        return None


def _may_read(module: str, text: str, name: str) -> bool:
    """Whether the module ``module`` whose source is ``text`` may read ``name``, short of
    reading it whole.

    A read is a root the module binds (an import, or one of its own top-level names)
    followed by attributes. Every segment of it is spelled in the text but those of the
    module's own packages (its own names, relative imports): a module that does not write
    some segment of ``name`` outside them cannot read it.
    """
    if not text.isascii():
        return True  # identifiers may be spelled otherwise (Python folds them, NFKC)
    parts = name.split(".")
    # The last segments first: those are the rare words, and the module's own packages the
    # first ones.
    for depth in range(len(parts), 0, -1):
        package = ".".join(parts[:depth])
        if parts[depth - 1] not in text and not _within(module, package):
            return False
    return True


def _within(module: str, package: str) -> bool:
    """Whether ``module`` is ``package`` or lies in it."""
    return module == package or module.startswith(f"{package}.")


def _module_uses(name: str, path: str, text: str, is_package: bool) -> tuple[NameUse, ...]:
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return ()
    try:
        return tuple(_Reader(name, path, text, is_package, tree).uses())
    except RecursionError:
        log.debug("%s is nested too deeply to read its uses", path)
        return ()


class _Reader:
    """One walk over a module, qualifying each chain it reads."""

    def __init__(self, name: str, path: str, text: str, is_package: bool, tree: ast.Module):
        self.name = name
        self.path = path
        self.lines = LineIndex(text)
        self.tree = tree
        self.roots = _roots(name, is_package, tree)
        self.found: list[NameUse] = []

    def uses(self) -> list[NameUse]:
        self._statements(self.tree.body, ImportTimeRead.MODULE, frozenset())
        return self.found

    def _statements(
        self, statements: Iterable[ast.stmt], at_import: str | None, local: frozenset[str]
    ) -> None:
        for statement in statements:
            if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef):
                self._function(statement, at_import, local)
            elif isinstance(statement, ast.ClassDef):
                header = (*statement.decorator_list, *statement.bases)
                self._expressions(header, at_import and ImportTimeRead.DECORATOR, local, None)
                self._expressions(
                    [keyword.value for keyword in statement.keywords], at_import, local, None
                )
                self._statements(statement.body, at_import and ImportTimeRead.CLASS_BODY, local)
            else:
                self._statement(statement, at_import, local)

    def _statement(self, statement: ast.stmt, at_import: str | None, local: frozenset[str]) -> None:
        discarded = statement.value if isinstance(statement, ast.Expr) else None
        for value in ast.iter_child_nodes(statement):
            if isinstance(value, ast.stmt):
                self._statements((value,), at_import, local)
            elif isinstance(value, ast.expr):
                self._expressions((value,), at_import, local, discarded)
            elif isinstance(value, ast.excepthandler | ast.match_case):
                for child in ast.iter_child_nodes(value):
                    if isinstance(child, ast.stmt):
                        self._statements((child,), at_import, local)
                    elif isinstance(child, ast.expr):
                        self._expressions((child,), at_import, local, None)
            elif isinstance(value, ast.withitem):
                self._expressions((value.context_expr,), at_import, local, None)
            elif isinstance(value, ast.keyword):  # (class keywords are handled above)
                self._expressions((value.value,), at_import, local, None)

    def _function(
        self,
        node: ast.FunctionDef | ast.AsyncFunctionDef,
        at_import: str | None,
        local: frozenset[str],
    ) -> None:
        arguments = node.args
        defaults = [*arguments.defaults, *(d for d in arguments.kw_defaults if d is not None)]
        self._expressions(node.decorator_list, at_import and ImportTimeRead.DECORATOR, local, None)
        self._expressions(defaults, at_import and ImportTimeRead.DEFAULT, local, None)
        self._statements(node.body, None, local | _bound_in(node))

    def _expressions(
        self,
        nodes: Iterable[ast.expr],
        at_import: str | None,
        local: frozenset[str],
        discarded: ast.expr | None,
    ) -> None:
        stack: list[tuple[ast.AST, ast.AST | None]] = [(node, None) for node in nodes]
        while stack:
            node, parent = stack.pop()
            if isinstance(node, ast.Name | ast.Attribute) and isinstance(node.ctx, ast.Load):
                parts = dotted_parts(node)
                if parts is not None:
                    self._read(
                        node, parts, parent, at_import=at_import, local=local, discarded=discarded
                    )
                    continue
            if isinstance(node, ast.Lambda):
                lambda_defaults = [*node.args.defaults, *(d for d in node.args.kw_defaults if d)]
                stack.extend((default, node) for default in lambda_defaults)
                body_local = local | {argument.arg for argument in _all_arguments(node.args)}
                self._expressions((node.body,), None, body_local, None)
                continue
            stack.extend((child, node) for child in ast.iter_child_nodes(node))

    def _read(
        self,
        node: ast.Name | ast.Attribute,
        parts: list[str],
        parent: ast.AST | None,
        *,
        at_import: str | None,
        local: frozenset[str],
        discarded: ast.expr | None,
    ) -> None:
        if parts[0] in local:
            return
        root = self.roots.get(parts[0])
        if root is None:
            return
        called = isinstance(parent, ast.Call) and parent.func is node
        span = self.lines.span(
            node.lineno, node.col_offset, node.end_lineno or node.lineno, node.end_col_offset or 0
        )
        self.found.append(
            NameUse(
                ".".join((root, *parts[1:])),
                self.name,
                self.path,
                span,
                at_import,
                called=called,
                discarded=called and parent is discarded,
            )
        )


def _roots(name: str, is_package: bool, tree: ast.Module) -> dict[str, str]:
    """What each name the module binds at the top, or imports anywhere, stands for."""
    roots: dict[str, str] = {}
    for statement in tree.body:
        for bound in _defined_names(statement):
            roots.setdefault(bound, f"{name}.{bound}")
    for node in _statements_within(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    roots[alias.asname] = alias.name
                else:
                    top = alias.name.partition(".")[0]
                    roots[top] = top
        elif isinstance(node, ast.ImportFrom):
            module = absolute_module(node.module, node.level, name, is_package)
            if module is None:
                continue
            for alias in node.names:
                if alias.name != "*":
                    roots[alias.asname or alias.name] = f"{module}.{alias.name}"
    return roots


def _statements_within(tree: ast.Module) -> Iterator[ast.stmt]:
    """Every statement of ``tree``, nested ones included, in :func:`ast.walk`'s order (a later
    import of a name wins), without walking the expressions, where no import can be."""
    pending: deque[ast.AST] = deque(tree.body)
    while pending:
        node = pending.popleft()
        if isinstance(node, ast.stmt):
            yield node
        pending.extend(
            child
            for child in ast.iter_child_nodes(node)
            if isinstance(child, ast.stmt | ast.excepthandler | ast.match_case)
        )


def _defined_names(statement: ast.stmt) -> Iterator[str]:
    if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        yield statement.name
    elif isinstance(statement, ast.Assign | ast.AnnAssign | ast.AugAssign):
        targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
        for target in targets:
            for node in ast.walk(target):
                if isinstance(node, ast.Name):
                    yield node.id


def _bound_in(function: ast.FunctionDef | ast.AsyncFunctionDef) -> frozenset[str]:
    """The names a function binds for itself: parameters and names it assigns (``global``
    names left out)."""
    bound = {argument.arg for argument in _all_arguments(function.args)}
    declared_global: set[str] = set()
    stack: list[ast.AST] = list(function.body)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            bound.add(node.id)
        elif isinstance(node, ast.Global):
            declared_global.update(node.names)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            bound.add(node.name)
            continue
        elif isinstance(node, ast.Lambda):
            continue
        stack.extend(ast.iter_child_nodes(node))
    return frozenset(bound - declared_global)


def _all_arguments(arguments: ast.arguments) -> list[ast.arg]:
    found = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
    found.extend(argument for argument in (arguments.vararg, arguments.kwarg) if argument)
    return found
