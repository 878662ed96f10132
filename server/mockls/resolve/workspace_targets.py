"""Resolving dotted targets through the workspace index, handing off to the environment.

``a.b.c.d`` is read the way :func:`unittest.mock.patch` imports it: the longest prefix that is
a workspace module, then one attribute at a time through the names each module binds
(following ``from m import X`` and re-exports to the definition, and star imports) and
through class members (along the workspace base classes). A name that leads outside the
workspace (``from os import path``) is handed to the *external* resolver (jedi) with the rest
of the target. Where the index cannot be sure (a module-level ``__getattr__``, a file with
syntax errors, a class with a metaclass) the answer is ``None``, never a false ``Unresolved``.
"""

from __future__ import annotations

import builtins
import difflib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from mockls.resolve.index import IndexSnapshot
from mockls.resolve.module_summary import (
    BindingKind,
    ClassSummary,
    Member,
    ModuleSummary,
    NameBinding,
)
from mockls.resolve.resolution import (
    Completion,
    Location,
    Origin,
    ParameterKind,
    Resolution,
    Resolved,
    Signature,
    SignatureParameter,
    TargetKind,
    Unresolved,
)
from mockls.spans import Span

__all__ = ["ExternalResolver", "WorkspaceResolver", "closest_names", "qualify_in"]

ExternalResolver = Callable[[str], Resolution]
"""Resolves a dotted target outside the workspace (the standard library, site-packages)."""

_BUILTIN_NAMES = frozenset(dir(builtins))
_MAX_DEPTH = 24
"""How deep re-export chains and base classes are followed before giving up."""


def closest_names(name: str, candidates: Iterable[str], count: int = 5) -> tuple[str, ...]:
    """The candidates closest to ``name``, closest first (case-insensitive near misses first)."""
    pool = sorted(set(candidates))
    folded = [candidate for candidate in pool if candidate.lower() == name.lower()]
    close = difflib.get_close_matches(name, pool, n=count, cutoff=0.6)
    return tuple(dict.fromkeys([*folded, *close]))[:count]


def qualify_in(summary: ModuleSummary, expression: str) -> str | None:
    """The absolute dotted name ``expression`` denotes in the module ``summary``, through its
    own imports (``orders.OrderService`` after ``from shop import orders`` is
    ``shop.orders.OrderService``); ``None`` when its first name is not known there."""
    root, dot, rest = expression.partition(".")
    binding = summary.bindings.get(root)
    qualified: str | None
    if binding is None:
        if root in summary.uncertain_names:
            return None
        if root in _BUILTIN_NAMES:
            qualified = f"builtins.{root}"
        else:
            return None
    elif binding.kind is BindingKind.IMPORT_MODULE:
        qualified = binding.module
    elif binding.kind is BindingKind.IMPORT_FROM:
        qualified = f"{binding.module}.{binding.imported_name}"
    else:
        if not summary.name:
            return None
        qualified = f"{summary.name}.{root}"
    return f"{qualified}{dot}{rest}"


@dataclass(frozen=True, slots=True)
class _Module:
    name: str


@dataclass(frozen=True, slots=True)
class _Class:
    qualified: str
    module: ModuleSummary
    summary: ClassSummary
    span: Span


@dataclass(frozen=True, slots=True)
class _Definition:
    """A module-level definition that is not a class."""

    qualified: str
    module: ModuleSummary
    binding: NameBinding


@dataclass(frozen=True, slots=True)
class _ClassMember:
    """A class member that is not a nested class."""

    qualified: str
    module: ModuleSummary
    member: Member


@dataclass(frozen=True, slots=True)
class _External:
    qualified: str


@dataclass(frozen=True, slots=True)
class _Missing:
    candidates: tuple[str, ...]


_OBJECT = _External("builtins.object")
_OBJECT_ATTRIBUTES = frozenset(dir(object))
"""What every class has from ``object`` (the same on every supported Python)."""
_TYPE_ATTRIBUTES = frozenset(dir(type))
"""What every class (not its instances) has from its metaclass ``type``: ``mro``, ``__name__``."""

_ANY_ARGUMENTS = Signature(
    (
        SignatureParameter("args", ParameterKind.VAR_POSITIONAL),
        SignatureParameter("kwargs", ParameterKind.VAR_KEYWORD),
    )
)
"""What a mock specced on a class that inherits ``object.__init__`` accepts."""

_Found = _Module | _Class | _Definition | _ClassMember | _External | _Missing | None
_State = _Module | _Class | _Definition | _ClassMember


class WorkspaceResolver:
    """Resolves targets against one :class:`IndexSnapshot`; cheap to build, not shared."""

    def __init__(self, snapshot: IndexSnapshot, external: ExternalResolver) -> None:
        self.snapshot = snapshot
        self.external = external
        self._mro_cache: dict[str, tuple[_Class | _External | None, ...]] = {}

    def _module(self, name: str) -> ModuleSummary | None:
        """The whole summary of the workspace module ``name`` (read once, when first asked)."""
        summary = self.snapshot.modules.get(name)
        return summary.detailed() if summary is not None else None

    # -- targets ----------------------------------------------------------------------

    def module_prefix_length(self, segments: list[str]) -> int:
        """How many leading segments name a workspace module (0: none do)."""
        for count in range(len(segments), 0, -1):
            if self.snapshot.is_module(".".join(segments[:count])):
                return count
        return 0

    def resolve(self, target: str) -> Resolution:
        """What ``target`` names (see :data:`~mockls.resolve.resolution.Resolution`)."""
        segments = target.split(".")
        for index, segment in enumerate(segments):
            if not segment.isidentifier():
                return Unresolved(target, index, ".".join(segments[:index]))
        if self.module_prefix_length(segments) == 0:
            return self.external(target)
        walked = self._walk(target, segments, 0)
        if walked is None or isinstance(walked, Unresolved | Resolved):
            return walked
        return self._resolved(target, walked)

    def _walk(
        self, target: str, segments: list[str], depth: int
    ) -> _State | Resolved | Unresolved | None:
        if depth > _MAX_DEPTH:
            return None
        count = self.module_prefix_length(segments)
        if count == 0:
            return None
        state: _State = _Module(".".join(segments[:count]))
        for index in range(count, len(segments)):
            segment = segments[index]
            found: _Found
            if isinstance(state, _Module):
                found = self._lookup(state.name, segment, set())
            elif isinstance(state, _Class):
                found = self._member(state, segment, depth)
            else:
                return None  # attributes of functions and variables are not known
            if found is None:
                return None
            if isinstance(found, _Missing):
                return Unresolved(
                    target,
                    index,
                    ".".join(segments[:index]),
                    closest_names(segment, found.candidates),
                )
            if isinstance(found, _External):
                return self._resolve_external(target, found.qualified, segments, index)
            state = found
        return state

    def _resolve_external(
        self, target: str, qualified: str, segments: list[str], index: int
    ) -> Resolved | Unresolved | None:
        """``segments[index]`` names ``qualified`` outside the workspace: resolve the rest there."""
        rest = segments[index + 1 :]
        resolution = self.external(".".join([qualified, *rest]))
        if resolution is None:
            return None
        if isinstance(resolution, Resolved):
            return replace(resolution, target=target)
        known = len(qualified.split("."))
        if resolution.failing_segment < known:
            return None  # the workspace module imports something missing: not this target's fault
        failing = index + 1 + resolution.failing_segment - known
        return Unresolved(target, failing, ".".join(segments[:failing]), resolution.candidates)

    def _resolved(self, target: str, state: _State) -> Resolved:
        if isinstance(state, _Module):
            summary = self._module(state.name)
            location = Location(summary.path, Span.of(0, 0, 0, 0)) if summary else None
            return Resolved(target, TargetKind.MODULE, state.name, Origin.WORKSPACE, location)
        if isinstance(state, _Class):
            return Resolved(
                target,
                TargetKind.CLASS,
                state.qualified,
                Origin.WORKSPACE,
                Location(state.module.path, state.span),
                self._constructor(state),
            )
        if isinstance(state, _Definition):
            binding = state.binding
            return Resolved(
                target,
                binding.target_kind,
                state.qualified,
                Origin.WORKSPACE,
                Location(state.module.path, binding.span),
                binding.signature,
            )
        member = state.member
        return Resolved(
            target,
            member.kind,
            state.qualified,
            Origin.WORKSPACE,
            Location(state.module.path, member.span),
            member.signature,
            member.value_type,
            member.instance_only,
        )

    # -- module attributes ------------------------------------------------------------

    def _lookup(self, module: str, name: str, seen: set[tuple[str, str]]) -> _Found:
        """The attribute ``name`` of the workspace module ``module``."""
        if (module, name) in seen or len(seen) > _MAX_DEPTH:
            return None  # an import cycle that never reaches a definition
        seen.add((module, name))
        summary = self._module(module)
        submodules = self.snapshot.submodules(module)
        if summary is None:  # a namespace package: only its submodules
            if name in submodules:
                return _Module(f"{module}.{name}")
            return _Missing(tuple(submodules))
        binding = summary.bindings.get(name)
        if binding is not None:
            return self._bound(summary, binding, seen)
        if name in submodules:
            return _Module(f"{module}.{name}")
        for star in summary.star_imports:
            found = self._star_imported(star.module, name, seen)
            if found is not None and not isinstance(found, _Missing):
                return found
            if found is None:
                return None
        if summary.dynamic or summary.partial or name in summary.uncertain_names:
            return None
        return _Missing(tuple(self.module_attribute_names(module)))

    def _bound(
        self, summary: ModuleSummary, binding: NameBinding, seen: set[tuple[str, str]]
    ) -> _Found:
        if binding.kind is BindingKind.DEFINITION:
            qualified = f"{summary.name}.{binding.name}"
            if binding.class_summary is not None:
                return _Class(qualified, summary, binding.class_summary, binding.span)
            return _Definition(qualified, summary, binding)
        if binding.kind is BindingKind.IMPORT_MODULE:
            if self.snapshot.is_module(binding.module):
                return _Module(binding.module)
            return _External(binding.module)
        if not self.snapshot.is_module(binding.module):
            return _External(f"{binding.module}.{binding.imported_name}")
        found = self._lookup(binding.module, binding.imported_name, seen)
        if found is None or isinstance(found, _Missing):
            # ``from pkg import name`` falls back to the submodule ``pkg.name`` (which is how
            # ``from . import sub`` in ``pkg/__init__.py`` binds its own submodule).
            submodule = f"{binding.module}.{binding.imported_name}"
            if self.snapshot.is_module(submodule):
                return _Module(submodule)
            # ``from m import missing`` fails when the module is imported: what it would
            # have bound cannot be told.
            return None
        return found

    def _star_imported(self, module: str, name: str, seen: set[tuple[str, str]]) -> _Found:
        """``name`` as ``from module import *`` binds it: ``_Missing`` when it does not."""
        if not self.snapshot.is_module(module):
            resolution = self.external(f"{module}.{name}")
            if resolution is None:
                return None
            if isinstance(resolution, Resolved):
                return _External(f"{module}.{name}")
            return _Missing(())
        summary = self._module(module)
        if summary is None:
            return _Missing(())
        exported = (
            name in summary.all_names if summary.all_names is not None else not name.startswith("_")
        )
        if not exported:
            return _Missing(())
        return self._lookup(module, name, seen)

    def module_attribute_names(self, module: str) -> list[str]:
        """Every name the workspace module ``module`` is known to have, submodules included."""
        names = set(self.snapshot.submodules(module))
        summary = self._module(module)
        if summary is not None:
            names.update(summary.bindings)
            for star in summary.star_imports:
                star_summary = self._module(star.module)
                if star_summary is not None:
                    names.update(star_summary.public_names())
        return sorted(names)

    # -- classes ----------------------------------------------------------------------

    def _member(self, klass: _Class, name: str, depth: int) -> _Found:
        for owner in self._mro(klass, depth):
            if owner is None:
                return None  # a base class that cannot be read
            if owner == _OBJECT:
                if name in _OBJECT_ATTRIBUTES:
                    return _External(f"builtins.object.{name}")
                if name in _TYPE_ATTRIBUTES:  # a class is looked up through its type too
                    return _External(f"builtins.type.{name}")
                continue
            if isinstance(owner, _External):
                resolution = self.external(f"{owner.qualified}.{name}")
                if isinstance(resolution, Resolved):
                    return _External(f"{owner.qualified}.{name}")
                if isinstance(resolution, Unresolved) and resolution.failing_segment == len(
                    owner.qualified.split(".")
                ):
                    continue
                return None
            member = owner.summary.members.get(name)
            if member is None:
                continue
            qualified = f"{owner.qualified}.{name}"
            if member.nested is not None:
                return _Class(qualified, owner.module, member.nested, member.span)
            return _ClassMember(qualified, owner.module, member)
        if any(
            isinstance(owner, _Class) and owner.summary.dynamic for owner in self._mro(klass, depth)
        ):
            return None
        return _Missing(tuple(self.class_attribute_names(klass, depth)))

    def class_attribute_names(self, klass: _Class, depth: int = 0) -> list[str]:
        """The member names of a workspace class and its workspace bases."""
        names: set[str] = set()
        for owner in self._mro(klass, depth):
            if isinstance(owner, _Class):
                names.update(owner.summary.members)
        return sorted(names)

    def _mro(self, klass: _Class, depth: int) -> tuple[_Class | _External | None, ...]:
        """The class and its bases, depth first, ``builtins.object`` last.

        A base that cannot be read is ``None``; one outside the workspace is ``_External``.
        """
        cached = self._mro_cache.get(klass.qualified)
        if cached is not None:
            return cached
        self._mro_cache[klass.qualified] = (klass, None)  # a cycle reads as an unknown base
        order: list[_Class | _External | None] = [klass]
        for base in klass.summary.bases:
            qualified = qualify_in(klass.module, base) if base != "?" else None
            if qualified is None and klass.qualified.count(".") > klass.module.name.count(".") + 1:
                # a nested class's base may name a sibling in the enclosing class
                qualified = f"{klass.qualified.rsplit('.', 1)[0]}.{base}"
            base_state = self._class_named(qualified, depth + 1) if qualified else None
            if isinstance(base_state, _Class):
                order.extend(step for step in self._mro(base_state, depth + 1) if step not in order)
            else:
                order.append(base_state)
        order = [step for step in order if step != _OBJECT]
        order.append(_OBJECT)
        result = tuple(order)
        self._mro_cache[klass.qualified] = result
        return result

    def _class_named(self, qualified: str, depth: int) -> _Class | _External | None:
        if qualified.startswith("builtins."):
            return _External(qualified)
        segments = qualified.split(".")
        if self.module_prefix_length(segments) == 0:
            return _External(qualified)
        walked = self._walk(qualified, segments, depth)
        if isinstance(walked, _Class):
            return walked
        if isinstance(walked, Resolved) and walked.kind is TargetKind.CLASS:
            return _External(walked.qualified_name)
        return None

    def _constructor(self, klass: _Class) -> Signature | None:
        """The signature of calling the class, as :func:`inspect.signature` shows it; one
        that accepts anything when it is ``object.__init__`` (a mock specced on the class
        reads that signature from ``object.__init__.__call__``, so it takes any call)."""
        for owner in self._mro(klass, 0):
            if owner == _OBJECT:
                return _ANY_ARGUMENTS
            if not isinstance(owner, _Class):
                return None
            summary = owner.summary
            if summary.dynamic or "__new__" in summary.members:
                return None
            initializer = summary.members.get("__init__")
            if initializer is not None:
                signature = initializer.signature
                return signature.without_first() if signature is not None else None
            if summary.dataclass_fields is not None:
                return self._dataclass_constructor(owner)
            if summary.decorated:
                return None
        return _ANY_ARGUMENTS

    def _dataclass_constructor(self, klass: _Class) -> Signature | None:
        """The ``__init__`` ``@dataclass`` generates: the fields of the class and of its
        dataclass bases, base fields first, positional ones before keyword-only ones."""
        fields: dict[str, SignatureParameter] = {}
        for owner in reversed(self._mro(klass, 0)):
            if owner == _OBJECT:
                continue
            if not isinstance(owner, _Class):
                return None
            for field in owner.summary.dataclass_fields or ():
                fields[field.name] = field
        positional = [f for f in fields.values() if f.kind is not ParameterKind.KEYWORD_ONLY]
        keyword_only = [f for f in fields.values() if f.kind is ParameterKind.KEYWORD_ONLY]
        return Signature((*positional, *keyword_only), "None")

    # -- completion -------------------------------------------------------------------

    def completions(self, base: str) -> list[Completion] | None:
        """The names that can follow ``base.`` in a target (``''``: the top-level modules).

        ``None`` when ``base`` does not lead into the workspace (the environment's business).
        Only the index is read: no jedi, so it stays fast.
        """
        if not base:
            return [
                Completion(name, TargetKind.MODULE, name)
                for name in sorted(self.snapshot.submodules(""))
            ]
        segments = base.split(".")
        if not all(segment.isidentifier() for segment in segments):
            return []
        if self.module_prefix_length(segments) == 0:
            return None
        state = self._walk(base, segments, 0)
        if isinstance(state, _Module):
            return [
                self._completion(
                    f"{state.name}.{name}", name, self._lookup(state.name, name, set())
                )
                for name in self.module_attribute_names(state.name)
            ]
        if isinstance(state, _Class):
            completions: list[Completion] = []
            for name in self.class_attribute_names(state):
                found = self._member(state, name, 0)
                completions.append(self._completion(f"{state.qualified}.{name}", name, found))
            return completions
        return []

    def _completion(self, qualified: str, name: str, found: _Found) -> Completion:
        if isinstance(found, _Module):
            return Completion(name, TargetKind.MODULE, found.name)
        if isinstance(found, _Class):
            signature = self._constructor(found)
            return Completion(name, TargetKind.CLASS, _detail(found.qualified, signature))
        if isinstance(found, _Definition):
            binding = found.binding
            return Completion(
                name, binding.target_kind, _detail(found.qualified, binding.signature)
            )
        if isinstance(found, _ClassMember):
            member = found.member
            return Completion(name, member.kind, _detail(found.qualified, member.signature))
        if isinstance(found, _External):
            return Completion(name, TargetKind.UNKNOWN, found.qualified)
        return Completion(name, TargetKind.UNKNOWN, qualified)


def _detail(qualified: str, signature: Signature | None) -> str:
    return qualified + signature.text() if signature is not None else qualified
