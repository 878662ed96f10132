"""Telling a misspelled mock name from a real one.

Two halves, shared by the typo rules:

- how alike two names are: a keyboard-aware edit distance plus the slips people really make
  (``assret``, ``affect`` for ``effect``, words swapped, case and underscores);
- what the mock reached by an attribute use really has: its spec's names, and the names the
  test itself set on it.
"""

from __future__ import annotations

import enum
import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from mockengine import vocabulary
from mockls.analysis.model import (
    Argument,
    AttributeUse,
    MockBinding,
    MockFactory,
    ModuleModel,
    SpecKind,
    UseKind,
)
from mockls.findings import Fix
from mockls.spans import LineIndex, Position, Span, TextEdit

__all__ = [
    "GUARDED_ASSERT_PREFIXES",
    "REAL_MOCK_NAMES",
    "AttributesKeptByTest",
    "MockShape",
    "NamesSetByTest",
    "SpecState",
    "either",
    "keyword_name_span",
    "keyword_span",
    "looks_like_assertion",
    "misspelling_cost",
    "prefixless_assertions",
    "rename_fixes",
    "shape_of",
    "suggestions",
]

# --- how alike two names are -------------------------------------------------------------------

_KEYBOARD_ROWS = ("1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm")

_NOT_A_SLIP = 1_000
"""The cost of an edit no one makes by slipping (replacing a key with a far-away one)."""

_WORD_CONFUSIONS: Mapping[str, str] = {"affect": "effect", "affects": "effects"}
"""Whole words people confuse with the right one (they are far apart by edit distance)."""

REAL_MOCK_NAMES: frozenset[str] = (
    vocabulary.mock_attribute_names(is_async=True) | vocabulary.MAGIC_METHODS
)
"""Every name a mock (of any class) really has: never a misspelling of another."""

GUARDED_ASSERT_PREFIXES: tuple[str, ...] = vocabulary.ASSERT_TYPO_PREFIXES
"""Prefixes a mock refuses as attribute names (``AttributeError``) unless ``unsafe=True``."""

_ASSERT_PREFIX_SLIPS: tuple[str, ...] = tuple(
    prefix for prefix in vocabulary.ASSERT_TYPO_PREFIXES if prefix != "assert"
)


def _keyboard_neighbours() -> Mapping[str, frozenset[str]]:
    """Keys next to each key on a QWERTY keyboard (rows are staggered half a key to the right)."""
    neighbours: dict[str, set[str]] = {}
    for row_number, row in enumerate(_KEYBOARD_ROWS):
        for column, key in enumerate(row):
            near = neighbours.setdefault(key, set())
            near.update(row[max(column - 1, 0) : column + 2])
            if row_number > 0:
                above = _KEYBOARD_ROWS[row_number - 1]
                near.update(above[column : column + 2])
            if row_number + 1 < len(_KEYBOARD_ROWS):
                below = _KEYBOARD_ROWS[row_number + 1]
                near.update(below[max(column - 1, 0) : column + 1])
            near.discard(key)
    return {key: frozenset(near) for key, near in neighbours.items()}


_NEIGHBOURS = _keyboard_neighbours()


def _substitution_cost(typed: str, intended: str, *, allowed: bool) -> int:
    if typed == intended:
        return 0
    if allowed and typed in _NEIGHBOURS.get(intended, frozenset()):
        return 1
    return _NOT_A_SLIP


def _slip_distance(typed: str, intended: str, *, substitutions: bool) -> int:
    """Optimal-string-alignment distance where only a neighbouring key may replace another.

    Insertions, deletions and swaps of adjacent letters cost 1; replacing a letter costs 1 when
    the two keys are neighbours (and ``substitutions`` is true), else it is not a slip.
    """
    rows, columns = len(typed) + 1, len(intended) + 1
    table = [[0] * columns for _ in range(rows)]
    for i in range(rows):
        table[i][0] = i
    for j in range(columns):
        table[0][j] = j
    for i in range(1, rows):
        for j in range(1, columns):
            best = min(
                table[i - 1][j] + 1,
                table[i][j - 1] + 1,
                table[i - 1][j - 1]
                + _substitution_cost(typed[i - 1], intended[j - 1], allowed=substitutions),
            )
            if (
                i > 1
                and j > 1
                and typed[i - 1] == intended[j - 2]
                and typed[i - 2] == intended[j - 1]
            ):
                best = min(best, table[i - 2][j - 2] + 1)
            table[i][j] = best
    return table[-1][-1]


def _squashed(name: str) -> str:
    return name.replace("_", "").lower()


def _repair_known_slips(name: str) -> tuple[str, int]:
    """``name`` lowercased with the well-known slips undone, and how many there were."""
    repaired = name.lower()
    slips = 0
    for prefix in _ASSERT_PREFIX_SLIPS:
        if repaired.startswith(prefix) and not repaired.startswith("assert"):
            repaired = "assert" + repaired[len(prefix) :]
            slips += 1
            break
    words = repaired.split("_")
    for index, word in enumerate(words):
        if word in _WORD_CONFUSIONS:
            words[index] = _WORD_CONFUSIONS[word]
            slips += 1
    return "_".join(words), slips


@functools.lru_cache(maxsize=8192)
def misspelling_cost(typed: str, intended: str) -> int | None:
    """How many slips turn ``intended`` into ``typed``, or ``None`` when it is not plausibly one.

    A name is a misspelling of another when, in this order:

    - they differ only in case and underscores (``auto_spec``, ``spec_Set``): cost 0;
    - they are the same words in another order (``set_spec``): cost 0;
    - after undoing well-known slips (``assret``/``asert``/... for ``assert``, ``affect`` for
      ``effect``; one each), the first letter is right (people rarely mistype it, and a
      different first letter too often makes another word: ``all_args``) and the rest is one
      slip away (see :func:`_slip_distance`), or, in names of 10 characters or more, one slip
      away in each of at most two words (``retrun_valeu``).

    Short names need stronger evidence, because a single edit of a short word often makes
    another real word: names of 3 characters or fewer allow no edit at all, and names of 6 or
    fewer allow no replaced letter (``caller`` is not ``called``) and no extra letter at the end
    (``created`` is not ``create``). A name that is the intended one plus two or more
    characters is a different name (``call_counter``, ``called_by``), not a slip.
    """
    if not typed or not intended or typed == intended:
        return None
    if _squashed(typed) == _squashed(intended):
        return 0
    if abs(len(typed) - len(intended)) > 3:
        return None  # more than one repaired prefix and two slips apart
    typed_words, intended_words = typed.lower().split("_"), intended.split("_")
    if len(intended_words) > 1 and sorted(typed_words) == sorted(intended_words):
        return 0
    repaired, slips = _repair_known_slips(typed)
    if repaired == intended:
        return slips
    if repaired[0] != intended[0] or len(intended) <= 3:
        return None
    if repaired.startswith(intended) and len(repaired) - len(intended) >= 2:
        return None
    short = len(intended) <= 6
    if short and repaired.startswith(intended):
        return None
    if _slip_distance(repaired, intended, substitutions=not short) <= 1:
        return slips + 1
    if len(intended) >= 10:
        word_slips = _word_slips(repaired.split("_"), intended_words)
        if word_slips is not None and word_slips <= 2:
            return slips + word_slips
    return None


def _word_slips(typed_words: list[str], intended_words: list[str]) -> int | None:
    """How many words hold one slip each, or ``None`` when a word holds more (or counts differ)."""
    if len(typed_words) != len(intended_words):
        return None
    total = 0
    for typed, intended in zip(typed_words, intended_words, strict=True):
        if typed == intended:
            continue
        if not typed or typed[0] != intended[0]:
            return None
        if _slip_distance(typed, intended, substitutions=len(intended) > 3) > 1:
            return None
        total += 1
    return total


def suggestions(typed: str, candidates: Iterable[str]) -> tuple[str, ...]:
    """The candidates ``typed`` most plausibly misspells (all tied at the lowest cost), sorted."""
    scored = [
        (cost, candidate)
        for candidate in candidates
        if (cost := misspelling_cost(typed, candidate)) is not None
    ]
    if not scored:
        return ()
    lowest = min(cost for cost, _ in scored)
    return tuple(sorted(candidate for cost, candidate in scored if cost == lowest))


def _lowest_cost(typed: str, candidates: Iterable[str]) -> int | None:
    costs = [
        cost for candidate in candidates if (cost := misspelling_cost(typed, candidate)) is not None
    ]
    return min(costs) if costs else None


def preferred_suggestions(
    typed: str, usual: Iterable[str], unusual: Iterable[str], *, unusual_fits: bool
) -> tuple[str, ...]:
    """Suggestions for ``typed``, taking ``unusual`` names only when they fit or clearly win.

    Used for async-only names on a mock that is not known to be async: ``assert_awaited_onec``
    still gets ``assert_awaited_once`` (no sync assertion is as close), but a tie goes to the
    sync name. With ``unusual_fits`` both kinds compete equally.
    """
    usual, unusual = tuple(usual), tuple(unusual)
    if unusual_fits:
        return suggestions(typed, usual + unusual)
    usual_cost, unusual_cost = _lowest_cost(typed, usual), _lowest_cost(typed, unusual)
    if unusual_cost is not None and (usual_cost is None or unusual_cost < usual_cost):
        return suggestions(typed, unusual)
    return suggestions(typed, usual)


@functools.cache
def prefixless_assertions(*, is_async: bool) -> frozenset[str]:
    """Assertion names written without ``assert_``; each returns a truthy child mock.

    The async ones (``awaited_once_with``) only count on a mock known to be async.
    """
    names = vocabulary.PREFIXLESS_ASSERTIONS
    if is_async:
        names |= frozenset(name.removeprefix("assert_") for name in vocabulary.ASYNC_ASSERT_METHODS)
    return names


def looks_like_assertion(name: str) -> bool:
    """Whether ``name`` is the business of the misspelled-assert rule (not a configuration typo)."""
    return name.lower().startswith(GUARDED_ASSERT_PREFIXES) or name in prefixless_assertions(
        is_async=True
    )


def either(names: Iterable[str]) -> str:
    """Names for a message: ``"`a`"`` or ``"`a` or `b`"``."""
    return " or ".join(f"`{name}`" for name in names)


def rename_fixes(
    lines: LineIndex, span: Span, current: str, intended: tuple[str, ...], *, safe: bool
) -> tuple[Fix, ...]:
    """One quick-fix per suggestion, renaming ``current`` at ``span`` (preferred when alone).

    No fix when the text at ``span`` is not ``current`` (a span that does not cover exactly
    the name must not be rewritten). ``safe``: the rule's word that the rename cannot change
    what a passing test does (:attr:`~mockls.findings.Fix.safe`).
    """
    if span.start.line != span.end.line:
        return ()
    if lines.line_text(span.start.line)[span.start.character : span.end.character] != current:
        return ()
    return tuple(
        Fix(
            title=f"Rename to `{name}`",
            edits=(TextEdit(span, name),),
            is_preferred=len(intended) == 1,
            safe=safe,
        )
        for name in intended
    )


def keyword_span(lines: LineIndex, keyword: str, argument: Argument) -> Span:
    """The span of ``keyword=value`` when the keyword sits on the value's line, else the value's.

    Works whether the argument's own span starts at its keyword or at its value.
    """
    span = argument.span
    line = lines.line_text(span.start.line)
    if re.match(rf"{re.escape(keyword)}\s*=", line[span.start.character :]):
        return span
    match = re.search(rf"\b{re.escape(keyword)}\s*=\s*$", line[: span.start.character])
    if match is None:
        return span
    return Span(Position(span.start.line, match.start()), span.end)


def keyword_name_span(lines: LineIndex, keyword: str, argument: Argument) -> Span | None:
    """The span of just the keyword's name (what a rename replaces), when it can be found."""
    start = keyword_span(lines, keyword, argument).start
    if not lines.line_text(start.line)[start.character :].startswith(keyword):
        return None
    return Span(start, Position(start.line, start.character + len(keyword)))


# --- what the mock really has ------------------------------------------------------------------


class SpecState(enum.Enum):
    """What is known about the spec of the mock a use reaches."""

    ABSENT = "absent"  # no spec: any name makes a child mock
    KNOWN = "known"  # a spec whose names are known (a complete local class)
    UNKNOWN = "unknown"  # a spec (or possibly one) whose names are not known here


@dataclass(frozen=True, slots=True)
class MockShape:
    """The spec state of the mock a use reaches, and whether that mock is async."""

    spec: SpecState
    members: frozenset[str]
    is_async: bool
    spec_text: str = ""
    """The spec as written, when it is known (``Repo``)."""

    def defines(self, name: str) -> bool:
        """Whether the spec is known and really defines ``name``."""
        return self.spec is SpecState.KNOWN and name in self.members


def shape_of(model: ModuleModel, use: AttributeUse) -> MockShape:
    """The spec state of the mock whose attribute ``use`` names.

    For ``m.x`` it is ``m``'s own spec. For a longer chain (``m.a.b``, ``m().x``) it is the
    child's: the children of a ``spec``/``spec_set`` mock have no spec (except what ``patch``
    gives the return value of a spec'd class), while an autospec's children are spec'd by
    members not known here.
    """
    binding = use.binding
    is_async = binding.is_async
    if binding.spec is None and binding.spec_kind is None:
        return MockShape(SpecState.ABSENT, frozenset(), is_async)
    parents = use.chain[:-1]
    if not parents:
        members = model.spec_members(binding)
        if members is None or binding.spec is None:
            return MockShape(SpecState.UNKNOWN, frozenset(), is_async)
        return MockShape(SpecState.KNOWN, members, is_async, binding.spec.text)
    if binding.spec_kind is SpecKind.AUTOSPEC:
        return MockShape(SpecState.UNKNOWN, frozenset(), is_async)
    if binding.factory is MockFactory.PATCH and parents[0] in ("()", "return_value"):
        # patch(spec=...) of a class gives the instance (return value) the same spec.
        return MockShape(SpecState.UNKNOWN, frozenset(), is_async)
    return MockShape(SpecState.ABSENT, frozenset(), is_async)


def _binding_key(binding: MockBinding) -> tuple[str, str, int, int]:
    return (binding.name, binding.scope, binding.span.start.line, binding.span.start.character)


_SETTING_KINDS = frozenset({UseKind.STORE, UseKind.CONFIGURE})


class NamesSetByTest:
    """The attribute chains a test set on each mock itself (``m.x = ...``, ``Mock(x=...)``).

    Such a name is the test's own attribute, not a misspelled assertion: after
    ``m.has_calls.return_value = False``, ``m.has_calls()`` is a real call of the test's child.
    """

    __slots__ = ("_chains",)

    def __init__(self, model: ModuleModel) -> None:
        chains: dict[tuple[str, str, int, int], set[tuple[str, ...]]] = {}
        for use in model.attribute_uses:
            if use.kind in _SETTING_KINDS:
                chain_set = chains.setdefault(_binding_key(use.binding), set())
                # Setting m.a.b also means the test made m.a its own.
                chain_set.update(use.chain[:length] for length in range(1, len(use.chain) + 1))
        for binding in model.bindings:
            if binding.configured:
                chain_set = chains.setdefault(_binding_key(binding), set())
                for dotted in binding.configured:  # "a.b" from configure_mock(**{"a.b": 1})
                    chain = tuple(dotted.split("."))
                    chain_set.update(chain[:length] for length in range(1, len(chain) + 1))
        self._chains = chains

    def contains(self, use: AttributeUse) -> bool:
        """Whether the test set the chain ``use`` reaches (or a longer one through it)."""
        set_here = self._chains.get(_binding_key(use.binding))
        return set_here is not None and use.chain in set_here


class AttributesKeptByTest:
    """Attribute chains a test assigns on a mock and then uses as its own.

    ``Mock(return_values=[])`` followed by ``m.return_values.append(x)`` is a deliberate
    attribute of the test's, not a typo of ``return_value``: the name is assigned (exactly
    that chain: ``m.x = ...``, ``Mock(x=...)``, ``configure_mock``) and read back (``m.x``,
    ``m.x()``, or a longer chain through it). A typo is usually only assigned, or only read.
    """

    __slots__ = ("_assigned", "_read")

    def __init__(self, model: ModuleModel) -> None:
        assigned: set[tuple[tuple[str, str, int, int], tuple[str, ...]]] = set()
        read: set[tuple[tuple[str, str, int, int], tuple[str, ...]]] = set()
        for use in model.attribute_uses:
            key = _binding_key(use.binding)
            if use.kind in _SETTING_KINDS:
                assigned.add((key, use.chain))
            elif use.kind in (UseKind.LOAD, UseKind.CALL):
                read.add((key, use.chain))
            read.update((key, use.chain[:length]) for length in range(1, len(use.chain)))
        for binding in model.bindings:
            key = _binding_key(binding)
            assigned.update((key, tuple(dotted.split("."))) for dotted in binding.configured)
        self._assigned = assigned
        self._read = read

    def contains(self, use: AttributeUse) -> bool:
        """Whether the chain ``use`` reaches is both assigned and read back on its mock."""
        entry = (_binding_key(use.binding), use.chain)
        return entry in self._assigned and entry in self._read
