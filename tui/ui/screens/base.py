"""What every Cardboard screen shares: running store actions and reporting failures."""

from __future__ import annotations

import logging
from collections.abc import Awaitable
from typing import TYPE_CHECKING, Generic, TypeVar

from textual.screen import ModalScreen, Screen
from textual.worker import Worker, WorkerState

from tui.core.errors import ProviderError
from tui.core.store import Store

if TYPE_CHECKING:
    from tui.ui.app import CardboardApp

log = logging.getLogger(__name__)

ResultType = TypeVar("ResultType")


class StoreActions:
    """Mixin for screens: `dispatch()` a store action; one place turns failures into notices.

    The store has already put the failure into `State.error` and rolled back what it
    had shown; what is left for the screen is to tell the user, which
    `action_failed()` does (a screen overrides it to offer more, like a WIP override).
    """

    app: CardboardApp

    @property
    def store(self) -> Store:
        return self.app.store

    def why_unavailable(self, action: str) -> str | None:
        """Why the account's provider cannot do `action` (a binding's action name), if so."""
        return None

    def dispatch(self, action: Awaitable, description: str) -> Worker:
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


class StoreScreen(StoreActions, Screen[None]):
    pass


class StoreModalScreen(StoreActions, ModalScreen[ResultType], Generic[ResultType]):
    pass
