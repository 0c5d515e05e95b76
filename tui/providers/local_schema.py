"""The local board database: how it is opened, and its schema as a list of migrations.

The schema version lives in `PRAGMA user_version`. `MIGRATIONS[n]` takes a database
from version n to n + 1, so a new version is one more entry at the end of the list;
an entry is never edited once released. A database newer than this code, or a file
that is not ours, is refused without being written to.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from tui.providers.base import Unavailable

_V1 = """
CREATE TABLE boards (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT ''
);
CREATE TABLE columns (
    id INTEGER PRIMARY KEY,
    board_id INTEGER NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    position REAL NOT NULL,
    wip_limit INTEGER,
    kind TEXT,
    column_group TEXT
);
CREATE INDEX columns_by_board ON columns(board_id, position);
CREATE TABLE lanes (
    id INTEGER PRIMARY KEY,
    board_id INTEGER NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    position REAL NOT NULL
);
CREATE INDEX lanes_by_board ON lanes(board_id, position);
CREATE TABLE labels (
    id INTEGER PRIMARY KEY,
    board_id INTEGER NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    color TEXT
);
CREATE INDEX labels_by_board ON labels(board_id);
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    email TEXT
);
CREATE INDEX users_by_name ON users(name);
-- Users are shared by all boards (one person, one row); a board's members are the
-- people its cards can be assigned to.
CREATE TABLE board_members (
    board_id INTEGER NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    PRIMARY KEY (board_id, user_id)
);
CREATE TABLE cards (
    id INTEGER PRIMARY KEY,
    board_id INTEGER NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
    column_id INTEGER NOT NULL REFERENCES columns(id),
    lane_id INTEGER REFERENCES lanes(id),
    position REAL NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    assignee_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    due TEXT,
    priority TEXT,
    blocked INTEGER NOT NULL DEFAULT 0,
    archived INTEGER NOT NULL DEFAULT 0,
    created_at TEXT,
    updated_at TEXT
);
CREATE INDEX cards_by_board ON cards(board_id, archived);
CREATE INDEX cards_by_place ON cards(column_id, lane_id, position);
CREATE TABLE card_labels (
    card_id INTEGER NOT NULL REFERENCES cards(id) ON DELETE CASCADE,
    label_id INTEGER NOT NULL REFERENCES labels(id) ON DELETE CASCADE,
    PRIMARY KEY (card_id, label_id)
);
CREATE TABLE comments (
    id INTEGER PRIMARY KEY,
    card_id INTEGER NOT NULL REFERENCES cards(id) ON DELETE CASCADE,
    author_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    text TEXT NOT NULL,
    created_at TEXT
);
CREATE INDEX comments_by_card ON comments(card_id);
CREATE TABLE checklist_items (
    id INTEGER PRIMARY KEY,
    card_id INTEGER NOT NULL REFERENCES cards(id) ON DELETE CASCADE,
    text TEXT NOT NULL,
    done INTEGER NOT NULL DEFAULT 0,
    position REAL NOT NULL
);
CREATE INDEX checklist_by_card ON checklist_items(card_id, position);
"""

MIGRATIONS: list[str] = [_V1]
"""SQL scripts; entry n takes the schema from version n to n + 1."""


def latest_version() -> int:
    return len(MIGRATIONS)


def _statements(script: str) -> Iterator[str]:
    # executescript() would commit on its own; running statement by statement keeps
    # a migration inside the caller's transaction.
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            yield statement
            statement = ""


@contextmanager
def transaction(db: sqlite3.Connection, *, write: bool = False) -> Iterator[sqlite3.Connection]:
    """One transaction; IMMEDIATE for writes so a second process waits instead of failing."""
    db.execute("BEGIN IMMEDIATE" if write else "BEGIN")
    try:
        yield db
    except BaseException:
        if db.in_transaction:  # some errors (disk full, I/O) have rolled back already
            db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def open_database(path: Path, seed: Callable[[sqlite3.Connection], None]) -> sqlite3.Connection:
    """Open (or create) the database and bring its schema up to date.

    A new (empty) database is given its schema and `seed(db)` in one transaction, so
    it never exists half-made. Anything that is not a Cardboard database of a version
    we know raises `Unavailable` naming the file, before anything is written to it.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # Short busy timeout: calls run on the event loop, and another process (the
        # CLI next to the TUI) holds the write lock for milliseconds only.
        db = sqlite3.connect(path, isolation_level=None, timeout=2)
        db.row_factory = sqlite3.Row
    except (OSError, sqlite3.Error) as error:
        raise Unavailable(f"cannot open local board database {path}: {error}") from error
    try:
        version = _check(db, path)
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA foreign_keys = ON")
        if version < latest_version():
            with transaction(db, write=True):
                _migrate(db)
                if version == 0:
                    seed(db)
    except sqlite3.Error as error:
        db.close()
        raise Unavailable(f"cannot open local board database {path}: {error}") from error
    except BaseException:
        db.close()
        raise
    return db


def _version(db: sqlite3.Connection) -> int:
    return db.execute("PRAGMA user_version").fetchone()[0]


def _check(db: sqlite3.Connection, path: Path) -> int:
    """Refuse what we must not touch; otherwise the schema version (0: a new database)."""
    version = _version(db)  # the first read: a file of garbage fails here
    if version > latest_version():
        raise Unavailable(
            f"local board database {path} has schema version {version}, newer than "
            f"version {latest_version()} that this Cardboard knows; upgrade Cardboard"
        )
    if version == 0:
        has_tables = db.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchone()
        if has_tables:
            raise Unavailable(f"cannot open local board database {path}: not a Cardboard database")
    return version


def _migrate(db: sqlite3.Connection) -> None:
    """Apply the pending migrations; the caller holds the transaction."""
    for version in range(_version(db), latest_version()):
        for statement in _statements(MIGRATIONS[version]):
            db.execute(statement)
        # PRAGMA takes no parameters; the version is our own integer.
        db.execute(f"PRAGMA user_version = {version + 1}")
