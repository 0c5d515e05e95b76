"""CardboardApp: the screens, the app-wide keys, themes and the keymap.

The app owns the store and mirrors its state in the `state` reactive, so a screen
watches `app.state` and re-renders what changed; screens start store actions in
their own workers (tui.ui.screens.base).
"""

from __future__ import annotations

import asyncio
import logging

from textual.app import App
from textual.binding import Binding
from textual.reactive import var

from tui.core.config import Settings, load_settings
from tui.core.connect import connect
from tui.core.errors import ConfigError
from tui.core.store import State, Store
from tui.core.ui_state import UiState, load_ui_state, save_ui_state
from tui.ui.screens.board import BoardScreen
from tui.ui.screens.help import HelpScreen
from tui.ui.commands import CardboardCommands
from tui.ui.themes import load_themes, variable_defaults

DEFAULT_THEME = "cardboard-dark"

log = logging.getLogger(__name__)


class CardboardApp(App[None]):
    CSS_PATH = "cardboard.tcss"
    TITLE = "Cardboard"
    COMMANDS = App.COMMANDS | {CardboardCommands}

    BINDINGS = [
        Binding("question_mark", "help", "Help", id="app.help", tooltip="Every key, on one screen"),
        Binding("q", "quit", "Quit", id="app.quit"),
    ]

    state: var[State | None] = var(None, init=False)

    def __init__(
        self,
        store: Store,
        *,
        settings: Settings | None = None,
        ui_state: UiState | None = None,
        board_id: str | None = None,
        remember: bool = True,
        notices: list[str] | None = None,
    ):
        super().__init__()
        self.store = store
        self.settings = settings or Settings()
        self.ui_state = ui_state or UiState()
        self.initial_board = board_id
        self.remember = remember
        """False in tests and demo mode: nothing about the session is saved."""
        self.notices = list(notices or [])
        """Problems found before the app started, shown once it has."""
        self.crashed = False
        self._unsubscribe = store.subscribe(self._on_store_change)
        self.state = store.state

    # --- start-up -------------------------------------------------------------------

    def get_theme_variable_defaults(self) -> dict[str, str]:
        return variable_defaults(self.current_theme)

    def on_mount(self) -> None:
        themes, failures = load_themes()
        for theme in themes.values():
            self.register_theme(theme)
        wanted = self.ui_state.theme or self.settings.theme
        if wanted not in self.available_themes:
            failures.append(f"theme {wanted!r} is not installed; using {DEFAULT_THEME}")
            wanted = DEFAULT_THEME
        self.theme = wanted
        if failures:
            self.notify("\n".join(failures), title="Themes not loaded", severity="warning")
        for notice in self.notices:
            self.notify(notice, severity="warning")
        if self.settings.keymap:
            self.set_keymap(self.settings.keymap)
        self.push_screen(BoardScreen(self.initial_board_id()))

    def initial_board_id(self) -> str | None:
        return self.initial_board or self.ui_state.last_board.get(self.store.state.account)

    def _handle_exception(self, error: Exception) -> None:
        # Textual's only hook for an unhandled error (private; there is no public one):
        # the report goes to the log (redacted) and `cardboard` names the file on exit.
        log.critical("Cardboard crashed", exc_info=error)
        self.crashed = True
        super()._handle_exception(error)

    # --- store ----------------------------------------------------------------------

    def _on_store_change(self, old: State, new: State) -> None:
        self.state = new

    async def switch_account(self, name: str) -> None:
        """Open account `name` on the board it last showed; the old account's connections close.

        Raises ConfigError (unknown account, a token that cannot be resolved) before
        anything changes, so a failed switch leaves the current account as it was.
        """
        # A token_cmd may take seconds: resolve it off the event loop.
        provider = await asyncio.to_thread(connect, name)
        old = self.store
        self._unsubscribe()
        self.store = Store(provider)
        self._unsubscribe = self.store.subscribe(self._on_store_change)
        self.state = self.store.state
        while len(self.screen_stack) > 1:
            await self.pop_screen()
        await self.push_screen(BoardScreen(self.ui_state.last_board.get(name)))
        self._remember(self.ui_state.model_copy(update={"last_account": name}))
        await old.provider.aclose()

    # --- remembered state -----------------------------------------------------------

    def watch_theme(self, theme: str) -> None:
        self._remember(self.ui_state.model_copy(update={"theme": theme}))

    def remember_board(self, board_id: str) -> None:
        self._remember(self.ui_state.with_board(self.store.state.account, board_id))

    def _remember(self, updated: UiState) -> None:
        if updated == self.ui_state:
            return
        self.ui_state = updated
        if self.remember:
            problem = save_ui_state(updated)
            if problem:
                self.notify(problem, severity="warning")

    # --- app-wide actions -----------------------------------------------------------

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    async def on_unmount(self) -> None:
        self._unsubscribe()
        await self.store.provider.aclose()


def build_app(
    account: str | None = None, board_id: str | None = None, *, remember: bool = True
) -> CardboardApp:
    """The app as `cardboard` runs it, from the user's files; tests build it the same way."""
    settings = load_settings()
    ui_state, warning = load_ui_state()
    notices = [warning] if warning else []
    wanted = account or settings.default_account
    if wanted is None and ui_state.last_account:
        # Where the user left off, unless that account is gone or its token is not there.
        try:
            provider = connect(ui_state.last_account)
        except ConfigError as problem:
            notices.append(f"{problem}; opened the local board instead")
            provider = connect(None)
    else:
        provider = connect(wanted)
    return CardboardApp(
        Store(provider),
        settings=settings,
        ui_state=ui_state,
        board_id=board_id,
        remember=remember,
        notices=notices,
    )
