"""What a dotted patch target resolves to: plain dataclasses every consumer of ``resolve/`` reads.

Paths are absolute filesystem paths; spans are 0-based with code-point columns, like the rest
of mockls below ``lsp/``.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass

from mockls.spans import Span


class TargetKind(enum.Enum):
    """What a resolved target names."""

    MODULE = "module"
    CLASS = "class"
    FUNCTION = "function"
    METHOD = "method"
    CLASSMETHOD = "classmethod"
    STATICMETHOD = "staticmethod"
    PROPERTY = "property"
    ATTRIBUTE = "attribute"  # a variable / instance attribute whose value is not a literal
    CONSTANT = "constant"  # a module- or class-level name assigned a literal
    UNKNOWN = "unknown"  # it exists, but what it is could not be told


class Origin(enum.Enum):
    """Where a resolved target lives."""

    WORKSPACE = "workspace"
    ENVIRONMENT = "environment"  # site-packages of the user's interpreter
    STDLIB = "stdlib"


@dataclass(frozen=True, slots=True)
class Location:
    """A place in a file: ``path`` is absolute."""

    path: str
    span: Span


class ParameterKind(enum.Enum):
    """The kinds of :class:`inspect.Parameter`, by name."""

    POSITIONAL_ONLY = "positional-only"
    POSITIONAL_OR_KEYWORD = "positional-or-keyword"
    VAR_POSITIONAL = "var-positional"
    KEYWORD_ONLY = "keyword-only"
    VAR_KEYWORD = "var-keyword"


@dataclass(frozen=True, slots=True)
class SignatureParameter:
    """One parameter of a real signature, as written (annotation and default as source text)."""

    name: str
    kind: ParameterKind
    has_default: bool = False
    annotation: str | None = None
    default: str | None = None


@dataclass(frozen=True, slots=True)
class CallShape:
    """The arguments of a call as written, enough to tell whether they can bind.

    ``star_args``/``star_kwargs`` are true when ``*x``/``**x`` appear: their contents are unknown,
    so binding is then only checked for what is certain.
    """

    positional: int
    keywords: Sequence[str]
    star_args: bool = False
    star_kwargs: bool = False


@dataclass(frozen=True, slots=True)
class Signature:
    """A callable's real signature; ``text`` renders it like :func:`inspect.signature` does.

    ``is_async`` tells an ``async def`` (known for the workspace's own functions only).
    """

    parameters: tuple[SignatureParameter, ...]
    returns: str | None = None
    is_async: bool = False

    def text(self) -> str:
        """``(a, b: int = 1, /, *args, c, **kwargs) -> str``, as :func:`inspect.signature`."""
        rendered: list[str] = []
        keyword_marker_needed = True
        for index, parameter in enumerate(self.parameters):
            kind = parameter.kind
            if kind is ParameterKind.VAR_POSITIONAL:
                keyword_marker_needed = False
            elif kind is ParameterKind.KEYWORD_ONLY and keyword_marker_needed:
                rendered.append("*")
                keyword_marker_needed = False
            rendered.append(_parameter_text(parameter))
            following = self.parameters[index + 1] if index + 1 < len(self.parameters) else None
            if kind is ParameterKind.POSITIONAL_ONLY and (
                following is None or following.kind is not ParameterKind.POSITIONAL_ONLY
            ):
                rendered.append("/")
        text = f"({', '.join(rendered)})"
        return f"{text} -> {self.returns}" if self.returns is not None else text

    def without_first(self) -> Signature:
        """The signature once bound to an instance or class: the first positional parameter
        (``self``/``cls``) dropped, as :func:`inspect.signature` shows a bound method."""
        if self.parameters and self.parameters[0].kind in _POSITIONAL:
            return Signature(self.parameters[1:], self.returns, self.is_async)
        return self

    def bind_error(self, shape: CallShape) -> str | None:
        """Why a call shaped like ``shape`` cannot bind, as :meth:`inspect.Signature.bind`
        says it; ``None`` when it can bind.

        This follows ``inspect``'s own algorithm (the check an autospecced mock runs on every
        call), so the first error found is the one it raises. With ``*args`` or ``**kwargs``
        in the call, a missing argument might be in them: only certain errors are reported.
        """
        uncertain = shape.star_args or shape.star_kwargs
        parameters = self.parameters
        keywords = list(dict.fromkeys(shape.keywords))
        positional_left = shape.positional
        index = 0
        while True:  # positional arguments against the parameters, in order
            if positional_left == 0:
                if index >= len(parameters):
                    break
                parameter = parameters[index]
                if parameter.kind is ParameterKind.VAR_POSITIONAL:
                    index += 1
                    break
                if parameter.name in keywords:
                    if parameter.kind is ParameterKind.POSITIONAL_ONLY:
                        return _positional_only_error(parameter.name)
                    break
                if (
                    parameter.kind is ParameterKind.VAR_KEYWORD
                    or parameter.has_default
                    or uncertain
                ):
                    break
                return f"missing a required argument: {parameter.name!r}"
            if index >= len(parameters):
                return "too many positional arguments"
            parameter = parameters[index]
            index += 1
            if parameter.kind in (ParameterKind.VAR_KEYWORD, ParameterKind.KEYWORD_ONLY):
                return "too many positional arguments"
            if parameter.kind is ParameterKind.VAR_POSITIONAL:
                break
            if parameter.name in keywords and parameter.kind is not ParameterKind.POSITIONAL_ONLY:
                return f"multiple values for argument {parameter.name!r}"
            positional_left -= 1
        takes_var_keyword = False
        for parameter in parameters[index:]:  # keyword arguments against the rest
            if parameter.kind is ParameterKind.VAR_KEYWORD:
                takes_var_keyword = True
            elif parameter.kind is ParameterKind.VAR_POSITIONAL:
                continue
            elif parameter.name in keywords:
                if parameter.kind is ParameterKind.POSITIONAL_ONLY:
                    return _positional_only_error(parameter.name)
                keywords.remove(parameter.name)
            elif not parameter.has_default and not uncertain:
                return f"missing a required argument: {parameter.name!r}"
        if keywords and not takes_var_keyword:
            return f"got an unexpected keyword argument {keywords[0]!r}"
        return None


def _positional_only_error(name: str) -> str:
    return f"{name!r} parameter is positional only, but was passed as a keyword"


_POSITIONAL = (ParameterKind.POSITIONAL_ONLY, ParameterKind.POSITIONAL_OR_KEYWORD)


def _parameter_text(parameter: SignatureParameter) -> str:
    prefix = {ParameterKind.VAR_POSITIONAL: "*", ParameterKind.VAR_KEYWORD: "**"}.get(
        parameter.kind, ""
    )
    text = prefix + parameter.name
    if parameter.annotation is not None:
        text += f": {parameter.annotation}"
    if parameter.has_default:
        default = parameter.default if parameter.default is not None else "..."
        text += f" = {default}" if parameter.annotation is not None else f"={default}"
    return text


@dataclass(frozen=True, slots=True)
class Resolved:
    """A target that exists.

    ``qualified_name`` is where it is defined (``shop.payments.charge`` even when the target
    was ``shop.orders.charge`` re-exported); ``target`` is the dotted name as asked.
    ``signature`` is the callable's signature as written (``self`` included for methods); for
    a class, its constructor as :func:`inspect.signature` shows it (no ``self``); ``None`` when
    it is not callable or unknown (a decorator that may change it, a dynamic base class).
    ``value_type`` is a property's type as its getter's return annotation writes it.
    ``instance_only`` marks a workspace class's attribute that only its instances get
    (assigned to ``self`` in a method): looking it up on the class fails.
    """

    target: str
    kind: TargetKind
    qualified_name: str
    origin: Origin
    location: Location | None = None
    signature: Signature | None = None
    value_type: str | None = None
    instance_only: bool = False


@dataclass(frozen=True, slots=True)
class Unresolved:
    """A target that does not exist: the first dotted segment that fails, and near names.

    ``failing_segment`` indexes ``target.split('.')``; ``resolved_prefix`` is the longest
    prefix that does exist (``''`` when even the top-level module is missing);
    ``candidates`` are existing names for the failing segment, closest first.
    """

    target: str
    failing_segment: int
    resolved_prefix: str
    candidates: tuple[str, ...] = ()


Resolution = Resolved | Unresolved | None
"""``None`` when mockls cannot tell (a dynamic module attribute, an unavailable interpreter)."""


@dataclass(frozen=True, slots=True)
class Binder:
    """A module of the code under test that binds a patched name by importing it.

    ``local_name`` is the name it binds (``Y`` in ``from m import X as Y``); ``import_span``
    covers the import statement in ``path``, and ``statement`` is a one-line, comment-free
    form of it naming this binding. ``imported_by_test`` is true when the test file imports
    that module itself (the test reaches the code through it, not only through others).
    """

    module: str
    path: str
    local_name: str
    import_span: Span
    statement: str
    imported_by_test: bool = False


@dataclass(frozen=True, slots=True)
class LookupReport:
    """Who in the code under test sees a name ``pkg.mod.X`` and how.

    ``is_definition_site`` is true when ``X`` is defined in ``pkg.mod`` (not imported there).
    ``binders`` are the modules the test file imports (transitively; not the test file, not
    ``pkg.mod``) that bind ``X`` with ``from ... import X`` reading ``pkg.mod``'s ``X``
    (directly, relatively or through re-exports) and then use it: patching ``pkg.mod.X``
    does not reach them. ``through_module`` are the modules there that look ``X`` up through
    ``pkg.mod`` at call time (``pkg.mod.X``, ``mod.X``, or ``X`` in ``pkg.mod`` defining it):
    patching ``pkg.mod.X`` reaches them.
    """

    binders: tuple[Binder, ...] = ()
    through_module: tuple[str, ...] = ()
    is_definition_site: bool = False


@dataclass(frozen=True, slots=True)
class Completion:
    """One name that can follow the text typed so far in a patch target.

    ``label`` is the next segment alone; ``detail`` says what it is (a qualified name, a
    signature).
    """

    label: str
    kind: TargetKind
    detail: str = ""
