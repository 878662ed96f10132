"""Where the code under test looks a patched name up: the facts behind ``ineffective-patch``.

``patch('pkg.mod.X')`` replaces the attribute ``X`` of the module ``pkg.mod``. A module that
ran ``from pkg.mod import X`` at import time holds its own reference and never sees the mock;
one that reads ``pkg.mod.X`` (or ``mod.X``) when it runs does, and so does ``pkg.mod`` itself,
whose functions read their own global ``X``. The *code under test* of a test
file is the workspace modules it imports, and what they import in turn; it is gathered once
per file (:func:`code_under_test`) into maps that answer each target without a scan.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from mockls.resolve.index import IndexSnapshot
from mockls.resolve.module_summary import (
    BindingKind,
    ModuleSummary,
    NameBinding,
    cannot_mention,
)
from mockls.resolve.resolution import Binder, LookupReport

__all__ = ["CodeUnderTest", "code_under_test", "importer_closure", "lookup_report"]

_MAX_CHAIN = 24


def importer_closure(snapshot: IndexSnapshot, importer: ModuleSummary) -> list[ModuleSummary]:
    """The workspace modules ``importer`` imports, directly or not, in breadth-first order.

    Importing ``a.b.c`` runs ``a`` and ``a.b`` too, so their packages count. ``importer``
    itself is left out.
    """
    seen: set[str] = {importer.path}
    order: list[ModuleSummary] = []
    pending: deque[ModuleSummary] = deque([importer])
    while pending:
        module = pending.popleft()
        for imported in sorted(module.imported_modules):
            for summary in _modules_run_by_import(snapshot, imported):
                if summary.path not in seen:
                    seen.add(summary.path)
                    order.append(summary)
                    pending.append(summary)
    return order


def _modules_run_by_import(snapshot: IndexSnapshot, dotted: str) -> Iterable[ModuleSummary]:
    parts = dotted.split(".")
    for depth in range(1, len(parts) + 1):
        summary = snapshot.modules.get(".".join(parts[:depth]))
        if summary is not None:
            yield summary


@dataclass(frozen=True, slots=True)
class CodeUnderTest:
    """The code under test of one test file, arranged for answering many targets.

    ``importers`` maps each module name imported in it to the modules importing it;
    ``from_imports`` each name imported with an import-time ``from ... import`` to those
    bindings; ``star_importers`` are the modules with a ``from m import *``;
    ``imported_by_test`` the modules the test file imports itself. These come from the
    index's light summaries: a module is read whole only when a target concerns it.
    """

    imported_by_test: frozenset[str]
    modules: tuple[ModuleSummary, ...]
    importers: Mapping[str, tuple[ModuleSummary, ...]]
    from_imports: Mapping[str, tuple[tuple[ModuleSummary, NameBinding], ...]]
    star_importers: tuple[ModuleSummary, ...]


def code_under_test(snapshot: IndexSnapshot, importer: ModuleSummary) -> CodeUnderTest:
    """Gather the code under test of ``importer``."""
    modules = tuple(importer_closure(snapshot, importer))
    importers: dict[str, list[ModuleSummary]] = {}
    from_imports: dict[str, list[tuple[ModuleSummary, NameBinding]]] = {}
    for module in modules:
        for imported in module.imported_modules:
            importers.setdefault(imported, []).append(module)
        for binding in module.bindings.values():
            if binding.kind is BindingKind.IMPORT_FROM:
                from_imports.setdefault(binding.imported_name, []).append((module, binding))
    return CodeUnderTest(
        importer.imported_modules,
        modules,
        {name: tuple(found) for name, found in importers.items()},
        {name: tuple(found) for name, found in from_imports.items()},
        tuple(module for module in modules if module.star_imports),
    )


def lookup_report(snapshot: IndexSnapshot, target: str, code: CodeUnderTest) -> LookupReport:
    """Who in the code under test binds or looks up ``target``.

    Targets ``module.name`` get a report: of a workspace module, or of a module outside the
    workspace (``time.monotonic``, bound by ``from time import monotonic`` in the code under
    test), which counts as the name's definition site. Anything else (a submodule, a class
    attribute, a workspace package's missing module) gets an empty one.
    """
    module_name, _, name = target.rpartition(".")
    if not name or not module_name or snapshot.is_module(target):
        return LookupReport()
    definition_module = snapshot.modules.get(module_name)
    if definition_module is None:
        if snapshot.is_module(module_name.partition(".")[0]):
            return LookupReport()  # inside the workspace, but no module of it
        is_definition_site = True  # outside: what the code under test imports from there
    else:
        binding = definition_module.bindings.get(name)
        is_definition_site = binding is not None and binding.kind is BindingKind.DEFINITION
    binders = _binders(snapshot, code, module_name, name)
    # A module's reads of the name it bound itself (``from datetime import datetime``, then
    # ``datetime.now()``) are written absolute like reads through the module; they are not.
    binding_modules = {binder.module for binder in binders}
    readers = [
        reader for reader in _readers(code, target, module_name) if reader not in binding_modules
    ]
    return LookupReport(tuple(binders), tuple(readers), is_definition_site)


def _readers(code: CodeUnderTest, target: str, module_name: str) -> Iterable[str]:
    """The modules that read ``target`` through its module when they run: only modules that
    import that module (or one of its packages) can, and the module that defines it."""
    parts = module_name.split(".")
    candidates: dict[str, ModuleSummary] = {}
    for depth in range(1, len(parts) + 1):
        for module in code.importers.get(".".join(parts[:depth]), ()):
            candidates.setdefault(module.path, module)
    prefix = f"{target}."
    name = target.rpartition(".")[2]
    for module in code.modules:
        if module.name == module_name:
            # the defining module's own code reads its global through the module's namespace
            binding = module.bindings.get(name)
            defined = binding is not None and binding.kind is BindingKind.DEFINITION
            if defined and name in module.detailed().loaded_names:
                yield module.name
            continue
        if module.path not in candidates:
            continue
        if cannot_mention(module.text, name):
            continue  # a module reads ``pkg.mod.name`` only by writing ``name``
        lookups = module.detailed().lookups
        if target in lookups or any(lookup.startswith(prefix) for lookup in lookups):
            yield module.name


def _binders(
    snapshot: IndexSnapshot, code: CodeUnderTest, module_name: str, name: str
) -> list[Binder]:
    binders = []
    for module, found in code.from_imports.get(name, ()):
        if module.name == module_name:
            continue
        if not _reads(snapshot, found.module, found.imported_name, module_name, name):
            continue
        whole = module.detailed()
        if found.name in whole.loaded_names:
            binders.append(
                Binder(
                    module.name,
                    module.path,
                    found.name,
                    found.span,
                    found.statement,
                    module.name in code.imported_by_test,
                )
            )
    for module in code.star_importers:
        if module.name == module_name or name in module.bindings:
            continue
        for star in module.star_imports:
            if (
                _star_exports(snapshot, star.module, name)
                and _reads(snapshot, star.module, name, module_name, name)
                and name in module.detailed().loaded_names
            ):
                binders.append(
                    Binder(
                        module.name,
                        module.path,
                        name,
                        star.span,
                        star.statement,
                        module.name in code.imported_by_test,
                    )
                )
                break
    binders.sort(key=lambda binder: binder.module)
    return binders


def _reads(
    snapshot: IndexSnapshot, module: str, name: str, target_module: str, target_name: str
) -> bool:
    """Whether ``from module import name`` gets the object of ``target_module.target_name``
    through the namespace of ``target_module`` (directly or along re-exports)."""
    for _ in range(_MAX_CHAIN):
        if (module, name) == (target_module, target_name):
            return True
        summary = snapshot.modules.get(module)
        if summary is None:
            return False
        binding = summary.bindings.get(name)
        if binding is None:
            star = next(
                (s.module for s in summary.star_imports if _star_exports(snapshot, s.module, name)),
                None,
            )
            if star is None:
                return False
            module = star
            continue
        if binding.kind is not BindingKind.IMPORT_FROM:
            return False
        module, name = binding.module, binding.imported_name
    return False


def _star_exports(snapshot: IndexSnapshot, module: str, name: str, depth: int = 0) -> bool:
    """Whether ``from module import *`` binds ``name``."""
    summary = snapshot.modules.get(module)
    if summary is None or depth > _MAX_CHAIN:
        return False
    if summary.all_names is not None:
        return name in summary.all_names
    if name.startswith("_"):
        return False
    return name in summary.bindings or any(
        _star_exports(snapshot, star.module, name, depth + 1) for star in summary.star_imports
    )
