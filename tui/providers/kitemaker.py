"""Kitemaker: spaces of work items; statuses as columns; labels with colours.

Built from Kitemaker's REST API v1 docs (shared/api/kitemaker-rest-v1.txt). The account
url is the API base, https://toil.kitemaker.co/developers/rest/v1; the token travels in
the X-API-KEY header. Errors come as {"errors": [{"message", "status", "code"}]}.

The REST API is a small one, and the board shows what it allows:
- a space is a board, its statuses the columns, in the order the API lists them;
- full work items come only for the space's 50 most recently updated; every other
  item is an id and a title in the metadata list. One item can also be read by space
  key and number, both known only from answers already seen (the key only from a
  comment's `entity.space`), so each unplaced item whose number was seen is looked up,
  up to LOOKUPS_PER_LOAD a load. No endpoint gives more full items per request: the
  recent list stops at 50 and the metadata list has ids and titles only. An item read
  by number is kept and not read again while it cannot have changed (it would be
  among the recent ones if it had), so each load places LOOKUPS_PER_LOAD more items
  instead of reading the same ones again. What is left shows by title in an extra "Unplaced"
  column, and `BoardContent.notice` says why. An unplaced item can still be moved to a
  status (the update takes just its id), which makes it one of the recent ones;
- the order inside a status is not in the API: cards show most recently updated
  first, which is where a move or a new item lands (the top of its status);
- a label's colour is known only where a work item carries it (the list has names);
- priority is the item's impact (small = low, medium = normal, large = high, and
  urgent is sent as large); effort is the card's size, which can only be given when
  creating (`create_card(..., effort=...)`);
- comments are the space's 50 most recent ones: older ones are not in the API;
- labels can be added to an item but not taken off.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any, Literal

from tui.core.codec import validated
from tui.core.errors import NotFound, ValidationError
from tui.core.models import (
    Board,
    BoardContent,
    Card,
    CardChanges,
    CardDraft,
    Column,
    Comment,
    Label,
    Placement,
    Priority,
    User,
)
from tui.core.provider import (
    Capabilities,
    Capability,
    Connection,
    Provider,
    ProviderOption,
)
from tui.providers.http import (
    Clock,
    HttpClient,
    ServiceSpec,
    checks_answers,
    message_detail,
)
from tui.providers.kitemaker_json import _color, _comment, _label, _newest, _newest_first, _updated

Size = Literal["small", "medium", "large"]


def _error_detail(body: object) -> str | None:
    """The documented {"errors": [{"message", "code"}]}; a bare {"message"} otherwise."""
    errors = body.get("errors") if isinstance(body, Mapping) else None
    if isinstance(errors, list):
        messages = [
            f"{error['message']} ({error['code']})" if error.get("code") else error["message"]
            for error in errors
            if isinstance(error, Mapping) and isinstance(error.get("message"), str)
        ]
        if messages:
            return "; ".join(messages)
    return message_detail(body)


KITEMAKER_API = ServiceSpec(title="Kitemaker", token_header="X-API-KEY", detail=_error_detail)
RECENT_MAX = 50
"""The most work items (and comments) the recent lists give: "max 50"."""
LOOKUPS_PER_LOAD = 25
"""Older work items read one by one per board load, so a load stays a few requests."""
UNPLACED = "unplaced"
"""The column of work items the API names but does not place (no Kitemaker id looks so)."""

_IMPACTS: Mapping[Priority, Size] = {
    Priority.LOW: "small",
    Priority.NORMAL: "medium",
    Priority.HIGH: "large",
    Priority.URGENT: "large",
}
_PRIORITIES = {"small": Priority.LOW, "medium": Priority.NORMAL, "large": Priority.HIGH}


@checks_answers
class KitemakerProvider(Provider):
    """One Kitemaker organization; see the module docstring for what the API allows."""

    name = "kitemaker"
    title = "Kitemaker"
    capabilities = Capabilities(
        supported=frozenset(
            {
                Capability.CREATE,
                Capability.EDIT,
                Capability.MOVE,
                Capability.COMMENTS,
                Capability.LABELS,
                Capability.PRIORITY,
            }
        ),
        reasons={
            Capability.REORDER: (
                "Kitemaker's API does not show the order inside a status: "
                "a work item can only go to its top"
            ),
            Capability.DELETE: "Kitemaker's REST API cannot delete work items",
            Capability.ARCHIVE: "Kitemaker's REST API cannot archive work items",
            Capability.RESTORE: "Kitemaker's REST API cannot list or restore archived work items",
            Capability.ASSIGNEES: "Kitemaker's REST API does not show or set assignees",
            Capability.DUE_DATES: "Kitemaker's REST API has no due dates",
            Capability.CHECKLISTS: "Kitemaker's REST API has no checklists",
            Capability.TIME_LOGGING: (
                "Kitemaker has no time API; time is kept in Cardboard's journal"
            ),
        },
    )
    options = (
        ProviderOption(
            name="url",
            label="API URL",
            description="Kitemaker's REST API address (the default is Kitemaker's own)",
            default="https://toil.kitemaker.co/developers/rest/v1",
        ),
        ProviderOption(
            name="token",
            label="API token",
            description="Made in Kitemaker: Ctrl/Cmd+K > Manage developer settings",
            required=True,
            secret=True,
        ),
    )
    default_url = "https://toil.kitemaker.co/developers/rest/v1"
    complete_board_cards = True

    def __init__(self, connection: Connection, *, clock: Clock | None = None):
        super().__init__(connection)
        self._http = HttpClient(
            connection, KITEMAKER_API, default_url=self.default_url, clock=clock
        )
        # What answers have revealed, for the calls that need it later.
        self._space_keys: dict[str, str] = {}
        """Space id -> key ("CB"): only comments carry a space's key."""
        self._numbers: dict[str, int] = {}
        """Work item id -> number: with the key, the one way to read an older item."""
        self._colors: dict[str, str] = {}
        """Label id -> colour: the label list has names only."""
        self._comment_counts: dict[str, int] = {}
        """Work item id -> comments among the space's recent ones."""
        self._read_before: dict[str, tuple[dict[str, Any], datetime]] = {}
        """Work item id -> the item read by number, and the newest update the recent
        list showed when it was read: the item is current while the recent list's oldest
        update is no newer than that (any later change would put it in the list)."""
        self._spaces: dict[str, Board] = {}
        """Space id -> board, as the space list last named it."""

    async def aclose(self) -> None:
        await self._http.aclose()

    # --- reading ----------------------------------------------------------------------

    async def whoami(self) -> User:
        """The organization: the REST API names the organization a key belongs to, no person."""
        organization = await self._http.get("/organization")
        return validated(User, id=str(organization["id"]), name=organization.get("name") or "")

    async def list_boards(self) -> list[Board]:
        spaces = await self._http.get("/metadata/spaces")
        self._spaces = {
            space["id"]: validated(Board, id=space["id"], name=space.get("label") or "")
            for space in spaces
        }
        return list(self._spaces.values())

    async def load_board(self, board_id: str) -> BoardContent:
        space = {"spaceId": board_id}
        statuses, labels, listed, recent, _ = await asyncio.gather(
            self._http.get("/metadata/statuses", params=space),
            self._http.get("/metadata/labels", params=space),
            self._http.get("/metadata/workitems", params=space),
            self._recent_items(board_id),
            self._recent_comments(board_id),  # the space key and the comment counts
        )
        board = self._spaces.get(board_id)
        if board is None:  # opened by id, without the space list first
            await self.list_boards()
            board = self._spaces.get(board_id)
        if board is None:
            raise NotFound(f"Kitemaker ({self.connection.account}): no space {board_id}")
        items = {item["id"]: item for item in recent}
        unseen = [entry["id"] for entry in listed if entry["id"] not in items]
        items.update(self._still_current(unseen, recent))
        unseen = [item_id for item_id in unseen if item_id not in items]
        items.update(await self._look_up(board_id, unseen, horizon=_newest(recent)))
        unplaced = [entry for entry in listed if entry["id"] not in items]
        columns = [
            validated(Column, id=status["id"], name=status.get("label") or "", position=index)
            for index, status in enumerate(statuses)
        ]
        if unplaced:
            columns.append(validated(Column, id=UNPLACED, name="Unplaced", position=len(columns)))
        return validated(
            BoardContent,
            board=board,
            columns=tuple(columns),
            cards=(
                *(self._card(item, board_id) for item in items.values()),
                *(_unplaced_card(entry, board_id, index) for index, entry in enumerate(unplaced)),
            ),
            labels=tuple(
                validated(
                    Label,
                    id=label["id"],
                    name=label.get("label") or "",
                    color=self._colors.get(label["id"]),
                )
                for label in labels
            ),
            notice=_unplaced_notice(len(unplaced)) if unplaced else None,
        )

    async def get_card(self, board_id: str, card_id: str) -> Card:
        """From the recent items or by number; an item the API does not place, by title."""
        await self._recent_comments(board_id)
        item = await self._item(board_id, card_id)
        if item is not None:
            return self._card(item, board_id)
        listed = await self._http.get("/metadata/workitems", params={"spaceId": board_id})
        for index, entry in enumerate(listed):
            if entry["id"] == card_id:
                return _unplaced_card(entry, board_id, index)
        raise NotFound(f"Kitemaker ({self.connection.account}): no work item {card_id}")

    async def list_comments(self, board_id: str, card_id: str) -> list[Comment]:
        """The card's comments among the space's 50 most recent, oldest first."""
        comments = await self._recent_comments(board_id)
        mine = (c for c in comments if c["entity"]["id"] == card_id)
        return [_comment(c) for c in sorted(mine, key=lambda c: c.get("createdAt") or "")]

    # --- writing ----------------------------------------------------------------------

    async def create_card(
        self, board_id: str, draft: CardDraft, *, effort: Size | None = None
    ) -> Card:
        """A new work item at the top of its status; `effort` is Kitemaker's own sizing."""
        if draft.lane_id is not None:
            raise self._unsupported(Capability.LANES)
        if draft.assignee_id is not None:
            raise self._unsupported(Capability.ASSIGNEES)
        if draft.due is not None:
            raise self._unsupported(Capability.DUE_DATES)
        body: dict[str, Any] = {
            "title": draft.title,
            "statusId": _status(draft.column_id),
            "placement": "top",
        }
        if draft.description:
            body["description"] = draft.description
        if draft.label_ids:
            body["labelIds"] = list(draft.label_ids)
        if draft.priority is not None:
            body["impact"] = _IMPACTS[draft.priority]
        if effort is not None:
            body["effort"] = effort
        return self._card(await self._http.post("/workitem", json=body), board_id)

    async def update_card(self, board_id: str, card_id: str, changes: CardChanges) -> Card:
        touched = changes.fields_set
        if "assignee_id" in touched:
            raise self._unsupported(Capability.ASSIGNEES)
        if "due" in touched:
            raise self._unsupported(Capability.DUE_DATES)
        body: dict[str, Any] = {"id": card_id}
        if "title" in touched and changes.title is not None:
            body["title"] = changes.title
        if "description" in touched:
            body["description"] = changes.description or ""
        if "priority" in touched:
            body["impact"] = _IMPACTS[changes.priority] if changes.priority else None
        if "label_ids" in touched:
            wanted = changes.label_ids or ()
            await self._refuse_label_removal(board_id, card_id, wanted)
            body["labelIds"] = list(wanted)
        return self._card(await self._http.put("/workitem", json=body), board_id)

    async def move_card(self, board_id: str, card_id: str, placement: Placement) -> Card:
        """To the top of the status: the only place the API can put a work item."""
        body = {"id": card_id, "statusId": _status(placement.column_id), "placement": "top"}
        return self._card(await self._http.put("/workitem", json=body), board_id)

    async def add_comment(self, board_id: str, card_id: str, text: str) -> Comment:
        comment = await self._http.post("/comment", json={"workItemId": card_id, "body": text})
        self._learn_from_comments(board_id, [comment])
        self._comment_counts[card_id] = self._comment_counts.get(card_id, 0) + 1
        return _comment(comment)

    async def create_label(self, board_id: str, name: str, color: str | None = None) -> Label:
        """A new label in the space; `color` like "#aa33ff" (Kitemaker picks one if None)."""
        body = {"spaceId": board_id, "labelName": name}
        if color is not None:
            body["color"] = color.removeprefix("#")
        label = await self._http.post("/label", json=body)
        self._remember_colors([label])
        return _label(label)

    # --- helpers ----------------------------------------------------------------------

    async def _recent_items(self, board_id: str) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = await self._http.get(
            "/recent/workitems", params={"spaceId": board_id, "count": RECENT_MAX}
        )
        for item in items:
            self._learn_from_item(item)
        return items

    async def _recent_comments(self, board_id: str) -> list[dict[str, Any]]:
        comments: list[dict[str, Any]] = await self._http.get(
            "/recent/comments", params={"spaceId": board_id, "count": RECENT_MAX}
        )
        self._learn_from_comments(board_id, comments)
        self._comment_counts.update(Counter(comment["entity"]["id"] for comment in comments))
        return comments

    async def _item(self, board_id: str, card_id: str) -> dict[str, Any] | None:
        """The full work item, if the API gives it: by number, else among the recent."""
        found = await self._look_up(board_id, [card_id])
        if card_id in found:
            return found[card_id]
        return next((i for i in await self._recent_items(board_id) if i["id"] == card_id), None)

    def _still_current(
        self, item_ids: Iterable[str], recent: list[dict[str, Any]]
    ) -> dict[str, dict[str, Any]]:
        """The items read before that cannot have changed since, going by `recent`."""
        if len(recent) < RECENT_MAX:  # every item of the space is among the recent ones
            return {}
        oldest_recent = min(_updated(item) for item in recent)
        current: dict[str, dict[str, Any]] = {}
        for item_id in item_ids:
            item, horizon = self._read_before.get(item_id, (None, None))
            if item is not None and horizon is not None and oldest_recent <= horizon:
                current[item_id] = item
        return current

    async def _look_up(
        self, board_id: str, item_ids: Iterable[str], *, horizon: datetime | None = None
    ) -> dict[str, dict[str, Any]]:
        """Items read one by one by space key and number, where both are known.

        With `horizon` (the newest update the recent list showed), each item read is
        kept for `_still_current`.
        """
        key = self._space_keys.get(board_id)
        if key is None:
            return {}
        known = [item_id for item_id in item_ids if item_id in self._numbers][:LOOKUPS_PER_LOAD]

        async def read(item_id: str) -> dict[str, Any] | None:
            params = {"spaceKey": key, "workItemNumber": self._numbers[item_id]}
            try:
                item = await self._http.get("/workitem", params=params)
            except NotFound:
                return None
            # A number can be reused by another item (one moved out of the space).
            return item if item["id"] == item_id else None

        items = await asyncio.gather(*(read(item_id) for item_id in known))
        found = {item["id"]: item for item in items if item is not None}
        for item in found.values():
            self._learn_from_item(item)
            if horizon is not None:
                self._read_before[item["id"]] = (item, horizon)
        return found

    async def _refuse_label_removal(
        self, board_id: str, card_id: str, wanted: Iterable[str]
    ) -> None:
        """Labels the API cannot take off are refused before anything is sent."""
        item = await self._item(board_id, card_id)
        if item is None:  # an unplaced item: its labels are not known, so only add
            return
        wanted_ids = set(wanted)
        kept = [label for label in item.get("labels") or () if label["id"] not in wanted_ids]
        if kept:
            names = ", ".join(label.get("name") or label["id"] for label in kept)
            raise ValidationError(
                f"Kitemaker's API can add labels but not take them off: remove {names} in Kitemaker"
            )

    def _learn_from_item(self, item: dict[str, Any]) -> None:
        self._numbers[item["id"]] = item["number"]
        self._remember_colors(item.get("labels") or ())

    def _learn_from_comments(self, board_id: str, comments: Iterable[dict[str, Any]]) -> None:
        # The docs' example gives `entity.spaceId` the item's own id, so the space is
        # the one asked about, not the one the answer names.
        for comment in comments:
            entity = comment["entity"]
            self._space_keys[board_id] = entity["space"]
            self._numbers[entity["id"]] = entity["number"]

    def _remember_colors(self, labels: Iterable[dict[str, Any]]) -> None:
        for label in labels:
            if color := _color(label.get("color")):
                self._colors[label["id"]] = color

    def _card(self, item: dict[str, Any], board_id: str) -> Card:
        self._learn_from_item(item)
        return validated(
            Card,
            id=item["id"],
            board_id=board_id,
            title=item.get("title") or "",
            column_id=item["status"]["id"],
            position=_newest_first(item.get("updatedAt")),
            description=item.get("description") or "",
            labels=tuple(_label(label) for label in item.get("labels") or ()),
            priority=_PRIORITIES.get((item.get("impact") or "").lower()),
            size=item.get("effort") or None,
            comment_count=self._comment_counts.get(item["id"], 0),
            created_at=item.get("createdAt"),
            updated_at=item.get("updatedAt"),
        )


# --- Kitemaker JSON -> model ----------------------------------------------------------


def _status(column_id: str) -> str:
    if column_id == UNPLACED:
        raise ValidationError("Unplaced is not a Kitemaker status: pick a status")
    return column_id


def _unplaced_card(entry: dict[str, Any], board_id: str, index: int) -> Card:
    title = entry.get("label") or ""
    return validated(
        Card, id=entry["id"], board_id=board_id, title=title, column_id=UNPLACED, position=index
    )


def _unplaced_notice(count: int) -> str:
    items = "1 older work item is" if count == 1 else f"{count} older work items are"
    return (
        f"Kitemaker's API gives full work items only for the {RECENT_MAX} most recently "
        f"updated: {items} under Unplaced by title only. Move one to a status to place it."
    )
