"""The local provider's writes: finding rows by the ids the model uses, checking input,
changing cards, and writing a whole imported board. The caller holds the transaction.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime
from typing import TYPE_CHECKING

from tui.core.errors import DatabaseError, NotFound, ValidationError

if TYPE_CHECKING:
    from tui.core.exchange import ExportDocument

_LARGEST_ID = 2**63 - 1


def _int_id(value: str | None) -> int | None:
    """Our ids are SQLite integers; anything else names nothing here."""
    if value is not None and value.isascii() and value.isdigit() and int(value) <= _LARGEST_ID:
        return int(value)
    return None


def _board_row(db: sqlite3.Connection, board_id: str) -> sqlite3.Row:
    row: sqlite3.Row | None = db.execute(
        "SELECT id, name, description FROM boards WHERE id = ?", (_int_id(board_id),)
    ).fetchone()
    if row is None:
        raise NotFound(f"local board {board_id!r} not found")
    return row


def _card_key(db: sqlite3.Connection, board_id: str, card_id: str) -> int:
    row = db.execute(
        "SELECT id FROM cards WHERE id = ? AND board_id = ?", (_int_id(card_id), _int_id(board_id))
    ).fetchone()
    if row is None:
        raise NotFound(f"card {card_id!r} not found on local board {board_id!r}")
    return int(row["id"])


def _checklist_row(db: sqlite3.Connection, card: int, item_id: str) -> sqlite3.Row:
    row: sqlite3.Row | None = db.execute(
        "SELECT * FROM checklist_items WHERE id = ? AND card_id = ?", (_int_id(item_id), card)
    ).fetchone()
    if row is None:
        raise NotFound(f"checklist item {item_id!r} not found on card {card}")
    return row


def _owned_key(db: sqlite3.Connection, table: str, board: int, value: str, kind: str) -> int:
    # `table` is one of our own table names, never user input.
    row = db.execute(
        f"SELECT id FROM {table} WHERE id = ? AND board_id = ?", (_int_id(value), board)
    ).fetchone()
    if row is None:
        raise ValidationError(f"unknown {kind} {value!r} on this board")
    return int(row["id"])


def _column_key(db: sqlite3.Connection, board: int, column_id: str) -> int:
    return _owned_key(db, "columns", board, column_id, "column")


def _lane_key(db: sqlite3.Connection, board: int, lane_id: str) -> int:
    return _owned_key(db, "lanes", board, lane_id, "lane")


def _first_lane(db: sqlite3.Connection, board: int) -> int | None:
    row = db.execute(
        "SELECT id FROM lanes WHERE board_id = ? ORDER BY position, id LIMIT 1", (board,)
    ).fetchone()
    return int(row["id"]) if row else None


def _label_keys(db: sqlite3.Connection, board: int, label_ids: Iterable[str]) -> list[int]:
    return [_owned_key(db, "labels", board, label_id, "label") for label_id in label_ids]


def _assignee_key(db: sqlite3.Connection, board: int, user_id: str | None) -> int | None:
    if user_id is None:
        return None
    user = _int_id(user_id)
    if db.execute("SELECT 1 FROM users WHERE id = ?", (user,)).fetchone() is None:
        raise ValidationError(f"unknown assignee {user_id!r}")
    # Giving someone a card of the board (yourself, in triage) makes them its member.
    db.execute(
        "INSERT OR IGNORE INTO board_members (board_id, user_id, position)"
        " VALUES (?, ?, (SELECT COALESCE(MAX(position), 0) + 1 FROM board_members"
        " WHERE board_id = ?))",
        (board, user, board),
    )
    return user


def _check_title(title: str | None) -> str:
    if title is None or not title.strip():
        raise ValidationError("title must not be empty")
    return title


def _check_text(text: str, what: str) -> None:
    if not text.strip():
        raise ValidationError(f"{what} must not be empty")


def _iso(value: date | datetime | None) -> str | None:
    return None if value is None else value.isoformat()


# --- writing rows -------------------------------------------------------------------


def _new_id(cursor: sqlite3.Cursor) -> int:
    """The id of the row an INSERT just made (sqlite3 types it Optional for other statements)."""
    if cursor.lastrowid is None:
        raise DatabaseError("the database made no row")
    return cursor.lastrowid


def _end_of(db: sqlite3.Connection, column: int, lane: int | None) -> float:
    (last,) = db.execute(
        "SELECT coalesce(max(position), 0) FROM cards WHERE column_id = ? AND lane_id IS ?",
        (column, lane),
    ).fetchone()
    return float(last) + 1


def _update_card_row(
    db: sqlite3.Connection, card: int, values: dict[str, object], now: datetime
) -> None:
    values = {**values, "updated_at": now.isoformat()}
    # The column names come from our own code, never from input.
    assignments = ", ".join(f"{column} = ?" for column in values)
    db.execute(f"UPDATE cards SET {assignments} WHERE id = ?", (*values.values(), card))


def _set_labels(
    db: sqlite3.Connection, card: int, labels: Iterable[int], *, replace: bool = False
) -> None:
    if replace:
        db.execute("DELETE FROM card_labels WHERE card_id = ?", (card,))
    db.executemany(
        "INSERT OR IGNORE INTO card_labels (card_id, label_id) VALUES (?, ?)",
        [(card, label) for label in labels],
    )


def _user_named(db: sqlite3.Connection, name: str, email: str | None = None) -> int:
    """The person of that name, made if nobody local has it yet."""
    row = db.execute("SELECT id FROM users WHERE name = ? ORDER BY id LIMIT 1", (name,)).fetchone()
    if row is not None:
        return int(row["id"])
    return _new_id(db.execute("INSERT INTO users (name, email) VALUES (?, ?)", (name, email)))


def _insert_document(db: sqlite3.Connection, document: ExportDocument) -> int:
    """Write a whole board from an export document; the caller holds the transaction."""
    board = _new_id(
        db.execute(
            "INSERT INTO boards (name, description) VALUES (?, ?)",
            (document.board.name, document.board.description),
        )
    )
    columns = {
        column.id: db.execute(
            "INSERT INTO columns (board_id, name, position, wip_limit, kind, column_group)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (board, column.name, position, column.wip_limit, column.kind, column.group),
        ).lastrowid
        for position, column in enumerate(document.columns, start=1)
    }
    lanes = {
        lane.id: db.execute(
            "INSERT INTO lanes (board_id, name, position) VALUES (?, ?, ?)",
            (board, lane.name, position),
        ).lastrowid
        for position, lane in enumerate(document.lanes, start=1)
    }
    labels = {
        label.id: _new_id(
            db.execute(
                "INSERT INTO labels (board_id, name, color) VALUES (?, ?, ?)",
                (board, label.name, label.color),
            )
        )
        for label in document.labels
    }
    users = {user.id: _user_named(db, user.name, user.email) for user in document.users}
    db.executemany(
        "INSERT OR IGNORE INTO board_members (board_id, user_id, position) VALUES (?, ?, ?)",
        [(board, user, position) for position, user in enumerate(users.values(), start=1)],
    )
    last_position: dict[tuple[str, str | None], int] = defaultdict(int)
    for exported in document.cards:
        place = (exported.column_id, exported.lane_id)
        last_position[place] += 1
        card = _new_id(
            db.execute(
                "INSERT INTO cards (board_id, column_id, lane_id, position, title, description,"
                " assignee_id, due, priority, blocked, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    board,
                    columns[exported.column_id],
                    lanes[exported.lane_id] if exported.lane_id else None,
                    last_position[place],
                    exported.title,
                    exported.description,
                    users[exported.assignee_id] if exported.assignee_id else None,
                    _iso(exported.due),
                    exported.priority,
                    exported.blocked,
                    _iso(exported.created_at),
                    _iso(exported.updated_at),
                ),
            )
        )
        _set_labels(db, card, (labels[label_id] for label_id in exported.label_ids))
        db.executemany(
            "INSERT INTO checklist_items (card_id, text, done, position) VALUES (?, ?, ?, ?)",
            [
                (card, item.text, item.done, position)
                for position, item in enumerate(exported.checklist, start=1)
            ],
        )
        db.executemany(
            "INSERT INTO comments (card_id, author_id, text, created_at) VALUES (?, ?, ?, ?)",
            [
                (
                    card,
                    _user_named(db, comment.author) if comment.author is not None else None,
                    comment.text,
                    _iso(comment.created_at),
                )
                for comment in exported.comments
            ],
        )
    return board


# --- reading rows -------------------------------------------------------------------

# `where` below is a fixed condition written in this module; values are always bound.
