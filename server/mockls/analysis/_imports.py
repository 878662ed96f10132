"""How a module imports mock: the :class:`MockImport` records and the names they make usable."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass

from mockengine.vocabulary import MOCK_CLASSES
from mockls.analysis.model import ImportedMock, MockImport, MockLibrary, PatchKind
from mockls.syntax.source_text import SourceText

_LIBRARIES: dict[str, MockLibrary] = {
    "unittest.mock": MockLibrary.UNITTEST_MOCK,
    "mock": MockLibrary.MOCK_BACKPORT,
}

CREATE_AUTOSPEC = "create_autospec"
MOCK_OPEN = "mock_open"  # a MagicMock standing for open(); its return value is the file handle
PATCH_STOPALL = "patch.stopall"
CALL = "call"  # the helper that builds expected calls: call(1), call.save(2)

_STAR_IMPORTED: frozenset[str] = frozenset(
    {kind.value.split(".")[0] for kind in PatchKind}
    | MOCK_CLASSES
    | {CREATE_AUTOSPEC, CALL, MOCK_OPEN}
)
"""The names ``from unittest.mock import *`` brings that the analysis cares about."""


@dataclass(frozen=True, slots=True)
class _Binding:
    member: str
    library: MockLibrary


class MockNames:
    """Resolves dotted names (``mock.patch.object``, ``MM``) to the mock API they denote."""

    __slots__ = ("_by_local_name", "_imported_mock", "_roots", "imports")

    def __init__(
        self,
        statements: list[ast.stmt],
        source: SourceText,
        imported_mock: ImportedMock | None = None,
    ) -> None:
        self.imports: list[MockImport] = []
        self._by_local_name: dict[str, _Binding] = {}
        self._imported_mock = imported_mock
        for statement in _all_statements(statements):
            if isinstance(statement, ast.Import):
                self._add_import(statement, source)
            elif isinstance(statement, ast.ImportFrom):
                self._add_import_from(statement, source)
        self._roots = frozenset(name.split(".")[0] for name in self._by_local_name)

    def _add_import(self, statement: ast.Import, source: SourceText) -> None:
        for alias in statement.names:
            library = _LIBRARIES.get(alias.name)
            if library is not None:
                local_name = alias.asname or alias.name
                self._bind(local_name, "", library, alias, source)
            elif alias.name == "unittest" and alias.asname is None:
                # ``unittest.mock.patch`` works once anything imported unittest.mock; no record.
                self._by_local_name.setdefault(
                    "unittest.mock", _Binding("", MockLibrary.UNITTEST_MOCK)
                )
            elif alias.name.startswith("unittest.mock.") and alias.asname is None:
                self._bind("unittest.mock", "", MockLibrary.UNITTEST_MOCK, alias, source)
            elif alias.asname is not None and self._imported_mock is not None:
                # ``import tests.compat.mock as mock``: a workspace module that may be mock's
                module, _, name = alias.name.rpartition(".")
                origin = self._imported_mock(module, 0, name)
                self._bind_imported(alias.asname, origin, alias, source)

    def _add_import_from(self, statement: ast.ImportFrom, source: SourceText) -> None:
        module = statement.module or ""
        library = None if statement.level else _LIBRARIES.get(module)
        for alias in statement.names:
            local_name = alias.asname or alias.name
            if library is not None:
                if alias.name == "*":
                    for name in _STAR_IMPORTED:
                        self._by_local_name.setdefault(name, _Binding(name, library))
                else:
                    self._bind(local_name, alias.name, library, alias, source)
            elif not statement.level and module == "unittest" and alias.name == "mock":
                self._bind(local_name, "", MockLibrary.UNITTEST_MOCK, alias, source)
            elif alias.name == "*" and self._imported_mock is not None:
                for name in sorted(_STAR_IMPORTED | {"mock"}):
                    origin = self._imported_mock(module, statement.level, name)
                    binding = _binding_of(origin)
                    if binding is not None:
                        self._by_local_name.setdefault(name, binding)
            elif self._imported_mock is not None:
                origin = self._imported_mock(module, statement.level, alias.name)
                self._bind_imported(local_name, origin, alias, source)

    def _bind_imported(
        self, local_name: str, origin: str | None, alias: ast.alias, source: SourceText
    ) -> None:
        """Bind ``local_name`` when the workspace says what it imports is mock (or a member)."""
        binding = _binding_of(origin)
        if binding is not None:
            self._bind(local_name, binding.member, binding.library, alias, source)

    def _bind(
        self,
        local_name: str,
        member: str,
        library: MockLibrary,
        alias: ast.alias,
        source: SourceText,
    ) -> None:
        self.imports.append(MockImport(local_name, member, library, source.span(alias)))
        self._by_local_name[local_name] = _Binding(member, library)

    def may_resolve(self, root: str) -> bool:
        """Whether a dotted name starting with ``root`` can be mock's at all."""
        return root in self._roots

    def resolve(self, parts: list[str]) -> str | None:
        """The mock API a dotted name denotes (``'patch.object'``, ``'MagicMock'``, ``''`` for the
        module itself), or ``None`` when it is not mock's."""
        for length in range(len(parts), 0, -1):
            binding = self._by_local_name.get(".".join(parts[:length]))
            if binding is not None:
                path = [binding.member] if binding.member else []
                return ".".join(path + parts[length:])
        return None


def _binding_of(origin: str | None) -> _Binding | None:
    """The binding for a name outside the workspace (``unittest.mock.patch``), if it is mock's."""
    if origin is None:
        return None
    for module, library in _LIBRARIES.items():
        if origin == module:
            return _Binding("", library)
        if origin.startswith(module + "."):
            return _Binding(origin[len(module) + 1 :], library)
    return None


def _all_statements(statements: list[ast.stmt]) -> Iterator[ast.stmt]:
    """Every statement, nested ones included (imports inside functions count too)."""
    stack = list(reversed(statements))
    while stack:
        statement = stack.pop()
        yield statement
        nested: list[ast.stmt] = []
        for name in ("body", "orelse", "finalbody"):
            block = getattr(statement, name, None)
            if isinstance(block, list):
                nested.extend(block)
        for handler in getattr(statement, "handlers", ()):  # try and try/except*
            nested.extend(handler.body)
        if isinstance(statement, ast.Match):
            for case in statement.cases:
                nested.extend(case.body)
        stack.extend(reversed(nested))
