"""Kaiten: spaces of boards; columns with subcolumns; lanes; cards with tags and checklists.

Built from Kaiten's API v1 docs (https://developers.kaiten.ru, shared/api/kaiten-v1.txt).
The account url is the API base, https://<domain>.kaiten.ru/api/v1 (/api/latest works
the same); the token is sent as a Bearer header. Kaiten allows 5 requests a second,
which the HTTP client keeps to.

How the model maps:
- a board is grouped under its space; cards live in leaf columns, so a column with
  subcolumns shows as its subcolumns, each grouped under the parent's title;
- a card's assignee is its owner, the one person every card answer carries (board
  cards have no members);
- a label is a company tag; board cards carry no tags, so labels show in the detail;
- a checklist item's id is "<checklist id>:<item id>": toggling an item needs both;
- WIP limits are Kaiten's recommended limits: shown, never enforced by the service.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

from tui.core.errors import ValidationError
from tui.core.models import (
    Board,
    BoardContent,
    Card,
    CardChanges,
    CardDraft,
    ChecklistItem,
    Column,
    ColumnKind,
    Comment,
    Label,
    Lane,
    Placement,
    TimeLog,
    User,
)
from tui.core.provider import (
    Capabilities,
    Capability,
    Connection,
    Provider,
    ProviderOption,
)
from tui.providers.http import Clock, HttpClient, ServiceSpec, checks_answers

KAITEN_API = ServiceSpec(
    title="Kaiten",
    token_header="Authorization",
    token_prefix="Bearer ",
    requests_per_second=5.0,
)
PAGE_SIZE = 100
"""The largest `limit` Kaiten's list endpoints take."""
NEW_CHECKLIST_NAME = "Checklist"

_KINDS = {1: ColumnKind.QUEUE, 2: ColumnKind.IN_PROGRESS, 3: ColumnKind.DONE}
_LIVE, _ARCHIVED = 1, 2
_AT_THE_BOTTOM = 2
"""POST /cards `position`: 1 puts a new card at the top of its cell, 2 at the bottom."""
_EMPLOYEE_ROLE = -1
"""The predefined time-log role every company has."""


@checks_answers
class KaitenProvider(Provider):
    """One Kaiten account; see the module docstring for how Kaiten maps to the model."""

    name = "kaiten"
    title = "Kaiten"
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
                Capability.WIP_LIMITS,
                Capability.TIME_LOGGING,
            }
        ),
        reasons={
            Capability.PRIORITY: "Kaiten cards have no priority (use a tag)",
            Capability.LIVE_TIMER: "Kaiten's API logs time spent, it runs no timers",
        },
    )
    options = (
        ProviderOption(
            name="url",
            label="API URL",
            description="Your Kaiten API address: https://<domain>.kaiten.ru/api/v1",
            required=True,
        ),
        ProviderOption(
            name="token",
            label="API token",
            description="Made in Kaiten under Profile > API key",
            required=True,
            secret=True,
        ),
    )

    def __init__(self, connection: Connection, *, clock: Clock | None = None):
        super().__init__(connection)
        self._http = HttpClient(connection, KAITEN_API, default_url=self.default_url, clock=clock)
        self._tag_names: dict[str, str] = {}
        """Tag id -> name: a tag is put on a card by name but listed by id."""

    async def aclose(self) -> None:
        await self._http.aclose()

    # --- reading ----------------------------------------------------------------------

    async def whoami(self) -> User:
        return _user(await self._http.get("/users/current"))

    async def list_boards(self) -> list[Board]:
        spaces = await self._http.get("/spaces")
        return [
            Board(
                id=str(board["id"]),
                name=board.get("title") or "",
                group=space.get("title"),
                description=board.get("description") or "",
            )
            for space in _ordered(s for s in spaces if not s.get("archived"))
            for board in _ordered(space.get("boards") or ())
        ]

    async def load_board(self, board_id: str) -> BoardContent:
        raw, users, tags = await asyncio.gather(
            self._http.get(f"/boards/{_ref(board_id)}"),
            self._all("/users"),
            self._all("/tags"),
        )
        self._remember(tags)
        cards = raw.get("cards")
        if cards is None:  # an answer without embedded cards: page through them instead
            cards = await self._all("/cards", board_id=_ref(board_id), condition=_LIVE)
        return BoardContent(
            board=Board(
                id=str(raw["id"]),
                name=raw.get("title") or "",
                description=raw.get("description") or "",
            ),
            columns=_leaf_columns(raw.get("columns") or ()),
            lanes=tuple(
                Lane(
                    id=str(lane["id"]),
                    name=lane.get("title") or "",
                    position=lane.get("sort_order") or 0,
                )
                for lane in _ordered(raw.get("lanes") or ())
                if lane.get("condition", _LIVE) == _LIVE
            ),
            cards=tuple(_card(card, board_id) for card in cards if _is_live(card)),
            labels=tuple(_label(tag) for tag in tags if not tag.get("archived")),
            users=tuple(_user(user) for user in users if user.get("activated", True)),
        )

    async def get_card(self, board_id: str, card_id: str) -> Card:
        return _card(await self._http.get(f"/cards/{_ref(card_id)}"), board_id)

    async def list_comments(self, board_id: str, card_id: str) -> list[Comment]:
        comments = await self._http.get(f"/cards/{_ref(card_id)}/comments")
        live = (c for c in comments if not c.get("deleted"))
        return [_comment(c) for c in sorted(live, key=lambda c: c.get("created") or "")]

    # --- writing ----------------------------------------------------------------------

    async def create_card(self, board_id: str, draft: CardDraft) -> Card:
        if draft.priority is not None:
            raise self._unsupported(Capability.PRIORITY)
        body: dict[str, Any] = {
            "board_id": _ref(board_id),
            "column_id": _ref(draft.column_id),
            "title": draft.title,
            "position": _AT_THE_BOTTOM,
        }
        if draft.lane_id is not None:
            body["lane_id"] = _ref(draft.lane_id)
        if draft.description:
            body["description"] = draft.description
        if draft.due is not None:
            body["due_date"] = draft.due.isoformat()
        if draft.assignee_id is not None:
            body["owner_id"] = _ref(draft.assignee_id)
        created = await self._http.post("/cards", json=body)
        if not draft.label_ids:
            return _card(created, board_id)
        card_id = str(created["id"])
        await self._set_tags(card_id, current={}, wanted=draft.label_ids)
        return await self.get_card(board_id, card_id)

    async def update_card(self, board_id: str, card_id: str, changes: CardChanges) -> Card:
        touched = changes.model_fields_set
        if "priority" in touched:
            raise self._unsupported(Capability.PRIORITY)
        body: dict[str, Any] = {}
        if "title" in touched and changes.title is not None:
            body["title"] = changes.title
        if "description" in touched:
            body["description"] = changes.description or ""
        if "due" in touched:
            body["due_date"] = changes.due.isoformat() if changes.due else None
        if "assignee_id" in touched:
            if changes.assignee_id is None:
                raise ValidationError(
                    "a Kaiten card always has an owner: pick someone else instead"
                )
            body["owner_id"] = _ref(changes.assignee_id)
        if "label_ids" in touched:
            current = await self._http.get(f"/cards/{_ref(card_id)}")
            have = {str(_tag_id(tag)): tag for tag in current.get("tags") or ()}
            await self._set_tags(card_id, current=have, wanted=changes.label_ids or ())
        if body:
            return _card(await self._http.patch(f"/cards/{_ref(card_id)}", json=body), board_id)
        return await self.get_card(board_id, card_id)

    async def move_card(self, board_id: str, card_id: str, placement: Placement) -> Card:
        body: dict[str, Any] = {
            "column_id": _ref(placement.column_id),
            "sort_order": placement.position,
        }
        if placement.lane_id is not None:
            body["lane_id"] = _ref(placement.lane_id)
        return _card(await self._http.patch(f"/cards/{_ref(card_id)}", json=body), board_id)

    async def archive_card(self, board_id: str, card_id: str) -> None:
        await self._http.patch(f"/cards/{_ref(card_id)}", json={"condition": _ARCHIVED})

    async def delete_card(self, board_id: str, card_id: str) -> None:
        await self._http.delete(f"/cards/{_ref(card_id)}")

    async def add_comment(self, board_id: str, card_id: str, text: str) -> Comment:
        return _comment(
            await self._http.post(f"/cards/{_ref(card_id)}/comments", json={"text": text})
        )

    async def add_checklist_item(self, board_id: str, card_id: str, text: str) -> ChecklistItem:
        """Adds to the card's last checklist, making one first if the card has none."""
        card = await self._http.get(f"/cards/{_ref(card_id)}")
        checklists = _ordered(card.get("checklists") or ())
        if checklists:
            checklist_id = checklists[-1]["id"]
        else:
            made = await self._http.post(
                f"/cards/{_ref(card_id)}/checklists", json={"name": NEW_CHECKLIST_NAME}
            )
            checklist_id = made["id"]
        item = await self._http.post(
            f"/cards/{_ref(card_id)}/checklists/{checklist_id}/items", json={"text": text}
        )
        return _checklist_item(checklist_id, item)

    async def set_checklist_item(
        self, board_id: str, card_id: str, item_id: str, done: bool
    ) -> ChecklistItem:
        checklist_id, _, item = item_id.partition(":")
        answer = await self._http.patch(
            f"/cards/{_ref(card_id)}/checklists/{_ref(checklist_id)}/items/{_ref(item)}",
            json={"checked": done},
        )
        return _checklist_item(checklist_id, answer)

    async def log_time(
        self, board_id: str, card_id: str, minutes: int, day: date, note: str
    ) -> str:
        body = {
            "time_spent": minutes,
            "for_date": day.isoformat(),
            "comment": note or None,
            "role_id": _EMPLOYEE_ROLE,
        }
        logged = await self._http.post(f"/cards/{_ref(card_id)}/time-logs", json=body)
        return str(logged["id"])

    async def list_time_logs(self, board_id: str, card_id: str) -> list[TimeLog]:
        logs = await self._http.get(f"/cards/{_ref(card_id)}/time-logs")
        return [_time_log(raw) for raw in logs]

    async def update_time_log(
        self, board_id: str, card_id: str, log_id: str, minutes: int, day: date, note: str
    ) -> None:
        body = {"time_spent": minutes, "for_date": day.isoformat(), "comment": note or None}
        await self._http.patch(f"/cards/{_ref(card_id)}/time-logs/{_ref(log_id)}", json=body)

    async def delete_time_log(self, board_id: str, card_id: str, log_id: str) -> None:
        await self._http.delete(f"/cards/{_ref(card_id)}/time-logs/{_ref(log_id)}")

    # --- helpers ----------------------------------------------------------------------

    async def _all(self, path: str, **filters: Any) -> list[Any]:
        """Every item of an offset/limit list, page after page."""
        items: list[Any] = []
        while True:
            page = await self._http.get(
                path, params={**filters, "offset": len(items), "limit": PAGE_SIZE}
            )
            items.extend(page)
            if len(page) < PAGE_SIZE:
                return items

    def _remember(self, tags: Iterable[dict[str, Any]]) -> None:
        self._tag_names.update((str(tag["id"]), tag["name"]) for tag in tags)

    async def _set_tags(
        self, card_id: str, *, current: dict[str, Any], wanted: Iterable[str]
    ) -> None:
        """Make the card's tags exactly `wanted`: tags are added by name, removed by id."""
        wanted = list(dict.fromkeys(wanted))
        if any(tag_id not in self._tag_names for tag_id in wanted):
            self._remember(await self._all("/tags"))
        unknown = [tag_id for tag_id in wanted if tag_id not in self._tag_names]
        if unknown:
            raise ValidationError(f"Kaiten has no tag with id {', '.join(unknown)}")
        for tag_id in current.keys() - set(wanted):
            await self._http.delete(f"/cards/{_ref(card_id)}/tags/{_ref(tag_id)}")
        for tag_id in wanted:
            if tag_id not in current:
                await self._http.post(
                    f"/cards/{_ref(card_id)}/tags", json={"name": self._tag_names[tag_id]}
                )


# --- Kaiten JSON -> model -------------------------------------------------------------


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
    leaves = []
    for top in _ordered(tops):
        subcolumns = _ordered(children[top["id"]])
        if subcolumns:
            leaves.extend((sub, top.get("title")) for sub in subcolumns)
        else:
            leaves.append((top, None))
    return tuple(
        Column(
            id=str(column["id"]),
            name=column.get("title") or "",
            position=index,
            wip_limit=column.get("wip_limit") or None,
            kind=_KINDS.get(column.get("type")),
            group=group,
        )
        for index, (column, group) in enumerate(leaves)
    )


def _card(raw: dict[str, Any], board_id: str) -> Card:
    checklists = _ordered(raw.get("checklists") or ())
    return Card(
        id=str(raw["id"]),
        board_id=str(raw.get("board_id") or board_id),
        title=raw.get("title") or "",
        column_id=str(raw["column_id"]),
        lane_id=str(raw["lane_id"]) if raw.get("lane_id") is not None else None,
        position=raw.get("sort_order") or 0,
        description=raw.get("description") or "",
        labels=tuple(_label(tag) for tag in raw.get("tags") or ()),
        assignee=_user(raw["owner"]) if raw.get("owner") else None,
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
        created_at=raw.get("created"),
        updated_at=raw.get("updated"),
    )


def _checklist_item(checklist_id: Any, raw: dict[str, Any]) -> ChecklistItem:
    return ChecklistItem(
        id=f"{checklist_id}:{raw['id']}",
        text=raw.get("text") or "",
        done=bool(raw.get("checked")),
        position=raw.get("sort_order") or 0,
    )


def _tag_id(tag: dict[str, Any]) -> Any:
    """A card's tag carries the tag's own id in `tag_id`; a company tag only has `id`."""
    return tag.get("tag_id") or tag["id"]


def _label(tag: dict[str, Any]) -> Label:
    return Label(id=str(_tag_id(tag)), name=tag.get("name") or "")


def _user(raw: dict[str, Any]) -> User:
    return User(
        id=str(raw["id"]),
        name=raw.get("full_name") or raw.get("username") or str(raw["id"]),
        email=raw.get("email"),
    )


def _time_log(raw: dict[str, Any]) -> TimeLog:
    return TimeLog(
        id=str(raw["id"]),
        card_id=str(raw["card_id"]),
        minutes=raw["time_spent"],
        day=date.fromisoformat(raw["for_date"][:10]),
        note=raw.get("comment") or "",
    )


def _comment(raw: dict[str, Any]) -> Comment:
    return Comment(
        id=str(raw["id"]),
        text=raw.get("text") or "",
        author=_user(raw["author"]) if raw.get("author") else None,
        created_at=raw.get("created"),
    )
