"""Local classes: which names a class defines, and whether that list is the whole story."""

from __future__ import annotations

import ast
from collections.abc import Mapping

from mockls.analysis._drafts import ClassDraft, EventKind, Scope
from mockls.analysis.model import LocalClass
from mockls.syntax.tree import dotted_parts

_PLAIN_DECORATORS = frozenset({"dataclass", "final", "total_ordering", "runtime_checkable"})
"""Class decorators from the standard library that add no public attribute (only dunders)."""

_OBJECT = "object"

MAX_BASE_DEPTH = 64
"""How deep a chain of local base classes is followed (deeper: the list is not complete)."""


def link_bases(classes: list[ClassDraft]) -> None:
    """Point each class at the local classes its bases name (``Base``, ``Outer.Inner``)."""
    by_name = _local_by_name(classes)
    for draft in classes:
        draft.base_classes = [
            by_name[".".join(parts)]
            for parts in draft.bases
            if parts is not None and ".".join(parts) in by_name
        ]


def local_classes(classes: list[ClassDraft], module: Scope) -> Mapping[str, LocalClass]:
    """The :class:`LocalClass` of every class a ``spec=`` in this module can name.

    Members include what local bases define. Classes are taken in the order they are defined,
    so a base is done before its subclasses (a base defined later is not known, as in Python).
    """
    found: dict[str, LocalClass] = {}
    depths: dict[str, int] = {}
    for name, draft in _local_by_name(classes).items():
        members = set(draft.scope.names) | set(draft.self_attributes)
        complete = (
            not draft.node.keywords
            and all(_decorator_name(d) in _PLAIN_DECORATORS for d in draft.node.decorator_list)
            # A name bound to something else too (``try: from x import A`` + ``class A``)
            # may not be this class when it is used as a spec.
            and _bound_once(draft, module)
        )
        depth = 0
        for parts in draft.bases:
            base_name = ".".join(parts) if parts is not None else ""
            if base_name == _OBJECT:
                continue
            base = found.get(base_name)
            if base is None:
                complete = False
                continue
            depth = max(depth, depths[base_name] + 1)
            members |= base.members
            complete = complete and base.complete
        if depth > MAX_BASE_DEPTH:
            members = set(draft.scope.names) | set(draft.self_attributes)
            complete = False
        depths[name] = depth
        found[name] = LocalClass(name, frozenset(members), complete)
    return found


def _local_by_name(classes: list[ClassDraft]) -> dict[str, ClassDraft]:
    by_name: dict[str, ClassDraft] = {}
    ambiguous: set[str] = set()
    for draft in classes:
        if not draft.local:
            continue
        if draft.name in by_name:
            ambiguous.add(draft.name)
        by_name[draft.name] = draft
    for name in ambiguous:
        del by_name[name]
    return by_name


def _bound_once(draft: ClassDraft, module: Scope) -> bool:
    defining = draft.scope.parent
    if defining is None:
        return False
    short_name = draft.name.rsplit(".", 1)[-1]
    events = defining.names.get(short_name, [])
    if defining is module or defining.owner is None:
        return len(events) == 1 and events[0].kind is EventKind.OTHER
    return len(defining.owner.attribute_events(short_name)) == 1


def _decorator_name(decorator: ast.expr) -> str | None:
    node = decorator.func if isinstance(decorator, ast.Call) else decorator
    parts = dotted_parts(node)
    return parts[-1] if parts else None
