"""The outbox: every change to a card, committed to disk before the screen shows it.

One SQLite file per account (`paths.sync_dir(account) / "outbox.db"`). An operation is
a row; it leaves the file only when the service has confirmed it (or the user
discarded it), so `kill -9` at any moment loses nothing. Its `state` says what we
know about it:

- pending: not sent, or certainly not applied (a 429, a connection never opened);
- sending: committed just before the request goes out. Found at start-up, it means
  the process died mid-request: it becomes in_doubt;
- in_doubt: the service may have applied it; read the service before sending again;
- conflict: the service refused it; kept for the user to retry, change or discard.

Operations of one card are sent in the order they were made (`seq`). A card created
here has the temporary id `new:<operation id>` until its create is confirmed; then
`complete()` renames it in every later operation, in the same transaction.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import sqlite3
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol

from tui.core import paths
from tui.core.errors import DatabaseError
from tui.core.sqlite import open_database, transaction

TEMPORARY_PREFIX = "new:"

MIGRATIONS = [
    """
    CREATE TABLE operations (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        account TEXT NOT NULL,
        board_id TEXT NOT NULL,
        card_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        payload TEXT NOT NULL,
        state TEXT NOT NULL DEFAULT 'pending',
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        created_at TEXT NOT NULL,
        first_sent_at TEXT
    );
    CREATE INDEX operations_by_card ON operations (account, card_id, seq);
    """,
    # Which process is sending: only a dead sender's operation is in doubt.
    "ALTER TABLE operations ADD COLUMN sender_pid INTEGER;",
]


class Kind(StrEnum):
    CREATE = "create"
    EDIT = "edit"
    MOVE = "move"
    COMMENT = "comment"
    CHECKLIST_ADD = "checklist_add"
    CHECKLIST_TOGGLE = "checklist_toggle"
    ARCHIVE = "archive"
    DELETE = "delete"
    RESTORE = "restore"


class OpState(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    IN_DOUBT = "in_doubt"
    CONFLICT = "conflict"


@dataclass(frozen=True)
class Operation:
    id: str
    account: str
    board_id: str
    card_id: str
    kind: Kind
    payload: Mapping[str, Any]
    state: OpState = OpState.PENDING
    attempts: int = 0
    last_error: str | None = None
    created_at: datetime | None = None
    first_sent_at: datetime | None = None
    seq: int = 0

    @property
    def temporary_id(self) -> str:
        """The id a card created by this operation has until the service names it."""
        return TEMPORARY_PREFIX + self.id

    @property
    def unsent(self) -> bool:
        """Never left this machine: dropping it is an undo that leaves no trace."""
        return self.state is OpState.PENDING and self.first_sent_at is None


_VERBS = {
    Kind.CREATE: "create",
    Kind.EDIT: "edit",
    Kind.MOVE: "move",
    Kind.COMMENT: "comment on",
    Kind.CHECKLIST_ADD: "add a checklist item to",
    Kind.CHECKLIST_TOGGLE: "tick a checklist item of",
    Kind.ARCHIVE: "archive",
    Kind.DELETE: "delete",
    Kind.RESTORE: "restore",
}


def describe(op: Operation) -> str:
    """The operation in a few words for the user: 'move “Fix login”'."""
    return f"{_VERBS[op.kind]} “{op.payload.get('title', op.card_id)}”"


_CLAIMABLE = (OpState.PENDING, OpState.IN_DOUBT)


def new_operation_id() -> str:
    # uuid is imported by the first write, not at start-up: it brings `platform` (~2 ms),
    # which a command that only reads has no use for.
    import uuid

    return uuid.uuid4().hex


def is_temporary(card_id: str) -> bool:
    return card_id.startswith(TEMPORARY_PREFIX)


# --- time and retries -----------------------------------------------------------------


class Clock(Protocol):
    """Wall time and waiting; tests pass a virtual clock (tests/fakes/clock.py)."""

    def time(self) -> float: ...

    async def sleep(self, seconds: float) -> None: ...


class SystemClock:
    def time(self) -> float:
        return time.time()

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


def moment(clock: Clock) -> datetime:
    return datetime.fromtimestamp(clock.time(), UTC)


@dataclass(frozen=True)
class RetryPolicy:
    """How long the queue waits after the n-th failure in a row: exponential, capped, jittered.

    The jitter (a random fraction of the delay, from the caller's seeded RNG) keeps
    two clients, or two restarts, from retrying at the same moment.
    """

    first: float = 2.0
    cap: float = 60.0
    """Never longer than a minute between tries: a service that is back is used soon."""
    jitter: float = 0.5

    def delay(self, failures: int, rng: random.Random) -> float:
        base = min(self.cap, self.first * 2.0 ** max(0, failures - 1))
        return base * (1 - self.jitter * rng.random())


# --- the queue ------------------------------------------------------------------------


class Outbox:
    """The durable queue of one account's operations."""

    def __init__(self, path: Path, account: str, *, pid: int | None = None):
        self.path = path
        self.account = account
        self.pid = pid or os.getpid()
        """The process this outbox sends for (tests pretend to be a fresh process)."""
        self._db = open_database(path, what="outbox", migrations=MIGRATIONS, durable=True)
        self.recover()

    @classmethod
    def for_account(cls, account: str) -> Outbox:
        return cls(paths.sync_dir(account) / "outbox.db", account)

    def close(self) -> None:
        self._db.close()

    def recover(self) -> None:
        """An operation left `sending` by a process that is gone was cut off mid-request:
        it may have landed. One whose sender still runs (the app, while the CLI starts)
        is that process's to finish."""
        with self._write() as db:
            rows = db.execute(
                "SELECT id, sender_pid FROM operations WHERE account = ? AND state = ?",
                (self.account, OpState.SENDING),
            ).fetchall()
            for row in rows:
                if not _running(row["sender_pid"], self.pid):
                    db.execute(
                        "UPDATE operations SET state = ? WHERE id = ?",
                        (OpState.IN_DOUBT, row["id"]),
                    )

    # --- reading ------------------------------------------------------------------

    def operations(self, *, board_id: str | None = None) -> list[Operation]:
        """Every operation still here, oldest first (optionally of one board)."""
        query = "SELECT * FROM operations WHERE account = ?"
        params: tuple[str, ...] = (self.account,)
        if board_id is not None:
            query += " AND board_id = ?"
            params += (board_id,)
        with self._read() as db:
            rows = db.execute(query + " ORDER BY seq", params).fetchall()
        return [_operation(row) for row in rows]

    def get(self, op_id: str) -> Operation | None:
        with self._read() as db:
            row = db.execute(
                "SELECT * FROM operations WHERE id = ? AND account = ?", (op_id, self.account)
            ).fetchone()
        return _operation(row) if row else None

    # --- writing ------------------------------------------------------------------

    def add(
        self,
        kind: Kind,
        board_id: str,
        card_id: str,
        payload: Mapping[str, Any],
        *,
        now: datetime,
        op_id: str | None = None,
    ) -> Operation:
        """Commit a new operation; when this returns it survives a crash."""
        op = Operation(
            id=op_id or new_operation_id(),
            account=self.account,
            board_id=board_id,
            card_id=card_id,
            kind=kind,
            payload=dict(payload),
            created_at=now,
        )
        with self._write() as db:
            cursor = db.execute(
                "INSERT INTO operations (id, account, board_id, card_id, kind, payload, state,"
                " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    op.id,
                    op.account,
                    board_id,
                    card_id,
                    kind,
                    json.dumps(op.payload),
                    OpState.PENDING,
                    now.isoformat(),
                ),
            )
        return replace(op, seq=cursor.lastrowid or 0)

    def mark_sending(self, op_id: str, now: datetime) -> bool:
        """Claim the operation, committed before the request leaves (a crash after this
        point leaves it in doubt). False if another process claimed it first: two
        processes of one account (the app and the CLI) never send the same change."""
        with self._write() as db:
            claimed = db.execute(
                "UPDATE operations SET state = ?, attempts = attempts + 1, sender_pid = ?,"
                " first_sent_at = COALESCE(first_sent_at, ?)"
                " WHERE id = ? AND account = ? AND state IN (?, ?)",
                (OpState.SENDING, self.pid, now.isoformat(), op_id, self.account, *_CLAIMABLE),
            )
        return claimed.rowcount == 1

    def cut_off(self, op_id: str) -> None:
        """This process stopped sending `op_id` midway (interrupted): it may have landed."""
        self._update(op_id, "state = ?", OpState.IN_DOUBT)

    def mark(self, op_id: str, state: OpState, error: str | None = None) -> None:
        self._update(op_id, "state = ?, last_error = ?", state, error)

    def remove(self, op_id: str) -> None:
        with self._write() as db:
            db.execute("DELETE FROM operations WHERE id = ? AND account = ?", (op_id, self.account))

    def complete(self, op_id: str, *, renamed: Mapping[str, str] | None = None) -> None:
        """The service applied it: remove it, and give temporary ids their real names.

        `renamed` maps a temporary id (a card's, a checklist item's) to the service's
        id; later operations are rewritten in the same transaction, so a crash never
        leaves them pointing at a card that has a real id by now.
        """
        with self._write() as db:
            db.execute("DELETE FROM operations WHERE id = ? AND account = ?", (op_id, self.account))
            if not renamed:
                return
            rows = db.execute(
                "SELECT id, card_id, payload FROM operations WHERE account = ?", (self.account,)
            ).fetchall()
            for row in rows:
                card_id = renamed.get(row["card_id"], row["card_id"])
                payload = _renamed(json.loads(row["payload"]), renamed)
                db.execute(
                    "UPDATE operations SET card_id = ?, payload = ? WHERE id = ?",
                    (card_id, json.dumps(payload), row["id"]),
                )

    def _update(self, op_id: str, assignments: str, *values: object) -> None:
        with self._write() as db:
            # `assignments` is always one of this module's literals, never user text.
            db.execute(
                f"UPDATE operations SET {assignments} WHERE id = ? AND account = ?",
                (*values, op_id, self.account),
            )

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        try:
            yield self._db
        except sqlite3.Error as error:
            raise DatabaseError(f"cannot read the outbox {self.path}: {error}") from error

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        try:
            with transaction(self._db, write=True) as db:
                yield db
        except sqlite3.Error as error:
            raise DatabaseError(f"cannot write the outbox {self.path}: {error}") from error


def _running(pid: int | None, me: int) -> bool:
    """Whether process `pid` still runs (`me` does: a pass cut off here says so itself)."""
    if pid == me:
        return True
    if pid is None or os.name != "posix":
        return False  # on Windows, os.kill(pid, 0) would end the process
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process by that number: alive
    return True


def _renamed(value: Any, renamed: Mapping[str, str]) -> Any:
    """`value` with every string that is a renamed id replaced, at any depth."""
    if isinstance(value, str):
        return renamed.get(value, value)
    if isinstance(value, list):
        return [_renamed(item, renamed) for item in value]
    if isinstance(value, dict):
        return {key: _renamed(item, renamed) for key, item in value.items()}
    return value


def _operation(row: sqlite3.Row) -> Operation:
    first_sent = row["first_sent_at"]
    return Operation(
        id=row["id"],
        account=row["account"],
        board_id=row["board_id"],
        card_id=row["card_id"],
        kind=Kind(row["kind"]),
        payload=json.loads(row["payload"]),
        state=OpState(row["state"]),
        attempts=row["attempts"],
        last_error=row["last_error"],
        created_at=datetime.fromisoformat(row["created_at"]),
        first_sent_at=datetime.fromisoformat(first_sent) if first_sent else None,
        seq=row["seq"],
    )
