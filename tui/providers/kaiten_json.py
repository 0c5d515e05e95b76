"""Kaiten JSON -> the domain model: the pure half of tui/providers/kaiten.py.

See that module's docstring for how Kaiten maps; these functions hold no state.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

from tui.core.codec import validated
from tui.core.errors import ValidationError
from tui.core.models import (
    Card,
    ChecklistItem,
    Column,
    ColumnKind,
    Comment,
    Label,
    TimeLog,
    User,
)

_KINDS = {1: ColumnKind.QUEUE, 2: ColumnKind.IN_PROGRESS, 3: ColumnKind.DONE}
_LIVE, _ARCHIVED = 1, 2
_MEMBER, _RESPONSIBLE = 1, 2
"""A card member's `type`: a plain member, or the one responsible for the card."""


def _ref(value: str) -> int:
    """A Kaiten id as the API takes it (an integer), from the model's string id."""
    try:
        return int(value)
    except ValueError:
        raise ValidationError(f"not a Kaiten id: {value!r}") from None


def _ordered(items: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(items, key=lambda item: item.get("sort_order") or 0)


def _is_live(card: dict[str, Any]) -> bool:
    return card.get("condition", _LIVE) == _LIVE and not card.get("archived")


def _leaf_columns(columns: Iterable[dict[str, Any]]) -> tuple[Column, ...]:
    """The columns cards live in, left to right: subcolumns stand in for their parent.

    A board lists its columns flat; a subcolumn names its parent in `column_id`.
    """
    tops: list[dict[str, Any]] = []
    children: dict[Any, list[dict[str, Any]]] = defaultdict(list)
    for column in columns:
        if column.get("column_id"):
            children[column["column_id"]].append(column)
        else:
            tops.append(column)
    leaves: list[tuple[dict[str, Any], str | None]] = []
    for top in _ordered(tops):
        subcolumns = _ordered(children[top["id"]])
        if subcolumns:
            leaves.extend((sub, top.get("title")) for sub in subcolumns)
        else:
            leaves.append((top, None))
    return tuple(
        validated(
            Column,
            id=str(column["id"]),
            name=column.get("title") or "",
            position=index,
            wip_limit=column.get("wip_limit") or None,
            kind=_KINDS.get(column.get("type") or 0),
            group=group,
        )
        for index, (column, group) in enumerate(leaves)
    )


def _web_origin(api_url: str | None) -> str | None:
    """https://<domain>.kaiten.ru from the API base https://<domain>.kaiten.ru/api/v1."""
    if not api_url:
        return None
    origin, found, _ = api_url.rstrip("/").rpartition("/api/")
    return origin if found else None


def _card(raw: dict[str, Any], board_id: str) -> Card:
    checklists = _ordered(raw.get("checklists") or ())
    members = raw.get("members") or ()
    responsible = [m for m in members if m.get("type") == _RESPONSIBLE]
    others = [m for m in members if m.get("type") != _RESPONSIBLE]
    card_type = raw.get("type") or {}
    return validated(
        Card,
        id=str(raw["id"]),
        board_id=str(raw.get("board_id") or board_id),
        title=raw.get("title") or "",
        column_id=str(raw["column_id"]),
        lane_id=str(raw["lane_id"]) if raw.get("lane_id") is not None else None,
        position=raw.get("sort_order") or 0,
        description=raw.get("description") or "",
        labels=tuple(_label(tag) for tag in raw.get("tags") or ()),
        assignee=_user(responsible[0]) if responsible else None,
        members=tuple(_user(member) for member in others),
        owner=_user(raw["owner"]) if raw.get("owner") else None,
        card_type=card_type.get("name") or None,
        size=raw.get("size_text") or None,
        due=date.fromisoformat(raw["due_date"][:10]) if raw.get("due_date") else None,
        checklist=tuple(
            _checklist_item(checklist["id"], item)
            for checklist in checklists
            for item in _ordered(checklist.get("items") or ())
            if not item.get("deleted")
        ),
        comment_count=raw.get("comments_total") or 0,
        archived=not _is_live(raw),
        blocked=bool(raw.get("blocked")),
        block_reason=raw.get("block_reason") or None,
        created_at=raw.get("created"),
        updated_at=raw.get("updated"),
    )


def _checklist_item(checklist_id: Any, raw: dict[str, Any]) -> ChecklistItem:
    return validated(
        ChecklistItem,
        id=f"{checklist_id}:{raw['id']}",
        text=raw.get("text") or "",
        done=bool(raw.get("checked")),
        position=raw.get("sort_order") or 0,
    )


def _tag_id(tag: dict[str, Any]) -> Any:
    """A card's tag carries the tag's own id in `tag_id`; a company tag only has `id`."""
    return tag.get("tag_id") or tag["id"]


def _label(tag: dict[str, Any]) -> Label:
    return validated(Label, id=str(_tag_id(tag)), name=tag.get("name") or "")


def _user(raw: dict[str, Any]) -> User:
    return validated(
        User,
        id=str(raw["id"]),
        name=raw.get("full_name") or raw.get("username") or str(raw["id"]),
        email=raw.get("email"),
    )


def _time_log(raw: dict[str, Any]) -> TimeLog:
    return validated(
        TimeLog,
        id=str(raw["id"]),
        card_id=str(raw["card_id"]),
        minutes=raw["time_spent"],
        day=date.fromisoformat(raw["for_date"][:10]),
        note=raw.get("comment") or "",
    )


def _comment(raw: dict[str, Any]) -> Comment:
    return validated(
        Comment,
        id=str(raw["id"]),
        text=raw.get("text") or "",
        author=_user(raw["author"]) if raw.get("author") else None,
        created_at=raw.get("created"),
    )
