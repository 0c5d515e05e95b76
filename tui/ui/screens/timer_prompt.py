"""A timer left running for hours: keep it, or trim it to when the work really stopped."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Static

from tui.core.durations import format_duration, parse_duration
from tui.core.models import Timer
from tui.ui.screens.dialogs import Dialog

LONG_TIMER = timedelta(hours=8)
"""A timer running longer than this was most likely forgotten."""


def local_moment(moment: datetime) -> str:
    return moment.astimezone().strftime("%a %d %b %H:%M")


def trimmed_end(timer: Timer, *, stopped_at: str, worked: str, now: datetime) -> datetime:
    """The end the user means: a clock time ("17:30", the last one since the start) or
    how long they worked ("1h30m"). Raises ValueError saying what was expected."""
    if stopped_at.strip():
        typed = stopped_at.strip()
        try:
            clock = datetime.strptime(typed, "%H:%M").time()
        except ValueError:
            raise ValueError(f"Stopped at: {typed!r} is not a time like 17:30.") from None
        local_now = now.astimezone()
        end = local_now.replace(hour=clock.hour, minute=clock.minute, second=0, microsecond=0)
        if end > local_now:
            end -= timedelta(days=1)
        if end <= timer.started_at:
            raise ValueError(
                f"Stopped at: {typed} is before the timer started "
                f"({local_moment(timer.started_at)})."
            )
        return end.astimezone(UTC)
    if worked.strip():
        try:
            end = timer.started_at + timedelta(seconds=parse_duration(worked.strip()))
        except ValueError as problem:
            raise ValueError(f"Worked for: {problem}") from None
        if end > now:
            ran = format_duration(int((now - timer.started_at).total_seconds()))
            raise ValueError(f"Worked for: the timer has only been running {ran}.")
        return end
    raise ValueError("Type when you stopped (17:30) or how long you worked (1h30m).")


class TimerPromptScreen(Dialog[datetime | None]):
    """Dismisses with the end to trim the timer to, or None to keep it running."""

    DEFAULT_CSS = """
    TimerPromptScreen #trim-fields {
        height: auto;
        display: none;
    }
    TimerPromptScreen #trim-fields.-visible {
        display: block;
    }
    TimerPromptScreen #trim-fields > Horizontal {
        height: auto;
    }
    TimerPromptScreen .trim--field {
        height: auto;
        width: 1fr;
    }
    TimerPromptScreen .trim--field Label {
        color: $foreground-muted;
        margin-top: 1;
    }
    """

    BINDINGS = [
        Binding(
            "k,escape",
            "keep",
            "Keep running",
            id="timer_prompt.keep",
            tooltip="Leave the timer running from its start",
        ),
        Binding(
            "t",
            "trim",
            "Trim",
            id="timer_prompt.trim",
            tooltip="Stop the timer at the time you stopped working",
        ),
    ]

    def __init__(self, timer: Timer, now: datetime):
        super().__init__()
        self.timer = timer
        self.now = now

    def compose(self) -> ComposeResult:
        running = format_duration(int((self.now - self.timer.started_at).total_seconds()))
        with Vertical():
            yield Label("Timer still running", classes="dialog--title")
            yield Static(
                Text(
                    f"The timer on “{self.timer.card_title}” has been running for {running}, "
                    f"since {local_moment(self.timer.started_at)}. Keep it, or trim it to "
                    "when you stopped?"
                ),
                id="message",
            )
            with Vertical(id="trim-fields"):
                with Horizontal():
                    with Vertical(classes="trim--field"):
                        yield Label("Stopped at (17:30)")
                        yield Input(placeholder="HH:MM", id="stopped-at")
                    with Vertical(classes="trim--field"):
                        yield Label("or worked for (1h30m)")
                        yield Input(placeholder="duration", id="worked")
                yield Static(id="trim-error", classes="dialog--error")
            with Horizontal(classes="dialog--buttons"):
                yield Button("Trim (t)", variant="warning", id="trim")
                yield Button("Keep running (k)", id="keep")

    def on_mount(self) -> None:
        self.query_one("#keep", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "trim":
            self.action_trim()
        else:
            self.action_keep()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_trim()

    def action_keep(self) -> None:
        self.dismiss(None)

    def action_trim(self) -> None:
        fields = self.query_one("#trim-fields")
        if not fields.has_class("-visible"):
            fields.add_class("-visible")
            self.query_one("#stopped-at", Input).focus()
            return
        try:
            end = trimmed_end(
                self.timer,
                stopped_at=self.query_one("#stopped-at", Input).value,
                worked=self.query_one("#worked", Input).value,
                now=self.now,
            )
        except ValueError as problem:
            self.query_one("#trim-error", Static).update(Text(str(problem)))
            return
        self.dismiss(end)
