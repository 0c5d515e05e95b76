"""The local board database's schema, as migrations for `tui.core.sqlite`.

`MIGRATIONS[n]` takes a database from version n to n + 1; an entry is never edited
once released.
"""

from __future__ import annotations

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
