"""The line at the bottom of every screen: account, board, sync state, last error, timer.

The sync state says what the outbox holds: "✓ synced" when nothing waits, "⟳ 2
pending" while changes are on their way, "⚠ offline · 4 pending" when the service
cannot be reached (offline is a state here, never an error toast), "✗ 1 conflict"
when the service refused a change, and "cached · 3 min ago" while the board shown is
the one kept from an earlier session.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Static

from tui.core.connect import LOCAL
from tui.core.models import Account
from tui.core.store import Activity, State
from tui.ui.commands import keyed_actions
from tui.ui.widgets.timer_badge import TimerBadge

if TYPE_CHECKING:
    from textual import getters

    from tui.ui.app import CardboardApp

ACTIVITY = {Activity.IDLE: "✓ synced", Activity.LOADING: "⟳ loading…", Activity.SAVING: "⟳ saving…"}


class StatusBar(Widget):
    if TYPE_CHECKING:  # for the type checker only: at run time Textual's own property answers
        app = getters.app(CardboardApp)

    DEFAULT_CSS = """
    StatusBar {
        layout: horizontal;
        height: 1;
        background: $panel;
        color: $foreground;
    }
    StatusBar > #status-text {
        width: 1fr;
        padding: 0 1;
    }
    """

    def compose(self) -> ComposeResult:
        yield Static(id="status-text")
        yield TimerBadge()

    def show(self, state: State, hint: str = "") -> None:
        text = Text(no_wrap=True, overflow="ellipsis")
        if self.app.demo:  # reversed: it reads without colour too
            text.append(" DEMO ", "bold reverse")
            text.append(" ")
        text.append(state.account, "bold")
        text.append(f" ({state.provider_title})", "dim")
        if state.board is not None:
            text.append(" › ")
            text.append(state.board.board.name, "bold")
        for words, style in _sync_words(state):
            text.append("  ")
            text.append(words, style)
        if state.filter:
            text.append(f"  filter: {state.filter.query}", "italic")
        if hint:
            text.append(f"  {hint}", "dim italic")
        if self._first_run_hint and self._fits(text, f"  {self._first_run_hint}"):
            text.append(f"  {self._first_run_hint}", "bold")
        self._last = (state, hint)
        if text != self._shown:  # one fixed line: redraw it, never re-lay out the screen
            self._shown = text
            self.query_one("#status-text", Static).update(text, layout=False)

    _shown = Text()
    _last: tuple[State, str] | None = None
    _first_run_hint = ""

    def _fits(self, text: Text, more: str) -> bool:
        """A hint shows whole or not at all: "A:…" would say nothing."""
        room = self.query_one("#status-text", Static).content_size.width
        return room == 0 or text.cell_len + len(more) <= room  # 0: not laid out yet

    def on_resize(self) -> None:
        if self._last is not None:
            self.show(*self._last)

    def on_mount(self) -> None:
        # Watched, not passed in: an account added anywhere ends the hint on every screen.
        self.watch(self.app, "accounts", self._show_first_run_hint)

    def _show_first_run_hint(self, accounts: tuple[Account, ...]) -> None:
        """With nothing but the local board, say how to add an account (by its key now)."""
        keys = next(
            (
                action.key_text
                for action in keyed_actions(self.screen)
                if action.binding.id == "app.accounts"
            ),
            None,
        )
        first_run = keys is not None and all(account.name == LOCAL for account in accounts)
        self._first_run_hint = f"{keys}: add an account" if first_run else ""
        if self._last is not None:
            self.show(*self._last)


def _sync_words(state: State) -> list[tuple[str, str]]:
    """The sync state as (words, style) parts."""
    parts: list[tuple[str, str]] = []
    if not state.online:
        pending = f" · {state.pending} pending" if state.pending else ""
        parts.append((f"⚠ offline{pending}", "bold yellow"))
    elif state.pending and not state.loading:
        parts.append((f"⟳ {state.pending} pending", "dim"))
    elif not state.error:
        parts.append((ACTIVITY[state.activity], "dim"))
    if state.conflicts:
        parts.append((f"✗ {_count(state.conflicts, 'conflict')}", "bold red"))
    if state.changed:
        parts.append((f"● {len(state.changed)} changed", "bold"))
    if state.error:
        parts.append((f"✗ {state.error}", "bold red"))
    age = state.cached_age(datetime.now(UTC))
    if age:
        parts.append((age, "dim italic"))
    return parts


def _count(number: int, what: str) -> str:
    return f"{number} {what}{'' if number == 1 else 's'}"
