"""Time tracking driven by keys: the timer on a card and its badge, the time screen,
and the prompt about a timer left running."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta

import pytest
from textual.widgets import DataTable, Input, Select, Static

from tests.conftest import NOW, ScriptedLocal, make_local
from tests.support.clock import FakeClock
from tests.support.pilot import notifications, press, record_notifications, settled
from tui.core.errors import Unavailable, ValidationError
from tui.core.models import SyncState, TimeLog, Timer
from tui.core.provider import Capabilities, Capability
from tui.core.store import Store
from tui.core.time import CardRef, TimeJournal
from tui.providers.local import LocalProvider
from tui.ui.app import CardboardApp
from tui.ui.screens.board import BoardScreen
from tui.ui.screens.card import CardScreen
from tui.ui.screens.dialogs import ConfirmScreen
from tui.ui.screens.time import TimeScreen
from tui.ui.screens.time_entry_form import TimeEntryForm
from tui.ui.screens.timer_prompt import TimerPromptScreen, trimmed_end
from tui.ui.widgets.time_totals import BarRows, bar
from tui.ui.widgets.timer_badge import TimerBadge

HOUR = 3600


class TimeLoggingLocal(ScriptedLocal):
    """The local board as if its service logged time: logs kept in memory, failures scripted."""

    capabilities = Capabilities(
        supported=LocalProvider.capabilities.supported | {Capability.TIME_LOGGING}
    )

    def __init__(self, connection):
        super().__init__(connection)
        self.time_logs: dict[str, TimeLog] = {}
        self._log_ids = itertools.count(1)

    async def log_time(
        self, board_id: str, card_id: str, minutes: int, day: date, note: str
    ) -> str:
        await self._script("log_time")
        log_id = f"log-{next(self._log_ids)}"
        self.time_logs[log_id] = TimeLog(
            id=log_id, card_id=card_id, minutes=minutes, day=day, note=note
        )
        return log_id

    async def list_time_logs(self, board_id: str, card_id: str) -> list[TimeLog]:
        return [log for log in self.time_logs.values() if log.card_id == card_id]


class LiveTimerLocal(TimeLoggingLocal):
    """The local board as if its service ran timers itself, like KanbanTool."""

    capabilities = Capabilities(
        supported=TimeLoggingLocal.capabilities.supported | {Capability.LIVE_TIMER}
    )

    def __init__(self, connection):
        super().__init__(connection)
        self.running: dict[str, datetime] = {}

    async def start_timer(self, board_id: str, card_id: str) -> str:
        tracker_id = f"tracker-{card_id}"
        self.running[tracker_id] = datetime.now(UTC)
        return tracker_id

    async def stop_timer(self, board_id: str, card_id: str, timer_id: str) -> TimeLog:
        started = self.running.pop(timer_id)
        minutes = round((datetime.now(UTC) - started).total_seconds() / 60)
        log = TimeLog(id=timer_id, card_id=card_id, minutes=minutes, day=started.date())
        self.time_logs[timer_id] = log
        return log


pytestmark = pytest.mark.usefixtures("frozen_clock")  # the badge and the prompts read the time


@pytest.fixture
def journal(tmp_path, frozen_clock: FakeClock):
    journal = TimeJournal(tmp_path / "journal.db")
    yield journal
    journal.close()


@pytest.fixture
def provider(tmp_path):
    return make_local(tmp_path / "board")


@pytest.fixture
def app(provider, journal) -> CardboardApp:
    return record_notifications(CardboardApp(Store(provider), remember=False, journal=journal))


def board(app: CardboardApp) -> BoardScreen:
    screen = app.screen_stack[1]
    assert isinstance(screen, BoardScreen)
    return screen


def badge_text(app: CardboardApp) -> str | None:
    """What the badge of the screen on top says, or None while it is hidden."""
    badge = app.screen.query_one(TimerBadge)
    return str(badge.render()) if badge.display else None


def ref(title: str, *, account: str = "local", board_id: str = "1") -> CardRef:
    return CardRef(account, board_id, title.lower().replace(" ", "-"), title)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment in November 2026 (UTC is local time in the tests)."""
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)


# --- the timer from the board and the card --------------------------------------------


async def test_t_starts_the_timer_on_the_selected_card_and_the_badge_counts(app, journal, clock):
    async with app.run_test(size=(100, 30)) as pilot:
        await settled(pilot)
        card = board(app).selected_card
        assert badge_text(app) is None

        await press(pilot, "t")
        timer = journal.running()
        assert (timer.card_id, timer.card_title, timer.started_at) == (card.id, card.title, NOW)
        assert badge_text(app) == f"▶ {card.title[:19]}… 0:00:00"  # a fifth of 100 columns

        clock.advance(hours=1, minutes=2, seconds=3)
        app.screen.query_one(TimerBadge).tick()
        assert badge_text(app).endswith(" 1:02:03")


async def test_t_again_stops_the_timer_and_logs_the_entry(app, journal, clock):
    async with app.run_test(size=(100, 30)) as pilot:
        await settled(pilot)
        card = board(app).selected_card
        await press(pilot, "t")
        clock.advance(minutes=25)
        await press(pilot, "t")

        assert journal.running() is None
        [entry] = journal.entries()
        assert (entry.card_id, entry.started_at, entry.seconds) == (card.id, NOW, 25 * 60)
        assert entry.sync is SyncState.LOCAL  # the local board logs no time anywhere else
        assert badge_text(app) is None
        assert f"Timer stopped: 25m on “{card.title}”" in notifications(app)


async def test_t_on_another_card_stops_the_first(app, journal, clock):
    async with app.run_test(size=(100, 30)) as pilot:
        await settled(pilot)
        first = board(app).selected_card
        await press(pilot, "t")
        clock.advance(minutes=10)
        await press(pilot, "j", "t")
        second = board(app).selected_card

        assert second.id != first.id
        assert journal.running().card_id == second.id
        [entry] = journal.entries()
        assert (entry.card_id, entry.seconds) == (first.id, 600)
        assert badge_text(app).startswith(f"▶ {second.title[:10]}")


async def test_that_time_stays_local_is_said_once(app, journal, clock):
    async with app.run_test(size=(100, 30)) as pilot:
        await settled(pilot)
        await press(pilot, "t", "j", "t", "t", "k", "t")
        told = [
            message for message in notifications(app) if "kept in Cardboard's journal" in message
        ]
        assert told == ["Time for local (Local board) is kept in Cardboard's journal: "
                        "the service does not log time."]  # fmt: skip


async def test_t_on_the_card_screen_times_that_card(app, journal):
    async with app.run_test(size=(100, 30)) as pilot:
        await settled(pilot)
        await press(pilot, "l", "enter")
        assert isinstance(app.screen, CardScreen)
        await press(pilot, "t")
        assert journal.running().card_id == app.screen.card_id
        assert badge_text(app) is not None  # the badge is on this screen's status bar too
        await press(pilot, "t")
        assert journal.running() is None and len(journal.entries()) == 1


async def test_a_stopped_entry_is_sent_where_the_service_logs_time(tmp_path, journal, clock):
    provider = make_local(tmp_path / "board", TimeLoggingLocal)
    app = record_notifications(CardboardApp(Store(provider), remember=False, journal=journal))
    async with app.run_test(size=(100, 30)) as pilot:
        await settled(pilot)
        await press(pilot, "t")
        clock.advance(minutes=90)
        await press(pilot, "t")

        [entry] = journal.entries()
        assert entry.sync is SyncState.SYNCED and entry.remote_id == "log-1"
        [log] = provider.time_logs.values()
        assert (log.minutes, log.day) == (90, NOW.date())
        assert not any("kept in Cardboard's journal" in message for message in notifications(app))


async def test_a_service_that_runs_timers_runs_ours_too(tmp_path, journal, clock):
    provider = make_local(tmp_path / "board", LiveTimerLocal)
    app = CardboardApp(Store(provider), remember=False, journal=journal)
    async with app.run_test(size=(100, 30)) as pilot:
        await settled(pilot)
        card = board(app).selected_card
        await press(pilot, "t")
        assert list(provider.running) == [f"tracker-{card.id}"]

        clock.advance(minutes=40)
        await press(pilot, "t")
        assert provider.running == {}
        [entry] = journal.entries()
        assert (entry.sync, entry.remote_id) == (SyncState.SYNCED, f"tracker-{card.id}")
        assert provider.time_logs[entry.remote_id].minutes == 40


async def test_time_logged_while_the_service_is_down_is_sent_by_a_later_push(
    tmp_path, journal, clock
):
    provider = make_local(tmp_path / "board", TimeLoggingLocal)
    app = CardboardApp(Store(provider), remember=False, journal=journal)
    async with app.run_test(size=(100, 30)) as pilot:
        await settled(pilot)
        provider.fail["log_time"] = Unavailable("Kaiten is down", status=503)
        await press(pilot, "t")
        clock.advance(minutes=30)
        await press(pilot, "t")
        [entry] = journal.entries()
        assert (entry.sync, entry.sync_error) == (SyncState.PENDING, "Kaiten is down")

        clock.advance(minutes=2)  # past the first retry's backoff
        await app.sync_time().wait()  # what the app runs every minute
        [entry] = journal.entries()
        assert entry.sync is SyncState.SYNCED and len(provider.time_logs) == 1


async def test_the_timer_survives_leaving_the_app(tmp_path, provider, clock):
    first = CardboardApp(Store(provider), remember=False, journal=TimeJournal(tmp_path / "j.db"))
    async with first.run_test(size=(100, 30)) as pilot:
        await settled(pilot)
        await press(pilot, "t")

    clock.advance(minutes=5)
    again = CardboardApp(Store(make_local(tmp_path / "board")), remember=False,
                         journal=TimeJournal(tmp_path / "j.db"))  # fmt: skip
    async with again.run_test(size=(100, 30)) as pilot:
        await settled(pilot)
        assert again.journal.running().started_at == NOW
        assert badge_text(again).endswith(" 0:05:00")


# --- the time screen ------------------------------------------------------------------


def seed_week(journal: TimeJournal) -> None:
    """Time on three cards, two boards and two accounts this week, and some last week."""
    journal.add(ref("Fix login"), at(16, 9), 2 * HOUR, sync=SyncState.LOCAL)
    journal.add(ref("Fix login"), at(18, 14), HOUR // 2, sync=SyncState.LOCAL)
    journal.add(ref("Write docs", board_id="2"), at(18, 9), 3 * HOUR, sync=SyncState.LOCAL)
    journal.add(ref("Billing", account="work"), at(20, 8), HOUR, "call", sync=SyncState.PENDING)
    journal.add(ref("Billing", account="work"), at(13, 10), 5 * HOUR, sync=SyncState.PENDING)


def bar_rows(app: CardboardApp, selector: str) -> dict[str, int]:
    return {str(label): seconds for label, seconds in app.screen.query_one(selector, BarRows).rows}


def fill(app: CardboardApp, **fields: str) -> None:
    """Type into the form's fields by id (typing key by key tests Textual, not us)."""
    for field, value in fields.items():
        app.screen.query_one(f"#{field}", Input).value = value


def table_keys(app: CardboardApp) -> list[str]:
    table = app.screen.query_one("#entries", DataTable)
    return [row.key.value for row in table.ordered_rows]


async def open_time(pilot) -> TimeScreen:
    await settled(pilot)
    await press(pilot, "T")
    assert isinstance(pilot.app.screen, TimeScreen)
    return pilot.app.screen


async def test_the_time_screen_totals_the_week_as_the_journal_has_it(app, journal):
    seed_week(journal)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_time(pilot)
        week = [entry for entry in journal.entries() if entry.started_at >= at(16, 0)]
        assert sorted(table_keys(app)) == sorted(entry.id for entry in week)  # last week's left out

        assert bar_rows(app, "#week") == {
            "Mon 16": 2 * HOUR, "Tue 17": 0, "Wed 18": 3 * HOUR + HOUR // 2,
            "Thu 19": 0, "Today": HOUR, "Sat 21": 0, "Sun 22": 0,
        }  # fmt: skip
        assert bar_rows(app, "#totals") == {
            "Write docs": 3 * HOUR, "Fix login": 2 * HOUR + HOUR // 2, "Billing": HOUR,
        }  # fmt: skip
        title = str(screen.query_one("#time-title", Static).render())
        assert "· 6h 30m · today 1h" in title

        await press(pilot, "g")
        assert bar_rows(app, "#totals") == {"board 2 (local)": 3 * HOUR,
                                            "Cardboard demo": 2 * HOUR + HOUR // 2,
                                            "board 1 (work)": HOUR}  # fmt: skip
        await press(pilot, "g")
        assert bar_rows(app, "#totals") == {"local": 5 * HOUR + HOUR // 2, "work": HOUR}

        await press(pilot, "left_square_bracket")
        assert bar_rows(app, "#week")["Fri 13"] == 5 * HOUR
        assert len(table_keys(app)) == 1


async def test_the_time_screen_follows_the_journal_written_elsewhere(app, journal):
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_time(pilot)
        assert table_keys(app) == []
        added = journal.add(ref("Fix login"), at(20, 8), HOUR, sync=SyncState.LOCAL)  # the CLI
        screen.reload()  # what the screen does every second
        await settled(pilot)
        assert table_keys(app) == [added.id]
        assert bar_rows(app, "#week")["Today"] == HOUR


async def test_each_entry_shows_its_sync_state_and_overlaps(app, journal):
    seed_week(journal)
    overlapping = journal.add(ref("Fix login"), at(16, 10), HOUR, sync=SyncState.LOCAL)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_time(pilot)
        table = screen.query_one("#entries", DataTable)
        rows = {key: [str(cell) for cell in table.get_row(key)] for key in table_keys(app)}
        flagged = {key for key, cells in rows.items() if cells[-1] == "⚠"}
        assert flagged == journal.overlapping(journal.entries()) and overlapping.id in flagged
        assert sorted(cells[-2] for cells in rows.values()) == ["· local"] * 4 + ["↑ pending"]

        table.move_cursor(row=table.get_row_index(overlapping.id))
        await settled(pilot)
        detail = str(screen.query_one("#entry-detail", Static).render())
        assert "⚠ overlaps another entry" in detail and "kept in Cardboard's journal" in detail


async def test_a_refused_entry_shows_the_services_message_and_s_sends_it_again(
    tmp_path, journal, clock
):
    provider = make_local(tmp_path / "board", TimeLoggingLocal)
    refusal = ValidationError("Kaiten: 422", detail="for_date is in a closed period")
    provider.fail["log_time"] = refusal
    entry = journal.add(ref("Fix login"), at(20, 8), HOUR, sync=SyncState.PENDING)
    app = record_notifications(CardboardApp(Store(provider), remember=False, journal=journal))
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_time(pilot)  # the push on start-up was refused
        table = screen.query_one("#entries", DataTable)
        assert str(table.get_row(entry.id)[-2]) == "✗ failed"
        detail = str(screen.query_one("#entry-detail", Static).render())
        assert "✗ not logged: Kaiten: 422: for_date is in a closed period" in detail

        await press(pilot, "s")  # at once, not a day later as a refusal is retried
        assert journal.entries()[0].sync is SyncState.SYNCED
        assert str(table.get_row(entry.id)[-2]) == "✓ synced"
        assert "1 sent." in notifications(app)


async def test_s_says_what_is_still_not_sent(tmp_path, journal):
    provider = make_local(tmp_path / "board", TimeLoggingLocal)
    journal.add(ref("Fix login"), at(20, 8), HOUR, sync=SyncState.PENDING)
    app = record_notifications(CardboardApp(Store(provider), remember=False, journal=journal))
    async with app.run_test(size=(120, 36)) as pilot:
        await open_time(pilot)
        await press(pilot, "s")
        assert "Nothing to send: every entry is logged, or kept here for good." in notifications(
            app
        )

        journal.add(ref("Docs"), at(20, 6), HOUR, sync=SyncState.PENDING)
        provider.fail["log_time"] = Unavailable("Kaiten is down", status=503)
        await press(pilot, "s")
        assert "0 sent; 1 not: Kaiten is down" in notifications(app)


async def test_time_is_added_from_the_screen_as_a_duration_or_a_span(app, journal):
    async with app.run_test(size=(120, 36)) as pilot:
        await open_time(pilot)
        await press(pilot, "a")
        form = app.screen
        assert isinstance(form, TimeEntryForm)
        card_id = form.query_one("#card", Select).value
        fill(app, spent="1h30m")
        await press(pilot, "ctrl+s")

        [entry] = journal.entries()
        assert (entry.card_id, entry.seconds) == (card_id, 90 * 60)
        assert entry.started_at == NOW - timedelta(minutes=90)  # logged today: it ends now
        assert entry.sync is SyncState.LOCAL
        assert table_keys(app) == [entry.id]

        await press(pilot, "a")
        fill(app, spent="13:00-14:30", day="2026-11-19", note="review")
        await press(pilot, "enter")
        added = next(e for e in journal.entries() if e.id != entry.id)
        assert (added.started_at, added.seconds, added.note) == (at(19, 13), 90 * 60, "review")


async def test_bad_time_keeps_the_form_open_with_the_reason(app, journal):
    async with app.run_test(size=(120, 36)) as pilot:
        await open_time(pilot)
        await press(pilot, "a")
        fill(app, spent="14:30-13:00")
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, TimeEntryForm)
        error = str(app.screen.query_one("#form-error", Static).render())
        assert error == "Time: '14:30-13:00' ends before it starts: expected e.g. 13:00-14:30"
        assert app.screen.query_one("#spent", Input).value == "14:30-13:00"

        fill(app, spent="soon")
        await press(pilot, "ctrl+s")
        assert "is not a duration" in str(app.screen.query_one("#form-error", Static).render())
        await press(pilot, "escape")
        assert journal.entries() == []


async def test_the_form_keeps_the_limits_time_log_keeps(app, journal):
    async with app.run_test(size=(120, 36)) as pilot:
        await open_time(pilot)
        await press(pilot, "a")
        fill(app, spent="30h", day="2026-11-18")
        await press(pilot, "ctrl+s")
        error = str(app.screen.query_one("#form-error", Static).render())
        assert isinstance(app.screen, TimeEntryForm) and "is longer than the" in error
        fill(app, spent="1h", day="2026-11-25")
        await press(pilot, "ctrl+s")
        error = str(app.screen.query_one("#form-error", Static).render())
        assert "which is still to come" in error
        await press(pilot, "escape")
        assert journal.entries() == []


async def test_an_entry_is_edited_from_the_screen(app, journal):
    # 07:00 + 2h ends before NOW (09:30): an edit may not reach into the future.
    entry = journal.add(ref("Fix login"), at(20, 7), HOUR, sync=SyncState.LOCAL)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_time(pilot)
        await press(pilot, "e")
        assert app.screen.query_one("#spent", Input).value == "07:00-08:00"
        fill(app, spent="2h", note="pairing")
        await press(pilot, "ctrl+s")

        [edited] = journal.entries()
        assert (edited.id, edited.started_at, edited.seconds, edited.note) == (
            entry.id, at(20, 7), 2 * HOUR, "pairing",
        )  # fmt: skip
        assert "2h" in str(app.screen.query_one("#time-title", Static).render())


async def test_an_entry_is_deleted_only_when_confirmed(app, journal):
    kept = journal.add(ref("Fix login"), at(20, 8), HOUR, sync=SyncState.LOCAL)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_time(pilot)
        await press(pilot, "d")
        assert isinstance(app.screen, ConfirmScreen)
        await press(pilot, "n")
        assert journal.entries() == [kept]

        await press(pilot, "d", "y")
        assert journal.entries() == [] and table_keys(app) == []


# --- the long-timer prompt ------------------------------------------------------------


def started_hours_ago(journal: TimeJournal, clock, hours: float) -> None:
    clock.move_to(NOW - timedelta(hours=hours))
    journal.start(ref("Fix login"), sync=SyncState.LOCAL)
    clock.move_to(NOW)


async def test_a_short_timer_asks_nothing(app, journal, clock):
    started_hours_ago(journal, clock, 7.5)
    async with app.run_test(size=(100, 30)) as pilot:
        await settled(pilot)
        assert isinstance(app.screen, BoardScreen)


async def test_a_long_timer_is_kept_running(app, journal, clock):
    started_hours_ago(journal, clock, 10)
    async with app.run_test(size=(100, 30)) as pilot:
        await settled(pilot)
        assert isinstance(app.screen, TimerPromptScreen)
        await press(pilot, "k")
        assert isinstance(app.screen, BoardScreen)
        assert journal.running().started_at == NOW - timedelta(hours=10)
        assert journal.entries() == []


@pytest.mark.parametrize(
    ("field", "typed", "seconds"),
    [("#stopped-at", "01:30", 2 * HOUR), ("#worked", "3h15m", 3 * HOUR + 15 * 60)],
)
async def test_a_long_timer_is_trimmed_to_an_end_or_a_length(
    app, journal, clock, field, typed, seconds
):
    started_hours_ago(journal, clock, 10)  # since 23:30 yesterday
    async with app.run_test(size=(100, 30)) as pilot:
        await settled(pilot)
        await press(pilot, "t")
        app.screen.query_one(field, Input).value = typed
        await press(pilot, "enter")

        assert journal.running() is None
        [entry] = journal.entries()
        assert (entry.started_at, entry.seconds) == (NOW - timedelta(hours=10), seconds)


async def test_a_trim_that_makes_no_sense_keeps_the_prompt_open_and_says_why(app, journal, clock):
    started_hours_ago(journal, clock, 10)
    async with app.run_test(size=(100, 30)) as pilot:
        await settled(pilot)
        await press(pilot, "t")
        app.screen.query_one("#worked", Input).value = "11h"
        await press(pilot, "enter")
        error = str(app.screen.query_one("#trim-error", Static).render())
        assert error == "Worked for: the timer has only been running 10h."
        assert isinstance(app.screen, TimerPromptScreen) and journal.running() is not None


TIMER = Timer(account="local", board_id="1", card_id="7", card_title="Fix login",
              started_at=NOW - timedelta(hours=10))  # fmt: skip


@pytest.mark.parametrize(
    ("stopped_at", "worked", "end"),
    [
        ("01:30", "", at(20, 1, 30)),
        ("23:45", "", at(19, 23, 45)),  # the last 23:45 since the start: yesterday's
        (" 9:30 ", "", NOW),
        ("", "90m", at(20, 1)),
        ("02:00", "5h", at(20, 2)),  # the clock time wins when both are typed
    ],
)
def test_trimmed_end_is_the_moment_the_user_means(stopped_at, worked, end):
    assert trimmed_end(TIMER, stopped_at=stopped_at, worked=worked, now=NOW) == end


@pytest.mark.parametrize(
    ("stopped_at", "worked", "problem"),
    [
        ("22:00", "", "Stopped at: 22:00 is before the timer started (Thu 19 Nov 23:30)."),
        ("25:00", "", "Stopped at: '25:00' is not a time like 17:30."),
        ("", "11h", "Worked for: the timer has only been running 10h."),
        (
            "",
            "lots",
            "Worked for: 'lots' is not a duration: expected e.g. 1h30m, 90m, 1.5h or 1:30",
        ),
        ("", " ", "Type when you stopped (17:30) or how long you worked (1h30m)."),
    ],
)
def test_a_trim_that_makes_no_sense_says_why(stopped_at, worked, problem):
    with pytest.raises(ValueError) as refused:
        trimmed_end(TIMER, stopped_at=stopped_at, worked=worked, now=NOW)
    assert str(refused.value) == problem


# --- text bars ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("seconds", "most", "width", "drawn"),
    [
        (8, 8, 4, "████"),
        (4, 8, 4, "██"),
        (5, 8, 4, "██▌"),
        (1, 1000, 4, "▏"),  # any time at all shows
        (0, 8, 4, ""),
        (8, 8, 0, ""),
    ],
)
def test_bars_are_block_characters_scaled_to_the_longest(seconds, most, width, drawn):
    assert bar(seconds, most, width) == drawn
