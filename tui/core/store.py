"""The reactive store: one immutable State, async actions, subscribers.

Every change to what the user sees goes through an action here. A write action
changes the state at once (optimistically), then asks the provider; the provider's
answer replaces the optimistic value, or, on failure, the old value comes back and
`State.error` says why. Subscribers are called with (old, new) after every change,
so a view re-renders only what differs. The UI runs actions in Textual workers, the
CLI with plain asyncio; neither calls a provider itself.

A card may be changed again before the provider has answered the first change. The
screen shows the latest change at once, but the provider gets a card's changes one at
a time, in order, so it ends where the screen does. An answer or a rollback is applied
only if the card is still exactly what its action put there: the latest action owns
the card.

A write, once started, runs to its end even if whoever started it is cancelled (say,
the screen that asked was closed): the service may already have acted, and the
state must learn how it ended.
"""

from __future__ import annotations

import asyncio
import functools
import itertools
import logging
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from enum import StrEnum

from tui.core import board_view
from tui.core.errors import ProviderError, Unsupported
from tui.core.filtering import CardFilter
from tui.core.models import (
    Board,
    BoardContent,
    Card,
    CardChanges,
    CardDraft,
    ChecklistItem,
    Comment,
)
from tui.core.provider import Capability, Provider

log = logging.getLogger(__name__)


class Activity(StrEnum):
    IDLE = "idle"
    LOADING = "loading"
    SAVING = "saving"


@dataclass(frozen=True)
class CardDetail:
    card: Card
    comments: tuple[Comment, ...] = ()
    loading: bool = False


@dataclass(frozen=True)
class State:
    account: str
    provider_title: str
    boards: tuple[Board, ...] = ()
    board: BoardContent | None = None
    filter: CardFilter = field(default_factory=CardFilter)
    matches: frozenset[str] | None = None
    """Ids of the cards the service found for the filter; None when it is applied here."""
    detail: CardDetail | None = None
    loading: bool = False
    saving: int = 0
    """Writes sent to the provider and not yet answered."""
    error: str | None = None
    """The last failure, in one line, until the next action succeeds."""

    @property
    def activity(self) -> Activity:
        if self.loading:
            return Activity.LOADING
        return Activity.SAVING if self.saving else Activity.IDLE

    def shows(self, card: Card) -> bool:
        """Whether the filter keeps `card` (on the board screen, in `cards`)."""
        if self.matches is not None:
            return card.id in self.matches
        return self.filter.matches(card)

    def card(self, card_id: str) -> Card | None:
        if self.board is None:
            return None
        return next((card for card in self.board.cards if card.id == card_id), None)


Subscriber = Callable[[State, State], None]


def runs_to_completion(write: Callable[..., Awaitable]) -> Callable[..., Awaitable]:
    """Shield a write action from its caller's cancellation (see the module docstring)."""

    @functools.wraps(write)
    async def shielded(self: Store, *args, **kwargs):
        task = asyncio.ensure_future(write(self, *args, **kwargs))
        # Its failure is already in State.error; nobody may be left to await it.
        task.add_done_callback(lambda done: done.cancelled() or done.exception())
        return await asyncio.shield(task)

    return shielded


_temporary_ids = itertools.count(1)


class Store:
    def __init__(self, provider: Provider):
        self.provider = provider
        self._state = State(account=provider.connection.account, provider_title=provider.title)
        self._subscribers: list[Subscriber] = []
        self._card_locks: defaultdict[str, asyncio.Lock] = defaultdict(asyncio.Lock)

    # --- state and subscriptions ----------------------------------------------------

    @property
    def state(self) -> State:
        return self._state

    def subscribe(self, subscriber: Subscriber) -> Callable[[], None]:
        """Call `subscriber(old, new)` after every change; returns the unsubscribe function."""
        self._subscribers.append(subscriber)
        return lambda: self._subscribers.remove(subscriber)

    def _set(self, **changes) -> None:
        old, self._state = self._state, replace(self._state, **changes)
        for subscriber in list(self._subscribers):
            subscriber(old, self._state)

    def _fail(self, exc: ProviderError, **changes) -> None:
        log.warning("%s: %s", self.provider.title, exc)
        self._set(error=str(exc), **changes)

    def supports(self, capability: Capability) -> bool:
        return self.provider.supports(capability)

    def require(self, capability: Capability) -> None:
        """Raise Unsupported (and say so in the state) unless the provider can do it."""
        reason = self.provider.why_not(capability)
        if reason is not None:
            error = Unsupported(reason)
            self._fail(error)
            raise error

    # --- reading --------------------------------------------------------------------

    async def load_boards(self) -> tuple[Board, ...]:
        self._set(loading=True)
        try:
            boards = tuple(await self.provider.list_boards())
        except ProviderError as exc:
            self._fail(exc, loading=False)
            raise
        self._set(boards=boards, loading=False, error=None)
        return boards

    async def open_board(self, board_id: str) -> BoardContent:
        self._set(loading=True)
        try:
            content = await self.provider.load_board(board_id)
        except ProviderError as exc:
            self._fail(exc, loading=False)
            raise
        self._set(board=content, loading=False, error=None, detail=None)
        return content

    async def refresh(self) -> BoardContent | None:
        if self._state.board is None:
            return None
        return await self.open_board(self._state.board.board.id)

    async def apply_filter(self, query: str) -> None:
        """Filter the open board: by the service where it searches (SEARCH), else here.

        Raises ValueError for a query it cannot read (see CardFilter.parse).
        """
        wanted = CardFilter.parse(query)
        self._set(filter=wanted, matches=None)
        if not wanted or not self.supports(Capability.SEARCH):
            return
        board = self._board()
        self._set(loading=True)
        try:
            found = await self.provider.search_cards(board.board.id, wanted)
        except ProviderError as exc:
            self._fail(exc, loading=False)
            raise
        if self._state.filter is wanted:  # a filter typed meanwhile wins
            self._set(matches=frozenset(card.id for card in found), loading=False, error=None)
        else:
            self._set(loading=False)

    async def open_card(self, card_id: str) -> CardDetail:
        """Load one card's full detail (and comments) into `State.detail`."""
        board = self._board()
        known = self._state.card(card_id)
        if known is not None:
            self._set(detail=CardDetail(known, loading=True))
        try:
            card = await self.provider.get_card(board.board.id, card_id)
            comments: tuple[Comment, ...] = ()
            if self.supports(Capability.COMMENTS):
                comments = tuple(await self.provider.list_comments(board.board.id, card_id))
        except ProviderError as exc:
            self._fail(exc, detail=None)
            raise
        detail = CardDetail(card, comments)
        self._set(detail=detail, error=None)
        self._replace_card(card)
        return detail

    def close_card(self) -> None:
        self._set(detail=None)

    # --- writing cards --------------------------------------------------------------

    @runs_to_completion
    async def move_card(
        self,
        card_id: str,
        column_id: str,
        lane_id: str,
        index: int,
        *,
        override_reason: str | None = None,
    ) -> Card:
        """Put a card at `index` of a column/lane cell (the index ignores the card itself)."""
        self.require(Capability.MOVE)
        board = self._board()
        card = self._card(card_id)
        target = board_view.placement(board, card_id, column_id, lane_id, index)
        if override_reason:
            target = target.model_copy(update={"override_reason": override_reason})
        moved = card.model_copy(
            update={"column_id": column_id, "lane_id": target.lane_id, "position": target.position}
        )
        return await self._write_card(
            card, moved, lambda: self.provider.move_card(board.board.id, card_id, target)
        )

    @runs_to_completion
    async def create_card(self, draft: CardDraft) -> Card:
        self.require(Capability.CREATE)
        board = self._board()
        cell = board_view.cards_in_cell(board, draft.column_id, draft.lane_id or "")
        placeholder = Card(
            id=f"new:{next(_temporary_ids)}",
            board_id=board.board.id,
            title=draft.title,
            column_id=draft.column_id,
            lane_id=draft.lane_id,
            position=(cell[-1].position + 1) if cell else 1.0,
            description=draft.description,
            labels=tuple(label for label in board.labels if label.id in draft.label_ids),
            assignee=next((user for user in board.users if user.id == draft.assignee_id), None),
            due=draft.due,
            priority=draft.priority,
        )
        self._set(saving=self._state.saving + 1, **self._with_cards((*board.cards, placeholder)))
        try:
            created = await self.provider.create_card(board.board.id, draft)
        except ProviderError as exc:
            self._fail(exc, saving=self._state.saving - 1, **self._swapped(placeholder, None))
            raise
        self._set(saving=self._state.saving - 1, error=None, **self._swapped(placeholder, created))
        return created

    @runs_to_completion
    async def update_card(self, card_id: str, changes: CardChanges) -> Card:
        self.require(Capability.EDIT)
        board = self._board()
        card = self._card(card_id)
        edited = card.model_copy(update=self._local_changes(board, changes))
        return await self._write_card(
            card, edited, lambda: self.provider.update_card(board.board.id, card_id, changes)
        )

    @runs_to_completion
    async def archive_card(self, card_id: str) -> None:
        self.require(Capability.ARCHIVE)
        board = self._board()
        await self._remove_card(
            card_id, lambda: self.provider.archive_card(board.board.id, card_id)
        )

    @runs_to_completion
    async def delete_card(self, card_id: str) -> None:
        self.require(Capability.DELETE)
        board = self._board()
        await self._remove_card(card_id, lambda: self.provider.delete_card(board.board.id, card_id))

    # --- comments and checklists ----------------------------------------------------

    @runs_to_completion
    async def add_comment(self, card_id: str, text: str) -> Comment:
        self.require(Capability.COMMENTS)
        board = self._board()
        self._set(saving=self._state.saving + 1)
        try:
            comment = await self.provider.add_comment(board.board.id, card_id, text)
        except ProviderError as exc:
            self._fail(exc, saving=self._state.saving - 1)
            raise
        card = self._state.card(card_id)
        if card is not None:
            self._replace_card(card.model_copy(update={"comment_count": card.comment_count + 1}))
        detail = self._state.detail
        if detail is not None and detail.card.id == card_id:
            self._set(detail=replace(detail, comments=(*detail.comments, comment)))
        self._set(saving=self._state.saving - 1, error=None)
        return comment

    @runs_to_completion
    async def toggle_checklist_item(self, card_id: str, item_id: str) -> ChecklistItem:
        self.require(Capability.CHECKLISTS)
        board = self._board()
        card = self._detail_or_board_card(card_id)
        item = next((item for item in card.checklist if item.id == item_id), None)
        if item is None:
            raise LookupError(f"card {card_id} has no checklist item {item_id}")
        flipped = item.model_copy(update={"done": not item.done})
        toggled = card.model_copy(
            update={"checklist": tuple(flipped if i.id == item_id else i for i in card.checklist)}
        )

        async def send() -> Card:
            answer = await self.provider.set_checklist_item(
                board.board.id, card_id, item_id, flipped.done
            )
            return toggled.model_copy(
                update={
                    "checklist": tuple(answer if i.id == item_id else i for i in toggled.checklist)
                }
            )

        result = await self._write_card(card, toggled, send)
        return next(i for i in result.checklist if i.id == item_id)

    @runs_to_completion
    async def add_checklist_item(self, card_id: str, text: str) -> ChecklistItem:
        self.require(Capability.CHECKLISTS)
        board = self._board()
        self._set(saving=self._state.saving + 1)
        try:
            item = await self.provider.add_checklist_item(board.board.id, card_id, text)
        except ProviderError as exc:
            self._fail(exc, saving=self._state.saving - 1)
            raise
        latest = self._detail_or_board_card(card_id)
        self._replace_card(latest.model_copy(update={"checklist": (*latest.checklist, item)}))
        self._set(saving=self._state.saving - 1, error=None)
        return item

    # --- the machinery --------------------------------------------------------------

    def _board(self) -> BoardContent:
        if self._state.board is None:
            raise RuntimeError("no board is open")
        return self._state.board

    def _card(self, card_id: str) -> Card:
        card = self._state.card(card_id)
        if card is None:
            raise LookupError(f"card {card_id} is not on the open board")
        return card

    def _detail_or_board_card(self, card_id: str) -> Card:
        detail = self._state.detail
        if detail is not None and detail.card.id == card_id:
            return detail.card
        return self._card(card_id)

    async def _write_card(self, before: Card, optimistic: Card, send) -> Card:
        """Show `optimistic` now, then the provider's answer, or `before` again on failure.

        Each step is one state change, so a view re-draws once per step.
        """
        self._set(saving=self._state.saving + 1, **self._swapped(before, optimistic))
        try:
            async with self._card_locks[before.id]:
                answer = await send()
        except ProviderError as exc:
            self._fail(exc, saving=self._state.saving - 1, **self._swapped(optimistic, before))
            raise
        self._set(saving=self._state.saving - 1, error=None, **self._swapped(optimistic, answer))
        return answer

    async def _remove_card(self, card_id: str, send) -> None:
        card = self._card(card_id)
        self._set(saving=self._state.saving + 1, **self._swapped(card, None))
        try:
            async with self._card_locks[card_id]:
                await send()
        except ProviderError as exc:
            restored = {}
            if self._state.card(card_id) is None and self._state.board is not None:
                restored = self._with_cards((*self._state.board.cards, card))
            self._fail(exc, saving=self._state.saving - 1, **restored)
            raise
        self._set(saving=self._state.saving - 1, error=None)

    def _swapped(self, expected: Card, new: Card | None) -> dict:
        """The state changes that replace `expected` (by identity) with `new`, board and detail.

        If a later action already replaced `expected`, it owns the card: no change.
        """
        changes: dict = {}
        board = self._state.board
        if board is not None:
            cards = board.cards
            index = next((i for i, card in enumerate(cards) if card is expected), None)
            if index is not None:
                changes = self._with_cards(
                    cards[:index] + ((new,) if new else ()) + cards[index + 1 :]
                )
        detail = self._state.detail
        if detail is not None and detail.card is expected:
            changes["detail"] = None if new is None else replace(detail, card=new)
        return changes

    def _replace_card(self, card: Card) -> None:
        """Take a fresh copy of a card from the provider, wherever it is shown."""
        board = self._state.board
        if board is not None:
            cards = tuple(card if c.id == card.id else c for c in board.cards)
            if cards != board.cards:
                self._set(**self._with_cards(cards))
        detail = self._state.detail
        if detail is not None and detail.card.id == card.id:
            self._set(detail=replace(detail, card=card))

    def _with_cards(self, cards: tuple[Card, ...]) -> dict:
        return {"board": self._board().model_copy(update={"cards": cards})}

    @staticmethod
    def _local_changes(board: BoardContent, changes: CardChanges) -> dict:
        """The fields of `changes` as they will look on the card, for the optimistic copy."""
        update: dict = {}
        for name in changes.model_fields_set:
            value = getattr(changes, name)
            if name == "label_ids":
                update["labels"] = tuple(label for label in board.labels if label.id in value)
            elif name == "assignee_id":
                update["assignee"] = next((u for u in board.users if u.id == value), None)
            else:
                update[name] = value
        return update
