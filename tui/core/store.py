"""The reactive store: one immutable State, async actions, subscribers.

What the screen shows is the server's state (as last read; from the cache at first)
with the outbox's pending operations laid over it (`tui.core.overlay`). A write
action commits an operation to the outbox first, shows it at once, then sends what
is due (`tui.core.sync_queue`): the answer updates the server state and removes the
operation; a refusal keeps it as a conflict and is raised to the caller; when the
service cannot be reached, the operation stays queued, the state says "offline",
and the action returns what is shown. Nothing is rolled back, nothing is lost.

Reads carry a sequence number: only the latest read of a board (or card) lands, so
a slow answer for board A never replaces board B opened after it. An answer that was
confirmed while a read was on its way is folded into that read when it lands.

Subscribers are called with (old, new) after every change, so a view re-renders only
what differs. The UI runs actions in Textual workers, the CLI with plain asyncio;
neither calls a provider itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any, ParamSpec, TypeVar

from tui.core import board_view, codec
from tui.core.errors import ProviderError, Unavailable
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
from tui.core.outbox import Kind, OpState, is_temporary, moment, new_operation_id
from tui.core.overlay import CardDetail, board_with_answer, detail_with_answer, with_card
from tui.core.provider import Capability
from tui.core.state import Activity, State
from tui.core.store_base import StoreBase

__all__ = ["Activity", "CardDetail", "State", "Store"]

P = ParamSpec("P")
R = TypeVar("R")

FIRST_CARDS_PER_CELL = 60
"""Cards of each column and lane a big board shows before the rest is read: more than
the tallest terminal shows at once."""
REFRESH_EVERY = 60.0
"""Seconds between re-reads of the open board while online."""


def runs_to_completion(write: Callable[P, Awaitable[R]]) -> Callable[P, Awaitable[R]]:
    """Shield a write from its caller's cancellation: once queued, it is sent and settled."""

    @functools.wraps(write)
    async def shielded(*args: P.args, **kwargs: P.kwargs) -> R:
        task = asyncio.ensure_future(write(*args, **kwargs))
        # Its failure is already in the state; nobody may be left to await it.
        task.add_done_callback(lambda done: done.cancelled() or done.exception())
        return await asyncio.shield(task)

    return shielded


class Store(StoreBase):
    # --- reading --------------------------------------------------------------------

    def _read(self, what: str) -> int:
        """Start a read of `what`; only the latest read of each `what` may land."""
        self._latest_read[what] = seq = next(self._reads)
        return seq

    def _latest(self, what: str, seq: int) -> bool:
        return self._latest_read.get(what) == seq

    async def load_boards(self) -> tuple[Board, ...]:
        seq = self._read("boards")
        self._set(loading=True)
        try:
            boards = tuple(await self.provider.list_boards())
        except ProviderError as exc:
            cached = self.cache.boards() if isinstance(exc, Unavailable) else None
            if not self._latest("boards", seq):
                raise
            if cached is None:
                self._fail(exc, loading=False)
                raise
            self._fail(exc, loading=False, boards=cached)
            return cached
        if self._latest("boards", seq):
            self.cache.save_boards(boards, moment(self.clock))
            self._set(boards=boards, loading=False, error=None, online=True, offline_reason=None)
        return boards

    async def open_board_start(self, board_id: str) -> bool:
        """Show what can be shown of a board without waiting for a service, before
        `open_board` reads all of it: a big local board's first cards, or the copy in the
        cache of a board seen before.

        For a board not on screen yet; True if something is shown. A failure is left to
        `open_board`, which says why.
        """
        if self._showing(board_id):
            return False
        try:
            start = await self.provider.load_board_start(board_id, FIRST_CARDS_PER_CELL)
        except ProviderError:
            return False
        if self._showing(board_id):
            return False
        if start is None:
            return self._show_cached(board_id)
        self._server, self._server_detail = start.content, None
        self._show(
            loading=True, column_totals=start.column_totals, matches=None, changed=frozenset()
        )
        return True

    def _show_cached(self, board_id: str) -> bool:
        """Show the cache's copy of the board, marked with its age; False without one."""
        cached = self.cache.board(board_id)
        if cached is None:
            return False
        self._server, fetched_at = cached
        self._server_detail = None
        self._show(
            loading=True,
            cached_at=fetched_at,
            matches=None,
            column_totals=None,
            changed=frozenset(),
        )
        return True

    async def open_board(self, board_id: str) -> BoardContent:
        """Show the board: from the cache at once if it was seen before, then as read now.

        When the service cannot be reached, the cached board stays (the state says
        offline and how old it is); without one, the failure is raised.
        """
        seq = self._read("board")
        since = self._answer_count
        showing = self._showing(board_id)
        if not showing:
            self._server_detail = None
        if showing or not self._show_cached(board_id):
            self._set(loading=True)
        try:
            content = await self.provider.load_board(board_id)
        except ProviderError as exc:
            if not self._latest("board", seq):
                raise
            if isinstance(exc, Unavailable) and self._showing(board_id):
                self._fail(exc, loading=False)
                return self._board()
            self._fail(exc, loading=False)
            raise
        if not self._latest("board", seq):
            return content  # a board opened after this one is what shows
        content = self._with_answers_since(since, content)
        self._server = content
        self.cache.save_board(content, moment(self.clock))
        self._show(
            loading=False,
            error=None,
            online=True,
            offline_reason=None,
            cached_at=None,
            column_totals=None,
            changed=self._changed_since_seen(content),
        )
        self.queue.wake()  # the service answers: what waited may go now
        return self._board()

    async def refresh(self) -> BoardContent | None:
        if self._server is None:
            return None
        return await self.open_board(self._server.board.id)

    def _showing(self, board_id: str) -> bool:
        return self._server is not None and self._server.board.id == board_id

    def _with_answers_since(self, since: int, content: BoardContent) -> BoardContent:
        for number, op, applied in self._answers:
            if number > since:
                content = board_with_answer(content, op, applied, again=True)
        return content

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
        board_id = self._board().board.id
        card_id = self._renamed.get(card_id, card_id)
        seq = self._read("card")
        since = self._answer_count
        known = self._server_card(card_id) or self._state.card(card_id)
        cached = self.cache.card(board_id, card_id)
        if cached is not None:
            self._server_detail = CardDetail(cached[0], cached[1], loading=True)
        elif known is not None:
            self._server_detail = CardDetail(known, loading=True)
        self._show()
        if is_temporary(card_id) and known is not None:  # not on the service yet
            self._server_detail = CardDetail(known)
            self._show()
            return self._detail()
        try:
            card = await self.provider.get_card(board_id, card_id)
            comments: tuple[Comment, ...] = ()
            if self.supports(Capability.COMMENTS):
                comments = tuple(await self.provider.list_comments(board_id, card_id))
        except ProviderError as exc:
            if not self._latest("card", seq):
                raise
            if isinstance(exc, Unavailable) and self._server_detail is not None:
                self._server_detail = replace(self._server_detail, loading=False)
                self._fail(exc)
                self._show()
                return self._detail()
            self._server_detail = None
            self._fail(exc)
            self._show()
            raise
        detail = CardDetail(card, comments)
        if not self._latest("card", seq) or not self._showing(board_id):
            return detail
        for number, op, applied in self._answers:
            if number > since:
                detail = detail_with_answer(detail, op, applied)
        self._server_detail = detail
        self.cache.save_card(detail.card, detail.comments, moment(self.clock))
        if self._server is not None:
            self._server = with_card(self._server, detail.card)
        self._record_seen(detail.card.id)  # the user is looking at all of it
        self._show(error=None)
        return self._detail()

    def close_card(self) -> None:
        self._server_detail = None
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
        target = board_view.placement(board, card.id, column_id, lane_id, index)
        if override_reason:
            target = replace(target, override_reason=override_reason)
        for refused in self._ops_of(card.id, Kind.MOVE, OpState.CONFLICT):
            self.outbox.remove(refused.id)  # the new move is the user's answer to the refusal
        before = {"column_id": card.column_id, "lane_id": card.lane_id, "position": card.position}
        op = self._queue(Kind.MOVE, card, {"placement": codec.dump(target), "before": before})
        return await self._settled_card(op)

    @runs_to_completion
    async def create_card(self, draft: CardDraft) -> Card:
        self.require(Capability.CREATE)
        board = self._board()
        op_id = new_operation_id()
        cell = board_view.cards_in_cell(board, draft.column_id, draft.lane_id or "")
        placeholder = Card(
            id=f"new:{op_id}",
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
        payload = {
            "draft": codec.dump(replace(draft, external_id=op_id)),
            "placeholder": codec.dump(placeholder),
            "siblings": [card.id for card in board.cards if card.title == draft.title],
        }
        op = self._queue(Kind.CREATE, placeholder, payload, op_id=op_id)
        return await self._settled_card(op)

    @runs_to_completion
    async def update_card(self, card_id: str, changes: CardChanges) -> Card:
        self.require(Capability.EDIT)
        board = self._board()
        card = self._detail_or_board_card(card_id)
        local = _local_changes(board, changes)
        edited, changed = codec.dump(replace(card, **local)), codec.dump(changes)
        payload = {
            "changes": {
                name: value for name, value in changed.items() if name in changes.fields_set
            },
            "shown": {name: edited[name] for name in local},
            "before": _values_of(card, changes.fields_set),
        }
        return await self._settled_card(self._queue(Kind.EDIT, card, payload))

    @runs_to_completion
    async def archive_card(self, card_id: str) -> None:
        self.require(Capability.ARCHIVE)
        card = self._card(card_id)
        # The card as it was, so that undo can bring it back (a restore) once sent.
        await self._settle(self._queue(Kind.ARCHIVE, card, {"card": _restorable(card)}))

    @runs_to_completion
    async def restore_card(self, card: Card) -> Card:
        """Bring an archived card (as `archived_cards` lists it) back onto its board."""
        self.require(Capability.RESTORE)
        return await self._settled_card(
            self._queue(Kind.RESTORE, card, {"card": _restorable(card)})
        )

    async def archived_cards(self) -> list[Card]:
        """The open board's archived cards, as the service lists them now."""
        self.require(Capability.RESTORE)
        return await self.provider.list_archived_cards(self._board().board.id)

    @runs_to_completion
    async def delete_card(self, card_id: str) -> None:
        self.require(Capability.DELETE)
        await self._settle(self._queue(Kind.DELETE, self._card(card_id), {}))

    # --- comments and checklists ----------------------------------------------------

    @runs_to_completion
    async def add_comment(self, card_id: str, text: str) -> Comment:
        self.require(Capability.COMMENTS)
        card = self._detail_or_board_card(card_id)
        payload: dict[str, Any] = {"text": text}
        detail = self._state.detail
        if detail is not None and detail.card.id == card.id:  # the comments there are known
            payload["siblings"] = [c.id for c in detail.comments if c.text == text]
        op = self._queue(Kind.COMMENT, card, payload)
        answer = await self._settle(op)
        if isinstance(answer, Comment):
            return answer
        return Comment(id=op.temporary_id, text=text, created_at=op.created_at)

    @runs_to_completion
    async def toggle_checklist_item(self, card_id: str, item_id: str) -> ChecklistItem:
        self.require(Capability.CHECKLISTS)
        card = self._detail_or_board_card(card_id)
        item = next((item for item in card.checklist if item.id == item_id), None)
        if item is None:
            raise LookupError(f"card {card_id} has no checklist item {item_id}")
        payload = {"item_id": item_id, "done": not item.done, "text": item.text}
        answer = await self._settle(self._queue(Kind.CHECKLIST_TOGGLE, card, payload))
        if isinstance(answer, ChecklistItem):
            return answer
        return replace(item, done=not item.done)

    @runs_to_completion
    async def add_checklist_item(self, card_id: str, text: str) -> ChecklistItem:
        self.require(Capability.CHECKLISTS)
        card = self._detail_or_board_card(card_id)
        siblings = [item.id for item in card.checklist if item.text == text]
        op = self._queue(Kind.CHECKLIST_ADD, card, {"text": text, "siblings": siblings})
        answer = await self._settle(op)
        if isinstance(answer, ChecklistItem):
            return answer
        return ChecklistItem(id=op.temporary_id, text=text)

    # --- the background work ----------------------------------------------------------

    async def keep_in_sync(self, *, refresh_every: float = REFRESH_EVERY) -> None:
        """Send the outbox when due, and re-read the open board every `refresh_every`
        seconds, so that others' changes show and "offline" ends once the service is
        back. While offline the board is tried on the retry policy's backoff instead.
        Runs until cancelled (the app's task)."""
        sending = asyncio.ensure_future(self.queue.run())
        tries_offline = 0
        try:
            while True:
                tries_offline = 0 if self._state.online else tries_offline + 1
                wait = (
                    self.queue.policy.delay(tries_offline, self.rng)
                    if tries_offline
                    else refresh_every
                )
                await self._back_online_or(wait)
                # A failure is in the state already; the next round tries again.
                with contextlib.suppress(ProviderError):
                    await self.refresh()
        finally:
            sending.cancel()

    async def _back_online_or(self, seconds: float) -> None:
        """Wait `seconds`, or less if an answer says the service is back: the board shown
        offline (from the cache) is read again at once, not after the backoff."""
        self._online_again.clear()
        waits = {
            asyncio.ensure_future(self.clock.sleep(seconds)),
            asyncio.ensure_future(self._online_again.wait()),
        }
        try:
            await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for wait in waits:
                wait.cancel()

    # --- undo -----------------------------------------------------------------------

    async def undo(self) -> str:
        """Undo the last change made here: drop it while unsent, else queue its inverse.

        Returns what was undone, in words; raises LookupError when there is nothing
        to undo and ValueError when the change cannot be undone once sent.
        """
        return await self.undo_log.undo(self)


def _local_changes(board: BoardContent, changes: CardChanges) -> dict[str, Any]:
    """The fields of `changes` as they will look on the card."""
    update: dict[str, Any] = {}
    for name in changes.fields_set:
        value = getattr(changes, name)
        if name == "label_ids":
            update["labels"] = tuple(label for label in board.labels if label.id in value)
        elif name == "assignee_id":
            update["assignee"] = next((u for u in board.users if u.id == value), None)
        else:
            update[name] = value
    return update


def _values_of(card: Card, names: frozenset[str]) -> dict[str, Any]:
    """The card's current values of the fields an edit touches, as an edit would set them."""
    shown = codec.dump(card)
    values: dict[str, Any] = {}
    for name in names:
        if name == "label_ids":
            values[name] = [label["id"] for label in shown["labels"]]
        elif name == "assignee_id":
            values[name] = (shown["assignee"] or {}).get("id")
        else:
            values[name] = shown[name]
    return values


def _restorable(card: Card) -> dict[str, Any]:
    """The card as it shows once restored, kept in an operation's payload."""
    restored: dict[str, Any] = codec.dump(replace(card, archived=False))
    return restored
