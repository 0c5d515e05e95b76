"""Time logged after the fact, or an entry corrected: when, how long, and a note.

The time is typed the way people say it: a duration ("1h30m", "90m") or a span of
the clock ("13:00-14:30") on the date. The form writes the journal itself, so a
refused value keeps the form open with everything typed and the reason under it
(FormScreen).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Input, Label, Select

from tui.core.durations import parse_duration_or_span
from tui.core.errors import ConfigError
from tui.core.models import Card, SyncState, TimeEntry
from tui.core.time import CardRef, TimeJournal, default_start
from tui.ui.screens.form import FormScreen, Invalid, field


def parse_day(text: str) -> date:
    try:
        return datetime.strptime(text.strip(), "%Y-%m-%d").date()
    except ValueError:
        raise ValueError(f"Date: {text.strip()!r} is not a date like 2026-11-20.") from None


def span_text(entry: TimeEntry) -> str:
    """The entry as the form shows it: a clock span when it fits in its day, else a duration."""
    start = entry.started_at.astimezone()
    end = start + timedelta(seconds=entry.seconds)
    if end.date() == start.date() and entry.seconds % 60 == 0:
        return f"{start:%H:%M}-{end:%H:%M}"
    minutes = round(entry.seconds / 60)
    return f"{minutes // 60}h{minutes % 60:02d}m" if minutes >= 60 else f"{minutes}m"


class TimeEntryForm(FormScreen[TimeEntry | None]):
    """A new entry on one of `cards` (when `entry` is None), or `entry` edited."""

    DEFAULT_CSS = """
    TimeEntryForm > .form--frame {
        max-width: 72;
        height: auto;
        max-height: 100%;
    }
    TimeEntryForm .form--body {
        height: auto;
    }
    TimeEntryForm .form--field > Label {
        margin-top: 0;
    }
    TimeEntryForm #card-title {
        text-style: bold;
    }
    """

    def __init__(
        self,
        journal: TimeJournal,
        *,
        now: datetime,
        entry: TimeEntry | None = None,
        account: str = "",
        cards: tuple[Card, ...] = (),
        card_id: str | None = None,
        sync: SyncState = SyncState.LOCAL,
    ):
        super().__init__()
        self.journal = journal
        self.now = now
        self.entry = entry
        self.account = account
        self.cards = {card.id: card for card in cards}
        self.card_id = card_id if card_id in self.cards else next(iter(self.cards), None)
        self.sync = sync
        self._opened_with = ("", "")
        """The time and date fields as the form opened: unchanged, the entry's times stay."""

    def frame_title(self) -> str:
        return "Edit time" if self.entry else "Log time"

    def compose_fields(self) -> ComposeResult:
        entry = self.entry
        day = entry.started_at.astimezone().date() if entry else self.now.astimezone().date()
        if entry is not None:
            yield Label(Text(entry.card_title), id="card-title")
        else:
            cards = sorted(self.cards.values(), key=lambda card: card.title.casefold())
            yield field(
                "Card",
                Select(
                    [(Text(card.title), card.id) for card in cards],
                    value=self.card_id if self.card_id else Select.NULL,
                    allow_blank=not cards,
                    prompt="Open a board first: time is logged on its cards",
                    id="card",
                ),
            )
        with Horizontal(classes="form--row"):
            yield field(
                "Time (1h30m, 90m or 13:00-14:30)",
                Input(span_text(entry) if entry else "", placeholder="1h30m", id="spent"),
            )
            yield field("Date", Input(day.isoformat(), placeholder="YYYY-MM-DD", id="day"))
        yield field("Note", Input(entry.note if entry else "", id="note"))

    async def prepare(self) -> None:
        self._opened_with = (self._text("#spent"), self._text("#day"))
        self.query_one("#spent", Input).focus()

    def _text(self, selector: str) -> str:
        return self.query_one(selector, Input).value.strip()

    def draft(self) -> tuple[object, ...]:
        card = self.query("#card")
        return (
            card.first(Select).value if card else None,
            *(self._text(selector) for selector in ("#spent", "#day", "#note")),
        )

    # --- saving ---------------------------------------------------------------------

    def submit(self) -> TimeEntry:
        try:
            return self._save()
        except (ValueError, ConfigError) as problem:
            raise Invalid(str(problem)) from None

    def _save(self) -> TimeEntry:
        note = self._text("#note")
        if self.entry is None:
            card = self._chosen_card()
            started_at, seconds = self._when(parse_day(self._text("#day")))
            # The limits `time log` keeps (longest entry, not in the future), here too.
            self.app.tracker.check(started_at, seconds)
            ref = CardRef(self.account, card.board_id, card.id, card.title)
            return self.journal.add(ref, started_at, seconds, note, sync=self.sync)
        changes: dict[str, Any] = {}
        if (self._text("#spent"), self._text("#day")) != self._opened_with:
            started_at, seconds = self._when(parse_day(self._text("#day")))
            self.app.tracker.check(started_at, seconds)
            changes["started_at"], changes["seconds"] = started_at, seconds
        if note != self.entry.note:
            changes["note"] = note
        return self.journal.edit(self.entry.id, **changes) if changes else self.entry

    def _chosen_card(self) -> Card:
        value = self.query_one("#card", Select).value
        if not isinstance(value, str):
            raise ValueError("Card: pick the card the time was spent on.")
        return self.cards[value]

    def _when(self, day: date) -> tuple[datetime, int]:
        """The start and length the Time field means, on `day`."""
        spent = self._text("#spent")
        if not spent:
            raise ValueError("Time: type how long (1h30m, 90m) or when (13:00-14:30).")
        try:
            started_at, seconds = parse_duration_or_span(spent, day, self.now.astimezone().tzinfo)
        except ValueError as problem:
            raise ValueError(f"Time: {problem}") from None
        if started_at is not None:
            return started_at, seconds
        if self.entry is not None:  # a new length keeps the entry's start, on the chosen day
            clock = self.entry.started_at.astimezone().time()
            return datetime.combine(day, clock).astimezone().astimezone(UTC), seconds
        others = self.journal.entries(since=day, until=day)
        return default_start(day, seconds, others, now=self.now), seconds
