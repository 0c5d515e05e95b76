"""Kitemaker JSON -> the domain model: the pure half of tui/providers/kitemaker.py."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from tui.core.codec import validated
from tui.core.models import Comment, Label, User

_HEX_COLOR = re.compile(r"[0-9a-fA-F]{6}")


def _updated(item: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(item.get("updatedAt") or "1970-01-01T00:00:00+00:00")


def _newest(items: list[dict[str, Any]]) -> datetime | None:
    return max((_updated(item) for item in items), default=None)


def _newest_first(updated_at: str | None) -> float:
    """A sort key putting the most recently updated item at the top of its status."""
    if not updated_at:
        return 0.0
    return -datetime.fromisoformat(updated_at).timestamp()


def _color(value: Any) -> str | None:
    """Kitemaker writes colours as "e91e63" (or a name); the model as "#e91e63"."""
    if not isinstance(value, str) or not value:
        return None
    return f"#{value}" if _HEX_COLOR.fullmatch(value) else value


def _label(raw: dict[str, Any]) -> Label:
    return validated(
        Label, id=raw["id"], name=raw.get("name") or "", color=_color(raw.get("color"))
    )


def _comment(raw: dict[str, Any]) -> Comment:
    actor = raw.get("actor")
    return validated(
        Comment,
        id=raw["id"],
        text=raw.get("body") or "",
        author=validated(User, id=actor["id"], name=actor.get("name") or "") if actor else None,
        created_at=raw.get("createdAt"),
    )
