"""What a feature may ask of the server: to hear of the client's messages, and to talk back.

Features are set up with a :class:`FeatureHost` and, besides it, only the state they depend
on, passed by name (the documents, the settings, the projects...): none of them sees the server
object, so what each one depends on is written in its ``setup_*`` signature, and
``tests/test_architecture.py`` checks that a feature uses no more of its host than this.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from lsprotocol import types

from mockls.lsp.phases import Phase

if TYPE_CHECKING:
    from pygls.progress import Progress

__all__ = ["FeatureHost", "NotificationCallback"]

Handler = TypeVar("Handler", bound=Callable[..., Any])

NotificationCallback = Callable[[Any], Awaitable[None] | None]
"""Hears one notification; a coroutine runs as a task."""


class FeatureHost(Protocol):
    """The server as a feature sees it: registration, and the client's side of the protocol."""

    def on_initialize(self, callback: Callable[[types.InitializeParams], None]) -> None:
        """Call ``callback`` with the ``initialize`` parameters (before capabilities are sent)."""

    def on_notification(
        self, method: str, callback: NotificationCallback, *, phase: Phase = Phase.FEATURES
    ) -> None:
        """Call ``callback`` for every ``method`` notification, in its ``phase``."""

    def feature(
        self, feature_name: str, options: Any | None = None
    ) -> Callable[[Handler], Handler]:
        """Register the decorated function as the one handler of a request."""

    def command(self, command_name: str) -> Callable[[Handler], Handler]:
        """Register the decorated function as ``workspace/executeCommand`` ``command_name``."""

    def window_show_message(self, params: types.ShowMessageParams) -> None:
        """Show the user a message."""

    def window_log_message(self, params: types.LogMessageParams) -> None:
        """Write to the client's log."""

    def refresh_code_lenses(self) -> None:
        """Ask the client to request its code lenses again, when it can."""

    @property
    def work_done_progress(self) -> Progress:
        """The client's progress reports."""

    async def client_register_capability_async(self, params: types.RegistrationParams) -> None:
        """Ask the client to register a capability (file watchers)."""

    async def workspace_configuration_async(
        self, params: types.ConfigurationParams
    ) -> Sequence[Any | None]:
        """Ask the client for its settings."""
