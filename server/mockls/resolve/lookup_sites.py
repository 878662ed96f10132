"""Where the code under test looks a patched name up: the facts behind ``ineffective-patch``.

``patch('pkg.mod.X')`` replaces the attribute ``X`` of the module ``pkg.mod``. A module that
ran ``from pkg.mod import X`` at import time holds its own reference and never sees the mock;
one that reads ``pkg.mod.X`` (or ``mod.X``) when it runs does. The *code under test* is the
workspace modules a test file imports, and what they import in turn.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable

from mockls.resolve.index import IndexSnapshot
from mockls.resolve.module_summary import BindingKind, ModuleSummary
from mockls.resolve.resolution import Binder, LookupReport

__all__ = ["importer_closure", "lookup_report"]

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


def lookup_report(snapshot: IndexSnapshot, target: str, importer: ModuleSummary) -> LookupReport:
    """Who in the code under test of ``importer`` binds or looks up ``target``.

    Only targets ``module.name`` of a workspace module get a report; anything else (a
    submodule, a class attribute, a name outside the workspace) gets an empty one.
    """
    module_name, _, name = target.rpartition(".")
    definition_module = snapshot.modules.get(module_name)
    if definition_module is None or not name or snapshot.is_module(target):
        return LookupReport()
    binding = definition_module.bindings.get(name)
    is_definition_site = binding is not None and binding.kind is BindingKind.DEFINITION
    binders: list[Binder] = []
    through: list[str] = []
    prefix = f"{target}."
    for module in importer_closure(snapshot, importer):
        if module.name == module_name:
            continue
        if target in module.lookups or any(lookup.startswith(prefix) for lookup in module.lookups):
            through.append(module.name)
        binders.extend(_binders_in(snapshot, module, module_name, name))
    return LookupReport(tuple(binders), tuple(through), is_definition_site)


def _binders_in(
    snapshot: IndexSnapshot, module: ModuleSummary, target_module: str, name: str
) -> Iterable[Binder]:
    """The import-time bindings of ``module`` that read ``target_module.name`` and are used."""
    for binding in module.bindings.values():
        if (
            binding.kind is BindingKind.IMPORT_FROM
            and binding.name in module.loaded_names
            and _reads(snapshot, binding.module, binding.imported_name, target_module, name)
        ):
            yield Binder(module.name, module.path, binding.name, binding.span, binding.statement)
    if name in module.bindings or name not in module.loaded_names:
        return
    for star in module.star_imports:
        if _star_exports(snapshot, star.module, name) and _reads(
            snapshot, star.module, name, target_module, name
        ):
            yield Binder(module.name, module.path, name, star.span, star.statement)
            return


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
