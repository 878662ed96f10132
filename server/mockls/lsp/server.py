"""The mockls language server: the pygls server object, its wiring, and how it is served.

Each feature module has a ``setup_*`` function, given the server only as its
:class:`~mockls.lsp.feature_host.FeatureHost` and, by name, the state it depends on:
:func:`create_server` is where those dependencies are written down. Notifications several
features care about (``didSave``, ``initialized``...) are registered with pygls once here and
fanned out to every feature's callback, each call guarded so that one broken feature cannot
break the others.

The order is declared, not implied by the order of the ``setup_*`` calls: each callback says
its :class:`~mockls.lsp.phases.Phase`. The server's state (the open documents) is updated
first; then the features hear of the change, in the order they were set up; a closed document
is forgotten only after every feature has heard that it closed.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import sys
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from cattrs import Converter
from cattrs.errors import ClassValidationError
from lsprotocol import types
from lsprotocol.types import ResponseErrorMessage
from pygls.exceptions import (
    JsonRpcException,
    JsonRpcInternalError,
    JsonRpcInvalidParams,
    JsonRpcInvalidRequest,
    JsonRpcServerNotInitialized,
)
from pygls.lsp.server import LanguageServer
from pygls.protocol import (
    JsonRPCNotification,
    JsonRPCRequestMessage,
    JsonRPCResponseMessage,
    LanguageServerProtocol,
    default_converter,
)

from mockls import __version__
from mockls.checkpoints import Requests
from mockls.lsp.client_support import ClientSupport
from mockls.lsp.code_actions import setup_code_actions
from mockls.lsp.code_lens import setup_code_lens
from mockls.lsp.completion import setup_completion
from mockls.lsp.definition import setup_definition
from mockls.lsp.diagnostics import (
    DiagnosticsScheduler,
    LintOutcome,
    lint_document,
    setup_diagnostics,
)
from mockls.lsp.document_sync import setup_documents
from mockls.lsp.documents import DocumentSnapshot, DocumentStore
from mockls.lsp.feature_host import NotificationCallback
from mockls.lsp.hover import setup_hover
from mockls.lsp.navigation import Navigator
from mockls.lsp.phases import Phase
from mockls.lsp.project import ProjectSet, setup_projects
from mockls.lsp.sandbox import ServerSandbox, setup_sandbox
from mockls.lsp.settings import ProblemReporter, SettingsProvider, setup_settings
from mockls.lsp.transport import serve_io

if TYPE_CHECKING:
    from pygls.server import ServerErrors

__all__ = ["MocklsServer", "create_server", "serve_stdio", "serve_tcp"]

log = logging.getLogger(__name__)


class MocklsProtocol(LanguageServerProtocol):
    """pygls's protocol, answering every request and keeping the protocol's lifecycle.

    A request whose parameters cannot be read gets an ``InvalidParams`` (or internal error)
    response, where pygls logs it and drops it, leaving the client waiting for ever. Before
    ``initialize`` a request gets ``ServerNotInitialized`` (-32002) and a notification is
    dropped; after ``shutdown`` a request gets ``InvalidRequest`` (-32600) and a notification
    but ``exit`` is dropped.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._initialize_received = False

    def structure_message(self, data: dict[str, Any]) -> Any:
        if "jsonrpc" not in data:
            return data  # a nested object, structured with the message it belongs to
        if "id" in data and isinstance(data.get("method"), str):
            refusal = self._refusal(data["method"])
            if refusal is not None:
                self._send_response(data["id"], None, refusal.to_response_error())
                return _ANSWERED
        try:
            if "id" in data and "method" in data:
                message_type = self.get_message_type(data["method"]) or JsonRPCRequestMessage
            elif "id" in data:
                message_type = (
                    ResponseErrorMessage
                    if "error" in data
                    else self._result_types.pop(data["id"], None) or JsonRPCResponseMessage
                )
            else:
                message_type = self.get_message_type(data.get("method", "")) or (
                    JsonRPCNotification
                )
            return self._converter.structure(data, message_type)
        except Exception as error:
            invalid = isinstance(error, ClassValidationError | TypeError | ValueError)
            problem = JsonRpcInvalidParams if invalid else JsonRpcInternalError
            if "id" not in data or "method" not in data:
                raise problem(f"cannot read {data.get('method', 'a message')}") from error
            log.warning("cannot read the parameters of %s: %s", data["method"], error)
            self._send_response(data["id"], None, problem().to_response_error())
            return _ANSWERED

    def handle_message(self, message: Any) -> None:
        if message is _ANSWERED:
            return
        method = getattr(message, "method", None)
        if method is not None and hasattr(message, "id"):
            if method == types.INITIALIZE:
                self._initialize_received = True
        elif (
            method is not None
            and method != types.EXIT
            and (not self._initialize_received or self._shutdown)
        ):
            log.debug("dropped %s outside the server's life", method)
            return
        super().handle_message(message)

    def _refusal(self, method: str) -> JsonRpcException | None:
        """Why a request for ``method`` is refused now, if it is."""
        if self._shutdown:
            return JsonRpcInvalidRequest(f"{method}: the server has been shut down")
        if not self._initialize_received and method != types.INITIALIZE:
            return JsonRpcServerNotInitialized(f"{method}: initialize first")
        return None


class _Answered:
    """Stands for a request already answered with an error while it was being read."""


_ANSWERED = _Answered()


def strict_converter() -> Converter:
    """pygls's converter, refusing a string field given as anything but a string.

    cattrs's default makes ``str(value)`` of whatever comes (an integer ``uri`` became the
    document ``"42"``); here it is an ``InvalidParams``.
    """
    converter: Converter = default_converter()  # type: ignore[no-untyped-call]  # pygls's
    converter.register_structure_hook(str, _structure_string)
    return converter


def _structure_string(value: object, _type: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected a string, got {type(value).__name__}")
    return value


class MocklsServer(LanguageServer):
    """The server object: pygls's server plus the state the features share."""

    def __init__(self) -> None:
        super().__init__(
            name="mockls",
            version=__version__,
            protocol_cls=MocklsProtocol,
            converter_factory=strict_converter,
            text_document_sync_kind=types.TextDocumentSyncKind.Incremental,
        )
        self.client_support = ClientSupport()
        # A document's project is looked up when a version comes in (self.projects comes below).
        self.documents = DocumentStore(lambda path: self.projects.project_file(path))  # noqa: PLW0108
        self.settings = SettingsProvider()
        self.settings_ready = asyncio.Event()
        """Set once the editor's settings are known (or cannot be had); linting waits for it."""
        self.lint_executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="mockls-lint")
        self.requests = Requests()
        """The requests being answered, which the lints of other documents give way to."""
        self.problems = ProblemReporter(self._show_problem)
        self.diagnostics = DiagnosticsScheduler(
            lint=self._lint,
            is_current=self._is_current,
            publish=self._publish_diagnostics,
            report_problems=self.problems.report,
            executor=self.lint_executor,
            ready=self.settings_ready,
            verify=self._verify,
            requests=self.requests,
        )
        self.projects = ProjectSet(self.settings)
        """The workspace's projects (import index, environment), for linting and navigation."""
        self.sandbox = ServerSandbox(
            self.settings, self.projects, self.lint_executor, self.current_client_support
        )
        """The sandbox, for the documents whose projects may run code."""
        self.navigator = Navigator(
            self.documents, self.projects, self.current_client_support, self.requests
        )
        self._initialize_callbacks: list[Callable[[types.InitializeParams], None]] = []
        self._notification_callbacks: dict[str, list[tuple[Phase, NotificationCallback]]] = {}
        self._background: set[asyncio.Task[None]] = set()

    def current_client_support(self) -> ClientSupport:
        """What the client supports (the defaults until ``initialize``)."""
        return self.client_support

    def on_initialize(self, callback: Callable[[types.InitializeParams], None]) -> None:
        """Call ``callback`` with the ``initialize`` parameters (before capabilities are sent)."""
        self._initialize_callbacks.append(callback)

    def on_notification(
        self, method: str, callback: NotificationCallback, *, phase: Phase = Phase.FEATURES
    ) -> None:
        """Call ``callback`` for every ``method`` notification, in its ``phase`` (within one,
        in the order of registration); a coroutine runs as a task."""
        self._notification_callbacks.setdefault(method, []).append((phase, callback))

    def report_server_error(self, error: Exception, source: ServerErrors) -> None:
        """Log errors outside requests to stderr; never pop them up in the editor. A client's
        mistake (an unknown method, unreadable parameters), answered with its JSON-RPC error,
        is one warning line; only mockls's own failures carry a traceback."""
        if isinstance(error, JsonRpcException):
            log.warning("%s: %s", source.__name__, error)
            return
        log.error("%s: %s", source.__name__, error, exc_info=error)

    def register_fan_out(self) -> None:
        """Register the collected callbacks with pygls, one handler per method."""

        @self.feature(types.INITIALIZE)
        def initialize(params: types.InitializeParams) -> None:
            encoding = self.workspace.position_encoding or types.PositionEncodingKind.Utf16
            self.client_support = ClientSupport.of(params.capabilities, encoding)
            for callback in self._initialize_callbacks:
                self._guarded(types.INITIALIZE, callback, params)

        @self.feature(types.SHUTDOWN)
        async def shutdown(_params: None) -> None:
            self.diagnostics.cancel_all()
            self.lint_executor.shutdown(wait=False, cancel_futures=True)
            self.navigator.shutdown()
            self.projects.shutdown()
            await self.sandbox.pools.close(for_good=True)

        for method, callbacks in self._notification_callbacks.items():
            ordered = [callback for _, callback in sorted(callbacks, key=lambda item: item[0])]
            self.feature(method)(self._fan_out(method, ordered))

    def refresh_code_lenses(self) -> None:
        """Ask the client to request its code lenses again (the tests they stand on may have
        changed), when it can."""
        if not self.client_support.code_lens_refresh:
            return
        refresh = self.workspace_code_lens_refresh_async(None)
        self._keep(
            self._logged(types.WORKSPACE_CODE_LENS_REFRESH, self.refresh_code_lenses, refresh)
        )

    def _keep(self, work: Awaitable[None]) -> None:
        """Run ``work`` as a task, held until it ends (the loop holds tasks only weakly)."""
        task = asyncio.ensure_future(work)
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    def _fan_out(self, method: str, callbacks: list[NotificationCallback]) -> Callable[[Any], None]:
        def handler(params: Any) -> None:
            for callback in callbacks:
                self._guarded(method, callback, params)

        return handler

    def _guarded(self, method: str, callback: Callable[[Any], object], params: Any) -> None:
        try:
            result = callback(params)
            if inspect.isawaitable(result):
                self._keep(self._logged(method, callback, result))
        except Exception:
            log.exception("%s: %s failed", method, getattr(callback, "__qualname__", callback))

    @staticmethod
    async def _logged(method: str, callback: object, work: Awaitable[object]) -> None:
        try:
            await work
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("%s: %s failed", method, getattr(callback, "__qualname__", callback))

    def _lint(self, snapshot: DocumentSnapshot) -> LintOutcome:
        project = self.projects.project_file(snapshot.path)
        return lint_document(snapshot, self.settings, self.client_support, project)

    async def _verify(self, outcome: LintOutcome) -> LintOutcome | None:
        return await self.sandbox.verify(outcome)

    def _is_current(self, outcome: LintOutcome) -> bool:
        return (
            self.documents.get(outcome.snapshot.uri) is outcome.snapshot
            and outcome.settings_generation == self.settings.generation
        )

    def _publish_diagnostics(
        self, uri: str, version: int | None, diagnostics: list[types.Diagnostic]
    ) -> None:
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=version)
        )

    def _show_problem(self, problem: str) -> None:
        self.window_show_message(
            types.ShowMessageParams(type=types.MessageType.Warning, message=f"mockls: {problem}")
        )


def create_server() -> MocklsServer:
    """A new server with every feature set up, each given what it depends on.

    Within a phase, the features hear of a notification in this order.
    """
    server = MocklsServer()
    client_support = server.current_client_support
    documents, settings, projects = server.documents, server.settings, server.projects
    scheduler, sandbox, navigator = server.diagnostics, server.sandbox, server.navigator
    setup_documents(server, documents=documents, client_support=client_support)
    setup_settings(
        server,
        settings=settings,
        ready=server.settings_ready,
        relint_all=scheduler.relint_all,
        client_support=client_support,
    )
    setup_diagnostics(server, documents=documents, scheduler=scheduler)
    setup_projects(
        server,
        projects=projects,
        documents=documents,
        scheduler=scheduler,
        settings_ready=server.settings_ready,
        client_support=client_support,
    )
    setup_code_actions(
        server,
        documents=documents,
        diagnostics=scheduler,
        projects=projects,
        sandbox=sandbox,
        navigator=navigator,
        client_support=client_support,
    )
    setup_hover(
        server,
        navigator=navigator,
        documents=documents,
        sandbox=sandbox,
        client_support=client_support,
    )
    setup_definition(
        server, navigator=navigator, documents=documents, client_support=client_support
    )
    setup_completion(server, navigator=navigator)
    setup_sandbox(server, sandbox=sandbox)
    setup_code_lens(
        server,
        documents=documents,
        settings=settings,
        projects=projects,
        sandbox=sandbox,
        schedule_quietly=lambda snapshot: scheduler.schedule(snapshot, quiet=True),
        client_support=client_support,
    )
    server.register_fan_out()
    return server


def serve_stdio() -> int:
    """Serve one client over stdin/stdout until it exits; the process exit code. Blocks.

    ``sys.stdout`` is pointed at stderr first: stdout carries the protocol, and a stray
    ``print`` anywhere in the process must not corrupt it. Messages are read by
    :mod:`mockls.lsp.transport`, not by pygls's reader.
    """
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    saved_stdout = sys.stdout
    sys.stdout = sys.stderr
    try:
        return serve_io(create_server(), stdin, stdout)
    finally:
        sys.stdout = saved_stdout


def serve_tcp(host: str, port: int) -> None:
    """Serve one client over TCP at ``host:port`` (for debugging). Blocks."""
    create_server().start_tcp(host, port)
