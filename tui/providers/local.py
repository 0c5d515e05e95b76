"""The local board: boards kept in a SQLite file on this machine, no account needed.

The database is opened on first use; a file that does not exist yet is created and
seeded with the demo board. SQLite answers in well under a millisecond for a card
and in about a tenth of a second for a 5,000-card board, so the calls run on the
event loop thread: no thread hand-off, and the one connection never crosses threads.
Every call is one transaction; a write either happens completely or not at all.

WIP limits are shown, never enforced: on their own board a user may break their own
limit. Time is not logged here; the time journal keeps it.
"""

from __future__ import annotations

import getpass
import sqlite3
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path

from tui.core import paths
from tui.core.errors import DatabaseError, NotFound, Unavailable, ValidationError
from tui.core.exchange import (
    ExportDocument,
    ExportedBoard,
    ExportedColumn,
    ExportedLane,
)
from tui.core.models import (
    Board,
    BoardContent,
    Card,
    CardChanges,
    CardDraft,
    ChecklistItem,
    Column,
    Comment,
    Label,
    Lane,
    Placement,
    User,
)
from tui.core.provider import (
    Capabilities,
    Capability,
    Connection,
    Provider,
    ProviderOption,
)
from tui.core.sqlite import open_database, transaction
from tui.providers import local_schema
from tui.providers.local_demo import demo_document


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _os_user_name() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name and no passwd entry (some containers)
        return "me"


class LocalProvider(Provider):
    """Boards in a SQLite database; see the module docstring."""

    name = "local"
    title = "Local board"
    capabilities = Capabilities(
        supported=frozenset(
            {
                Capability.CREATE,
                Capability.EDIT,
                Capability.MOVE,
                Capability.REORDER,
                Capability.DELETE,
                Capability.ARCHIVE,
                Capability.LANES,
                Capability.COMMENTS,
                Capability.CHECKLISTS,
                Capability.LABELS,
                Capability.ASSIGNEES,
                Capability.DUE_DATES,
                Capability.PRIORITY,
                Capability.WIP_LIMITS,
            }
        ),
        reasons={
            Capability.TIME_LOGGING: "time for local boards is kept in Cardboard's journal",
            Capability.LIVE_TIMER: "time for local boards is kept in Cardboard's journal",
        },
    )
    options = (
        ProviderOption(
            name="path",
            label="Database file",
            description="The SQLite file of the local boards (default: local.db in the data dir)",
        ),
    )

    def __init__(self, connection: Connection):
        super().__init__(connection)
        self.path = _database_path(connection)
        self.clock: Callable[[], datetime] = _utc_now
        """Now, for timestamps and the demo's dates; tests set a fixed one."""
        self.user_name = _os_user_name()
        """Who writes the comments made here."""
        self._db: sqlite3.Connection | None = None

    async def aclose(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    @contextmanager
    def _session(self, *, write: bool = False) -> Iterator[sqlite3.Connection]:
        """One transaction on the (lazily opened) database; sqlite errors become Unavailable."""
        if self._db is None:
            self._db = open_database(
                self.path,
                what="local board database",
                migrations=local_schema.MIGRATIONS,
                seed=self._seed,
            )
        try:
            with transaction(self._db, write=write) as db:
                yield db
        except sqlite3.Error as error:
            raise Unavailable(f"local board database {self.path}: {error}") from error
        except UnicodeEncodeError as error:  # a lone surrogate, e.g. "\ud800" in a JSON file
            raise ValidationError(f"text cannot be stored: {error.reason}") from error
        except OverflowError as error:  # an integer beyond SQLite's 64 bits
            raise ValidationError(f"a number cannot be stored: {error}") from error

    def _seed(self, db: sqlite3.Connection) -> None:
        _insert_document(db, demo_document(self.clock().date()))

    # --- reading ----------------------------------------------------------------------

    async def whoami(self) -> User:
        """The person at this machine: a user row of their own, so cards can be theirs."""
        with self._session(write=True) as db:
            return User(id=str(_user_named(db, self.user_name)), name=self.user_name)

    async def list_boards(self) -> list[Board]:
        with self._session() as db:
            rows = db.execute("SELECT id, name, description FROM boards ORDER BY id")
            return [_board(row) for row in rows]

    async def load_board(self, board_id: str) -> BoardContent:
        with self._session() as db:
            board = _board_row(db, board_id)
            key = board["id"]
            return BoardContent(
                board=_board(board),
                columns=tuple(_column(row) for row in _board_columns(db, key)),
                lanes=tuple(_lane(row) for row in _board_lanes(db, key)),
                cards=_cards(db, "c.board_id = ? AND NOT c.archived", key),
                labels=tuple(_label(row) for row in _board_labels(db, key)),
                users=tuple(_user(row) for row in _board_members(db, key)),
            )

    async def get_card(self, board_id: str, card_id: str) -> Card:
        with self._session() as db:
            return _card(db, _card_key(db, board_id, card_id))

    async def list_comments(self, board_id: str, card_id: str) -> list[Comment]:
        with self._session() as db:
            key = _card_key(db, board_id, card_id)
            rows = db.execute(_COMMENTS.format(where="m.card_id = ?"), (key,))
            return [_comment(row) for row in rows]

    # --- writing ----------------------------------------------------------------------

    async def create_card(self, board_id: str, draft: CardDraft) -> Card:
        """A new card at the end of its column and lane (the board's first lane if none)."""
        with self._session(write=True) as db:
            board = _board_row(db, board_id)["id"]
            _check_title(draft.title)
            column = _column_key(db, board, draft.column_id)
            lane = _lane_key(db, board, draft.lane_id) if draft.lane_id else _first_lane(db, board)
            labels = _label_keys(db, board, draft.label_ids)
            assignee = _assignee_key(db, board, draft.assignee_id)
            now = self.clock().isoformat()
            card = _new_id(
                db.execute(
                    "INSERT INTO cards (board_id, column_id, lane_id, position, title, description,"
                    " assignee_id, due, priority, created_at, updated_at)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        board,
                        column,
                        lane,
                        _end_of(db, column, lane),
                        draft.title,
                        draft.description,
                        assignee,
                        _iso(draft.due),
                        draft.priority,
                        now,
                        now,
                    ),
                )
            )
            _set_labels(db, card, labels)
            return _card(db, card)

    async def update_card(self, board_id: str, card_id: str, changes: CardChanges) -> Card:
        with self._session(write=True) as db:
            board = _board_row(db, board_id)["id"]
            card = _card_key(db, board_id, card_id)
            touched = changes.model_fields_set
            values: dict[str, object] = {}
            if "title" in touched:
                values["title"] = _check_title(changes.title)
            if "description" in touched:
                values["description"] = changes.description or ""
            if "assignee_id" in touched:
                values["assignee_id"] = _assignee_key(db, board, changes.assignee_id)
            if "due" in touched:
                values["due"] = _iso(changes.due)
            if "priority" in touched:
                values["priority"] = changes.priority
            if "label_ids" in touched:
                _set_labels(db, card, _label_keys(db, board, changes.label_ids or ()), replace=True)
            _update_card_row(db, card, values, self.clock())
            return _card(db, card)

    async def move_card(self, board_id: str, card_id: str, placement: Placement) -> Card:
        """Move to `placement.position` in its column and lane (no lane given: keep the lane)."""
        with self._session(write=True) as db:
            board = _board_row(db, board_id)["id"]
            card = _card_key(db, board_id, card_id)
            values: dict[str, object] = {
                "column_id": _column_key(db, board, placement.column_id),
                "position": placement.position,
            }
            if placement.lane_id is not None:
                values["lane_id"] = _lane_key(db, board, placement.lane_id)
            _update_card_row(db, card, values, self.clock())
            return _card(db, card)

    async def archive_card(self, board_id: str, card_id: str) -> None:
        with self._session(write=True) as db:
            _update_card_row(db, _card_key(db, board_id, card_id), {"archived": 1}, self.clock())

    async def delete_card(self, board_id: str, card_id: str) -> None:
        with self._session(write=True) as db:
            db.execute("DELETE FROM cards WHERE id = ?", (_card_key(db, board_id, card_id),))

    async def add_comment(self, board_id: str, card_id: str, text: str) -> Comment:
        with self._session(write=True) as db:
            card = _card_key(db, board_id, card_id)
            _check_text(text, "comment")
            author = _user_named(db, self.user_name)
            comment = db.execute(
                "INSERT INTO comments (card_id, author_id, text, created_at) VALUES (?, ?, ?, ?)",
                (card, author, text, self.clock().isoformat()),
            ).lastrowid
            row = db.execute(_COMMENTS.format(where="m.id = ?"), (comment,)).fetchone()
            return _comment(row)

    async def add_checklist_item(self, board_id: str, card_id: str, text: str) -> ChecklistItem:
        with self._session(write=True) as db:
            card = _card_key(db, board_id, card_id)
            _check_text(text, "checklist item")
            (last,) = db.execute(
                "SELECT coalesce(max(position), 0) FROM checklist_items WHERE card_id = ?", (card,)
            ).fetchone()
            item = db.execute(
                "INSERT INTO checklist_items (card_id, text, position) VALUES (?, ?, ?)",
                (card, text, last + 1),
            ).lastrowid
            return _checklist_item(_checklist_row(db, card, str(item)))

    async def set_checklist_item(
        self, board_id: str, card_id: str, item_id: str, done: bool
    ) -> ChecklistItem:
        with self._session(write=True) as db:
            card = _card_key(db, board_id, card_id)
            item = _checklist_row(db, card, item_id)["id"]
            db.execute("UPDATE checklist_items SET done = ? WHERE id = ?", (done, item))
            return _checklist_item(_checklist_row(db, card, item_id))

    # --- local-only -------------------------------------------------------------------

    async def create_board(
        self, name: str, columns: list[tuple[str, int | None]], lanes: list[str]
    ) -> Board:
        """A new empty board; everyone known locally can be assigned its cards."""
        _check_text(name, "board name")
        if not columns:
            raise ValidationError("a board needs at least one column")
        for column, wip_limit in columns:
            _check_text(column, "column name")
            if wip_limit is not None and wip_limit < 0:
                raise ValidationError(f"WIP limit of {column!r} must not be negative")
        for lane in lanes:
            _check_text(lane, "lane name")
        document = ExportDocument(
            exported_at=self.clock(),
            board=ExportedBoard(name=name),
            columns=tuple(
                ExportedColumn(id=str(index), name=column, wip_limit=wip_limit)
                for index, (column, wip_limit) in enumerate(columns)
            ),
            lanes=tuple(ExportedLane(id=str(index), name=lane) for index, lane in enumerate(lanes)),
        )
        with self._session(write=True) as db:
            board = _insert_document(db, document)
            db.execute(
                "INSERT INTO board_members (board_id, user_id, position)"
                " SELECT ?, id, id FROM users",
                (board,),
            )
            return _board(_board_row(db, str(board)))

    async def import_board(self, document: ExportDocument) -> Board:
        """A new board (with new ids) holding everything in `document`; all or nothing."""
        with self._session(write=True) as db:
            return _board(_board_row(db, str(_insert_document(db, document))))


def _database_path(connection: Connection) -> Path:
    if path := connection.options.get("path"):
        return Path(path).expanduser()
    if connection.data_dir is not None:
        return connection.data_dir / "local.db"
    return paths.local_database()


# --- ids and checks -----------------------------------------------------------------


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


def _cards(db: sqlite3.Connection, where: str, key: int) -> tuple[Card, ...]:
    """The cards matching `where`, each with its labels, checklist and comment count.

    Four queries whatever the number of cards, and one Label or User object per
    label or person rather than per card: a 5,000-card board loads in one go.
    """
    shared_labels: dict[int, Label] = {}
    labels: dict[int, list[Label]] = defaultdict(list)
    for row in db.execute(_CARD_LABELS.format(where=where), (key,)):
        label = shared_labels.get(row["id"]) or shared_labels.setdefault(row["id"], _label(row))
        labels[row["card_id"]].append(label)
    checklists: dict[int, list[ChecklistItem]] = defaultdict(list)
    for row in db.execute(_CHECKLISTS.format(where=where), (key,)):
        checklists[row["card_id"]].append(_checklist_item(row))
    comment_counts = {
        row["card_id"]: row["comments"]
        for row in db.execute(_COMMENT_COUNTS.format(where=where), (key,))
    }
    assignees: dict[int, User] = {}
    cards = []
    for row in db.execute(_CARDS.format(where=where), (key,)):
        assignee = None
        if (assignee_id := row["assignee_id"]) is not None:
            assignee = assignees.get(assignee_id) or assignees.setdefault(
                assignee_id,
                User(id=str(assignee_id), name=row["assignee_name"], email=row["assignee_email"]),
            )
        cards.append(
            Card(
                id=str(row["id"]),
                board_id=str(row["board_id"]),
                title=row["title"],
                column_id=str(row["column_id"]),
                lane_id=_str_id(row["lane_id"]),
                position=row["position"],
                description=row["description"],
                labels=tuple(labels[row["id"]]),
                assignee=assignee,
                due=_date(row["due"]),
                priority=row["priority"],
                checklist=tuple(checklists[row["id"]]),
                comment_count=comment_counts.get(row["id"], 0),
                archived=bool(row["archived"]),
                blocked=bool(row["blocked"]),
                created_at=_datetime(row["created_at"]),
                updated_at=_datetime(row["updated_at"]),
            )
        )
    return tuple(cards)


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
        kind=row["kind"],
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
