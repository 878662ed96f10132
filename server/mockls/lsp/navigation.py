"""The common path of hover, definition and completion requests.

Each request takes the open document's current snapshot, waits for its project's index,
then computes on a worker thread (so a long jedi lookup never blocks the loop, nor waits
behind a lint): the cursor in code points, then the answer from the snapshot's model (built
once per version, shared with the linter and the code actions). An answer for a document
edited meanwhile is dropped. While a request is answered, the lints of other documents give
way to it (:mod:`mockls.checkpoints`); a cancelled request's work stops at its next checkpoint.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from lsprotocol import types

from mockls.analysis.model import ModuleModel
from mockls.checkpoints import Requests, Work, working
from mockls.files import too_large
from mockls.lsp.positions import ClientColumns
from mockls.spans import Position

if TYPE_CHECKING:
    from mockls.lsp.client_support import ClientSupport
    from mockls.lsp.documents import DocumentSnapshot, DocumentStore
    from mockls.lsp.project import ProjectSet
    from mockls.resolve.project import ProjectFile

__all__ = ["NavigationRequest", "Navigator"]

Answer = TypeVar("Answer")


@dataclass(frozen=True, slots=True)
class NavigationRequest:
    """One request about one document version: its model, the cursor, and its project."""

    snapshot: DocumentSnapshot
    model: ModuleModel
    columns: ClientColumns
    position: Position
    project: ProjectFile | None


class Navigator:
    """Runs requests off the loop: navigation on the snapshot of each document, and the work
    of other requests (:meth:`run`)."""

    def __init__(
        self,
        documents: DocumentStore,
        projects: ProjectSet,
        client_support: Callable[[], ClientSupport],
        requests: Requests,
    ) -> None:
        self._documents = documents
        self._requests = requests
        self._projects = projects
        self._client_support = client_support
        self._executor = ThreadPoolExecutor(max_workers=2, thread_name_prefix="mockls-navigation")

    async def answer(
        self,
        document: types.TextDocumentIdentifier,
        position: types.Position,
        compute: Callable[[NavigationRequest], Answer],
        *,
        accepts: Callable[[DocumentSnapshot, ClientColumns, Position], bool] | None = None,
    ) -> Answer | None:
        """``compute``'s answer at ``position``, or ``None`` (no document, or edited meanwhile).

        ``accepts`` is a cheap early check on the text (no model yet) for requests that are
        made everywhere but answered only in a few places.
        """
        snapshot = self._documents.get(document.uri)
        if snapshot is None or not snapshot.is_python or too_large(snapshot.text):
            return None
        project = await self._projects.ready_project_file(snapshot.path)
        answer = await self.run(
            snapshot.uri,
            lambda: self._compute(snapshot, position, project, compute, accepts),
        )
        if self._documents.get(document.uri) is not snapshot:
            return None
        return answer

    async def run(self, document: str, compute: Callable[[], Answer]) -> Answer:
        """``compute()`` on a request thread, as a request about ``document``: meanwhile the
        lints of other documents give way, and cancelling the awaiting task (``$/cancelRequest``,
        answered ``RequestCancelled``) stops it at its next checkpoint."""
        work = Work(document)

        def run_as_work() -> Answer:
            with working(work):
                return compute()

        with self._requests.serving(document):
            try:
                return await asyncio.get_running_loop().run_in_executor(self._executor, run_as_work)
            except asyncio.CancelledError:
                work.cancel()
                raise

    def shutdown(self) -> None:
        """Drop queued requests (at shutdown)."""
        self._executor.shutdown(wait=False, cancel_futures=True)

    def _compute(
        self,
        snapshot: DocumentSnapshot,
        client_position: types.Position,
        project: ProjectFile | None,
        compute: Callable[[NavigationRequest], Answer],
        accepts: Callable[[DocumentSnapshot, ClientColumns, Position], bool] | None,
    ) -> Answer | None:
        columns = snapshot.columns(self._client_support().encoding)
        position = columns.from_client(client_position.line, client_position.character)
        if accepts is not None and not accepts(snapshot, columns, position):
            return None
        model = snapshot.module.model
        return compute(NavigationRequest(snapshot, model, columns, position, project))
