"""Snoozed cards: hidden from triage until a date, kept locally for every service.

No service here has snoozing, so it lives beside the journal in its own small SQLite
file: a snooze survives restarts and works the same on a local board and on Kaiten.
A snooze ends by itself on its date; nothing needs to clean up after it.
"""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

from tui.core import paths
from tui.core.sqlite import open_database, transaction

_MIGRATIONS = [
    """
    CREATE TABLE snoozes (
        account TEXT NOT NULL,
        board_id TEXT NOT NULL,
        card_id TEXT NOT NULL,
        until TEXT NOT NULL,
        PRIMARY KEY (account, board_id, card_id)
    );
    """
]


class Snoozes:
    """Which cards are snoozed; a card is hidden while `today < until`."""

    def __init__(self, path: Path | None = None):
        self.path = path or paths.snooze_database()
        self._db: sqlite3.Connection = open_database(
            self.path, what="snooze list", migrations=_MIGRATIONS
        )

    def close(self) -> None:
        self._db.close()

    def snooze(self, account: str, board_id: str, card_id: str, until: date) -> None:
        with transaction(self._db, write=True) as db:
            db.execute(
                "INSERT OR REPLACE INTO snoozes VALUES (?, ?, ?, ?)",
                (account, board_id, card_id, until.isoformat()),
            )

    def wake(self, account: str, board_id: str, card_id: str) -> None:
        """End a snooze now (undo)."""
        with transaction(self._db, write=True) as db:
            db.execute(
                "DELETE FROM snoozes WHERE account = ? AND board_id = ? AND card_id = ?",
                (account, board_id, card_id),
            )

    def sleeping(self, account: str, board_id: str, today: date) -> dict[str, date]:
        """The board's cards still snoozed on `today`, with the day each wakes up."""
        with transaction(self._db) as db:
            rows = db.execute(
                "SELECT card_id, until FROM snoozes"
                " WHERE account = ? AND board_id = ? AND until > ?",
                (account, board_id, today.isoformat()),
            ).fetchall()
        return {row["card_id"]: date.fromisoformat(row["until"]) for row in rows}
