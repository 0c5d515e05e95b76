"""Kaiten: spaces of boards; columns with subcolumns; lanes; cards with tags and checklists.

Built from Kaiten's API v1 docs (https://developers.kaiten.ru, shared/api/kaiten-v1.txt).
The account url is the API base, https://<domain>.kaiten.ru/api/v1 (/api/latest works
the same); the token is sent as a Bearer header. Kaiten allows 5 requests a second,
which the HTTP client keeps to.

How the model maps:
- a board is grouped under its space; cards live in leaf columns, so a column with
  subcolumns shows as its subcolumns, each grouped under the parent's title;
- a card's assignee is its responsible member (members of `type` 2), its other
  members are `members`, and its owner (who made it, most often) is `owner`; board
  cards carry no members, so the board's cards are read from GET /cards, in pages
  fetched together once the board says how many cards it holds;
- a label is a company tag; listed cards carry no tags, so labels show in the detail;
- the card type, size (`size_text`) and block reason map to their own fields; the
  card's link is Kaiten's short card address, <domain>.kaiten.ru/<card id>;
- a checklist item's id is "<checklist id>:<item id>": toggling an item needs both;
- WIP limits are Kaiten's recommended limits: shown, never enforced by the service.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Iterable
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from tui.core.codec import validated
from tui.core.errors import ProviderError, Unavailable, ValidationError
from tui.core.models import (
    Board,
    BoardContent,
    Card,
    CardChanges,
    CardDraft,
    ChecklistItem,
    Comment,
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
from tui.providers.concurrency import gather_bounded
from tui.providers.http import Clock, HttpClient, ServiceSpec, checks_answers
from tui.providers.kaiten_json import (
    _ARCHIVED,
    _LIVE,
    _MEMBER,
    _RESPONSIBLE,
    _card,
    _checklist_item,
    _comment,
    _is_live,
    _label,
    _leaf_columns,
    _ordered,
    _ref,
    _tag_id,
    _time_log,
    _user,
    _web_origin,
)

KAITEN_API = ServiceSpec(
    title="Kaiten",
    token_header="Authorization",
    token_prefix="Bearer ",
    requests_per_second=5.0,
)
PAGE_SIZE = 100
"""The largest `limit` Kaiten's list endpoints take."""
NEW_CHECKLIST_NAME = "Checklist"

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
                Capability.RESTORE,
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
        self._people: dict[str, User] = {}
        """User id -> user: a new comment names its author by id only."""
        self._web = _web_origin(connection.url)

    async def aclose(self) -> None:
        await self._http.aclose()

    # --- reading ----------------------------------------------------------------------

    async def whoami(self) -> User:
        me = _user(await self._http.get("/users/current"))
        self._people[me.id] = me
        return me

    async def list_boards(self) -> list[Board]:
        spaces = await self._http.get("/spaces")
        return [
            validated(
                Board,
                id=str(board["id"]),
                name=board.get("title") or "",
                group=space.get("title"),
                description=board.get("description") or "",
            )
            for space in _ordered(s for s in spaces if not s.get("archived"))
            for board in _ordered(space.get("boards") or ())
        ]

    async def load_board(self, board_id: str) -> BoardContent:
        """The board's structure, and its cards from GET /cards: only those carry members.

        The first page of cards is asked for with the board; the board's own card list
        says how many more pages there are, and those are asked for together.
        """
        live = {"board_id": _ref(board_id), "condition": _LIVE}
        raw, users, tags, first = await asyncio.gather(
            self._http.get(f"/boards/{_ref(board_id)}"),
            self._all("/users"),
            self._all("/tags"),
            self._page("/cards", 0, **live),
        )
        self._remember(tags)
        people = tuple(_user(user) for user in users if user.get("activated", True))
        self._people.update((person.id, person) for person in people)
        expected = len(raw["cards"]) if isinstance(raw.get("cards"), list) else None
        cards = await self._rest(first, "/cards", expected, **live)
        return validated(
            BoardContent,
            board=validated(
                Board,
                id=str(raw["id"]),
                name=raw.get("title") or "",
                description=raw.get("description") or "",
            ),
            columns=_leaf_columns(raw.get("columns") or ()),
            lanes=tuple(
                validated(
                    Lane,
                    id=str(lane["id"]),
                    name=lane.get("title") or "",
                    position=lane.get("sort_order") or 0,
                )
                for lane in _ordered(raw.get("lanes") or ())
                if lane.get("condition", _LIVE) == _LIVE
            ),
            cards=tuple(self._card(card, board_id) for card in cards if _is_live(card)),
            labels=tuple(_label(tag) for tag in tags if not tag.get("archived")),
            users=people,
        )

    async def get_card(self, board_id: str, card_id: str) -> Card:
        return self._card(await self._http.get(f"/cards/{_ref(card_id)}"), board_id)

    async def list_archived_cards(self, board_id: str) -> list[Card]:
        archived = {"board_id": _ref(board_id), "condition": _ARCHIVED}
        cards = await self._rest(
            await self._page("/cards", 0, **archived), "/cards", None, **archived
        )
        return [self._card(card, board_id) for card in cards]

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
        if draft.external_id is not None:
            body["external_id"] = draft.external_id
        await self._check_tags(draft.label_ids)  # refused before the card exists, not after
        created = await self._http.post("/cards", json=body)
        if not draft.label_ids and draft.assignee_id is None:
            return self._card(created, board_id)
        card_id = str(created["id"])
        try:
            if draft.label_ids:
                await self._set_tags(card_id, current={}, wanted=draft.label_ids)
            if draft.assignee_id is not None:
                await self._set_responsible(card_id, members=(), wanted=draft.assignee_id)
            return await self.get_card(board_id, card_id)
        except ProviderError as unfinished:
            # The card exists: a refusal now must not read as "not made", or a retry
            # would make it twice. In doubt, the outbox finds it and finishes it.
            raise Unavailable(
                f"{self.title} ({self.connection.account}): card {card_id} was made, but "
                f"setting its labels or assignee failed: {unfinished.message}",
                detail=unfinished.detail,
                in_doubt=True,
            ) from unfinished

    async def find_created_card(
        self, board_id: str, draft: CardDraft, since: datetime | None
    ) -> Card | None:
        """The board's card carrying the draft's external id. The docs give GET /cards no
        filter by it, so the board's cards are read and compared here."""
        if draft.external_id is None:
            return await super().find_created_card(board_id, draft, since)
        cards = await self._all("/cards", board_id=_ref(board_id))
        ours = [raw for raw in cards if raw.get("external_id") == draft.external_id]
        return self._card(ours[-1], board_id) if ours else None

    async def update_card(self, board_id: str, card_id: str, changes: CardChanges) -> Card:
        touched = changes.fields_set
        if "priority" in touched:
            raise self._unsupported(Capability.PRIORITY)
        body: dict[str, Any] = {}
        if "title" in touched and changes.title is not None:
            body["title"] = changes.title
        if "description" in touched:
            body["description"] = changes.description or ""
        if "due" in touched:
            body["due_date"] = changes.due.isoformat() if changes.due else None
        if "assignee_id" in touched or "label_ids" in touched:
            current = await self._http.get(f"/cards/{_ref(card_id)}")
            if "label_ids" in touched:
                have = {str(_tag_id(tag)): tag for tag in current.get("tags") or ()}
                await self._set_tags(card_id, current=have, wanted=changes.label_ids or ())
            if "assignee_id" in touched:
                members = current.get("members") or ()
                await self._set_responsible(card_id, members=members, wanted=changes.assignee_id)
        if body:
            return self._card(
                await self._http.patch(f"/cards/{_ref(card_id)}", json=body), board_id
            )
        return await self.get_card(board_id, card_id)

    async def move_card(self, board_id: str, card_id: str, placement: Placement) -> Card:
        body: dict[str, Any] = {
            "column_id": _ref(placement.column_id),
            "sort_order": placement.position,
        }
        if placement.lane_id is not None:
            body["lane_id"] = _ref(placement.lane_id)
        return self._card(await self._http.patch(f"/cards/{_ref(card_id)}", json=body), board_id)

    async def archive_card(self, board_id: str, card_id: str) -> None:
        await self._http.patch(f"/cards/{_ref(card_id)}", json={"condition": _ARCHIVED})

    async def restore_card(self, board_id: str, card_id: str) -> None:
        await self._http.patch(f"/cards/{_ref(card_id)}", json={"condition": _LIVE})

    async def delete_card(self, board_id: str, card_id: str) -> None:
        await self._http.delete(f"/cards/{_ref(card_id)}")

    async def add_comment(self, board_id: str, card_id: str, text: str) -> Comment:
        """The answer names its author by id only: the author is a known user, or us."""
        posted = await self._http.post(f"/cards/{_ref(card_id)}/comments", json={"text": text})
        comment = _comment(posted)
        if comment.author is not None:
            return comment
        author_id = str(posted.get("author_id") or "")
        author = self._people.get(author_id) or await self.whoami()
        return replace(comment, author=author)

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

    def _card(self, raw: dict[str, Any], board_id: str) -> Card:
        card = _card(raw, board_id)
        update: dict[str, Any] = {}
        if self._web:
            update["url"] = f"{self._web}/{card.id}"
        if raw.get("external_id") is not None:  # the outbox's operation id, on our cards
            update["external_id"] = str(raw["external_id"])
        return replace(card, **update) if update else card

    async def _page(self, path: str, number: int, **filters: Any) -> list[Any]:
        page: list[Any] = await self._http.get(
            path, params={**filters, "offset": number * PAGE_SIZE, "limit": PAGE_SIZE}
        )
        return page

    async def _all(self, path: str, **filters: Any) -> list[Any]:
        """Every item of an offset/limit list whose length nothing tells beforehand."""
        return await self._rest(await self._page(path, 0, **filters), path, None, **filters)

    async def _rest(
        self, first: list[Any], path: str, expected: int | None, **filters: Any
    ) -> list[Any]:
        """The pages after `first`: the `expected` count's worth at once, then one by one
        while pages come back full (the list may have grown meanwhile)."""
        items = list(first)
        if len(first) < PAGE_SIZE:
            return items
        pages = math.ceil((expected or 0) / PAGE_SIZE)
        for page in await gather_bounded(
            range(1, pages), lambda number: self._page(path, number, **filters)
        ):
            items.extend(page)
        number = max(pages, 1)
        while len(items) == number * PAGE_SIZE:
            items.extend(await self._page(path, number, **filters))
            number += 1
        return list({item["id"]: item for item in items}.values())

    async def _set_responsible(
        self, card_id: str, *, members: Iterable[dict[str, Any]], wanted: str | None
    ) -> None:
        """Make `wanted` the card's one responsible member (None: nobody responsible).

        A former responsible stays on the card as a plain member, as Kaiten itself does.
        """
        path = f"/cards/{_ref(card_id)}/members"
        kinds = {str(m.get("user_id") or m["id"]): m.get("type") for m in members}
        if wanted is None:
            for user_id, kind in kinds.items():
                if kind == _RESPONSIBLE:
                    await self._http.patch(f"{path}/{_ref(user_id)}", json={"type": _MEMBER})
            return
        if kinds.get(wanted) == _RESPONSIBLE:
            return
        if wanted not in kinds:
            await self._http.post(path, json={"user_id": _ref(wanted)})
        await self._http.patch(f"{path}/{_ref(wanted)}", json={"type": _RESPONSIBLE})

    def _remember(self, tags: Iterable[dict[str, Any]]) -> None:
        self._tag_names.update((str(tag["id"]), tag["name"]) for tag in tags)

    async def _check_tags(self, tag_ids: Iterable[str]) -> None:
        """ValidationError unless every id names a company tag (known by its name)."""
        tag_ids = list(tag_ids)
        if any(tag_id not in self._tag_names for tag_id in tag_ids):
            self._remember(await self._all("/tags"))
        unknown = [tag_id for tag_id in tag_ids if tag_id not in self._tag_names]
        if unknown:
            raise ValidationError(f"Kaiten has no tag with id {', '.join(unknown)}")

    async def _set_tags(
        self, card_id: str, *, current: dict[str, Any], wanted: Iterable[str]
    ) -> None:
        """Make the card's tags exactly `wanted`: tags are added by name, removed by id."""
        wanted = list(dict.fromkeys(wanted))
        await self._check_tags(wanted)
        for tag_id in current.keys() - set(wanted):
            await self._http.delete(f"/cards/{_ref(card_id)}/tags/{_ref(tag_id)}")
        for tag_id in wanted:
            if tag_id not in current:
                await self._http.post(
                    f"/cards/{_ref(card_id)}/tags", json={"name": self._tag_names[tag_id]}
                )
