"""The journal: the running timer and the time entries, in one SQLite file.

The file is `paths.journal_database()` (data_dir/journal.db), opened through
tui.core.sqlite like every Cardboard database. Every write is committed before the
method returns, so a `kill -9` loses nothing: a timer is on disk the moment it starts
and, in the next process, is still running from its original start. Times are stored
in UTC, to the microsecond; an entry's length is whole seconds.

The methods whose names start with an underscore are TimeSync's (tui.core.time.sync):
claiming entries, recording what a push did.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from pathlib import Path

from tui.core import paths
from tui.core.errors import DatabaseError
from tui.core.models import SyncState, TimeEntry, Timer
from tui.core.sqlite import transaction
from tui.core.time.journal_rows import (
    DUE,
    entry_from,
    insert_entry,
    live_row,
    new_id,
    open_journal,
    stop_timer,
    timer_from,
)
from tui.core.time.moments import (
    clock,
    end_of,
    local_midnight,
    moment,
    stamp,
    utc,
    utc_now,
    whole_second,
)

CLAIM_LEASE = timedelta(minutes=5)
"""How long a pass owns an entry it pushes; a pass killed midway frees it by expiring."""

# timer: the one running timer; remote_id is the service's running timer (LIVE_TIMER).
# entries.revision: bumped by every edit, so a push marks SYNCED only what it sent.


@dataclass(frozen=True)
class CardRef:
    account: str
    board_id: str
    card_id: str
    card_title: str


@dataclass(frozen=True)
class Work:
    """An entry a sync pass has claimed, with what the pass needs beyond the model."""

    entry: TimeEntry
    revision: int
    attempts: int
    in_doubt: bool
    deleted: bool


class TimeJournal:
    """The running timer and the journal of entries, in one SQLite file (paths: data_dir/journal.db).
    Every write is committed before the method returns (a kill -9 loses nothing).

    Raises DatabaseError when the file cannot be opened (damaged, not ours, newer);
    `unavailable()` is the stand-in the TUI keeps then, so the boards still open.
    """

    problem: str | None = None
    """Why time tracking is off (the journal cannot be opened); None when it works."""

    def __init__(self, path: Path | None = None, *, now: Callable[[], datetime] = utc_now):
        self.path = path or paths.journal_database()
        self._now = now
        self._db: sqlite3.Connection | None = open_journal(self.path)

    @classmethod
    def open_or_unavailable(cls, path: Path | None = None) -> TimeJournal:
        """The journal; or, when it cannot be opened, `unavailable()` saying why (the TUI
        keeps working on the boards)."""
        try:
            return cls(path)
        except DatabaseError as problem:
            return cls.unavailable(path or paths.journal_database(), str(problem))

    @classmethod
    def unavailable(cls, path: Path, problem: str) -> TimeJournal:
        """A journal that could not be opened: it reads as empty, and every write raises
        DatabaseError saying `problem`."""
        journal = cls.__new__(cls)
        journal.path, journal._now, journal._db = path, utc_now, None
        journal.problem = problem
        return journal

    def close(self) -> None:
        if self._db is not None:
            self._db.close()

    # --- the timer --------------------------------------------------------------------

    def running(self) -> Timer | None:
        if self.problem:
            return None
        with self._session() as db:
            row = db.execute("SELECT * FROM timer").fetchone()
        return timer_from(row) if row else None

    def start(self, card: CardRef, *, sync: SyncState) -> tuple[Timer, TimeEntry | None]:
        """Start a timer on `card`; a timer already running (on any card) is stopped first and
        its entry returned. `sync` is the state the entries of this card's account start in
        (PENDING where the provider logs time, LOCAL where it does not).

        Timers start and stop on whole seconds, so the stopped timer's entry ends exactly
        where the new timer starts: back-to-back timers never overlap.
        """
        now = whole_second(utc(self._now()))
        with self._session(write=True) as db:
            previous = stop_timer(db, now)
            if previous is not None:  # stopped within its first second: it still lasted one
                now = max(now, end_of(previous))
            db.execute(
                "INSERT INTO timer (id, account, board_id, card_id, card_title, started_at, sync)"
                " VALUES (1, ?, ?, ?, ?, ?, ?)",
                (card.account, card.board_id, card.card_id, card.card_title, stamp(now), sync),
            )
        timer = Timer(
            account=card.account,
            board_id=card.board_id,
            card_id=card.card_id,
            card_title=card.card_title,
            started_at=now,
        )
        return timer, previous

    def stop(self, *, end: datetime | None = None) -> TimeEntry | None:
        """Stop the running timer (at `end`, default now: "trim" passes an earlier end);
        None if none runs."""
        now = whole_second(utc(self._now()))
        with self._session(write=True) as db:
            row = db.execute("SELECT started_at FROM timer").fetchone()
            if row is None:
                return None
            if end is not None:
                end = whole_second(utc(end))
                _check_end(end, moment(row["started_at"]), now)
            return stop_timer(db, end if end is not None else now)

    # --- entries ----------------------------------------------------------------------

    def add(
        self, card: CardRef, started_at: datetime, seconds: int, note: str = "", *, sync: SyncState
    ) -> TimeEntry:
        _check_seconds(seconds)
        entry = TimeEntry(
            id=new_id(),
            account=card.account,
            board_id=card.board_id,
            card_id=card.card_id,
            card_title=card.card_title,
            started_at=utc(started_at),
            seconds=seconds,
            note=note,
            sync=sync,
        )
        with self._session(write=True) as db:
            insert_entry(db, entry)
        return entry

    def edit(
        self,
        entry_id: str,
        *,
        started_at: datetime | None = None,
        seconds: int | None = None,
        note: str | None = None,
    ) -> TimeEntry:
        """A synced entry that is edited becomes PENDING again (the change must reach the service).

        A FAILED or PENDING entry is queued to be tried at once; so `edit(entry_id)` with
        nothing changed is how to retry an entry now.
        """
        if seconds is not None:
            _check_seconds(seconds)
        with self._session(write=True) as db:
            entry = entry_from(live_row(db, entry_id))
            changed = replace(
                entry,
                started_at=utc(started_at) if started_at is not None else entry.started_at,
                seconds=seconds if seconds is not None else entry.seconds,
                note=note if note is not None else entry.note,
                sync=SyncState.LOCAL if entry.sync is SyncState.LOCAL else SyncState.PENDING,
                sync_error=None,
            )
            db.execute(
                "UPDATE entries SET started_at = ?, seconds = ?, note = ?, sync = ?,"
                " sync_error = NULL, attempts = 0, next_attempt_at = NULL,"
                " revision = revision + 1 WHERE id = ?",
                (stamp(changed.started_at), changed.seconds, changed.note, changed.sync, entry_id),
            )
        return changed

    def delete(self, entry_id: str) -> None:
        """A synced entry is deleted on the service too at the next sync (tombstone), then here."""
        with self._session(write=True) as db:
            row = live_row(db, entry_id)
            never_sent = row["remote_id"] is None and not row["in_doubt"]
            if row["sync"] == SyncState.LOCAL or never_sent:
                db.execute("DELETE FROM entries WHERE id = ?", (entry_id,))
                return
            db.execute(
                "UPDATE entries SET deleted = 1, sync = 'pending', sync_error = NULL, attempts = 0,"
                " next_attempt_at = NULL, revision = revision + 1 WHERE id = ?",
                (entry_id,),
            )

    def entries(self, *, since: date | None = None, until: date | None = None) -> list[TimeEntry]:
        """Oldest first; since/until are inclusive local dates of started_at."""
        if self.problem:
            return []
        clauses, values = ["deleted = 0"], []
        if since is not None:
            clauses.append("started_at >= ?")
            values.append(stamp(local_midnight(since)))
        if until is not None:
            clauses.append("started_at < ?")
            values.append(stamp(local_midnight(until + timedelta(days=1))))
        with self._session() as db:
            rows = db.execute(
                f"SELECT * FROM entries WHERE {' AND '.join(clauses)} ORDER BY started_at, id",
                values,
            ).fetchall()
        return [entry_from(row) for row in rows]

    def overlapping(self, entries: Iterable[TimeEntry]) -> set[str]:
        """Ids of entries whose time overlaps another's (allowed, but flagged)."""
        ordered = sorted(entries, key=lambda entry: entry.started_at)
        flagged: set[str] = set()
        for index, entry in enumerate(ordered):
            end = end_of(entry)
            # Later entries start no earlier: each one starting before `end` overlaps.
            for later in ordered[index + 1 :]:
                if later.started_at >= end:
                    break
                flagged |= {entry.id, later.id}
        return flagged

    # --- for TimeSync -----------------------------------------------------------------

    def _entry(self, entry_id: str) -> TimeEntry | None:
        with self._session() as db:
            row = db.execute(
                "SELECT * FROM entries WHERE id = ? AND deleted = 0", (entry_id,)
            ).fetchone()
        return entry_from(row) if row else None

    def _due(self, now: datetime) -> list[str]:
        if self.problem:
            return []
        with self._session() as db:
            rows = db.execute(
                f"SELECT id FROM entries WHERE {DUE} ORDER BY started_at, id",
                {"now": stamp(now)},
            ).fetchall()
        return [row["id"] for row in rows]

    def _claim(self, entry_id: str, now: datetime) -> Work | None:
        """Take the entry for one push, if it is due and nobody else has it."""
        with self._session(write=True) as db:
            claimed = db.execute(
                f"UPDATE entries SET claimed_until = :until WHERE id = :id AND {DUE}",
                {"id": entry_id, "now": stamp(now), "until": stamp(now + CLAIM_LEASE)},
            ).rowcount
            if not claimed:
                return None
            row = db.execute("SELECT * FROM entries WHERE id = ?", (entry_id,)).fetchone()
        return Work(
            entry=entry_from(row),
            revision=row["revision"],
            attempts=row["attempts"],
            in_doubt=bool(row["in_doubt"]),
            deleted=bool(row["deleted"]),
        )

    def _remote_ids(self, account: str) -> set[str]:
        """The service ids the journal already owns, tombstones included."""
        with self._session() as db:
            rows = db.execute(
                "SELECT remote_id FROM entries WHERE account = ? AND remote_id IS NOT NULL",
                (account,),
            ).fetchall()
        return {row["remote_id"] for row in rows}

    def _set_remote_id(self, entry_id: str, remote_id: str | None) -> None:
        """The log found after a lost answer, or none when the service no longer has it."""
        with self._session(write=True) as db:
            db.execute(
                "UPDATE entries SET remote_id = ?, in_doubt = 0 WHERE id = ?",
                (remote_id, entry_id),
            )

    def _posting(self, entry_id: str) -> bool:
        """Mark the entry in doubt before its log is posted; False if it was deleted meanwhile."""
        with self._session(write=True) as db:
            return bool(
                db.execute(
                    "UPDATE entries SET in_doubt = 1 WHERE id = ? AND deleted = 0", (entry_id,)
                ).rowcount
            )

    def _synced(self, work: Work, remote_id: str) -> None:
        """Logged: SYNCED, unless the entry was edited or deleted while it was sent."""
        with self._session(write=True) as db:
            db.execute(
                "UPDATE entries SET remote_id = ?, in_doubt = 0, attempts = 0, sync_error = NULL,"
                " next_attempt_at = NULL, claimed_until = NULL,"
                " sync = CASE WHEN revision = ? AND deleted = 0 THEN 'synced' ELSE 'pending' END"
                " WHERE id = ?",
                (remote_id, work.revision, work.entry.id),
            )

    def _kept_local(self, work: Work) -> None:
        """The account's service keeps no time (any more): the entry lives here only."""
        with self._session(write=True) as db:
            db.execute(
                "UPDATE entries SET sync = 'local', sync_error = NULL, next_attempt_at = NULL,"
                " claimed_until = NULL WHERE id = ?",
                (work.entry.id,),
            )

    def _forget(self, work: Work) -> None:
        """A tombstone whose log is gone from the service (or never reached one)."""
        with self._session(write=True) as db:
            db.execute("DELETE FROM entries WHERE id = ?", (work.entry.id,))

    def _failed(
        self, work: Work, error: str, state: SyncState, retry_at: datetime, *, refused: bool
    ) -> None:
        """Record a failed attempt. A refused post did not land; a refused delete brings
        the entry back, FAILED, so the user sees that its log is still on the service."""
        with self._session(write=True) as db:
            db.execute(
                "UPDATE entries SET sync = ?, sync_error = ?, attempts = attempts + 1,"
                " next_attempt_at = ?, claimed_until = NULL,"
                " in_doubt = CASE WHEN ? THEN 0 ELSE in_doubt END,"
                " deleted = CASE WHEN ? THEN 0 ELSE deleted END"
                " WHERE id = ? AND revision = ?",
                (state, error, stamp(retry_at), refused, refused, work.entry.id, work.revision),
            )
            # Edited while it failed: the edit queued it again, only the claim is ours.
            db.execute("UPDATE entries SET claimed_until = NULL WHERE id = ?", (work.entry.id,))

    def _attach_tracker(self, timer: Timer, remote_id: str) -> bool:
        """Remember the service's running timer; False if this timer has stopped meanwhile."""
        with self._session(write=True) as db:
            return bool(
                db.execute(
                    "UPDATE timer SET remote_id = ? WHERE account = ? AND card_id = ?"
                    " AND started_at = ?",
                    (remote_id, timer.account, timer.card_id, stamp(timer.started_at)),
                ).rowcount
            )

    # --- the database -----------------------------------------------------------------

    @contextmanager
    def _session(self, *, write: bool = False) -> Iterator[sqlite3.Connection]:
        """One transaction, committed when the block ends; IMMEDIATE when it writes."""
        if self._db is None:
            raise DatabaseError(self.problem or f"time journal {self.path} is closed")
        try:
            with transaction(self._db, write=write) as db:
                yield db
        except sqlite3.Error as error:
            raise DatabaseError(f"time journal {self.path}: {error}") from error


# --- checks ---------------------------------------------------------------------------


def _check_seconds(seconds: int) -> None:
    if seconds <= 0:
        raise ValueError(f"a time entry must last longer than zero (got {seconds} s)")


def _check_end(end: datetime, started_at: datetime, now: datetime) -> None:
    if end <= started_at:
        raise ValueError(
            f"the timer started at {clock(started_at)}: it cannot end at {clock(end)}, before that"
        )
    if end > now:
        raise ValueError(f"the timer cannot end at {clock(end)}, which is still to come")
