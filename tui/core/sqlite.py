"""Cardboard's SQLite files: opening one, bringing its schema up to date, transactions.

Every database (local boards, the time journal, the cache, the outbox) keeps its schema
version in `PRAGMA user_version` and its schema as a list of migrations:
`migrations[n]` takes a file from version n to n + 1, so a new version is one more
entry at the end; an entry is never edited once released. A file newer than this code,
or one that is not ours, is refused with `DatabaseError` before anything is written.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from tui.core.errors import DatabaseError


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


def open_database(
    path: Path,
    *,
    what: str,
    migrations: Sequence[str],
    seed: Callable[[sqlite3.Connection], None] | None = None,
    durable: bool = False,
    check_same_thread: bool = True,
) -> sqlite3.Connection:
    """Open (or create) the database at `path` and apply the migrations it lacks.

    `what` names the file in messages ("time journal"). A new database gets its schema
    and `seed(db)` in one transaction, so it never exists half-made. `durable` makes a
    COMMIT survive the machine going down, not just the process.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # Short busy timeout: calls run on the event loop, and another process (the
        # CLI next to the TUI) holds the write lock for milliseconds only.
        db = sqlite3.connect(
            path, isolation_level=None, timeout=2, check_same_thread=check_same_thread
        )
        db.row_factory = sqlite3.Row
    except (OSError, sqlite3.Error) as error:
        raise DatabaseError(f"cannot open the {what} {path}: {error}") from error
    try:
        version = _check(db, path, what, latest=len(migrations))
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA foreign_keys = ON")
        if durable:
            db.execute("PRAGMA synchronous = FULL")
        if version < len(migrations):
            with transaction(db, write=True):
                _migrate(db, migrations)
                if version == 0 and seed is not None:
                    seed(db)
    except sqlite3.Error as error:
        db.close()
        raise DatabaseError(f"cannot open the {what} {path}: {error}") from error
    except BaseException:
        db.close()
        raise
    return db


def _version(db: sqlite3.Connection) -> int:
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def _check(db: sqlite3.Connection, path: Path, what: str, *, latest: int) -> int:
    """Refuse what we must not touch; otherwise the schema version (0: a new database)."""
    version = _version(db)  # the first read: a file of garbage fails here
    if version > latest:
        raise DatabaseError(
            f"{what} {path} has schema version {version}, newer than version {latest} "
            "that this Cardboard knows; upgrade Cardboard"
        )
    if version == 0 and db.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchone():
        raise DatabaseError(f"cannot open the {what} {path}: not a Cardboard {what}")
    return version


def _statements(script: str) -> Iterator[str]:
    # executescript() would commit on its own; running statement by statement keeps
    # a migration inside the caller's transaction.
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            yield statement
            statement = ""


def _migrate(db: sqlite3.Connection, migrations: Sequence[str]) -> None:
    """Apply the pending migrations; the caller holds the transaction."""
    for version in range(_version(db), len(migrations)):
        for statement in _statements(migrations[version]):
            db.execute(statement)
        # PRAGMA takes no parameters; the version is our own integer.
        db.execute(f"PRAGMA user_version = {version + 1}")
