"""The local provider's reads: the queries of a board's cards and the rows -> the model."""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime
from typing import Any, TypeVar

from tui.core.heap import collector_paused
from tui.core.models import (
    Board,
    Card,
    ChecklistItem,
    Column,
    ColumnKind,
    Comment,
    Label,
    Lane,
    Priority,
    User,
)

T = TypeVar("T")

_CARDS = """
SELECT c.*, u.name AS assignee_name, u.email AS assignee_email
FROM cards c
JOIN columns col ON col.id = c.column_id
LEFT JOIN lanes lane ON lane.id = c.lane_id
LEFT JOIN users u ON u.id = c.assignee_id
WHERE {where}
ORDER BY col.position, lane.position, c.position, c.id
"""
_CARD_LABELS = """
SELECT cl.card_id, l.id, l.name, l.color
FROM card_labels cl JOIN labels l ON l.id = cl.label_id JOIN cards c ON c.id = cl.card_id
WHERE {where}
ORDER BY l.id
"""
_CHECKLISTS = """
SELECT i.* FROM checklist_items i JOIN cards c ON c.id = i.card_id
WHERE {where}
ORDER BY i.position, i.id
"""
_COMMENTS = """
SELECT m.id, m.text, m.created_at, u.id AS user_id, u.name, u.email
FROM comments m LEFT JOIN users u ON u.id = m.author_id
WHERE {where}
ORDER BY m.id
"""
_COMMENT_COUNTS = """
SELECT m.card_id, count(*) AS comments FROM comments m JOIN cards c ON c.id = m.card_id
WHERE {where}
GROUP BY m.card_id
"""


def _cards(db: sqlite3.Connection, where: str, *params: object) -> tuple[Card, ...]:
    """The cards matching `where`, each with its labels, checklist and comment count.

    Four queries whatever the number of cards, and one Label or User object per
    label or person rather than per card: a 5,000-card board loads in one go.
    """
    with collector_paused():
        return _read_cards(db, where, params)


def _read_cards(db: sqlite3.Connection, where: str, params: tuple[object, ...]) -> tuple[Card, ...]:
    shared_labels: dict[int, Label] = {}
    labels: dict[int, list[Label]] = defaultdict(list)
    for row in db.execute(_CARD_LABELS.format(where=where), params):
        label = shared_labels.get(row["id"]) or shared_labels.setdefault(row["id"], _label(row))
        labels[row["card_id"]].append(label)
    checklists: dict[int, list[ChecklistItem]] = defaultdict(list)
    for row in db.execute(_CHECKLISTS.format(where=where), params):
        checklists[row["card_id"]].append(_checklist_item(row))
    comment_counts = {
        row["card_id"]: row["comments"]
        for row in db.execute(_COMMENT_COUNTS.format(where=where), params)
    }
    # A board's cards name a few columns, lanes, days and sets of labels over and over:
    # one object for each value read, not one per card (50,000 cards: 15 MB less).
    ids, lane_ids, label_sets = _sharer(str), _sharer(_str_id), _sharer(tuple)
    days, moments = _sharer(_date), _sharer(_datetime)
    assignees: dict[int, User] = {}
    cards = []
    for row in db.execute(_CARDS.format(where=where), params):
        assignee = None
        if (assignee_id := row["assignee_id"]) is not None:
            assignee = assignees.get(assignee_id) or assignees.setdefault(
                assignee_id,
                User(id=str(assignee_id), name=row["assignee_name"], email=row["assignee_email"]),
            )
        key = row["id"]
        cards.append(
            Card(
                id=str(key),
                board_id=ids(row["board_id"]),
                title=row["title"],
                column_id=ids(row["column_id"]),
                lane_id=lane_ids(row["lane_id"]),
                position=row["position"],
                description=row["description"],
                labels=label_sets(tuple(labels.pop(key, ()))),
                assignee=assignee,
                due=days(row["due"]),
                priority=Priority(row["priority"]) if row["priority"] else None,
                checklist=tuple(checklists.pop(key, ())),
                comment_count=comment_counts.get(key, 0),
                archived=bool(row["archived"]),
                blocked=bool(row["blocked"]),
                created_at=moments(row["created_at"]),
                updated_at=moments(row["updated_at"]),
            )
        )
    return tuple(cards)


def _sharer(make: Callable[[Any], T]) -> Callable[[Any], T]:
    """`make(value)`, made once per distinct value and shared after that."""
    made: dict[Any, T] = {}

    def shared(value: Any) -> T:
        try:
            return made[value]
        except KeyError:
            made[value] = result = make(value)
            return result

    return shared


def _start_cards(
    db: sqlite3.Connection, board: int, per_cell: int
) -> tuple[tuple[Card, ...], dict[str, int]] | None:
    """The first `per_cell` cards of each column and lane, with each column's card count;
    None when no cell has more (the whole board is as quick). One indexed LIMIT query
    per cell, whatever the board's size."""
    cells = db.execute(
        "SELECT column_id, lane_id, count(*) FROM cards WHERE board_id = ? AND NOT archived"
        " GROUP BY column_id, lane_id",
        (board,),
    ).fetchall()
    if all(count <= per_cell for _, _, count in cells):
        return None
    totals: dict[str, int] = defaultdict(int)
    ids: list[int] = []
    for column, lane, count in cells:
        totals[str(column)] += count
        ids += (
            row[0]
            for row in db.execute(
                "SELECT id FROM cards WHERE column_id = ? AND lane_id IS ? AND NOT archived"
                " ORDER BY position, id LIMIT ?",
                (column, lane, per_cell),
            )
        )
    cards = _cards(db, "c.id IN (SELECT value FROM json_each(?))", json.dumps(ids))
    return cards, dict(totals)


def _card(db: sqlite3.Connection, card: int) -> Card:
    (found,) = _cards(db, "c.id = ?", card)
    return found


def _board_columns(db: sqlite3.Connection, board: int) -> sqlite3.Cursor:
    return db.execute("SELECT * FROM columns WHERE board_id = ? ORDER BY position, id", (board,))


def _board_lanes(db: sqlite3.Connection, board: int) -> sqlite3.Cursor:
    return db.execute("SELECT * FROM lanes WHERE board_id = ? ORDER BY position, id", (board,))


def _board_labels(db: sqlite3.Connection, board: int) -> sqlite3.Cursor:
    return db.execute("SELECT * FROM labels WHERE board_id = ? ORDER BY id", (board,))


def _board_members(db: sqlite3.Connection, board: int) -> sqlite3.Cursor:
    return db.execute(
        "SELECT u.id, u.name, u.email FROM board_members m JOIN users u ON u.id = m.user_id"
        " WHERE m.board_id = ? ORDER BY m.position, u.id",
        (board,),
    )


def _str_id(value: int | None) -> str | None:
    return None if value is None else str(value)


def _date(value: str | None) -> date | None:
    return None if value is None else date.fromisoformat(value)


def _datetime(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def _board(row: sqlite3.Row) -> Board:
    return Board(id=str(row["id"]), name=row["name"], description=row["description"])


def _column(row: sqlite3.Row) -> Column:
    return Column(
        id=str(row["id"]),
        name=row["name"],
        position=row["position"],
        wip_limit=row["wip_limit"],
        kind=ColumnKind(row["kind"]) if row["kind"] else None,
        group=row["column_group"],
    )


def _lane(row: sqlite3.Row) -> Lane:
    return Lane(id=str(row["id"]), name=row["name"], position=row["position"])


def _label(row: sqlite3.Row) -> Label:
    return Label(id=str(row["id"]), name=row["name"], color=row["color"])


def _user(row: sqlite3.Row) -> User:
    return User(id=str(row["id"]), name=row["name"], email=row["email"])


def _checklist_item(row: sqlite3.Row) -> ChecklistItem:
    return ChecklistItem(
        id=str(row["id"]), text=row["text"], done=bool(row["done"]), position=row["position"]
    )


def _comment(row: sqlite3.Row) -> Comment:
    author = None
    if row["user_id"] is not None:
        author = User(id=str(row["user_id"]), name=row["name"], email=row["email"])
    return Comment(
        id=str(row["id"]), text=row["text"], author=author, created_at=_datetime(row["created_at"])
    )
