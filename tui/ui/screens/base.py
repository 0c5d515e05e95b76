"""What every Cardboard screen shares: a typed `app`, store actions and reporting failures."""

from __future__ import annotations

import logging
from collections.abc import Awaitable
from typing import TYPE_CHECKING, Any, TypeVar

from textual.screen import ModalScreen, Screen
from textual.worker import Worker, WorkerState

from tui.core.errors import ProviderError
from tui.core.provider import Capability
from tui.core.store import Store

if TYPE_CHECKING:
    from textual import getters

    from tui.ui.app import CardboardApp

log = logging.getLogger(__name__)

ResultType = TypeVar("ResultType")


class CardboardScreen(Screen[ResultType]):
    """A screen of this app, whose `app` is the CardboardApp (its store, journal, settings)."""

    if TYPE_CHECKING:  # for the type checker only: at run time Textual's own property answers
        app = getters.app(CardboardApp)


class StoreActions(CardboardScreen[ResultType]):
    """A screen that `dispatch()`es store actions; one place turns failures into notices.

    The store has already put the failure into `State.error` and rolled back what it
    had shown; what is left for the screen is to tell the user, which
    `action_failed()` does (a screen overrides it to offer more, like a WIP override).
    """

    @property
    def store(self) -> Store:
        return self.app.store

    def why_unavailable(self, action: str) -> str | None:
        """Why the account's provider cannot do `action` (a binding's action name), if so."""
        return None

    def refuses(self, capability: Capability) -> bool:
        """True, having said why, when the account's provider cannot do this."""
        reason = self.store.provider.why_not(capability)
        if reason:
            self.notify(reason, severity="warning")
        return reason is not None

    def dispatch(self, action: Awaitable[Any], description: str) -> Worker[Any]:
        return self.run_worker(action, group="store", description=description, exit_on_error=False)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            self.action_failed(event.worker.description, event.worker.error)

    def action_failed(self, description: str, error: BaseException | None) -> None:
        if isinstance(error, ProviderError):
            self.notify(str(error), title=f"Could not {description}", severity="error")
        else:
            log.error("%s failed", description, exc_info=error)
            self.notify(
                f"{error}", title=f"Could not {description} (a bug: see the log)", severity="error"
            )


class StoreScreen(StoreActions[None]):
    pass


class StoreModalScreen(StoreActions[ResultType], ModalScreen[ResultType]):
    pass
