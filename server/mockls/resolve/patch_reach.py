"""What a patch names and what it reaches: the one answer hover, rules, fixes and verification read.

Two questions about a patch site are asked all over mockls, and two features that answered
them each their own way would one day disagree about the same patch:

- *what dotted target does it name?* :func:`patch_target` (``patch('a.b.c')``: ``a.b.c``;
  ``patch(__name__ + '.c')`` in module ``a.b`` too; ``patch.object(Order, 'total')``: where
  ``Order`` comes from, then ``.total``), :func:`patched_names` (``patch.multiple``: one per
  attribute) and :func:`replaced_names`, the bindings it replaces while active (``patch.dict``:
  none, it changes the dict in place);
- *which code does it reach, in which test, through which binding?* :class:`ModulePatches`
  knows which of a module's patches may be active together — a patch inside a test covers that
  test only, any other (a class decorator, ``setUp``, a fixture, a helper, module level) may be
  active in every test — and :meth:`ModulePatches.reach` lists the lookups of a name in the code
  under test, each with the patch of that test that reaches it, if any.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from mockls.analysis.model import ModuleModel, PatchKind, PatchSite
from mockls.resolve.project import ProjectFile
from mockls.resolve.resolution import Binder, LookupReport, Resolved, TargetKind

__all__ = [
    "Lookup",
    "ModulePatches",
    "PatchReach",
    "lookup_target",
    "patch_target",
    "patched_names",
    "replaced_names",
    "test_of",
]


def patch_target(site: PatchSite, project: ProjectFile | None) -> str | None:
    """The dotted name a patch site patches, when it can be told.

    ``patch('a.b.c')`` patches ``a.b.c``; ``patch(__name__ + '.c')`` in module ``a.b`` too;
    ``patch.object(Order, 'total')`` patches ``<where Order comes from>.total``, found
    through the module's imports.
    """
    module_name = project.module_name if project is not None and site.built_target else None
    text = site.target_text(module_name, project.qualify if project is not None else None)
    if text is None or site.kind is not PatchKind.OBJECT:
        return text
    if site.target_object is None or project is None:
        return None
    owner = project.qualify(site.target_object.text)
    return f"{owner}.{text}" if owner else None


def patched_names(site: PatchSite, project: ProjectFile | None) -> tuple[str, ...]:
    """The dotted names the site patches (``patch.multiple('m', a=..., b=...)``: ``m.a`` and
    ``m.b``), as a test run reports them."""
    target = patch_target(site, project)
    if target is None:
        return ()
    if site.kind is PatchKind.MULTIPLE:
        return tuple(
            f"{target}.{keyword}"
            for keyword in site.keywords
            if keyword not in PatchKind.MULTIPLE.parameters
        )
    return (target,)


def replaced_names(site: PatchSite, project: ProjectFile | None) -> tuple[str, ...]:
    """The dotted names whose bindings the site replaces while it is active: those it
    patches, except with ``patch.dict`` (which changes the dictionary in place)."""
    return () if site.kind is PatchKind.DICT else patched_names(site, project)


def lookup_target(site: PatchSite, project: ProjectFile) -> str | None:
    """The name whose lookups in the code under test decide whether the patch reaches them.

    A ``patch`` target, or a ``patch.object`` of a module's attribute; ``None`` for anything
    else (patching a class attribute reaches every holder of the class).
    """
    if site.kind is PatchKind.PATCH:
        return patch_target(site, project)
    if site.kind is not PatchKind.OBJECT or site.target_object is None or site.object_is_local:
        return None
    attribute = site.target_text(None)
    owner = project.qualify(site.target_object.text) if attribute is not None else None
    if not owner:
        return None
    resolved = project.resolve_target(owner)
    if not isinstance(resolved, Resolved) or resolved.kind is not TargetKind.MODULE:
        return None
    return f"{owner}.{attribute}"


def test_of(scope: str) -> str | None:
    """The test a scope belongs to (``Tests.test_pay`` of ``Tests.test_pay.helper``);
    ``None`` outside every test."""
    names = scope.split(".")
    for index, name in enumerate(names):
        if name.startswith("test"):
            return ".".join(names[: index + 1])
    return None


@dataclass(frozen=True, slots=True)
class Lookup:
    """One place of the code under test that looks a patched name up.

    ``site`` is the dotted name it reads at call time (``shop.orders.charge`` for
    ``from shop.payments import charge`` in ``shop.orders``); ``binder`` the import that bound
    it, ``None`` when ``module`` looks the name up through its defining module.
    ``reached_by`` is the patch of the test in question that replaces what it reads, if any.
    """

    module: str
    site: str
    binder: Binder | None
    reached_by: PatchSite | None


@dataclass(frozen=True, slots=True)
class PatchReach:
    """What a patch of ``target`` reaches in the code under test, lookup by lookup."""

    target: str
    report: LookupReport
    lookups: tuple[Lookup, ...]

    @property
    def missed_binders(self) -> tuple[Binder, ...]:
        """The imports that bind the name where no patch of the test reaches them."""
        return tuple(
            lookup.binder
            for lookup in self.lookups
            if lookup.binder is not None and lookup.reached_by is None
        )


class ModulePatches:
    """The patches of one test module: what each names, and which tests each is active in."""

    def __init__(self, model: ModuleModel, project: ProjectFile) -> None:
        self.model = model
        self.project = project

    @cached_property
    def _targets(self) -> dict[int, str | None]:
        return {id(site): patch_target(site, self.project) for site in self.model.patch_sites}

    @cached_property
    def _replacing(self) -> dict[str, list[PatchSite]]:
        """The sites that replace each dotted name, in source order."""
        found: dict[str, list[PatchSite]] = {}
        for site in self.model.patch_sites:
            for name in replaced_names(site, self.project):
                found.setdefault(name, []).append(site)
        return found

    def target(self, site: PatchSite) -> str | None:
        """:func:`patch_target` of one of the module's sites."""
        if id(site) in self._targets:
            return self._targets[id(site)]
        return patch_target(site, self.project)

    def replacing(self, name: str, scope: str) -> PatchSite | None:
        """The first patch of ``name`` that may be active with a patch written in ``scope``:
        one in the same test, or one outside every test."""
        test = test_of(scope)
        for site in self._replacing.get(name, ()):
            other = test_of(site.scope)
            if other is None or other == test:
                return site
        return None

    def reach(self, site: PatchSite, name: str | None = None) -> PatchReach:
        """Who in the code under test looks up ``name`` (by default what ``site`` patches),
        and which patch active with ``site`` reaches each of them."""
        own = self.target(site)
        asked = name if name is not None else own
        if asked is None:
            return PatchReach("", LookupReport(), ())
        report = self.project.lookups(asked)

        def reached(lookup_site: str) -> PatchSite | None:
            return site if lookup_site == own else self.replacing(lookup_site, site.scope)

        lookups = [
            Lookup(
                binder.module,
                f"{binder.module}.{binder.local_name}",
                binder,
                reached(f"{binder.module}.{binder.local_name}"),
            )
            for binder in report.binders
        ]
        lookups.extend(
            Lookup(module, asked, None, reached(asked)) for module in report.through_module
        )
        return PatchReach(asked, report, tuple(lookups))
