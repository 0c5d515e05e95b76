"""KanbanTool JSON -> the domain model: the pure half of tui/providers/kanbantool.py.

See that module's docstring for how KanbanTool maps; these functions hold no state.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from tui.core.codec import validated
from tui.core.errors import ValidationError
from tui.core.models import (
    Card,
    ChecklistItem,
    Column,
    Comment,
    Label,
    Priority,
    TimeLog,
    User,
)


def _unwrap(data: Any, what: str) -> Any:
    """Undo the docs' "inconsistency": some answers wrap each object as {what: {...}}.

    The docs' unwrapJSON, for a list or a single answer alike.
    """
    if isinstance(data, list):
        return [_unwrap(item, what) for item in data]
    if isinstance(data, dict) and isinstance(data.get(what), dict):
        return data[what]
    return data


def _split_page(answer: Any) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """A paginated task list carries its pagination as the array's last element."""
    items = _unwrap(answer, "task")
    pagination: dict[str, Any] = next(
        (item["pagination"] for item in items if "pagination" in item), {}
    )
    return [item for item in items if "pagination" not in item], pagination


def _ref(value: str) -> int:
    """A KanbanTool id as the API takes it (an integer), from the model's string id."""
    try:
        return int(value)
    except ValueError:
        raise ValidationError(f"not a KanbanTool id: {value!r}") from None


def _ordered(items: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(items, key=lambda item: item.get("position") or 0)


def _leaf_columns(stages: Iterable[dict[str, Any]]) -> tuple[Column, ...]:
    """The stages tasks sit in, left to right, each grouped under its parents' names."""
    children: dict[Any, list[dict[str, Any]]] = {}
    for stage in stages:
        children.setdefault(stage.get("parent_id"), []).append(stage)

    def leaves(
        parent: Any, path: tuple[str, ...]
    ) -> Iterable[tuple[dict[str, Any], tuple[str, ...]]]:
        for stage in _ordered(children.get(parent, ())):
            if stage["id"] in children:
                yield from leaves(stage["id"], (*path, stage.get("name") or ""))
            else:
                yield stage, path

    return tuple(
        validated(
            Column,
            id=str(stage["id"]),
            name=stage.get("name") or "",
            position=index,
            wip_limit=stage.get("limit") or None,
            group=" / ".join(name for name in path if name) or None,
        )
        for index, (stage, path) in enumerate(leaves(None, ()))
    )


def _priority(value: Any) -> Priority | None:
    if value is None:
        return None
    number = float(value)
    return Priority.LOW if number < 0 else Priority.HIGH if number > 0 else Priority.NORMAL


def _tags(raw: Any) -> tuple[Label, ...]:
    """Tags come as one comma-separated string ("ui, urgent"); a list is taken too."""
    words = raw.split(",") if isinstance(raw, str) else raw or ()
    names = dict.fromkeys(str(word).strip() for word in words)
    return tuple(validated(Label, id=name, name=name) for name in names if name)


def _size(raw: Any) -> str | None:
    """A size estimate as people write it: "1.0" is 1, "2.5" stays 2.5."""
    if raw is None or raw == "":
        return None
    try:
        return f"{float(raw):g}"
    except (TypeError, ValueError):
        return str(raw)


def _card(task: dict[str, Any], board_id: str, card_types: dict[str, str]) -> Card:
    assigned = task.get("assigned_user")
    assignee_id = task.get("assigned_user_id")
    return validated(
        Card,
        id=str(task["id"]),
        board_id=board_id,
        title=task.get("name") or "",
        column_id=str(task["workflow_stage_id"]),
        lane_id=str(task["swimlane_id"]) if task.get("swimlane_id") is not None else None,
        position=task.get("position") or 0,
        description=task.get("description") or "",
        labels=_tags(task.get("tags")),
        card_type=card_types.get(str(task.get("card_type_id"))) or None,
        size=_size(task.get("size_estimate")),
        assignee=validated(
            User, id=str(assignee_id), name=(assigned or {}).get("name") or str(assignee_id)
        )
        if assignee_id is not None
        else None,
        due=date.fromisoformat(task["due_date"][:10]) if task.get("due_date") else None,
        priority=_priority(task.get("priority")),
        checklist=tuple(_subtask(subtask) for subtask in _ordered(task.get("subtasks") or ())),
        comment_count=task.get("comments_count") or len(task.get("comments") or ()),
        archived=task.get("archived_at") is not None,
        created_at=task.get("created_at"),
        updated_at=task.get("updated_at"),
    )


def _moment(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def _time_log(tracker: dict[str, Any]) -> TimeLog:
    """A finished tracker as a log: whole minutes, on the local day it started."""
    started = _moment(tracker["started_at"])
    seconds = (_moment(tracker["ended_at"]) - started).total_seconds()
    return validated(
        TimeLog,
        id=str(tracker["id"]),
        card_id=str(tracker["task_id"]),
        minutes=round(seconds / 60),
        day=started.astimezone().date(),
    )


def _subtask(raw: dict[str, Any]) -> ChecklistItem:
    return validated(
        ChecklistItem,
        id=str(raw["id"]),
        text=raw.get("name") or "",
        done=bool(raw.get("is_completed")),
        position=raw.get("position") or 0,
    )


def _comment(raw: dict[str, Any]) -> Comment:
    user = raw.get("user")
    author = (
        validated(User, id=str(raw["user_id"]), name=user.get("name") or "")
        if user and raw.get("user_id") is not None
        else None
    )
    return validated(
        Comment,
        id=str(raw["id"]),
        text=raw.get("content") or "",
        author=author,
        created_at=raw.get("created_at"),
    )
