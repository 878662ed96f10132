"""Hover and the diagnostics say the same about every patch of every fixture project.

Both read :mod:`mockls.resolve.patch_reach`; this checks it on real projects: wherever
``ineffective-patch`` names lookup sites to patch instead, the hover card of that patch target
says each of them is not reached, and where the card says every lookup is reached, there is
no such finding.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mockls.analysis.snapshot import ModuleSnapshot
from mockls.config import Settings
from mockls.linter import lint_module
from mockls.navigation import hover_card
from mockls.resolve.project import Project, ProjectFile

REPOSITORY = Path(__file__).resolve().parent.parent.parent
FIXTURES = REPOSITORY / "tests" / "fixtures"

HOVER_MISSED = re.compile(r"\*\*not reached\*\* by this patch; patch `'([^']+)'` for it")
FINDING_SITES = re.compile(r"'([^']+)'")


def patching_modules(root: Path) -> list[Path]:
    return sorted(
        path
        for path in root.rglob("*.py")
        if ModuleSnapshot(path.read_text(encoding="utf-8")).model.patch_sites
    )


PROJECTS = [
    root
    for root in sorted(
        [
            *(path for path in FIXTURES.iterdir() if path.is_dir() and path.name != "refactor"),
            *(path for path in (REPOSITORY / "tests" / "sandbox" / "projects").iterdir()),
            REPOSITORY / "examples" / "shop",
        ]
    )
    if patching_modules(root)
]
"""Every fixture project with a module that patches (the others' tests write their own)."""


def disagreements(project: Project, path: Path) -> tuple[list[str], int, int]:
    """What hover and the diagnostics disagree on in one module, how many patch targets had
    a card, and how many ``ineffective-patch`` findings were compared."""
    module = ModuleSnapshot(path.read_text(encoding="utf-8"))
    project_file = ProjectFile(project, path)
    assert project.root is not None
    relative = path.relative_to(project.root).as_posix()
    findings = [
        finding
        for finding in lint_module(module, relative, Settings(), project_file)
        if finding.code == "ineffective-patch"
    ]
    found: list[str] = []
    cards = compared = 0
    for site in module.model.patch_sites:
        if site.target_span is None:
            continue
        card = hover_card(module.model, site.target_span.start, project_file)
        markdown = card.markdown if card is not None else ""
        cards += bool(markdown)
        said_missed = set(HOVER_MISSED.findall(markdown))
        place = f"{relative}:{site.target_span.start.line + 1}"
        for finding in (finding for finding in findings if finding.span == site.target_span):
            compared += 1
            named = set(FINDING_SITES.findall(finding.message.rpartition("; patch ")[2]))
            if not named <= said_missed:
                found.append(
                    f"{place}: the diagnostic says patch {sorted(named)}, the hover says "
                    f"not reached: {sorted(said_missed)}"
                )
        if not said_missed and any(finding.span == site.target_span for finding in findings):
            found.append(f"{place}: a diagnostic, while the hover says every lookup is reached")
    return found, cards, compared


@pytest.mark.parametrize(
    "root", [pytest.param(root, id=root.relative_to(REPOSITORY).as_posix()) for root in PROJECTS]
)
def test_hover_and_diagnostics_agree_on_every_patch(root: Path) -> None:
    project = Project(root)
    project.scan()
    found: list[str] = []
    cards = 0
    for path in patching_modules(root):
        disagreeing, module_cards, _ = disagreements(project, path)
        found.extend(disagreeing)
        cards += module_cards
    assert found == []
    assert cards > 0  # the project's patches were hovered, not skipped


def test_the_agreement_is_checked_on_where_to_patch_findings() -> None:
    """The navigation project's definition-site patch both features describe is compared."""
    root = FIXTURES / "navigation_project"
    project = Project(root)
    project.scan()
    found, _, compared = disagreements(project, root / "tests" / "test_orders.py")
    assert (found, compared) == ([], 1)
