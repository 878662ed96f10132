"""Where ``unittest.mock`` differs between CPython 3.9 and 3.13: the engine follows the running one.

Each field of :class:`MockBehaviour` is a behaviour as one version's own ``unittest.mock``
shows it, so that code run with mockengine installed as ``unittest.mock`` (``pytest --mockls``)
sees what it would see without it. The engine reads ``current`` when it acts; ``follow()``
switches it to another version's behaviour (the ``mock`` backport 5 behaves as 3.13 on every
Python, and its conformance run follows that). ``scripts/engine_pythons.py`` runs each
interpreter's own ``testmock`` suite against the engine to keep these true.
"""

from __future__ import annotations

import dataclasses
import sys

from mockengine.vocabulary import ASSERT_TYPO_PREFIXES

__all__ = ["MockBehaviour", "behaviour_of", "current", "follow"]


@dataclasses.dataclass(frozen=True)
class MockBehaviour:
    """How ``unittest.mock`` of one CPython version behaves where versions differ."""

    actual_line_prefix: str
    """How the "Actual:" line of a failed call assertion starts (indented to align, 3.11+)."""
    mocks_refused_as_autospec: bool
    """``create_autospec(a_mock)``, ``patch(..., autospec=True)`` of a mock and
    ``patch(..., spec=a_mock)`` raise ``InvalidSpecError`` (3.10+); before, the mock was specced
    like any object."""
    mocks_refused_as_spec: bool
    """``Mock(spec=a_mock)`` raises ``InvalidSpecError`` (3.11+)."""
    mock_open_exit_closes: bool
    """Leaving ``with open(...)`` on a ``mock_open`` handle calls ``handle.close()`` (3.13+)."""
    prefixless_assertions_refused: bool
    """Reading ``called_once_with`` and the other assertion names without ``assert_`` raises
    ``AttributeError`` (3.12+)."""
    refused_assert_prefixes: tuple[str, ...]
    """The attribute prefixes a mock without ``unsafe=True`` refuses (3.9: two of them)."""
    sealed_autospec_makes_return_value: bool
    """Calling an autospecced method of a sealed mock makes its return value (3.12+); before,
    the call raised ``AttributeError`` as reading any new attribute of a sealed mock does."""
    prefix_message_names_attribute: bool
    """The refusal's message names the attribute (3.10+); 3.9 says "Attributes cannot start
    with 'assert' or 'assret'"."""

    def unsafe_attribute_message(self, name: str) -> str:
        """The ``AttributeError`` message for reading the refused attribute ``name``."""
        if not self.prefix_message_names_attribute:
            return "Attributes cannot start with 'assert' or 'assret'"
        return (
            f"{name!r} is not a valid assertion. Use a spec for the mock if "
            f"{name!r} is meant to be an attribute."
        )


def behaviour_of(version: tuple[int, int]) -> MockBehaviour:
    """The behaviour of ``unittest.mock`` in CPython ``version`` (``(3, 9)`` to ``(3, 13)``)."""
    return MockBehaviour(
        actual_line_prefix="  Actual: " if version >= (3, 11) else "Actual: ",
        mocks_refused_as_autospec=version >= (3, 10),
        mocks_refused_as_spec=version >= (3, 11),
        mock_open_exit_closes=version >= (3, 13),
        prefixless_assertions_refused=version >= (3, 12),
        refused_assert_prefixes=ASSERT_TYPO_PREFIXES
        if version >= (3, 10)
        else ("assert", "assret"),
        sealed_autospec_makes_return_value=version >= (3, 12),
        prefix_message_names_attribute=version >= (3, 10),
    )


current = behaviour_of((sys.version_info[0], sys.version_info[1]))
"""The behaviour the engine follows: the running interpreter's unless ``follow()`` changed it."""


def follow(version: tuple[int, int]) -> None:
    """Behave from now on as ``unittest.mock`` of CPython ``version`` does."""
    global current  # noqa: PLW0603  (the one switch the engine reads)
    current = behaviour_of(version)
