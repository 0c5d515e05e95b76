"""The last state each board and opened card had on the service, kept on disk per account.

A board seen before paints from here at once, marked with its age, while the service
is asked again. It holds server truth only: pending changes live in the outbox and are
laid over it (`tui.core.overlay`). Models are stored as their JSON; a row that no
longer reads (the model changed between versions) counts as not cached.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from tui.core import codec, paths
from tui.core.errors import DatabaseError
from tui.core.heap import collector_paused
from tui.core.models import Board, BoardContent, Card, Comment, User
from tui.core.provider import Provider
from tui.core.sqlite import open_database, transaction

MIGRATIONS = [
    """
    CREATE TABLE boards (
        board_id TEXT PRIMARY KEY,
        content TEXT NOT NULL,
        fetched_at TEXT NOT NULL
    );
    CREATE TABLE cards (
        board_id TEXT NOT NULL,
        card_id TEXT NOT NULL,
        card TEXT NOT NULL,
        comments TEXT NOT NULL,
        fetched_at TEXT NOT NULL,
        PRIMARY KEY (board_id, card_id)
    );
    CREATE TABLE board_list (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        boards TEXT NOT NULL,
        fetched_at TEXT NOT NULL
    );
    """,
    """
    CREATE TABLE me (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        user TEXT NOT NULL
    );
    """,
    """
    CREATE TABLE seen (
        board_id TEXT NOT NULL,
        card_id TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        PRIMARY KEY (board_id, card_id)
    );
    """,
]

_BOARDS = tuple[Board, ...]
_COMMENTS = tuple[Comment, ...]


class Cache:
    """One account's cache file."""

    def __init__(self, path: Path):
        self.path = path
        self._db = open_database(path, what="cache", migrations=MIGRATIONS)

    @classmethod
    def for_account(cls, account: str) -> Cache:
        return cls(paths.sync_dir(account) / "cache.db")

    @classmethod
    def for_provider(cls, provider: Provider) -> Cache:
        """The cache a store of `provider`'s account keeps."""
        kind = NamesCache if provider.on_this_machine else Cache
        return kind.for_account(provider.connection.account)

    def close(self) -> None:
        self._db.close()

    # --- boards -------------------------------------------------------------------

    def save_board(self, content: BoardContent, fetched_at: datetime) -> None:
        with self._write() as db:
            db.execute(
                "INSERT OR REPLACE INTO boards (board_id, content, fetched_at) VALUES (?, ?, ?)",
                (content.board.id, codec.dump_json(content), fetched_at.isoformat()),
            )

    def board(self, board_id: str) -> tuple[BoardContent, datetime] | None:
        """The board as last read, and when; None if never read (or unreadable)."""
        row = self._row("SELECT * FROM boards WHERE board_id = ?", board_id)
        if row is None:
            return None
        try:
            with collector_paused():
                content = codec.load_json(BoardContent, row["content"])
        except ValueError:  # not in the shape this version writes: another version wrote it
            return None
        return content, datetime.fromisoformat(row["fetched_at"])

    def save_boards(self, boards: tuple[Board, ...], fetched_at: datetime) -> None:
        with self._write() as db:
            db.execute(
                "INSERT OR REPLACE INTO board_list (id, boards, fetched_at) VALUES (1, ?, ?)",
                (codec.dump_json(boards), fetched_at.isoformat()),
            )

    def boards(self) -> tuple[Board, ...] | None:
        row = self._row("SELECT * FROM board_list WHERE id = 1")
        if row is None:
            return None
        try:
            boards: tuple[Board, ...] = codec.load_json(_BOARDS, row["boards"])
            return boards
        except ValueError:  # not in the shape this version writes: another version wrote it
            return None

    # --- who the account's user is (the inbox's "mine") -----------------------------

    def save_me(self, user: User) -> None:
        with self._write() as db:
            db.execute(
                "INSERT OR REPLACE INTO me (id, user) VALUES (1, ?)", (codec.dump_json(user),)
            )

    def me(self) -> User | None:
        row = self._row("SELECT user FROM me WHERE id = 1")
        if row is None:
            return None
        try:
            user: User = codec.load_json(User, row["user"])
            return user
        except ValueError:  # not in the shape this version writes: another version wrote it
            return None

    # --- what the user last saw of each card (tui.core.seen) ----------------------

    def seen(self, board_id: str) -> dict[str, str]:
        """Card id -> the fingerprint the card had when the user last looked at it."""
        rows = self._rows("SELECT card_id, fingerprint FROM seen WHERE board_id = ?", board_id)
        return {row["card_id"]: row["fingerprint"] for row in rows}

    def see(self, board_id: str, fingerprints: Mapping[str, str]) -> None:
        with self._write() as db:
            db.executemany(
                "INSERT OR REPLACE INTO seen (board_id, card_id, fingerprint) VALUES (?, ?, ?)",
                ((board_id, card_id, print_) for card_id, print_ in fingerprints.items()),
            )

    # --- card details -------------------------------------------------------------

    def save_card(self, card: Card, comments: tuple[Comment, ...], fetched_at: datetime) -> None:
        with self._write() as db:
            db.execute(
                "INSERT OR REPLACE INTO cards (board_id, card_id, card, comments, fetched_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (
                    card.board_id,
                    card.id,
                    codec.dump_json(card),
                    codec.dump_json(comments),
                    fetched_at.isoformat(),
                ),
            )

    def card(self, board_id: str, card_id: str) -> tuple[Card, tuple[Comment, ...]] | None:
        row = self._row("SELECT * FROM cards WHERE board_id = ? AND card_id = ?", board_id, card_id)
        if row is None:
            return None
        try:
            return codec.load_json(Card, row["card"]), codec.load_json(_COMMENTS, row["comments"])
        except ValueError:  # not in the shape this version writes: another version wrote it
            return None

    # --- the file -----------------------------------------------------------------

    def _row(self, query: str, *params: str) -> sqlite3.Row | None:
        rows = self._rows(query, *params)
        return rows[0] if rows else None

    def _rows(self, query: str, *params: str) -> list[sqlite3.Row]:
        try:
            return self._db.execute(query, params).fetchall()
        except sqlite3.Error as error:
            raise DatabaseError(f"cannot read the cache {self.path}: {error}") from error

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        try:
            with transaction(self._db, write=True) as db:
                yield db
        except sqlite3.Error as error:
            raise DatabaseError(f"cannot write the cache {self.path}: {error}") from error


class NamesCache(Cache):
    """The cache of boards that are on this machine already: their names, not their cards.

    Reading a local board is as quick as reading its copy would be, and writing a
    50,000-card copy after every change would cost more than the change.
    """

    def __init__(self, path: Path):
        super().__init__(path)
        # Copies an earlier version made (the inbox would show them) are dropped; looked
        # for first, so that an ordinary start writes nothing.
        if self._row("SELECT 1 FROM boards UNION ALL SELECT 1 FROM cards LIMIT 1"):
            with self._write() as db:
                db.execute("DELETE FROM boards")
                db.execute("DELETE FROM cards")

    def save_board(self, content: BoardContent, fetched_at: datetime) -> None:
        pass

    def board(self, board_id: str) -> tuple[BoardContent, datetime] | None:
        return None

    def save_card(self, card: Card, comments: tuple[Comment, ...], fetched_at: datetime) -> None:
        pass

    def card(self, board_id: str, card_id: str) -> tuple[Card, tuple[Comment, ...]] | None:
        return None
