"""Hover, go-to-definition and completion on patch targets and mocks: model + project -> results.

Pure like ``analysis`` and ``fixes``: positions are code-point :class:`~mockls.spans.Position`\\ s,
results are plain dataclasses, and only ``lsp/`` turns them into protocol types.
"""

from mockls.navigation.completion import TargetCompletion, completions, may_complete
from mockls.navigation.definition import Definition, definition
from mockls.navigation.hover import HoverCard, hover_card, with_runtime_signature

__all__ = [
    "Definition",
    "HoverCard",
    "TargetCompletion",
    "completions",
    "definition",
    "hover_card",
    "may_complete",
    "with_runtime_signature",
]
