"""The journal's SQLite side: its schema, and turning rows into timers and entries.

tui.core.time.journal is the API; this module is what it reads and writes.
"""

from __future__ import annotations

import sqlite3
import uuid
from datetime import datetime
from pathlib import Path

from tui.core.errors import DatabaseError
from tui.core.models import SyncState, TimeEntry, Timer
from tui.core.sqlite import open_database
from tui.core.time.moments import moment, stamp

SCHEMA = """
CREATE TABLE timer (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    account TEXT NOT NULL,
    board_id TEXT NOT NULL,
    card_id TEXT NOT NULL,
    card_title TEXT NOT NULL,
    started_at TEXT NOT NULL,
    sync TEXT NOT NULL,
    remote_id TEXT
);
CREATE TABLE entries (
    id TEXT PRIMARY KEY,
    account TEXT NOT NULL,
    board_id TEXT NOT NULL,
    card_id TEXT NOT NULL,
    card_title TEXT NOT NULL,
    started_at TEXT NOT NULL,
    seconds INTEGER NOT NULL CHECK (seconds > 0),
    note TEXT NOT NULL DEFAULT '',
    sync TEXT NOT NULL,
    remote_id TEXT,
    sync_error TEXT,
    revision INTEGER NOT NULL DEFAULT 0,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT,
    claimed_until TEXT,
    in_doubt INTEGER NOT NULL DEFAULT 0,
    deleted INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX entries_by_start ON entries(started_at);
CREATE INDEX entries_to_push ON entries(sync, next_attempt_at);
"""

# entries.in_doubt: a post may have landed; look before posting again.
# entries.deleted: a tombstone; the row goes once the service's log is deleted.

DUE = (
    "sync IN ('pending', 'failed')"
    " AND (next_attempt_at IS NULL OR next_attempt_at <= :now)"
    " AND (claimed_until IS NULL OR claimed_until <= :now)"
)


def open_journal(path: Path) -> sqlite3.Connection:
    """Open (or create) the journal; a file that is not ours, or newer, is left alone."""
    # The journal is used from worker threads too; every use holds `_session`'s lock.
    try:
        return open_database(
            path, what="time journal", migrations=[SCHEMA], durable=True, check_same_thread=False
        )
    except DatabaseError as error:
        raise DatabaseError(
            f"{error}; time tracking is off until the file is repaired or moved away"
        ) from error


def stop_timer(db: sqlite3.Connection, end: datetime) -> TimeEntry | None:
    """Turn the running timer, if any, into an entry ending at `end`."""
    row = db.execute("SELECT * FROM timer").fetchone()
    if row is None:
        return None
    started_at = moment(row["started_at"])
    entry = TimeEntry(
        id=new_id(),
        account=row["account"],
        board_id=row["board_id"],
        card_id=row["card_id"],
        card_title=row["card_title"],
        started_at=started_at,
        # Whole seconds, rounded down, so the entry never ends after `end` (where the next
        # timer starts). A timer stopped the instant it started still happened: never zero.
        seconds=max(1, int((end - started_at).total_seconds())),
        sync=SyncState(row["sync"]),
        remote_id=row["remote_id"],
    )
    insert_entry(db, entry)
    db.execute("DELETE FROM timer")
    return entry


def insert_entry(db: sqlite3.Connection, entry: TimeEntry) -> None:
    db.execute(
        "INSERT INTO entries (id, account, board_id, card_id, card_title, started_at, seconds,"
        " note, sync, remote_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            entry.id,
            entry.account,
            entry.board_id,
            entry.card_id,
            entry.card_title,
            stamp(entry.started_at),
            entry.seconds,
            entry.note,
            entry.sync,
            entry.remote_id,
        ),
    )


def live_row(db: sqlite3.Connection, entry_id: str) -> sqlite3.Row:
    row: sqlite3.Row | None = db.execute(
        "SELECT * FROM entries WHERE id = ? AND deleted = 0", (entry_id,)
    ).fetchone()
    if row is None:
        raise ValueError(f"no time entry {entry_id!r} (deleted meanwhile?)")
    return row


# The journal's rows are our own, written from typed values into typed columns: built as
# they are read, without a validation pass (the timer badge reads one at start-up).


def timer_from(row: sqlite3.Row) -> Timer:
    return Timer(
        account=row["account"],
        board_id=row["board_id"],
        card_id=row["card_id"],
        card_title=row["card_title"],
        started_at=moment(row["started_at"]),
    )


def entry_from(row: sqlite3.Row) -> TimeEntry:
    return TimeEntry(
        id=row["id"],
        account=row["account"],
        board_id=row["board_id"],
        card_id=row["card_id"],
        card_title=row["card_title"],
        started_at=moment(row["started_at"]),
        seconds=row["seconds"],
        note=row["note"],
        sync=SyncState(row["sync"]),
        remote_id=row["remote_id"],
        sync_error=row["sync_error"],
    )


def new_id() -> str:
    return uuid.uuid4().hex[:12]
