"""Words for what a target is: kind labels, signatures as a mock sees them, places to show."""

from __future__ import annotations

from pathlib import Path

from mockls.resolve.resolution import Location, Origin, Resolved, Signature, TargetKind

__all__ = ["display_path", "kind_label", "mocked_signature", "origin_note", "signature_text"]

_KIND_LABELS = {
    TargetKind.MODULE: "module",
    TargetKind.CLASS: "class",
    TargetKind.FUNCTION: "function",
    TargetKind.METHOD: "method",
    TargetKind.CLASSMETHOD: "class method",
    TargetKind.STATICMETHOD: "static method",
    TargetKind.PROPERTY: "property",
    TargetKind.ATTRIBUTE: "attribute",
    TargetKind.CONSTANT: "constant",
    TargetKind.UNKNOWN: "name",
}


def kind_label(kind: TargetKind) -> str:
    """``function``, ``class method``...: the kind in words."""
    return _KIND_LABELS[kind]


def origin_note(resolved: Resolved) -> str:
    """`` (standard library)`` or `` (installed)`` for targets outside the workspace."""
    if resolved.origin is Origin.STDLIB:
        return " (standard library)"
    if resolved.origin is Origin.ENVIRONMENT:
        return " (installed)"
    return ""


def mocked_signature(resolved: Resolved) -> Signature | None:
    """The signature an autospec of ``resolved`` checks calls against, when it is callable.

    A class is called like its constructor, without ``self`` (which is how resolution gives
    it); a class method without ``cls``; a method patched on its class keeps ``self`` (the
    mock is the unbound function); functions and static methods keep every parameter.
    """
    signature = resolved.signature
    if signature is not None and resolved.kind is TargetKind.CLASSMETHOD:
        return signature.without_first()
    return signature


def signature_text(name: str, signature: Signature) -> str:
    """``name(a, b=1, *, c, **kw) -> int``, written the way :func:`inspect.signature` does."""
    return f"{name}{signature.text()}"


def display_path(location: Location, root: Path | None) -> str:
    """``shop/payments.py:3``: the path relative to the workspace (or short), and the 1-based line.

    Files outside the workspace are shown from their ``site-packages`` directory or their
    standard library directory onwards (jedi's bundled stubs from ``typeshed`` onwards).
    """
    path = Path(location.path)
    line = location.span.start.line + 1
    if root is not None:
        try:
            return f"{path.relative_to(root).as_posix()}:{line}"
        except ValueError:
            pass
    parts = path.parts
    for marker in ("typeshed", "site-packages", "dist-packages"):
        if marker in parts:
            return f"{Path(*parts[parts.index(marker) :]).as_posix()}:{line}"
    for index in range(len(parts) - 1, 0, -1):
        if parts[index - 1] == "lib" and parts[index].startswith("python"):
            return f"{Path(*parts[index + 1 :]).as_posix()}:{line}"
    return f"{path.as_posix()}:{line}"
