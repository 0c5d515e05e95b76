"""The time journal: the running timer, entries, overlaps and reports (no services here)."""

from __future__ import annotations

import dataclasses
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import NOW
from tests.support.clock import FakeClock
from tests.support.time import local_timezone
from tui.core import paths
from tui.core.cache import Cache
from tui.core.errors import DatabaseError
from tui.core.models import Board, SyncState, TimeEntry
from tui.core.time import CardRef, TimeJournal, default_start, report
from tui.core.time.reports import cached_board_names

REPO = Path(__file__).resolve().parents[1]
DOCS = CardRef(account="work", board_id="10", card_id="101", card_title="Write the docs")
CI = CardRef(account="work", board_id="10", card_id="102", card_title="Fix CI")
LOCAL_CARD = CardRef(account="local", board_id="1", card_id="7", card_title="Water the plants")
TOKYO = "JST-9"


@pytest.fixture
def journal(tmp_path: Path, clock: FakeClock) -> Iterator[TimeJournal]:
    journal = TimeJournal(tmp_path / "journal.db", now=clock)
    yield journal
    journal.close()


def at(hour: int, minute: int = 0, day: int = 20) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)


# --- the timer --------------------------------------------------------------------------


def test_a_started_timer_is_on_disk_at_once(journal: TimeJournal, clock: FakeClock):
    timer, stopped = journal.start(DOCS, sync=SyncState.PENDING)
    assert stopped is None
    assert (timer.card_title, timer.started_at) == ("Write the docs", NOW)
    other = TimeJournal(journal.path, now=clock)
    try:
        assert other.running() == timer
    finally:
        other.close()


def test_the_journal_lives_in_the_data_dir():
    journal = TimeJournal()
    try:
        assert journal.path == paths.data_dir() / "journal.db" == paths.journal_database()
        assert journal.path.exists()
    finally:
        journal.close()


def test_a_timer_survives_kill_9(tmp_path: Path):
    """A process starts a timer and is killed with SIGKILL; the next one finds it running."""
    path = tmp_path / "journal.db"
    script = textwrap.dedent(
        """
        import sys
        from pathlib import Path
        from tui.core.models import SyncState
        from tui.core.time import CardRef, TimeJournal

        journal = TimeJournal(Path(sys.argv[1]))
        timer, _ = journal.start(CardRef("work", "10", "101", "Write the docs"), sync=SyncState.PENDING)
        print(timer.started_at.isoformat(), flush=True)
        sys.stdin.read()  # keep the journal open until killed
        """
    )
    process = subprocess.Popen(
        [sys.executable, "-c", script, str(path)],
        cwd=REPO,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        started_at = datetime.fromisoformat(process.stdout.readline().strip())
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
        process.stdin.close()
        process.stdout.close()
    assert process.returncode == -signal.SIGKILL
    journal = TimeJournal(path)
    try:
        timer = journal.running()
        assert timer is not None
        assert (timer.card_id, timer.started_at) == ("101", started_at)
        entry = journal.stop()
        assert entry is not None and entry.started_at == started_at
    finally:
        journal.close()


def test_starting_another_card_stops_the_first(journal: TimeJournal, clock: FakeClock):
    journal.start(DOCS, sync=SyncState.PENDING)
    clock.advance(minutes=25)
    timer, stopped = journal.start(LOCAL_CARD, sync=SyncState.LOCAL)
    assert timer.card_id == "7" and timer.started_at == NOW + timedelta(minutes=25)
    assert stopped is not None
    assert (stopped.card_id, stopped.started_at, stopped.seconds) == ("101", NOW, 25 * 60)
    assert stopped.sync is SyncState.PENDING  # the state its own account's entries start in
    clock.advance(minutes=5)
    last = journal.stop()
    assert last is not None and (last.card_id, last.seconds, last.sync) == (
        "7",
        300,
        SyncState.LOCAL,
    )
    assert journal.running() is None
    assert [e.id for e in journal.entries()] == [stopped.id, last.id]


def test_stop_without_a_timer_is_none(journal: TimeJournal):
    assert journal.stop() is None
    assert journal.entries() == []


def test_a_timer_stopped_the_instant_it_started_records_a_second(journal: TimeJournal):
    journal.start(DOCS, sync=SyncState.PENDING)
    entry = journal.stop()
    assert entry is not None and entry.seconds == 1


def test_trim_stops_at_an_earlier_end(journal: TimeJournal, clock: FakeClock):
    journal.start(DOCS, sync=SyncState.PENDING)
    clock.advance(hours=9)
    entry = journal.stop(end=NOW + timedelta(hours=1, minutes=15))
    assert entry is not None and entry.seconds == 75 * 60


@pytest.mark.parametrize(
    ("end", "problem"),
    [
        (NOW - timedelta(minutes=1), "cannot end at 2026-11-20 09:29, before that"),
        (NOW, "cannot end at 2026-11-20 09:30, before that"),
        (NOW + timedelta(hours=3), "cannot end at 2026-11-20 12:30, which is still to come"),
    ],
)
def test_a_bad_end_is_refused_and_the_timer_keeps_running(
    journal: TimeJournal, clock: FakeClock, end: datetime, problem: str
):
    timer, _ = journal.start(DOCS, sync=SyncState.PENDING)
    clock.advance(hours=1)
    with pytest.raises(ValueError, match=problem):
        journal.stop(end=end)
    assert journal.running() == timer
    assert journal.entries() == []


# --- entries ----------------------------------------------------------------------------


def test_added_entries_keep_everything_they_were_given(journal: TimeJournal):
    entry = journal.add(DOCS, at(13), 5400, "pairing", sync=SyncState.PENDING)
    assert dataclasses.asdict(entry) == {
        "id": entry.id,
        "account": "work",
        "board_id": "10",
        "card_id": "101",
        "card_title": "Write the docs",
        "started_at": at(13),
        "seconds": 5400,
        "note": "pairing",
        "sync": SyncState.PENDING,
        "remote_id": None,
        "sync_error": None,
    }
    assert journal.entries() == [entry]


def test_a_naive_start_is_local_time(journal: TimeJournal):
    with local_timezone(TOKYO):
        entry = journal.add(DOCS, datetime(2026, 11, 20, 13, 0), 60, sync=SyncState.LOCAL)
    assert entry.started_at == at(4)


@pytest.mark.parametrize("seconds", [0, -60])
def test_an_entry_must_last(journal: TimeJournal, seconds: int):
    with pytest.raises(ValueError, match="must last longer than zero"):
        journal.add(DOCS, at(13), seconds, sync=SyncState.LOCAL)
    entry = journal.add(DOCS, at(13), 60, sync=SyncState.LOCAL)
    with pytest.raises(ValueError, match="must last longer than zero"):
        journal.edit(entry.id, seconds=seconds)
    assert journal.entries() == [entry]


def test_editing_changes_only_what_is_given(journal: TimeJournal):
    entry = journal.add(LOCAL_CARD, at(13), 600, "first", sync=SyncState.LOCAL)
    edited = journal.edit(entry.id, note="second")
    assert edited == dataclasses.replace(entry, note="second")
    moved = journal.edit(entry.id, started_at=at(8), seconds=1200)
    assert (moved.started_at, moved.seconds, moved.note, moved.sync) == (
        at(8),
        1200,
        "second",
        SyncState.LOCAL,
    )
    assert journal.entries() == [moved]


def test_unknown_entries_cannot_be_edited_or_deleted(journal: TimeJournal):
    with pytest.raises(ValueError, match="no time entry 'nope'"):
        journal.edit("nope", note="x")
    with pytest.raises(ValueError, match="no time entry 'nope'"):
        journal.delete("nope")


def test_an_entry_never_sent_is_deleted_at_once(journal: TimeJournal):
    kept = journal.add(DOCS, at(8), 600, sync=SyncState.PENDING)
    gone = journal.add(DOCS, at(9), 600, sync=SyncState.PENDING)
    local = journal.add(LOCAL_CARD, at(10), 600, sync=SyncState.LOCAL)
    journal.delete(gone.id)
    journal.delete(local.id)
    assert journal.entries() == [kept]
    rows = sqlite3.connect(journal.path).execute("SELECT id FROM entries").fetchall()
    assert rows == [(kept.id,)]


def test_entries_are_oldest_first_within_inclusive_days(journal: TimeJournal):
    late = journal.add(DOCS, at(23, 30, day=19), 600, sync=SyncState.LOCAL)
    early = journal.add(DOCS, at(0, 0, day=19), 600, sync=SyncState.LOCAL)
    today = journal.add(DOCS, at(9), 600, sync=SyncState.LOCAL)
    tomorrow = journal.add(DOCS, at(0, 0, day=21), 600, sync=SyncState.LOCAL)
    assert journal.entries() == [early, late, today, tomorrow]
    assert journal.entries(since=date(2026, 11, 19), until=date(2026, 11, 19)) == [early, late]
    assert journal.entries(since=date(2026, 11, 20)) == [today, tomorrow]
    assert journal.entries(until=date(2026, 11, 20)) == [early, late, today]


def test_days_are_local_days(journal: TimeJournal):
    """At 23:30 UTC it is already the next morning in Tokyo."""
    entry = journal.add(DOCS, at(23, 30, day=19), 600, sync=SyncState.LOCAL)
    with local_timezone(TOKYO):
        assert journal.entries(since=date(2026, 11, 20), until=date(2026, 11, 20)) == [entry]
        assert journal.entries(until=date(2026, 11, 19)) == []
        assert [row.key for row in report([entry], "day")] == ["2026-11-20"]


def test_overlapping_entries_are_flagged(journal: TimeJournal):
    long = journal.add(DOCS, at(9), 3 * 3600, sync=SyncState.LOCAL)  # 09:00-12:00
    inside = journal.add(CI, at(10), 600, sync=SyncState.LOCAL)  # within it
    touching = journal.add(CI, at(12), 600, sync=SyncState.LOCAL)  # starts as it ends
    apart = journal.add(LOCAL_CARD, at(14), 600, sync=SyncState.LOCAL)
    crossing = journal.add(LOCAL_CARD, at(14, 5), 600, sync=SyncState.LOCAL)
    assert journal.overlapping(journal.entries()) == {long.id, inside.id, apart.id, crossing.id}
    assert journal.overlapping([long, touching]) == set()


def test_a_file_that_is_not_a_journal_is_left_alone(tmp_path: Path):
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE notes (text TEXT)")
    with pytest.raises(DatabaseError, match="not a Cardboard time journal"):
        TimeJournal(other)
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(DatabaseError, match="cannot open the time journal"):
        TimeJournal(garbage)


def test_a_newer_journal_is_refused(tmp_path: Path):
    path = tmp_path / "journal.db"
    TimeJournal(path).close()
    db = sqlite3.connect(path)
    db.execute("PRAGMA user_version = 99")
    db.close()
    with pytest.raises(DatabaseError, match="schema version 99, newer than"):
        TimeJournal(path)


# --- where a bare duration goes ---------------------------------------------------------


def test_a_bare_duration_starts_at_nine_on_an_empty_day(journal: TimeJournal):
    day = date(2026, 11, 18)
    assert default_start(day, 3600, [], now=NOW) == datetime(2026, 11, 18, 9, 0, tzinfo=UTC)


def test_a_bare_duration_follows_the_days_last_entry(journal: TimeJournal):
    journal.add(DOCS, at(9, day=18), 3600, sync=SyncState.LOCAL)
    journal.add(DOCS, at(13, day=18), 1800, sync=SyncState.LOCAL)
    journal.add(DOCS, at(15, day=17), 1800, sync=SyncState.LOCAL)
    start = default_start(date(2026, 11, 18), 3600, journal.entries(), now=NOW)
    assert start == at(13, 30, day=18)


def test_a_bare_duration_today_ends_by_now(journal: TimeJournal):
    assert default_start(NOW.date(), 3600, [], now=NOW) == NOW - timedelta(hours=1)
    assert default_start(NOW.date(), 12 * 3600, [], now=NOW) == at(0)


# --- reports ----------------------------------------------------------------------------


def test_report_rows_name_and_total_their_groups(journal: TimeJournal):
    renamed_since = dataclasses.replace(DOCS, card_title="Docs (old title)")
    journal.add(renamed_since, at(9, day=19), 600, sync=SyncState.LOCAL)
    journal.add(DOCS, at(9), 1800, sync=SyncState.LOCAL)
    journal.add(CI, at(11), 3600, sync=SyncState.LOCAL)
    journal.add(LOCAL_CARD, at(12), 300, sync=SyncState.LOCAL)
    entries = journal.entries()
    assert [(r.key, r.label, r.seconds, r.entries) for r in report(entries, "day")] == [
        ("2026-11-19", "Thu 2026-11-19", 600, 1),
        ("2026-11-20", "Fri 2026-11-20", 5700, 3),
    ]
    assert [(r.key, r.label, r.seconds, r.entries) for r in report(entries, "card")] == [
        ("work/10/102", "Fix CI", 3600, 1),
        ("work/10/101", "Write the docs", 2400, 2),
        ("local/1/7", "Water the plants", 300, 1),
    ]
    assert [(r.key, r.label, r.seconds) for r in report(entries, "board")] == [
        ("work/10", "board 10 (work)", 6000),
        ("local/1", "board 1 (local)", 300),
    ]
    assert [(r.key, r.seconds, r.entries) for r in report(entries, "account")] == [
        ("work", 6000, 3),
        ("local", 300, 1),
    ]


def test_same_ids_on_two_accounts_are_two_cards():
    one = TimeEntry(
        id="a",
        account="kaiten",
        board_id="1",
        card_id="1",
        card_title="A",
        started_at=NOW,
        seconds=60,
    )
    two = dataclasses.replace(one, id="b", account="local", card_title="B")
    assert {row.label for row in report([one, two], "card")} == {"A", "B"}
    assert len(report([one, two], "board")) == 2


_entries = st.lists(
    st.builds(
        TimeEntry,
        id=st.uuids().map(lambda u: u.hex[:12]),
        account=st.sampled_from(["local", "work", "home"]),
        board_id=st.sampled_from(["1", "2"]),
        card_id=st.sampled_from(["1", "2", "3"]),
        card_title=st.sampled_from(["Alpha", "Beta"]),
        started_at=st.datetimes(
            min_value=datetime(2026, 11, 1),
            max_value=datetime(2026, 11, 30),
            timezones=st.just(UTC),
        ),
        seconds=st.integers(min_value=1, max_value=10 * 3600),
        note=st.just(""),
    ),
    max_size=30,
)


@settings(max_examples=50)
@given(_entries)
def test_report_totals_equal_the_sum_of_the_entries_for_every_grouping(entries: list[TimeEntry]):
    group_of = {
        "day": lambda e: e.started_at.astimezone().date().isoformat(),
        "card": lambda e: f"{e.account}/{e.board_id}/{e.card_id}",
        "board": lambda e: f"{e.account}/{e.board_id}",
        "account": lambda e: e.account,
    }
    for by, key in group_of.items():
        rows = report(entries, by)
        assert sum(row.seconds for row in rows) == sum(e.seconds for e in entries)
        assert sum(row.entries for row in rows) == len(entries)
        seconds: dict[str, int] = {}
        counts: dict[str, int] = {}
        for entry in entries:
            seconds[key(entry)] = seconds.get(key(entry), 0) + entry.seconds
            counts[key(entry)] = counts.get(key(entry), 0) + 1
        assert len({row.key for row in rows}) == len(rows)  # one row per group
        assert {row.key: row.seconds for row in rows} == seconds
        assert {row.key: row.entries for row in rows} == counts


# --- exact seconds: back-to-back timers never overlap -------------------------------------


@pytest.mark.parametrize("gap", [timedelta(seconds=10.7), timedelta(milliseconds=300)])
def test_back_to_back_timers_never_overlap(journal: TimeJournal, clock: FakeClock, gap: timedelta):
    clock.move_to(NOW + timedelta(microseconds=600_000))
    journal.start(DOCS, sync=SyncState.LOCAL)
    clock.advance(seconds=gap.total_seconds())
    timer, first = journal.start(CI, sync=SyncState.LOCAL)
    assert first is not None
    assert first.started_at + timedelta(seconds=first.seconds) <= timer.started_at
    clock.advance(seconds=gap.total_seconds())
    second = journal.stop()
    assert second is not None
    assert journal.overlapping([first, second]) == set()
    assert second.started_at == timer.started_at


def test_timers_run_on_whole_seconds(journal: TimeJournal, clock: FakeClock):
    clock.move_to(NOW + timedelta(seconds=5, microseconds=999_000))
    timer, _ = journal.start(DOCS, sync=SyncState.LOCAL)
    assert timer.started_at == NOW + timedelta(seconds=5)
    clock.advance(minutes=25)
    entry = journal.stop()
    assert entry is not None and entry.seconds == 25 * 60


def test_a_damaged_journal_can_be_kept_unavailable(tmp_path: Path):
    path = tmp_path / "journal.db"
    path.write_bytes(b"not a database " * 100)
    with pytest.raises(DatabaseError, match="time tracking is off"):
        TimeJournal(path)
    journal = TimeJournal.open_or_unavailable(path)
    assert journal.problem is not None and str(path) in journal.problem
    assert (journal.running(), journal.entries()) == (None, [])
    with pytest.raises(DatabaseError, match="time tracking is off"):
        journal.start(DOCS, sync=SyncState.LOCAL)
    journal.close()
    assert path.read_bytes() == b"not a database " * 100


def test_board_names_come_from_each_accounts_cache_and_fall_back_to_ids(journal: TimeJournal):
    cache = Cache.for_account("work")
    cache.save_boards((Board(id="7", name="Website"),), datetime.now(UTC))
    cache.close()
    names = cached_board_names({"work", "home"})
    assert names == {"work/7": "work › Website"}
    known = journal.add(CardRef("work", "7", "1", "Fix login"), NOW, 600, sync=SyncState.LOCAL)
    other = journal.add(CardRef("home", "3", "9", "Paint"), NOW, 300, sync=SyncState.LOCAL)
    rows = {row.key: row.label for row in report([known, other], "board", board_names=names)}
    assert rows == {"work/7": "work › Website", "home/3": "board 3 (home)"}
