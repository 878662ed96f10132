"""``textDocument/completion`` inside patch target strings, segment by segment.

Triggered by ``.`` and quotes anywhere in a file, so a request is first checked against the
line it is on, before any parsing: only a cursor inside a string holding a dotted name so
far can be in a patch target.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from mockls.lsp.convert import lsp_completion_item
from mockls.navigation import completions, may_complete

if TYPE_CHECKING:
    from mockls.lsp.feature_host import FeatureHost
    from mockls.lsp.navigation import NavigationRequest, Navigator

__all__ = ["TRIGGER_CHARACTERS", "setup_completion"]

TRIGGER_CHARACTERS = [".", "'", '"']


def setup_completion(host: FeatureHost, *, navigator: Navigator) -> None:
    """Answer ``textDocument/completion``."""

    def complete(request: NavigationRequest) -> types.CompletionList | None:
        found = completions(request.model, request.snapshot.text, request.position, request.project)
        if not found:
            return None
        return types.CompletionList(
            is_incomplete=False,
            items=[
                lsp_completion_item(item, request.columns, rank) for rank, item in enumerate(found)
            ],
        )

    @host.feature(
        types.TEXT_DOCUMENT_COMPLETION,
        types.CompletionOptions(trigger_characters=TRIGGER_CHARACTERS),
    )
    async def on_completion(params: types.CompletionParams) -> types.CompletionList | None:
        return await navigator.answer(
            params.text_document,
            params.position,
            complete,
            accepts=lambda snapshot, columns, position: may_complete(
                columns.lines.line(position.line), position.character
            ),
        )
