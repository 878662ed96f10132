"""Hover cards: what a patch target resolves to and who looks it up; what a patcher's mock mocks.

A card is short Markdown: the kind and qualified name, the signature as an autospec of it
checks calls, where it is defined, and — for a target — the modules of the code under test
that look the name up, each marked with whether this patch reaches it. When static resolution
gives no signature for a target that may have one (a C function, a computed attribute), the
card names it as its ``runtime_target``: the server may ask the sandbox and complete the card
with :func:`with_runtime_signature`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from mockls.analysis.model import MockBinding, ModuleModel, PatchKind, PatchSite, SpecKind
from mockls.navigation._describe import (
    display_path,
    kind_label,
    mocked_signature,
    origin_note,
    signature_text,
)
from mockls.navigation._locate import (
    built_target_at,
    mock_binding_at,
    target_string_at,
)
from mockls.resolve.patch_reach import Lookup, ModulePatches, patch_target
from mockls.resolve.resolution import Location, Resolved, TargetKind, Unresolved
from mockls.spans import Position, Span

if TYPE_CHECKING:
    from mockls.resolve.project import ProjectFile

__all__ = ["HoverCard", "hover_card", "with_runtime_signature"]


@dataclass(frozen=True, slots=True)
class HoverCard:
    """Markdown text about what lies at ``span`` (its first paragraph is the heading).

    ``runtime_target`` is a dotted target whose signature the card lacks; ``markdown`` is
    empty when static resolution could not tell what the target is at all.
    """

    markdown: str
    span: Span
    runtime_target: str | None = None


_WITHOUT_SIGNATURE = frozenset({TargetKind.MODULE, TargetKind.PROPERTY, TargetKind.CONSTANT})
"""Kinds whose autospec is never called: no runtime signature to look for."""


def with_runtime_signature(card: HoverCard, kind: str, signature: str | None) -> HoverCard | None:
    """``card`` completed with what the sandbox saw of its ``runtime_target``: the ``kind``
    (``function``...) and the signature of its autospec; ``None`` when that adds nothing to
    an empty card."""
    target = card.runtime_target
    if target is None or (signature is None and not card.markdown):
        return card if card.markdown else None
    heading, _, rest = card.markdown.partition("\n\n")
    if not heading:
        heading = f"{kind} `{target}` (seen at run time)"
    paragraphs = [heading]
    if signature is not None:
        name = target.rsplit(".", 1)[-1]
        paragraphs.append(
            f"```python\n{name}{signature}\n```\n\n"
            "The signature of its autospec, from running it in the sandbox."
        )
    if rest:
        paragraphs.append(rest)
    return HoverCard("\n\n".join(paragraphs), card.span)


def hover_card(
    model: ModuleModel, position: Position, project: ProjectFile | None
) -> HoverCard | None:
    """The card for a patch target string or a patcher's mock at ``position``, if any."""
    target = target_string_at(model, position)
    if target is not None:
        return _target_card(model, target.site, target.span, project)
    built = built_target_at(model, position)
    if built is not None:
        return _target_card(model, *built, project)
    binding = mock_binding_at(model, position)
    if binding is not None:
        return _mock_card(binding, project)
    return None


def _target_card(
    model: ModuleModel, site: PatchSite, span: Span, project: ProjectFile | None
) -> HoverCard | None:
    if project is None:
        return None
    dotted = patch_target(site, project)
    if dotted is None:
        return None
    resolution = project.resolve_target(dotted)
    if isinstance(resolution, Unresolved):
        return HoverCard(_unresolved_text(resolution, _creates(site)), span)
    if resolution is None:
        return HoverCard("", span, runtime_target=dotted)
    lines = _resolved_lines(resolution, project.project.root)
    if resolution.qualified_name != dotted and resolution.kind is not TargetKind.MODULE:
        lines.insert(1, f"Patched as `{dotted}`.")
    lines.extend(_lookup_lines(model, site, dotted, resolution, project))
    return HoverCard("\n\n".join(lines), span, _runtime_target(resolution, dotted))


def _mock_card(binding: MockBinding, project: ProjectFile | None) -> HoverCard:
    """The target as the patch writes it, then what it resolves to."""
    site = binding.patch_site
    assert site is not None  # mock_binding_at finds only bindings made by a patcher
    dotted = patch_target(site, project)
    heading = f"`{binding.name}`: mock of `{_written_target(site, dotted)}`{_spec_note(binding)}"
    resolution = project.resolve_target(dotted) if project is not None and dotted else None
    if not isinstance(resolution, Resolved):
        return HoverCard(heading, binding.span)
    root = project.project.root if project is not None else None
    lines = [heading, *_resolved_lines(resolution, root)]
    return HoverCard("\n\n".join(lines), binding.span, _runtime_target(resolution, dotted))


def _runtime_target(resolved: Resolved, dotted: str | None) -> str | None:
    """``dotted`` when the card has no signature for it and its autospec may be callable."""
    if resolved.kind in _WITHOUT_SIGNATURE or mocked_signature(resolved) is not None:
        return None
    return dotted


def _resolved_lines(resolved: Resolved, root: Path | None, heading: str = "") -> list[str]:
    """The heading, the signature as an autospec sees it, and where it is defined."""
    lines = [
        f"{heading}{kind_label(resolved.kind)} `{resolved.qualified_name}`{origin_note(resolved)}"
    ]
    name = resolved.qualified_name.rsplit(".", 1)[-1]
    signature = mocked_signature(resolved)
    if signature is not None:
        lines.append(f"```python\n{signature_text(name, signature)}\n```")
    elif resolved.kind is TargetKind.PROPERTY and resolved.value_type is not None:
        lines.append(f"```python\n{name}: {resolved.value_type}\n```")
    if resolved.location is not None:
        lines.append(f"Defined in `{display_path(resolved.location, root)}`.")
    return lines


def _unresolved_text(unresolved: Unresolved, creates: bool) -> str:
    segments = unresolved.target.split(".")
    failing = (
        segments[unresolved.failing_segment]
        if 0 <= unresolved.failing_segment < len(segments)
        else unresolved.target
    )
    if creates and unresolved.failing_segment == len(segments) - 1:
        return (
            f"`{unresolved.target}` does not exist: `create=True` adds `{failing}` "
            f"to `{unresolved.resolved_prefix}` while the patch is active."
        )
    if unresolved.resolved_prefix:
        problem = f"`{unresolved.resolved_prefix}` has no attribute `{failing}`"
    else:
        problem = (
            f"no module named `{failing}` in the workspace or in the Python environment mockls "
            "reads (the `python` setting names its interpreter)"
        )
    text = f"`{unresolved.target}` cannot be found: {problem}."
    if unresolved.candidates:
        names = ", ".join(f"`{name}`" for name in unresolved.candidates[:3])
        text += f" Did you mean {names}?"
    return text


def _lookup_lines(
    model: ModuleModel, site: PatchSite, dotted: str, resolved: Resolved, project: ProjectFile
) -> list[str]:
    """ "Looked up by": the modules under test that bind the name or look it up through its module,
    each with whether a patch of the test reaches it (:mod:`mockls.resolve.patch_reach`).

    A module that binds the name with ``from m import name`` sees a patch of its own name
    only; one that looks it up through a module (``m.name``) sees a patch of that module's name.
    """
    if project.path is None or resolved.kind is TargetKind.MODULE:
        return []
    patches = ModulePatches(model, project)
    asked = [dotted]
    if resolved.qualified_name != dotted:
        asked.append(resolved.qualified_name)
    root = project.project.root
    entries: dict[str, str] = {}
    for name in asked:
        defining_module = name.rsplit(".", 1)[0]
        for lookup in patches.reach(site, name).lookups:
            binder = lookup.binder
            if binder is not None:
                place = display_path(Location(binder.path, binder.import_span), root)
                entries.setdefault(
                    lookup.site,
                    f"- `{place}` binds it with `{binder.statement.strip()}`: "
                    + _reach(lookup, site),
                )
            else:
                how = (
                    "reads its own global"
                    if lookup.module == defining_module
                    else f"looks it up through `{defining_module}`"
                )
                entries.setdefault(
                    f"{lookup.module} through {name}",
                    f"- `{lookup.module}` {how}: " + _reach(lookup, site),
                )
    if not entries:
        return []
    return ["Looked up by:\n" + "\n".join(entries.values())]


def _reach(lookup: Lookup, site: PatchSite) -> str:
    if lookup.reached_by is site:
        return "reached by this patch"
    if lookup.reached_by is not None:
        line = lookup.reached_by.span.start.line
        return f"not reached by this patch (patched on line {line + 1})"
    return f"**not reached** by this patch; patch `'{lookup.site}'` for it"


def _written_target(site: PatchSite, dotted: str | None) -> str:
    """The target as written in the source (``Order.total`` for ``patch.object(Order,
    'total')``), else as built (``__name__ + '.helper'``: the module's name joined)."""
    text = site.target_text(None)
    if text is None:
        return dotted or "an unknown target"
    if site.kind is PatchKind.OBJECT and site.target_object is not None:
        return f"{site.target_object.text}.{text}"
    return text


def _spec_note(binding: MockBinding) -> str:
    if binding.spec_kind is SpecKind.AUTOSPEC:
        return ", autospecced (calls must match the signature)"
    if binding.spec_kind is SpecKind.SPEC_SET:
        return ", with `spec_set` (only its attributes can be read or set)"
    if binding.spec_kind is SpecKind.SPEC:
        return ", with `spec` (only its attributes can be read)"
    return f" — a `{binding.mock_class or 'MagicMock'}` that accepts any call"


def _creates(site: PatchSite) -> bool:
    create = site.keywords.get("create")
    return create is not None and create.is_constant and create.value is True
