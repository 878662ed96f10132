"""Go to definition from a patch target string (segment by segment) or a patcher's mock.

On ``'shop.payments.charge'`` the segment under the cursor decides: ``shop`` goes to the
package, ``payments`` to the module, ``charge`` to the function. On the name a patcher's mock
is bound to (an injected parameter, ``with ... as m``, ``m = mocker.patch(...)``) it goes to
the patched object.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from mockls.analysis.model import ModuleModel
from mockls.navigation._locate import (
    built_target_at,
    mock_binding_at,
    target_prefix,
    target_string_at,
)
from mockls.resolve.patch_reach import patch_target
from mockls.resolve.resolution import Location, Resolved
from mockls.spans import Position, Span

if TYPE_CHECKING:
    from mockls.resolve.project import ProjectFile

__all__ = ["Definition", "definition"]


@dataclass(frozen=True, slots=True)
class Definition:
    """Where the thing at ``origin`` (a segment, a mock's name) is defined."""

    origin: Span
    location: Location


def definition(
    model: ModuleModel, position: Position, project: ProjectFile | None
) -> Definition | None:
    """The definition of what the target string segment or mock name at ``position`` names."""
    if project is None:
        return None
    target = target_string_at(model, position)
    if target is not None:
        segment = target.segment_at(position)
        if segment is None:
            return None
        dotted = patch_target(target.site, project)
        if dotted is not None and target.owner is None:
            dotted = target_prefix(target, segment)
        return _located(segment.span, dotted, project)
    built = built_target_at(model, position)
    if built is not None:
        site, piece = built
        return _located(piece, patch_target(site, project), project)
    binding = mock_binding_at(model, position)
    if binding is None or binding.patch_site is None:
        return None
    return _located(binding.span, patch_target(binding.patch_site, project), project)


def _located(origin: Span, dotted: str | None, project: ProjectFile) -> Definition | None:
    if dotted is None:
        return None
    resolution = project.resolve_target(dotted)
    if isinstance(resolution, Resolved) and resolution.location is not None:
        return Definition(origin, resolution.location)
    return None
