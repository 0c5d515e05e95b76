"""The line at the bottom of every screen: account, board, sync state, last error."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from tui.core.store import Activity, State

ACTIVITY = {Activity.IDLE: "✓ synced", Activity.LOADING: "⟳ loading…", Activity.SAVING: "⟳ saving…"}


class StatusBar(Static):
    DEFAULT_CSS = """
    StatusBar {
        height: 1;
        padding: 0 1;
        background: $panel;
        color: $foreground;
    }
    """

    def show(self, state: State, hint: str = "") -> None:
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(state.account, "bold")
        text.append(f" ({state.provider_title})", "dim")
        if state.board is not None:
            text.append(" › ")
            text.append(state.board.board.name, "bold")
        text.append("  ")
        if state.error:
            text.append(f"✗ {state.error}", "bold red")
        else:
            text.append(ACTIVITY[state.activity], "dim")
        if state.filter:
            text.append(f"  filter: {state.filter.query}", "italic")
        if hint:
            text.append(f"  {hint}", "dim italic")
        if text != self._shown:  # one fixed line: redraw it, never re-lay out the screen
            self._shown = text
            self.update(text, layout=False)

    _shown = Text()
