"""patcher-not-stopped: ``patcher.start()`` with nothing that ever stops the patcher.

A started patch stays in place until ``stop()``: the mock leaks into every test that runs
afterwards, which then pass or fail depending on the order the tests run in.
"""

from __future__ import annotations

from collections.abc import Iterator

from mockls.analysis.model import PatchSite, PatchUse
from mockls.findings import Finding, Severity
from mockls.rules.rule import Rule, RuleContext

CODE = "patcher-not-stopped"


def check(ctx: RuleContext) -> Iterator[Finding]:
    """Started patchers with no ``stop()``, ``addCleanup(p.stop)`` or ``patch.stopall()``."""
    model = ctx.model
    if any(stop.patcher is None for stop in model.stop_calls):
        return  # patch.stopall() stops every started patcher
    stopped = {stop.patcher for stop in model.stop_calls}
    for site in model.patch_sites:
        if site.use is not PatchUse.STARTED or site.via_mocker:
            continue
        if site.patcher is None:
            message = (
                f"this patch of {_what(site)} is started but nothing can stop it (no name "
                "holds the patcher): it stays in place for every later test; keep the patcher "
                "in a name and stop it (e.g. `self.addCleanup(patcher.stop)`), or call "
                "`patch.stopall()`"
            )
        elif site.patcher.name in stopped or site.patcher.name in model.escaped_patchers:
            continue
        else:
            name = site.patcher.name
            message = (
                f"patcher `{name}` is started but never stopped: {_what(site)} stays patched "
                f"for every later test; stop it with `self.addCleanup({name}.stop)` right "
                f"after starting it, `{name}.stop()` in tearDown or after a fixture's yield, "
                "or `patch.stopall()`"
            )
        yield Finding(code=CODE, message=message, span=site.span, severity=RULE.default_severity)


def _what(site: PatchSite) -> str:
    if site.target is None:
        return "the target"
    if site.target_object is not None:
        return f"`{site.target_object.text}.{site.target}`"
    return f"`{site.target}`"


RULE = Rule(
    code=CODE,
    summary="A patcher started with start() that nothing stops, so the patch leaks.",
    default_severity=Severity.WARNING,
    check=check,
)
