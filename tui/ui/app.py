"""CardboardApp: the screens, the app-wide keys, themes and the keymap.

The app owns the store and mirrors its state in the `state` reactive, so a screen
watches `app.state` and re-renders what changed; screens start store actions in
their own workers (tui.ui.screens.base).
"""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from textual import events
from textual.app import App
from textual.binding import Binding
from textual.notifications import SeverityLevel
from textual.reactive import Initialize, var
from textual.worker import Worker

from tui.core.account_status import AccountStatus
from tui.core.config import Settings, config_place, load_settings
from tui.core.connect import available_accounts, connect
from tui.core.errors import ConfigError
from tui.core.models import Account
from tui.core.provider import Provider
from tui.core.store import State, Store
from tui.core.time import AccountProviders, TimeJournal, TimeTracker
from tui.core.ui_state import UiState, load_ui_state, save_ui_state
from tui.ui import navigation
from tui.ui.collector import CHECK_EVERY, IdleCollector
from tui.ui.commands import CardboardCommands
from tui.ui.keymap import checked_keymap
from tui.ui.screens.board import BoardScreen
from tui.ui.themes import load_themes, variable_defaults
from tui.ui.timer_actions import ask_about_long_timer, run_in_background

DEFAULT_THEME = "cardboard-dark"

log = logging.getLogger(__name__)


class CardboardApp(App[None]):
    CSS_PATH = "cardboard.tcss"
    TITLE = "Cardboard"
    COMMANDS = App.COMMANDS | {CardboardCommands}

    BINDINGS = [
        Binding("question_mark", "help", "Help", id="app.help", tooltip="Every key, on one screen"),
        Binding("q", "quit", "Quit", id="app.quit"),
        # Off the footer (full at 80 columns): the help screen, the palette and the
        # first-run hint in the status bar say them.
        Binding(
            "A",
            "accounts",
            "Accounts",
            show=False,
            id="app.accounts",
            tooltip="Add, test, change, remove and open accounts",
        ),
        Binding(
            "at",
            "quick_switch",
            "Switch account",
            show=False,
            id="app.switch_account",
            tooltip="Jump to another account",
        ),
        Binding(
            "i",
            "inbox",
            "Inbox",
            show=False,
            id="app.inbox",
            tooltip="Mine, overdue, due soon",
        ),
        Binding(
            "T",
            "time",
            "Time",
            show=False,
            id="app.time",
            tooltip="The week's time: totals, entries and their sync",
        ),
        Binding(
            "P",
            "pending",
            "Pending changes",
            show=False,
            id="app.pending",
            tooltip="Changes waiting to be sent or refused: retry or discard them",
        ),
    ]

    def _store_state(self) -> State:
        return self.store.state

    state: var[State] = var(Initialize(_store_state), init=False)
    """The store's state, mirrored so that screens can watch it."""
    accounts: var[tuple[Account, ...]] = var((), init=False)
    """Every account there is to switch to, as accounts.toml last read."""

    def __init__(
        self,
        store: Store,
        *,
        settings: Settings | None = None,
        ui_state: UiState | None = None,
        board_id: str | None = None,
        remember: bool = True,
        demo: bool = False,
        notices: list[str] | None = None,
        journal: TimeJournal | None = None,
        triage: navigation.TriageRequest | None = None,
    ):
        super().__init__()
        self.triage_request = triage
        """`cardboard triage`: open triage on the board once it is open."""
        self.store = store
        self.settings = settings or Settings()
        self.ui_state = ui_state or UiState()
        self.initial_board = board_id
        self.remember = remember
        self.demo = demo
        """`cardboard --demo`: a throwaway demo board, and the status bar says so."""
        """False in tests and demo mode: nothing about the session is saved."""
        self.notices = list(notices or [])
        """Problems found before the app started, shown once it has."""
        self.crashed = False
        self.connect_account: Callable[[str], Provider] = connect
        """Builds an account's provider; tests point it at a fake's in-process transport."""
        self.account_providers = AccountProviders(
            lambda: self.store.provider, lambda name: self.connect_account(name)
        )
        self.tracker = TimeTracker(
            journal or TimeJournal.open_or_unavailable(),
            self.account_providers,
            max_entry=timedelta(hours=self.settings.time.max_entry_hours),
            rounding=self.settings.time.rounding,
        )
        """Starts, stops and logs time; its journal is on disk (tests pass one on tmp_path)."""
        if self.tracker.problem:  # a damaged journal: time is off, the boards still open
            self.notices.append(f"Time tracking is off: {self.tracker.problem}")
        self.journal = self.tracker.journal
        self.time_sync = self.tracker.sync
        self._time_push: Worker[Any] | None = None
        self._unsubscribe = store.subscribe(self._on_store_change)
        self.collector = IdleCollector()
        """Full garbage collections wait for a pause in the user's input."""
        # Before the first styles are computed, so they are computed once, in this theme.
        self._theme_failures = self._use_theme()

    # --- start-up -------------------------------------------------------------------

    def get_theme_variable_defaults(self) -> dict[str, str]:
        return variable_defaults(self.current_theme)

    def _use_theme(self) -> list[str]:
        """Register the themes and pick the one wanted; what could not be loaded, in words."""
        themes, failures = load_themes()
        for theme in themes.values():
            self.register_theme(theme)
        wanted = self.ui_state.theme or self.settings.theme
        if wanted not in self.available_themes:
            # Named by config.toml's line when that is where the theme was chosen.
            where = f"{config_place('theme')}: " if not self.ui_state.theme else "theme "
            failures.append(f"{where}{wanted!r} is not installed; using {DEFAULT_THEME}")
            wanted = DEFAULT_THEME
        self.theme = wanted
        return failures

    def on_mount(self) -> None:
        # What start-up built lives as long as the app: no full collection walks it again.
        # Boards are not frozen as they load: a freeze also keeps any garbage cycle of the
        # moment for good, and with full collections left to pauses in input (the
        # collector below) a 50,000-card board costs no key a pause anyway.
        gc.freeze()
        self.collector.start()
        self.set_interval(CHECK_EVERY, self.collector.collect_if_idle)
        if self._theme_failures:
            self.notify(
                "\n".join(self._theme_failures), title="Themes not loaded", severity="warning"
            )
        for notice in self.notices:
            self.notify(notice, severity="warning")
        if self.settings.keymap:
            self.set_keymap(self.settings.keymap)
        if problem := self.reload_accounts():
            self.notify(problem, severity="warning")
        self.push_screen(BoardScreen(self.initial_board_id()))
        self._keep_in_sync()
        if self.triage_request is not None:
            navigation.triage_when_open(self, self.triage_request)
        ask_about_long_timer(self)
        self.sync_time()  # what the last session could not send
        self.set_interval(60, self.sync_time)

    def initial_board_id(self) -> str | None:
        return self.initial_board or self.ui_state.last_board.get(self.store.state.account)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.MouseDown)):
            self.collector.input_seen()
        await super().on_event(event)

    def _handle_exception(self, error: Exception) -> None:
        # Textual's only hook for an unhandled error (private; there is no public one):
        # the report goes to the log (redacted) and `cardboard` names the file on exit.
        log.critical("Cardboard crashed", exc_info=error)
        self.crashed = True
        super()._handle_exception(error)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        # Never markup: messages carry card titles, a service's words and file paths,
        # in which "[bold]" or "[@click=app.quit]" must stay text (issue 11).
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    # --- store ----------------------------------------------------------------------

    def _on_store_change(self, old: State, new: State) -> None:
        self.state = new
        if old.loading and not new.loading and new.error is None:
            # Something loaded: the account works and is in sync as of now.
            synced = self.account_status(new.account).synced(datetime.now(UTC))
            self.record_account_status(new.account, synced)

    async def switch_account(self, name: str) -> None:
        """Open account `name` on the board it last showed; the old account's connections close.

        Raises ConfigError (unknown account, a token that cannot be resolved) before
        anything changes, so a failed switch leaves the current account as it was.
        """
        # A token_cmd may take seconds: resolve it off the event loop.
        provider = await asyncio.to_thread(self.connect_account, name)
        old = self.store
        self._unsubscribe()
        self._sync_loop.cancel()  # a change on its way still finishes (Store.aclose waits)
        self.store = Store(provider)
        self._keep_in_sync()
        self._unsubscribe = self.store.subscribe(self._on_store_change)
        self.state = self.store.state
        while len(self.screen_stack) > 1:
            await self.pop_screen()
        await self.push_screen(BoardScreen(self.ui_state.last_board.get(name)))
        self._remember(replace(self.ui_state, last_account=name))
        await old.aclose()

    def _keep_in_sync(self) -> None:
        """Send the outbox in the background: at start, after a delay, when back online."""
        # A task, not a worker: it never ends, and waiting for workers must not wait for it.
        self._sync_loop = asyncio.create_task(self.store.keep_in_sync())
        self._sync_loop.add_done_callback(_log_stopped_sync)

    def open_account(self, name: str) -> None:
        """Switch to `name` from any screen; a switch that fails says why and changes nothing."""
        # The app's worker, not a screen's: switching closes every screen. Never
        # exclusive: cancelling a switch halfway would leave it half done.
        self.run_worker(self._open_account(name), group="switch")

    async def _open_account(self, name: str) -> None:
        try:
            await self.switch_account(name)
        except ConfigError as problem:
            self.notify(str(problem), title=f"Could not open {name}", severity="error")

    # --- accounts -------------------------------------------------------------------

    def reload_accounts(self) -> str | None:
        """Read accounts.toml again; the problem if it cannot be read (the old list stays).

        What was remembered of accounts no longer there is forgotten, so a new account
        that takes an old name starts afresh.
        """
        try:
            self.accounts = tuple(available_accounts())
        except ConfigError as problem:
            return str(problem)
        names = {account.name for account in self.accounts}
        state = self.ui_state
        self._remember(
            replace(
                state,
                account_status={n: s for n, s in state.account_status.items() if n in names},
                last_board={n: board for n, board in state.last_board.items() if n in names},
            )
        )
        return None

    def account_status(self, name: str) -> AccountStatus:
        return self.ui_state.account_status.get(name, AccountStatus())

    def record_account_status(self, name: str, status: AccountStatus) -> None:
        statuses = {**self.ui_state.account_status, name: status}
        self._remember(replace(self.ui_state, account_status=statuses))

    # --- remembered state -----------------------------------------------------------

    def watch_theme(self, theme: str) -> None:
        self._remember(replace(self.ui_state, theme=theme))

    def remember_board(self, board_id: str, *, account: str | None = None) -> None:
        self._remember(self.ui_state.with_board(account or self.store.state.account, board_id))

    def _remember(self, updated: UiState) -> None:
        if updated == self.ui_state:
            return
        self.ui_state = updated
        if self.remember:
            problem = save_ui_state(updated)
            if problem:
                self.notify(problem, severity="warning")

    # --- time tracking --------------------------------------------------------------

    def sync_time(self) -> Worker[Any]:
        """Push queued time entries to their services, unless a push is already under way."""
        if self._time_push is None or self._time_push.is_finished:
            self._time_push = run_in_background(self, self.tracker.push(), "send the time entries")
        return self._time_push

    def action_time(self) -> None:
        # Imported on first use, like the card screen: the board paints first.
        from tui.ui.screens.time import TimeScreen

        if self.tracker.problem:
            self.notify(self.tracker.problem, title="Time tracking is off", severity="error")
            return
        if not any(isinstance(screen, TimeScreen) for screen in self.screen_stack):
            self.push_screen(TimeScreen())

    # --- app-wide actions -----------------------------------------------------------

    def action_inbox(self) -> None:
        from tui.ui.screens.inbox import InboxScreen  # not on the first frame

        if not isinstance(self.screen, InboxScreen):
            self.push_screen(InboxScreen())

    def open_card_in_board(self, account: str, board_id: str, card_id: str) -> None:
        navigation.open_card_in_board(self, account, board_id, card_id)

    def triage_in_board(
        self, account: str, board_id: str, card_ids: Sequence[str], queue_name: str
    ) -> None:
        navigation.triage_in_board(self, account, board_id, card_ids, queue_name)

    def action_pending(self) -> None:
        from tui.ui.screens.pending import PendingScreen  # first use only: the board paints first

        if not isinstance(self.screen, PendingScreen):
            self.push_screen(PendingScreen())

    # The screens below are imported on first use: the board paints without them.

    def action_help(self) -> None:
        from tui.ui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_accounts(self) -> None:
        from tui.ui.screens.accounts import AccountsScreen

        if isinstance(self.screen, AccountsScreen):
            self.screen.action_add()  # what the first-run hint promised the key does
        elif not any(isinstance(screen, AccountsScreen) for screen in self.screen_stack):
            self.push_screen(AccountsScreen())

    def action_quick_switch(self) -> None:
        from tui.ui.screens.switcher import SwitcherScreen

        if not isinstance(self.screen, SwitcherScreen):
            self.push_screen(SwitcherScreen(), self._switch_to)

    def _switch_to(self, name: str | None) -> None:
        if name:
            self.open_account(name)

    async def on_unmount(self) -> None:
        self.collector.stop()
        self._unsubscribe()
        self._sync_loop.cancel()
        await self.store.provider.aclose()  # a change cut off here is in doubt, not lost
        self.store.close()
        await self.account_providers.aclose()
        self.journal.close()


def _log_stopped_sync(loop: asyncio.Task[None]) -> None:
    if not loop.cancelled() and loop.exception() is not None:
        log.error("sending the outbox stopped", exc_info=loop.exception())


def build_app(
    account: str | None = None,
    board_id: str | None = None,
    *,
    remember: bool = True,
    demo: bool = False,
    journal: TimeJournal | None = None,
    triage: navigation.TriageRequest | None = None,
) -> CardboardApp:
    """The app as `cardboard` runs it, from the user's files; tests build it the same way."""
    settings = load_settings()
    checked_keymap(settings.keymap)  # a keymap mistake stops the start with its line
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
    elif account is None and wanted is not None:
        try:
            provider = connect(wanted)
        except ConfigError as problem:
            raise ConfigError(f"{config_place('default_account')}: {problem}") from None
    else:
        provider = connect(wanted)
    return CardboardApp(
        Store(provider),
        settings=settings,
        ui_state=ui_state,
        board_id=board_id,
        remember=remember,
        demo=demo,
        notices=notices,
        journal=journal,
        triage=triage,
    )
