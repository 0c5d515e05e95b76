"""The time screen: a week of entries, its totals, and each entry's way to its service.

Everything shown is read from the journal, which the CLI or another window may also
write; the screen reads it again every second and redraws only when it changed.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.events import Resize
from textual.widgets import DataTable, Footer, Static

from tui.core.durations import format_duration
from tui.core.errors import ConfigError
from tui.core.models import SyncState, TimeEntry
from tui.core.store import State
from tui.core.time import ReportBy, report, sync_state_for
from tui.ui.screens.base import CardboardScreen
from tui.ui.screens.dialogs import ConfirmScreen
from tui.ui.screens.time_entry_form import TimeEntryForm
from tui.ui.timer_actions import run_in_background
from tui.ui.widgets.status_bar import StatusBar
from tui.ui.widgets.time_totals import BarRows, duration_or_dash, total_rows, week_rows

GROUPINGS: tuple[ReportBy, ...] = ("card", "board", "account")
UNSENT = (SyncState.PENDING, SyncState.FAILED)

SYNC_WORDS = {
    SyncState.LOCAL: ("· local", "dim"),
    SyncState.PENDING: ("↑ pending", "italic"),
    SyncState.SYNCED: ("✓ synced", ""),
    SyncState.FAILED: ("✗ failed", "bold red"),
}

# Every column but the card's has the width its content needs; the card takes the rest.
COLUMNS = (("day", "Day", 6), ("time", "Time", 11), ("length", "Length", 7), ("card", "Card", 0),
           ("account", "Account", 10), ("sync", "Sync", 9), ("overlap", "", 1))  # fmt: skip
TABLE_CHROME = 2 * len(COLUMNS) + 2  # cell padding and the scrollbar


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def local_day(entry: TimeEntry) -> date:
    return entry.started_at.astimezone().date()


def clock_span(entry: TimeEntry) -> str:
    start = entry.started_at.astimezone()
    return f"{start:%H:%M}–{start + timedelta(seconds=entry.seconds):%H:%M}"


class TimeScreen(CardboardScreen[None]):
    DEFAULT_CSS = """
    TimeScreen #time-title {
        height: 1;
        padding: 0 1;
        background: $panel;
        text-style: bold;
    }
    TimeScreen #time-summary {
        height: auto;
        padding: 0 1;
        margin-bottom: 1;
    }
    TimeScreen #week {
        margin-right: 2;
    }
    TimeScreen #entries {
        height: 1fr;
        scrollbar-size-vertical: 1;
    }
    TimeScreen #entry-detail {
        height: 2;
        padding: 0 1;
        background: $panel;
    }
    """

    BINDINGS = [
        Binding("escape,q", "close", "Back", id="time.close", tooltip="Back to where you were"),
        Binding(
            "a",
            "add",
            "Add",
            id="time.add",
            tooltip="Log time after the fact: 1h30m, 90m or 13:00-14:30",
        ),
        Binding(
            "e", "edit", "Edit", id="time.edit", tooltip="Change the entry's time, date or note"
        ),
        Binding(
            "d,delete",
            "delete",
            "Delete",
            id="time.delete",
            tooltip="Delete the entry (asks first)",
        ),
        Binding(
            "s",
            "sync",
            "Sync now",
            id="time.sync",
            tooltip="Send queued and failed entries to their services now",
        ),
        Binding(
            "g",
            "group",
            "Totals by",
            id="time.group",
            tooltip="Totals of the week by card, board or account",
        ),
        Binding("j", "cursor(1)", "Next entry", show=False, id="time.down"),
        Binding("k", "cursor(-1)", "Previous entry", show=False, id="time.up"),
        Binding(
            "left_square_bracket", "week(-1)", "Previous week", show=False, id="time.previous_week"
        ),
        Binding("right_square_bracket", "week(1)", "Next week", show=False, id="time.next_week"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.week_start = monday_of(self.today)
        self.grouping = GROUPINGS[0]
        self.entries: list[TimeEntry] = []
        self.overlaps: set[str] = set()
        self._card_width = 0

    @property
    def today(self) -> date:
        return datetime.now().astimezone().date()

    def compose(self) -> ComposeResult:
        yield Static(id="time-title")
        with Horizontal(id="time-summary"):
            yield BarRows(id="week")
            yield BarRows(id="totals")
        yield DataTable(id="entries", cursor_type="row")
        yield Static(id="entry-detail")
        yield StatusBar()
        yield Footer()

    def on_mount(self) -> None:
        self.watch(self.app, "state", self._show_state)
        self.reload(force=True)
        self.set_interval(1, self.reload)
        self.query_one("#entries").focus()

    def _show_state(self, state: State) -> None:
        self.query_one(StatusBar).show(state)

    def on_resize(self, event: Resize) -> None:
        self._draw_entries()

    # --- reading the journal --------------------------------------------------------

    def reload(self, force: bool = False) -> None:
        """Read the week again; redraw if it changed, or anyway when `force`d."""
        until = self.week_start + timedelta(days=6)
        try:
            entries = self.app.journal.entries(since=self.week_start, until=until)
        except ConfigError as problem:
            if force:  # asked for by a key: say why nothing changed; the polling just waits
                self.notify(str(problem), title="Could not read the time journal", severity="error")
            return
        if entries == self.entries and not force:
            return
        self.entries = entries
        self.overlaps = self.app.journal.overlapping(entries)
        self._draw()

    @property
    def selected(self) -> TimeEntry | None:
        table = self.query_one("#entries", DataTable)
        if not self.entries or table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return next((entry for entry in self.entries if entry.id == key), None)

    # --- drawing --------------------------------------------------------------------

    def _draw(self) -> None:
        today = self.today
        this_week = monday_of(today) == self.week_start
        by_day = report(self.entries, "day")
        week_total = sum(row.seconds for row in by_day)
        title = Text(f"Time · week of {self.week_start:%a %d %b %Y}")
        title.append(f" · {duration_or_dash(week_total)}")
        if this_week:
            today_total = sum(row.seconds for row in by_day if row.key == today.isoformat())
            title.append(f" · today {duration_or_dash(today_total)}")
        self.query_one("#time-title", Static).update(title)
        self.query_one("#week", BarRows).show(
            Text("This week" if this_week else "The week", "bold underline"),
            week_rows(by_day, self.week_start, today),
            label_width=6,
        )
        heading = Text()
        heading.append(f"By {self.grouping}", "bold underline")
        heading.append("  g: next grouping", "dim")
        totals = report(self.entries, self.grouping)
        if self.grouping == "board":  # the report knows board ids; the open account, names
            names = self._board_names()
            totals = [replace(row, label=names.get(row.key, row.label)) for row in totals]
        rows = total_rows(totals, room=7)
        self.query_one("#totals", BarRows).show(heading, rows, label_width=24)
        self._draw_entries()

    def _draw_entries(self) -> None:
        table = self.query_one("#entries", DataTable)
        kept = self.selected
        card_width = max(12, self.size.width - sum(width for *_, width in COLUMNS) - TABLE_CHROME)
        if card_width != self._card_width:
            self._card_width = card_width
            table.clear(columns=True)
            for key, label, width in COLUMNS:
                table.add_column(label, width=width or card_width, key=key)
        table.clear()
        for entry in reversed(self.entries):  # the latest on top
            sync, style = SYNC_WORDS[entry.sync]
            table.add_row(
                Text(f"{local_day(entry):%a %d}"),
                Text(clock_span(entry)),
                Text(format_duration(entry.seconds).rjust(7)),
                Text(entry.card_title, no_wrap=True, overflow="ellipsis"),
                Text(entry.account, no_wrap=True, overflow="ellipsis"),
                Text(sync, style),
                Text("⚠" if entry.id in self.overlaps else ""),
                key=entry.id,
            )
        if kept is not None and kept.id in {entry.id for entry in self.entries}:
            table.move_cursor(row=table.get_row_index(kept.id), animate=False)
        self._draw_detail()

    def _draw_detail(self) -> None:
        entry = self.selected
        detail = self.query_one("#entry-detail", Static)
        if entry is None:
            hint = "No time this week. a to log some; t on a card starts the timer."
            detail.update(Text(hint, "italic"))
            return
        first = Text(no_wrap=True, overflow="ellipsis")
        first.append(entry.card_title, "bold")
        board_key = f"{entry.account}/{entry.board_id}"
        board = self._board_names().get(board_key, f"board {entry.board_id}")
        first.append(f"  {entry.account} › {board}", "dim")
        if entry.note:
            first.append(f"  “{entry.note}”", "italic")
        second = Text(no_wrap=True, overflow="ellipsis")
        second.append(self._sync_sentence(entry))
        if entry.id in self.overlaps:
            second.append("  ⚠ overlaps another entry", "bold")
        detail.update(Text("\n").join([first, second]))

    def _board_names(self) -> dict[str, str]:
        """Names of the open account's boards, by report key ("account/board id")."""
        state = self.app.state
        boards = [*state.boards, *([state.board.board] if state.board else [])]
        return {f"{state.account}/{board.id}": board.name for board in boards}

    @staticmethod
    def _sync_sentence(entry: TimeEntry) -> Text:
        if entry.sync is SyncState.FAILED:
            reason = entry.sync_error or "the service refused it"
            return Text(f"✗ not logged: {reason} (s retries now)", "bold red")
        if entry.sync is SyncState.PENDING:
            return Text("↑ waiting to be sent to the service (s sends now)")
        if entry.sync is SyncState.SYNCED:
            return Text("✓ logged on the service")
        return Text("· kept in Cardboard's journal: the service does not log time")

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._draw_detail()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_edit()

    # --- actions --------------------------------------------------------------------

    def action_close(self) -> None:
        self.dismiss()

    def action_cursor(self, step: int) -> None:
        table = self.query_one("#entries", DataTable)
        table.move_cursor(row=max(0, table.cursor_row + step))

    def action_week(self, step: int) -> None:
        self.week_start += timedelta(days=7 * step)
        self.reload(force=True)

    def action_group(self) -> None:
        self.grouping = GROUPINGS[(GROUPINGS.index(self.grouping) + 1) % len(GROUPINGS)]
        self._draw()

    def action_add(self) -> None:
        state, provider = self.app.store.state, self.app.store.provider
        cards = state.board.cards if state.board else ()
        last = self.selected
        form = TimeEntryForm(
            self.app.journal,
            now=datetime.now(UTC),
            account=state.account,
            cards=cards,
            card_id=last.card_id if last else None,
            sync=sync_state_for(provider),
        )
        self.app.push_screen(form, self._saved)

    def action_edit(self) -> None:
        entry = self.selected
        if entry is None:
            self.notify("No entry selected", severity="warning")
            return
        form = TimeEntryForm(self.app.journal, now=datetime.now(UTC), entry=entry)
        self.app.push_screen(form, self._saved)

    def _saved(self, entry: TimeEntry | None) -> None:
        if entry is None:
            return
        self.week_start = monday_of(local_day(entry))
        self.reload(force=True)
        if any(shown.id == entry.id for shown in self.entries):
            table = self.query_one("#entries", DataTable)
            table.move_cursor(row=table.get_row_index(entry.id), animate=False)
        self.app.sync_time()

    def action_delete(self) -> None:
        entry = self.selected
        if entry is None:
            self.notify("No entry selected", severity="warning")
            return
        question = (
            f"Delete {format_duration(entry.seconds)} on “{entry.card_title}” "
            f"({local_day(entry):%a %d %b})?"
        )
        if entry.remote_id is not None:
            question += " Its log on the service is deleted too."

        def confirmed(yes: bool | None) -> None:
            if not yes:
                return
            try:
                self.app.journal.delete(entry.id)
            except (ValueError, ConfigError) as problem:  # gone meanwhile (the CLI?), or no disk
                self.notify(str(problem), title="Could not delete the entry", severity="error")
            self.reload(force=True)
            self.app.sync_time()

        self.app.push_screen(ConfirmScreen("Delete time entry", question), confirmed)

    def action_sync(self) -> None:
        journal = self.app.journal
        try:
            queued = {entry.id for entry in journal.entries() if entry.sync in UNSENT}
            for entry_id in queued:
                journal.edit(entry_id)  # no changes: due at once, whatever its backoff said
        except (ValueError, ConfigError) as problem:
            self.notify(str(problem), title="Could not send the time entries", severity="error")
            return
        if not queued:
            self.notify("Nothing to send: every entry is logged, or kept here for good.")
            return

        async def push_and_report() -> None:
            await self.app.tracker.push()
            self.reload()
            after = [entry for entry in journal.entries() if entry.id in queued]
            failed = [entry for entry in after if entry.sync is not SyncState.SYNCED]
            if failed:
                self.notify(
                    f"{len(after) - len(failed)} sent; {len(failed)} not: "
                    f"{failed[0].sync_error or 'still queued'}",
                    severity="warning",
                )
            else:
                self.notify(f"{len(after)} sent.")

        run_in_background(self.app, push_and_report(), "send the time entries")
