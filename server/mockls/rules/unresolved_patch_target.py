"""unresolved-patch-target: a patch target that names nothing — a missing module or attribute.

``patch`` imports the target's module and looks the attribute up only when the patch starts,
so a misspelled target fails at run time, or, with ``create=True``, quietly patches a new
attribute that nothing reads. Targets are resolved through the project (the workspace index,
then the user's environment); a target mockls cannot judge (a dynamic module, an unknown
interpreter) gives nothing. The finding claims that the target fails at run time, and each
rename fix that its target resolves: the sandbox checks both.
"""

from __future__ import annotations

import builtins
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from mockls.analysis.model import Argument, PatchKind, PatchSite, TargetPart
from mockls.analysis.spelling import keyword_name_span, suggestions
from mockls.findings import ClaimKind, Finding, Fix, RuntimeClaim, Severity
from mockls.resolve.resolution import Origin, Resolved, TargetKind, Unresolved
from mockls.rules.rule import Rule, RuleContext
from mockls.spans import Span, TextEdit

CODE = "unresolved-patch-target"

_MAX_CANDIDATES = 3
_BUILTINS = frozenset(name for name in dir(builtins) if not name.startswith("_"))
"""The names patch may create in a module without ``create=True``, as it does itself."""


@dataclass(frozen=True, slots=True)
class _Target:
    """A dotted target to resolve, with where each segment is written (``None``: not editable).

    ``first_checked`` is the first segment whose absence is this site's mistake (for
    ``patch.object(X, 'a')`` only ``a``: a missing ``X`` is the expression's own problem).
    ``creatable`` says whether ``create=True`` (or an unknown ``**kwargs``) may make patch
    add the last segment itself.
    """

    segments: tuple[str, ...]
    spans: tuple[Span | None, ...]
    first_checked: int
    creatable: bool
    fallback_span: Span

    @property
    def dotted(self) -> str:
        return ".".join(self.segments)


def check(ctx: RuleContext) -> Iterator[Finding]:
    """Patch targets whose module or attribute does not exist."""
    if ctx.project is None:
        return
    module_name: str | None = None
    if ctx.project.path is not None and any(site.built_target for site in ctx.model.patch_sites):
        module_name = ctx.project.module_name
    for site in ctx.model.patch_sites:
        for target in _targets(ctx, site, module_name):
            finding = _finding(ctx, target)
            if finding is not None:
                yield finding


# --- what each patcher patches -----------------------------------------------------------------


def _targets(ctx: RuleContext, site: PatchSite, module_name: str | None) -> Iterator[_Target]:
    creatable = site.has_star_args or _passes_create(site)
    if site.kind is PatchKind.OBJECT:
        target = _object_target(ctx, site, module_name, creatable)
        if target is not None:
            yield target
        return
    written = _written_segments(ctx, site, module_name)
    if written is None:
        return
    segments, spans = written
    fallback = site.target_span or site.span
    if site.kind is PatchKind.MULTIPLE:
        # patch.multiple('a.b', x=DEFAULT) patches a.b.x: the target itself must exist, each
        # keyword that is not one of patch.multiple's own parameters names an attribute.
        yield _Target(segments, spans, 0, creatable=False, fallback_span=fallback)
        if site.has_star_args:
            return
        for keyword, argument in site.keywords.items():
            if keyword in PatchKind.MULTIPLE.parameters:
                continue
            span = keyword_name_span(ctx.lines, keyword, argument)
            yield _Target(
                (*segments, keyword),
                (*(None for _ in segments), span),
                len(segments),
                creatable,
                span or argument.span,
            )
        return
    # patch.dict(name) imports the dict the same way patch imports a target.
    yield _Target(
        segments,
        spans,
        0,
        creatable and site.kind is PatchKind.PATCH,
        fallback,
    )


def _object_target(
    ctx: RuleContext, site: PatchSite, module_name: str | None, creatable: bool
) -> _Target | None:
    """``patch.object(X, 'attr')`` as the dotted ``<X qualified>.attr``."""
    if site.target_object is None or site.object_is_local or ctx.project is None:
        return None  # a local object is not what the module's imports make of its name
    written = _written_segments(ctx, site, module_name)
    if written is None or len(written[0]) != 1:
        return None
    qualified = ctx.project.qualify(site.target_object.text)
    if not qualified:
        return None
    owner = tuple(qualified.split("."))
    (attribute,), (span,) = written
    return _Target(
        (*owner, attribute),
        (*(None for _ in owner), span),
        len(owner),
        creatable,
        site.target_span or site.span,
    )


def _written_segments(
    ctx: RuleContext, site: PatchSite, module_name: str | None
) -> tuple[tuple[str, ...], tuple[Span | None, ...]] | None:
    """The target's dotted segments and the span each is written at, if it is a plain name."""
    if site.target is not None:
        parts: Sequence[TargetPart] = (TargetPart(site.target, _exact_span(ctx, site)),)
    elif site.built_target:
        parts = site.built_target
    else:
        return None
    qualify = ctx.project.qualify if ctx.project is not None else None
    text = site.target_text(module_name, qualify)
    if text is None:
        return None
    segments = tuple(text.split("."))
    if not all(segment.isidentifier() for segment in segments):
        return None  # not a dotted name at all: patch's own TypeError, not a lookup
    if site.kind is PatchKind.PATCH and len(segments) < 2:
        return None  # patch('name') is refused before anything is looked up
    names = {
        part.name_of: qualify(part.name_of) or "" for part in parts if part.name_of and qualify
    }
    names[""] = module_name or ""
    return segments, _segment_spans(parts, segments, names)


def _exact_span(ctx: RuleContext, site: PatchSite) -> Span | None:
    """The target's span when it covers exactly the target's text (no quotes, no escapes)."""
    span = site.target_span
    if span is None or span.start.line != span.end.line:
        return None
    written = ctx.lines.line_text(span.start.line)[span.start.character : span.end.character]
    return span if written == site.target else None


def _segment_spans(
    parts: Sequence[TargetPart], segments: Sequence[str], module_names: Mapping[str, str]
) -> tuple[Span | None, ...]:
    """Where each segment is written, when all of it lies in one editable literal part.

    ``module_names`` holds the text of each ``__name__`` part: by its ``name_of``, ``''`` for
    the module's own.
    """
    # Where each character of the joined target comes from: (part, offset in it), or None
    # for the characters of a ``__name__``.
    origins: list[tuple[TargetPart, int] | None] = []
    for part in parts:
        if part.is_module_name or part.name_of:
            origins.extend(None for _ in module_names.get(part.name_of, ""))
        else:
            origins.extend((part, offset) for offset in range(len(part.text)))
    spans: list[Span | None] = []
    position = 0
    for segment in segments:
        pieces = origins[position : position + len(segment)]
        position += len(segment) + 1
        spans.append(_piece_span(pieces))
    return tuple(spans)


def _piece_span(pieces: Sequence[tuple[TargetPart, int] | None]) -> Span | None:
    """The span of characters that all come from one editable part, else ``None``."""
    first = pieces[0] if pieces else None
    if first is None or any(piece is None or piece[0] is not first[0] for piece in pieces):
        return None
    part, offset = first
    span = part.span
    if span is None or span.start.line != span.end.line:
        return None
    start = span.start.character + offset
    return Span.of(span.start.line, start, span.start.line, start + len(pieces))


def _passes_create(site: PatchSite) -> bool:
    """Whether ``create`` is given as anything but a literal false value."""
    parameters = site.kind.parameters
    if "create" not in parameters:
        return False
    create: Argument | None = site.keywords.get("create")
    index = parameters.index("create")
    if create is None and index < len(site.args):
        create = site.args[index]
    if create is None:
        return False
    return not (create.is_constant and not create.value)


# --- findings --------------------------------------------------------------------------------


def _finding(ctx: RuleContext, target: _Target) -> Finding | None:
    assert ctx.project is not None  # checked by the caller; for the type checker
    project = ctx.project.project
    resolution = project.resolve_target(target.dotted)
    if isinstance(resolution, Resolved) and resolution.instance_only and not target.creatable:
        return _instance_only(ctx, target, resolution)
    if not isinstance(resolution, Unresolved):
        return None
    failing = resolution.failing_segment
    if not target.first_checked <= failing < len(target.segments):
        return None
    segment = target.segments[failing]
    if failing == len(target.segments) - 1 and target.creatable:
        return None  # create=True adds the missing last attribute
    prefix = ".".join(target.segments[:failing])
    owner = project.resolve_target(prefix) if failing else None
    if (
        failing == len(target.segments) - 1
        and segment in _BUILTINS
        and isinstance(owner, Resolved)
        and owner.kind is TargetKind.MODULE
    ):
        return None  # patch creates a builtin's name in a module by itself (patch('m.open'))
    if not segment.startswith("_"):
        # A private name is never what a public one was meant to be.
        candidates = [name for name in resolution.candidates if not name.startswith("_")]
    else:
        candidates = list(resolution.candidates)
    if not (
        isinstance(owner, Resolved)
        and owner.origin is Origin.WORKSPACE
        and owner.kind in (TargetKind.MODULE, TargetKind.CLASS)
    ):
        # Only the names of a workspace module, and of a workspace class whose bases are all
        # in sight (the resolver gives up on any other), are all known. Outside the workspace
        # mockls sees through jedi and stubs, which can miss inherited or platform-specific
        # names; a top-level module nobody knows may live in an environment mockls was not
        # shown. There, only a plausible typo of a known name is surely a mistake. (A
        # workspace class may still gain attributes from outside its body, ``Gateway.extra =
        # 1`` elsewhere: like type checkers, mockls takes the class body as the truth.)
        plausible = set(suggestions(segment, candidates))
        candidates = [name for name in candidates if name in plausible]
        if not candidates:
            return None
    candidates = candidates[:_MAX_CANDIDATES]
    if failing == 0:
        problem = f"no module named `{segment}`"
    else:
        problem = f"{_described(owner, prefix)} has no attribute `{segment}`"
    if candidates:
        problem += "; did you mean " + " or ".join(f"`{name}`" for name in candidates) + "?"
    span = target.spans[failing]
    return Finding(
        code=CODE,
        message=f"{problem} (the patch fails when it starts)",
        span=span or target.fallback_span,
        severity=Severity.ERROR,
        fixes=_rename_fixes(span, target, failing, candidates),
        claim=RuntimeClaim(ClaimKind.TARGET_MISSING, target.dotted, segment=failing),
    )


def _instance_only(ctx: RuleContext, target: _Target, resolution: Resolved) -> Finding:
    """A target only the class's instances have: ``patch`` looks it up on the class."""
    owner, _, name = target.dotted.rpartition(".")
    where = ""
    if resolution.location is not None and ctx.project is not None:
        path = ctx.project.project.shown_path(resolution.location.path)
        where = f" at {path}:{resolution.location.span.start.line + 1}"
    failing = len(target.segments) - 1
    return Finding(
        code=CODE,
        message=(
            f"`{name}` is assigned only to instances of `{owner}` (`self.{name} = ...`{where}): "
            f"the class has no attribute `{name}`, so the patch fails when it starts; patch an "
            f"instance (`patch.object(instance, '{name}')`) or what the attribute is made from"
        ),
        span=target.spans[failing] or target.fallback_span,
        severity=Severity.ERROR,
        claim=RuntimeClaim(ClaimKind.TARGET_MISSING, target.dotted, segment=failing),
    )


def _described(resolution: Resolved | Unresolved | None, name: str) -> str:
    """``module `shop```, ``class `shop.Gateway```, or just ```x``` when its kind is unknown."""
    if isinstance(resolution, Resolved) and resolution.kind is not TargetKind.UNKNOWN:
        return f"{resolution.kind.value} `{name}`"
    return f"`{name}`"


def _rename_fixes(
    span: Span | None, target: _Target, failing: int, candidates: Sequence[str]
) -> tuple[Fix, ...]:
    """Rename the failing segment to each candidate; right if the renamed target resolves."""
    if span is None:
        return ()
    segments = target.segments
    return tuple(
        Fix(
            title=f"Change `{segments[failing]}` to `{name}`",
            edits=(TextEdit(span, name),),
            is_preferred=index == 0,
            claim=RuntimeClaim(
                ClaimKind.TARGET_EXISTS,
                ".".join((*segments[:failing], name, *segments[failing + 1 :])),
            ),
        )
        for index, name in enumerate(candidates)
    )


RULE = Rule(
    code=CODE,
    summary="A patch target whose module or attribute does not exist.",
    default_severity=Severity.ERROR,
    check=check,
)
