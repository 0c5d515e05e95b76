"""The store's foundation: its state, subscribers, the outbox and what the queue reports.

`StoreBase` holds the server state (as last read) and publishes it with the outbox's
pending operations laid over it (`_show`). `Store` (tui.core.store) adds the reads
and the write actions. Split only to keep each file readable; nothing but `Store`
derives from it.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import random
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from tui.core import codec
from tui.core.cache import Cache
from tui.core.errors import ProviderError, Unavailable, Unsupported
from tui.core.models import BoardContent, Card
from tui.core.outbox import (
    Clock,
    Kind,
    Operation,
    OpState,
    Outbox,
    RetryPolicy,
    SystemClock,
    moment,
)
from tui.core.overlay import (
    CardDetail,
    board_with_answer,
    detail_with_answer,
    shown_board,
    shown_detail,
)
from tui.core.provider import Capability, Provider
from tui.core.seen import changed_cards, fingerprint, fingerprints
from tui.core.state import State
from tui.core.sync_queue import Sent, SyncQueue
from tui.core.undo import UndoLog

if TYPE_CHECKING:  # the sending machinery is loaded by the first write (SyncQueue)
    from tui.core.replay import Answer, Applied

log = logging.getLogger(__name__)

Subscriber = Callable[[State, State], None]

ANSWERS_KEPT = 200
"""Recent answers kept to fold into a read that was on its way when they came."""


class StoreBase:
    def __init__(
        self,
        provider: Provider,
        *,
        outbox: Outbox | None = None,
        cache: Cache | None = None,
        clock: Clock | None = None,
        rng: random.Random | None = None,
        retry: RetryPolicy | None = None,
    ):
        account = provider.connection.account
        self.provider = provider
        self.clock = clock or SystemClock()
        self.outbox = outbox or Outbox.for_account(account)
        self.cache = cache or Cache.for_provider(provider)
        self.rng = rng or random.Random()
        self.queue = SyncQueue(
            self.outbox,
            provider,
            self,
            clock=self.clock,
            rng=self.rng,
            policy=retry or RetryPolicy(),
        )
        self.undo_log = UndoLog()
        self._server: BoardContent | None = None
        self._server_detail: CardDetail | None = None
        self._reads = itertools.count(1)
        self._latest_read: dict[str, int] = {}
        self._answers: list[tuple[int, Operation, Applied]] = []
        self._answer_count = 0
        self._renamed: dict[str, str] = {}
        self._state = State(
            account=account,
            provider_title=provider.title,
            operations=tuple(self.outbox.operations()),
        )
        self._subscribers: list[Subscriber] = []
        self._online_again = asyncio.Event()
        """Set when an answer comes after the service could not be reached."""

    def close(self) -> None:
        """Close the outbox and cache files (the provider is the caller's to close)."""
        self.outbox.close()
        self.cache.close()

    async def aclose(self) -> None:
        """Close everything once the change on its way (if any) has its answer."""
        await self.queue.idle()
        await self.provider.aclose()
        self.close()

    # --- state and subscriptions ----------------------------------------------------

    @property
    def state(self) -> State:
        return self._state

    def subscribe(self, subscriber: Subscriber) -> Callable[[], None]:
        """Call `subscriber(old, new)` after every change; returns the unsubscribe function."""
        self._subscribers.append(subscriber)
        return lambda: self._subscribers.remove(subscriber)

    def _set(self, **changes: Any) -> None:
        old, self._state = self._state, replace(self._state, **changes)
        if self._state.online and not old.online:
            self._online_again.set()
        for subscriber in list(self._subscribers):
            subscriber(old, self._state)

    def _show(self, **changes: Any) -> None:
        """Publish the server state with the outbox laid over it (plus `changes`)."""
        ops = tuple(self.outbox.operations())
        board = shown_board(self._server, ops) if self._server is not None else None
        if board is not None and self._state.board is not None and board == self._state.board:
            board = self._state.board  # unchanged: keep the object, so nothing re-groups
        detail = None
        if self._server_detail is not None:
            detail = shown_detail(self._server_detail, ops)
            if detail == self._state.detail:
                detail = self._state.detail
        saving = sum(op.state is OpState.SENDING for op in ops)
        self._set(board=board, detail=detail, operations=ops, saving=saving, **changes)

    def _fail(self, exc: ProviderError, **changes: Any) -> None:
        log.warning("%s: %s", self.provider.title, exc)
        if isinstance(exc, Unavailable):
            changes |= {"online": False, "offline_reason": str(exc)}
            if self._state.board is not None:
                # Offline is a state, not an error, while there is a board to work on.
                self._set(**changes)
                return
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

    # --- the outbox -----------------------------------------------------------------

    async def sync(self, *, force: bool = True) -> list[Sent]:
        """Send what is queued now (the user asked: no waiting out a delay)."""
        return await self.queue.sync(force=force)

    async def retry(self, op_id: str) -> None:
        """Send a refused operation again, as it is."""
        self.outbox.mark(op_id, OpState.PENDING)
        self._show()
        await self.queue.sync(force=True)

    def discard(self, op_id: str) -> None:
        """Forget an operation (and, for a create, every change made to its card)."""
        op = self.outbox.get(op_id)
        if op is None:
            return
        self.outbox.remove(op.id)
        if op.kind is Kind.CREATE:
            for later in self.outbox.operations():
                if later.card_id == op.card_id:
                    self.outbox.remove(later.id)
        self._show()

    # --- what the sync queue reports (sync_queue.Listener) --------------------------

    def operations_changed(self) -> None:
        self._show()

    def applied(self, op: Operation, applied: Applied) -> None:
        self._renamed.update(applied.renamed)
        self.undo_log.rename(applied.renamed)
        self._answer_count += 1
        self._answers = [*self._answers[-ANSWERS_KEPT:], (self._answer_count, op, applied)]
        if self._server is not None and self._server.board.id == op.board_id:
            self._server = board_with_answer(self._server, op, applied)
            self.cache.save_board(self._server, moment(self.clock))
            self._record_seen(applied.renamed.get(op.card_id, op.card_id))  # the user's own
        detail = self._server_detail
        if detail is not None:
            if detail.card.id == op.card_id and isinstance(applied.answer, Card):
                detail = replace(detail, card=applied.answer)  # a created card got its id
            self._server_detail = detail_with_answer(detail, op, applied)
        self._show(online=True, offline_reason=None, error=None)

    def refused(self, op: Operation, error: ProviderError) -> None:
        log.warning("%s refused %s: %s", self.provider.title, op.kind, error)
        self._show(error=str(error), online=True, offline_reason=None)

    def failed(self, op: Operation, error: ProviderError) -> None:
        if isinstance(error, Unavailable):
            self._show(online=False, offline_reason=str(error))
        else:
            self._show(error=str(error))

    # --- the machinery --------------------------------------------------------------

    def _queue(
        self, kind: Kind, card: Card, payload: dict[str, Any], *, op_id: str | None = None
    ) -> Operation:
        """Commit the operation, then show it: a crash after this loses nothing."""
        payload = {**payload, "title": card.title}  # for the pending list
        op = self.outbox.add(
            kind, card.board_id, card.id, payload, now=moment(self.clock), op_id=op_id
        )
        self.undo_log.record(op)
        self._show()
        return op

    async def _settle(self, op: Operation) -> Answer:
        """Send what is due; the answer, or None while queued. Raises the service's refusal."""
        outcome = await self.queue.settle(op.id)
        if outcome is not None and outcome.refused is not None:
            raise outcome.refused
        if outcome is not None and outcome.applied is not None:
            return outcome.applied.answer
        return None

    async def _settled_card(self, op: Operation) -> Card:
        answer = await self._settle(op)
        if isinstance(answer, Card):
            return answer
        return self._state.card(op.card_id) or codec.load(
            Card, op.payload.get("placeholder") or codec.dump(self._card(op.card_id))
        )

    def _ops_of(self, card_id: str, kind: Kind, state: OpState) -> list[Operation]:
        return [
            op
            for op in self.outbox.operations()
            if op.card_id == card_id and op.kind is kind and op.state is state
        ]

    def _board(self) -> BoardContent:
        if self._state.board is None:
            raise RuntimeError("no board is open")
        return self._state.board

    def _detail(self) -> CardDetail:
        if self._state.detail is None:
            raise RuntimeError("no card is open")
        return self._state.detail

    # --- what the user saw (tui.core.seen) -------------------------------------------

    def saw(self, card_id: str) -> None:
        """The cursor rests on `card_id`: a change marked on it counts as seen."""
        if card_id in self._state.changed:
            self._record_seen(card_id)

    def _record_seen(self, card_id: str) -> None:
        if self._server is None or self.provider.on_this_machine:
            return
        card = self._server_card(card_id)
        if card is not None:
            self.cache.see(self._server.board.id, {card.id: fingerprint(card)})
        if card_id in self._state.changed:
            self._set(changed=self._state.changed - {card_id})

    def _changed_since_seen(self, content: BoardContent) -> frozenset[str]:
        """A fresh read against what the user last saw; on a first look, all is seen."""
        if self.provider.on_this_machine:
            return frozenset()  # a board on this machine changes under the user's hands only
        seen = self.cache.seen(content.board.id)
        if not seen:
            self.cache.see(content.board.id, fingerprints(content.cards))
        return changed_cards(content.cards, seen)

    def _server_card(self, card_id: str) -> Card | None:
        if self._server is None:
            return None
        return next((card for card in self._server.cards if card.id == card_id), None)

    def _card(self, card_id: str) -> Card:
        card = self._state.card(self._renamed.get(card_id, card_id))
        if card is None:
            raise LookupError(f"card {card_id} is not on the open board")
        return card

    def _detail_or_board_card(self, card_id: str) -> Card:
        card_id = self._renamed.get(card_id, card_id)
        detail = self._state.detail
        if detail is not None and detail.card.id == card_id:
            return detail.card
        return self._card(card_id)
