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
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from tui.core import paths
from tui.core.errors import DatabaseError, Unavailable, ValidationError
from tui.core.models import (
    Board,
    BoardContent,
    Card,
    CardChanges,
    CardDraft,
    ChecklistItem,
    Comment,
    Placement,
    User,
)
from tui.core.provider import (
    BoardStart,
    Capabilities,
    Capability,
    Connection,
    Provider,
    ProviderOption,
)
from tui.core.sqlite import open_database, transaction
from tui.providers import local_schema
from tui.providers.local_rows import (
    _COMMENTS,
    _board,
    _board_columns,
    _board_labels,
    _board_lanes,
    _board_members,
    _card,
    _cards,
    _checklist_item,
    _column,
    _comment,
    _label,
    _lane,
    _start_cards,
    _user,
)
from tui.providers.local_writes import (
    _assignee_key,
    _board_row,
    _card_key,
    _check_text,
    _check_title,
    _checklist_row,
    _column_key,
    _end_of,
    _first_lane,
    _insert_document,
    _iso,
    _label_keys,
    _lane_key,
    _new_id,
    _set_labels,
    _update_card_row,
    _user_named,
)

if TYPE_CHECKING:
    from tui.core.exchange import ExportDocument


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
    on_this_machine = True
    capabilities = Capabilities(
        supported=frozenset(
            {
                Capability.CREATE,
                Capability.EDIT,
                Capability.MOVE,
                Capability.REORDER,
                Capability.DELETE,
                Capability.ARCHIVE,
                Capability.RESTORE,
                Capability.LANES,
                Capability.COMMENTS,
                Capability.CHECKLISTS,
                Capability.LABELS,
                Capability.ASSIGNEES,
                Capability.DUE_DATES,
                Capability.PRIORITY,
                Capability.WIP_LIMITS,
                Capability.BLOCKING,
                Capability.BOARDS,
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
            if self.path.is_file() and self.path.stat().st_size == 0:
                # SQLite would take it for a new database and seed the demo over whatever
                # emptied it: say so, and leave the file for the user to look at.
                raise DatabaseError(
                    f"local board database {self.path} is empty (0 bytes); "
                    "move it away to start afresh with the demo board"
                )
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
        from tui.providers.local_demo import demo_document  # once, on the very first start

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
            return _content(db, board, _cards(db, "c.board_id = ? AND NOT c.archived", board["id"]))

    async def load_board_start(self, board_id: str, per_cell: int) -> BoardStart | None:
        with self._session() as db:
            board = _board_row(db, board_id)
            start = _start_cards(db, board["id"], per_cell)
            if start is None:
                return None
            cards, totals = start
            return BoardStart(_content(db, board, cards), totals)

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
            touched = changes.fields_set
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
            if "blocked" in touched:
                values["blocked"] = bool(changes.blocked)
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

    async def list_archived_cards(self, board_id: str) -> list[Card]:
        with self._session() as db:
            key = _board_row(db, board_id)["id"]
            return list(_cards(db, "c.board_id = ? AND c.archived", key))

    async def restore_card(self, board_id: str, card_id: str) -> None:
        """Back where it was archived from: the card kept its column, lane and place."""
        with self._session(write=True) as db:
            _update_card_row(db, _card_key(db, board_id, card_id), {"archived": 0}, self.clock())

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
        # The export format's models cost an import that opening a board need not pay.
        from tui.core.exchange import ExportDocument, ExportedBoard, ExportedColumn, ExportedLane

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

    async def rename_board(self, board_id: str, name: str) -> Board:
        _check_text(name, "board name")
        with self._session(write=True) as db:
            key = _board_row(db, board_id)["id"]
            db.execute("UPDATE boards SET name = ? WHERE id = ?", (name, key))
            return _board(_board_row(db, board_id))

    async def delete_board(self, board_id: str) -> None:
        """The board, its cards and all on them (the schema cascades); users stay."""
        with self._session(write=True) as db:
            key = _board_row(db, board_id)["id"]
            db.execute("DELETE FROM boards WHERE id = ?", (key,))

    async def import_board(self, document: ExportDocument) -> Board:
        """A new board (with new ids) holding everything in `document`; all or nothing."""
        with self._session(write=True) as db:
            return _board(_board_row(db, str(_insert_document(db, document))))


def _content(db: sqlite3.Connection, board: sqlite3.Row, cards: tuple[Card, ...]) -> BoardContent:
    key = board["id"]
    return BoardContent(
        board=_board(board),
        columns=tuple(_column(row) for row in _board_columns(db, key)),
        lanes=tuple(_lane(row) for row in _board_lanes(db, key)),
        cards=cards,
        labels=tuple(_label(row) for row in _board_labels(db, key)),
        users=tuple(_user(row) for row in _board_members(db, key)),
    )


def _database_path(connection: Connection) -> Path:
    if path := connection.options.get("path"):
        return Path(path).expanduser()
    if connection.data_dir is not None:
        return connection.data_dir / "local.db"
    return paths.local_database()


# --- ids and checks -----------------------------------------------------------------
