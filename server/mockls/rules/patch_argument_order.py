"""patch-argument-order: stacked ``@patch`` decorators whose mocks land in the wrong parameters.

Decorators apply bottom-up, so the bottom ``@patch`` passes the first mock. A function gets
one finding, however many of its parameters are mixed up, and one fix that renames them all. With
``@patch('a.Foo') @patch('a.Bar') def test(self, mock_foo, mock_bar)``, ``mock_foo`` really is
the mock of ``a.Bar``: assertions on it check the wrong patch and may pass for the wrong reason.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence

from mockls.analysis.model import Parameter, PatchedFunction, PatchKind, PatchSite
from mockls.findings import Finding, Fix, RelatedLocation, Severity
from mockls.rules.rule import Rule, RuleContext
from mockls.spans import Span, TextEdit

CODE = "patch-argument-order"

_EXPLAINED = 3
"""Mix-ups a message spells out; the rest are counted."""
_MOCK_PREFIXES = ("mocked_", "mock_", "m_")
_MOCK_SUFFIXES = ("_mocked", "_mock")
_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")
_DOTTED_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\s*\.\s*[A-Za-z_][A-Za-z0-9_]*)*")


def check(ctx: RuleContext) -> Iterator[Finding]:
    """Functions whose injected parameters are evidently named for each other's patches: one
    finding per function, spanning its misnamed parameters, with one fix renaming them all."""
    for function in ctx.model.patched_functions:
        misnamed = _misnamed(function)
        if not misnamed:
            continue
        mixups = [
            (
                function.injected[position][1],
                function.injected[position][0],
                function.injected[named_for][0],
            )
            for position, named_for in sorted(misnamed.items())
        ]
        explained = "; ".join(
            f"`{parameter.name}` receives the mock of {_target(received)}, not of "
            f"{_target(intended)}"
            for parameter, received, intended in mixups[:_EXPLAINED]
        )
        if len(mixups) > _EXPLAINED:
            explained += f"; and {len(mixups) - _EXPLAINED} more"
        yield Finding(
            code=CODE,
            message=(
                f"{explained}: stacked patch decorators pass their mocks bottom-up, so the "
                "bottom decorator's mock is the first parameter"
            ),
            span=Span(mixups[0][0].span.start, mixups[-1][0].span.end),
            severity=RULE.default_severity,
            related=tuple(
                related
                for parameter, received, intended in mixups
                for related in (
                    RelatedLocation(
                        ctx.path, received.span, f"`{parameter.name}` receives this patch's mock"
                    ),
                    RelatedLocation(
                        ctx.path, intended.span, f"`{parameter.name}` is named for this patch"
                    ),
                )
            ),
            fixes=_reorder_fix(function, misnamed),
        )


# --- which parameter is named for which patch ---------------------------------------------------


def _squash(name: str) -> str:
    return name.replace("_", "").lower()


def _parameter_words(name: str) -> list[str]:
    """``mock_send_email``, ``send_email_mock``, ``mocked_Send_Email``: ``['send', 'email']``."""
    stem = name.lower()
    for prefix in _MOCK_PREFIXES:
        if stem.startswith(prefix) and len(stem) > len(prefix):
            stem = stem[len(prefix) :]
            break
    for suffix in _MOCK_SUFFIXES:
        if stem.endswith(suffix) and len(stem) > len(suffix):
            stem = stem[: -len(suffix)]
            break
    return [word for word in stem.split("_") if word]


def _target_words(site: PatchSite) -> list[str]:
    """The words of the target's last name: ``SendEmail`` and ``send_email`` both give two."""
    if site.target is None:
        return []
    last = site.target.split(".")[-1]
    return [word.lower() for word in _WORD.findall(last)]


def _abbreviates(words: list[str], target_words: list[str]) -> bool:
    """Whether ``words`` are the first or last few words of the target (``send`` for
    ``send_receipt``)."""
    count = len(words)
    return 0 < count < len(target_words) and words in (target_words[:count], target_words[-count:])


def _target_keys(site: PatchSite) -> frozenset[str]:
    """What a parameter named for this patch is called: ``bar``, ``foobar`` for ``a.Foo.Bar``."""
    if site.target is None:
        return frozenset()
    if site.kind is PatchKind.OBJECT:
        owner = site.target_object.text if site.target_object is not None else ""
        segments = [*_dotted_segments(owner), site.target]
    else:
        segments = site.target.split(".")
    segments = [segment for segment in segments if segment]
    if not segments:
        return frozenset()
    keys = {_squash(segments[-1])}
    if len(segments) > 1:
        keys.add(_squash(segments[-2] + segments[-1]))
    return frozenset(key for key in keys if key)


def _dotted_segments(text: str) -> list[str]:
    if _DOTTED_NAME.fullmatch(text.strip()) is None:
        return []
    return [segment.strip() for segment in text.split(".")]


def _misnamed(function: PatchedFunction) -> dict[int, int]:
    """Each misnamed parameter's position -> the position of the patch it is named for.

    A parameter is named for a patch when its name, without a mock prefix or suffix, is the
    target's last name (or its owner's and last name), or else the first or last words of it
    (``mock_send`` for ``send_receipt``). Empty unless the evidence is whole: every parameter
    is named for at most one patch, and the misnamed parameters are a permutation of each
    other's places (so renaming them is all it takes).
    """
    keys = [_target_keys(site) for site, _ in function.injected]
    target_words = [_target_words(site) for site, _ in function.injected]
    named_for: dict[int, int] = {}
    for position, (_, parameter) in enumerate(function.injected):
        words = _parameter_words(parameter.name)
        key = "".join(words)
        matches = [index for index, site_keys in enumerate(keys) if key in site_keys]
        if not matches:  # an abbreviation: mock_send for send_receipt
            matches = [
                index for index, target in enumerate(target_words) if _abbreviates(words, target)
            ]
        if len(matches) > 1:
            return {}
        if matches:
            named_for[position] = matches[0]
    misnamed = {position: site for position, site in named_for.items() if position != site}
    if sorted(misnamed.values()) != sorted(misnamed):
        return {}
    return misnamed


def _target(site: PatchSite) -> str:
    if site.target is None:
        return "this patch"
    if site.kind is PatchKind.OBJECT and site.target_object is not None:
        return f"`{site.target_object.text}.{site.target}`"
    return f"`{site.target}`"


# --- the fix: give each parameter the name (and annotation, default) of its own patch ----------


def _reorder_fix(function: PatchedFunction, misnamed: Mapping[int, int]) -> tuple[Fix, ...]:
    """Move each misnamed ``name: annotation = default`` to the place of the patch it names."""
    parameters: Sequence[Parameter] = [parameter for _, parameter in function.injected]
    reordered = list(parameters)
    for position, named_for in misnamed.items():
        reordered[named_for] = parameters[position]
    if not _defaults_stay_last(function.parameters, parameters, reordered):
        return ()  # a parameter with a default would come before one without
    if any(parameters[p].text.count("(") != parameters[p].text.count(")") for p in misnamed):
        return ()  # a parenthesized default: its closing parenthesis lies outside the extent
    edits = sorted(
        (
            TextEdit(parameters[named_for].extent, parameters[position].text)
            for position, named_for in misnamed.items()
        ),
        key=lambda edit: edit.span.start,
    )
    return (
        Fix(
            title="Rename the parameters to match the patch decorators (bottom one first)",
            edits=tuple(edits),
            is_preferred=True,
            safe=True,  # each mock goes to the parameter already named for it
        ),
    )


def _defaults_stay_last(
    everything: Sequence[Parameter], before: Sequence[Parameter], after: Sequence[Parameter]
) -> bool:
    """Whether the positional parameters still have no default-less one after a defaulted one."""
    replaced = dict(zip([id(p) for p in before], after, strict=True))
    seen_default = False
    for parameter in (replaced.get(id(p), p) for p in everything):
        if parameter.has_default:
            seen_default = True
        elif seen_default:
            return False
    return True


RULE = Rule(
    code=CODE,
    summary="Stacked patch decorators whose mocks go to parameters named for other patches.",
    default_severity=Severity.WARNING,
    check=check,
)
