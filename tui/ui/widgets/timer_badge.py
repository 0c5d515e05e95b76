"""The running timer in the status bar: the card and the time so far, every second."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import Static

from tui.core.errors import ConfigError
from tui.core.models import Timer

if TYPE_CHECKING:
    from textual import getters

    from tui.ui.app import CardboardApp

SHORTEST_TITLE, LONGEST_TITLE = 10, 28
"""The card's title gets a fifth of the screen within these: at 80 columns the status
line beside the badge keeps room for its sync state or error."""


def elapsed(seconds: float) -> str:
    """h:mm:ss; hours keep counting past a day, so a forgotten timer reads as one."""
    seconds = max(0, int(seconds))
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}"


def badge_text(timer: Timer, now: datetime, title_width: int) -> Text:
    title = timer.card_title
    if len(title) > title_width:
        title = title[: title_width - 1] + "…"
    text = Text(no_wrap=True)
    text.append("▶ ", "bold")
    text.append(title)
    text.append(f" {elapsed((now - timer.started_at).total_seconds())}", "bold")
    return text


class TimerBadge(Static):
    """Reads the timer from the journal on every tick rather than being told about it,
    so a timer started or stopped elsewhere (the CLI, another window) shows here too."""

    if TYPE_CHECKING:  # the type checker's view of `app`: it is Cardboard's, with its journal
        app = getters.app(CardboardApp)

    DEFAULT_CSS = """
    TimerBadge {
        width: auto;
        height: 1;
        padding: 0 1;
        background: $primary-muted;
        color: $foreground;
        display: none;
    }
    """

    def on_mount(self) -> None:
        self.tick()
        self.set_interval(1, self.tick)

    def tick(self) -> None:
        try:
            timer = self.app.journal.running()
        except ConfigError:  # the action that needs the journal says so; this waits a tick
            return
        self.display = timer is not None
        if timer is not None:
            width = min(max(self.app.size.width // 5, SHORTEST_TITLE), LONGEST_TITLE)
            text = badge_text(timer, datetime.now(UTC), width)
            self.update(text, layout=text.cell_len != self._shown.cell_len)
            self._shown = text

    _shown = Text()
