"""The JSON shapes of the scripting interface: stable, since scripts and tests rely on them.

Each function turns one domain object into what `--json` prints; a new key may be
added, an existing one is never renamed or removed.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from tui.core import codec
from tui.core.models import Board, BoardContent, Card, Comment, TimeEntry, Timer

if TYPE_CHECKING:  # `boards` and `cards` need not import time tracking or the inbox
    from tui.core.inbox import InboxEntry
    from tui.core.time import ReportRow

Document = dict[str, Any]


def emit(as_json: bool, document: object, text: str) -> int:
    """Print the JSON document or the text; exit code 0."""
    print(json.dumps(document, indent=2, ensure_ascii=False) if as_json else text)
    return 0


def account_json(name: str, provider: str, url: str | None) -> Document:
    return {"name": name, "provider": provider, "url": url}


def board_json(board: Board) -> Document:
    return {"id": board.id, "name": board.name, "group": board.group}


def card_json(content: BoardContent, card: Card, *, full: bool = False) -> Document:
    columns = {column.id: column.name for column in content.columns}
    lanes = {lane.id: lane.name for lane in content.lanes}
    document: Document = {
        "id": card.id,
        "title": card.title,
        "column_id": card.column_id,
        "column": columns.get(card.column_id),
        "lane_id": card.lane_id,
        "lane": lanes.get(card.lane_id) if card.lane_id else None,
        "position": card.position,
        "labels": [label.name for label in card.labels],
        "assignee": card.assignee.name if card.assignee else None,
        "due": card.due.isoformat() if card.due else None,
        "priority": card.priority.value if card.priority else None,
        "checklist": {"done": card.checklist_done, "total": len(card.checklist)},
        "comment_count": card.comment_count,
        "blocked": card.blocked,
        "url": card.url,
        "members": [member.name for member in card.members],
        "owner": card.owner.name if card.owner else None,
        "card_type": card.card_type,
        "size": card.size,
        "block_reason": card.block_reason,
        "external_id": card.external_id,
        "archived": card.archived,
    }
    if full:
        document["description"] = card.description
        document["checklist_items"] = [
            {"id": i.id, "text": i.text, "done": i.done} for i in card.checklist
        ]
        document["created_at"] = card.created_at.isoformat() if card.created_at else None
        document["updated_at"] = card.updated_at.isoformat() if card.updated_at else None
    return document


def card_detail_json(content: BoardContent, card: Card, comments: Iterable[Comment]) -> Document:
    """`card show`: the full card and its comments."""
    document = card_json(content, card, full=True)
    document["comments"] = [comment_json(comment) for comment in comments]
    return document


def deleted_json(card_id: str) -> Document:
    """`card delete`: which card is gone."""
    return {"id": card_id, "deleted": True}


def comment_json(comment: Comment) -> Document:
    return {
        "id": comment.id,
        "author": comment.author.name if comment.author else None,
        "created_at": comment.created_at.isoformat() if comment.created_at else None,
        "text": comment.text,
    }


def new_comment_json(card_id: str, comment: Comment) -> Document:
    """`card comment`: what was written, where."""
    return {"id": comment.id, "card_id": card_id, "text": comment.text}


def timer_json(timer: Timer) -> Document:
    document: Document = codec.dump(timer)
    return document


def entry_json(entry: TimeEntry) -> Document:
    document: Document = codec.dump(entry)
    return document


def report_row_json(row: ReportRow) -> Document:
    return {"key": row.key, "label": row.label, "seconds": row.seconds, "entries": row.entries}


def inbox_entry_json(entry: InboxEntry) -> Document:
    card = entry.card
    return {
        "account": entry.account,
        "board_id": entry.board.id,
        "board": entry.board.name,
        "id": card.id,
        "title": card.title,
        "column_id": card.column_id,
        "column": entry.column.name if entry.column else None,
        "assignee": card.assignee.name if card.assignee else None,
        "due": card.due.isoformat() if card.due else None,
        "reasons": sorted(reason.value for reason in entry.reasons),
        "url": card.url,
    }
