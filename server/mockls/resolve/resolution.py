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
    """A callable's real signature; ``text`` renders it like :func:`inspect.signature` does."""

    parameters: tuple[SignatureParameter, ...]
    returns: str | None = None


@dataclass(frozen=True, slots=True)
class Resolved:
    """A target that exists.

    ``qualified_name`` is where it is defined (``shop.payments.charge`` even when the target
    was ``shop.orders.charge`` re-exported); ``target`` is the dotted name as asked.
    ``signature`` is the callable's signature as written (``self`` included for methods);
    ``None`` when it is not callable or unknown.
    """

    target: str
    kind: TargetKind
    qualified_name: str
    origin: Origin
    location: Location | None = None
    signature: Signature | None = None


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
