"""Triage: one card at a time, one key per decision, the next card comes up by itself.

A session walks a queue of cards (a column, a filter, the inbox). Decisions come in two
kinds, so that "assign to me, comment, move to Done" takes four keys:
- annotations stay on the card: assign, label, due date, priority, comment;
- verdicts finish it and bring up the next card: move to a column, archive, snooze,
  skip.
Every decision goes through the store like any other write (so through the outbox,
never waiting for the network) and is remembered with its inverse: `undo` takes back
the last decision, and again, in reverse order, and puts that card back in front.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from tui.core.models import BoardContent, Card, CardChanges, Priority
from tui.core.snooze import Snoozes

Undo = Callable[[], Awaitable[object]]


class TriageState(Protocol):
    @property
    def board(self) -> BoardContent | None: ...

    def card(self, card_id: str) -> Card | None: ...


class TriageStore(Protocol):
    """The store actions triage uses (tui.core.store.Store has them)."""

    @property
    def state(self) -> TriageState: ...

    def move_card(
        self, card_id: str, column_id: str, lane_id: str, index: int
    ) -> Awaitable[object]: ...

    def update_card(self, card_id: str, changes: CardChanges) -> Awaitable[object]: ...

    def add_comment(self, card_id: str, text: str) -> Awaitable[object]: ...

    def archive_card(self, card_id: str) -> Awaitable[object]: ...


@dataclass(frozen=True, slots=True)
class Decision:
    card_id: str
    card_title: str
    what: str
    """In words, for the summary and the undo toast: "moved to Done", "assigned to Ada"."""
    undo: Undo | None
    """The inverse, sent through the store; None where nothing was written (skip)."""
    verdict: bool
    """It finished the card (the session moved on to the next one)."""


class TriageSession:
    """The queue, where we are in it, and what was decided."""

    def __init__(
        self,
        store: TriageStore,
        card_ids: Sequence[str],
        *,
        account: str,
        snoozes: Snoozes | None = None,
        today: date,
    ):
        self.store = store
        self.account = account
        self.snoozes = snoozes
        self.today = today
        board = self._board()
        sleeping = set(snoozes.sleeping(account, board.board.id, today)) if snoozes else set()
        self.queue: tuple[str, ...] = tuple(i for i in card_ids if i not in sleeping)
        self.index = 0
        self.decisions: list[Decision] = []

    # --- where we are -------------------------------------------------------------------

    @property
    def current(self) -> Card | None:
        """The card to decide on; None once the queue is done."""
        while self.index < len(self.queue):
            card = self.store.state.card(self.queue[self.index])
            if card is not None:
                return card
            self.index += 1  # gone meanwhile (archived or deleted elsewhere): nothing to decide
        return None

    @property
    def done(self) -> bool:
        return self.current is None

    def counter(self) -> str:
        """ "12 of 40" for the header."""
        return f"{min(self.index + 1, len(self.queue))} of {len(self.queue)}"

    # --- verdicts: they finish the card -------------------------------------------------

    async def move_to_column(self, number: int) -> Decision:
        """Move the card to the board's `number`th column (1-based), to the top of its lane."""
        board, card = self._board(), self._card()
        if not 1 <= number <= len(board.columns):
            raise ValueError(f"there is no column {number}: this board has {len(board.columns)}")
        column = board.columns[number - 1]
        lane = card.lane_id or ""
        back = (card.column_id, lane, _index_in_cell(board, card))
        return await self._decide(
            card,
            f"moved to {column.name}",
            self.store.move_card(card.id, column.id, lane, 0),
            undo=lambda: self.store.move_card(card.id, *back),
            verdict=True,
        )

    async def archive(self) -> Decision:
        card = self._card()
        # An archived card has no way back through this store yet: undo says so.
        return await self._decide(
            card, "archived", self.store.archive_card(card.id), undo=None, verdict=True
        )

    async def snooze(self, until: date) -> Decision:
        if self.snoozes is None:
            raise ValueError("snoozing needs the snooze list, which could not be opened")
        card, board_id = self._card(), self._board().board.id
        snoozes = self.snoozes

        async def sleep() -> None:
            snoozes.snooze(self.account, board_id, card.id, until)

        async def wake() -> None:
            snoozes.wake(self.account, board_id, card.id)

        what = f"snoozed until {until.isoformat()}"
        return await self._decide(card, what, sleep(), undo=wake, verdict=True)

    def skip(self) -> Decision:
        return self._record(self._card(), "skipped", None, verdict=True)

    # --- annotations: they stay on the card ---------------------------------------------

    async def assign(self, user_id: str | None) -> Decision:
        card, board = self._card(), self._board()
        before = card.assignee.id if card.assignee else None
        name = next((user.name for user in board.users if user.id == user_id), None)
        what = f"assigned to {name or user_id}" if user_id else "unassigned"
        changes = CardChanges(assignee_id=user_id)
        return await self._annotate(card, what, changes, CardChanges(assignee_id=before))

    async def toggle_label(self, label_id: str) -> Decision:
        card = self._card()
        before = tuple(label.id for label in card.labels)
        had = label_id in before
        after = tuple(i for i in before if i != label_id) if had else (*before, label_id)
        name = next((lb.name for lb in self._board().labels if lb.id == label_id), label_id)
        what = f"label {name} removed" if had else f"labelled {name}"
        changes = CardChanges(label_ids=after)
        return await self._annotate(card, what, changes, CardChanges(label_ids=before))

    async def set_due(self, due: date | None) -> Decision:
        card = self._card()
        what = f"due {due.isoformat()}" if due else "due date cleared"
        return await self._annotate(card, what, CardChanges(due=due), CardChanges(due=card.due))

    async def set_priority(self, priority: Priority | None) -> Decision:
        card = self._card()
        what = f"priority {priority.value}" if priority else "priority cleared"
        changes, inverse = CardChanges(priority=priority), CardChanges(priority=card.priority)
        return await self._annotate(card, what, changes, inverse)

    async def comment(self, text: str) -> Decision:
        card = self._card()
        if not text.strip():
            raise ValueError("a comment needs some text")
        # Services here cannot delete a comment, so undo cannot take one back.
        write = self.store.add_comment(card.id, text)
        return await self._decide(card, "commented", write, undo=None, verdict=False)

    # --- undo and summary ---------------------------------------------------------------

    async def undo(self) -> Decision | None:
        """Take back the last decision; its card comes back in front. None: nothing to undo."""
        if not self.decisions:
            return None
        decision = self.decisions.pop()
        if decision.undo is not None:
            await decision.undo()
        if decision.verdict:
            self.index = self.queue.index(decision.card_id)
        return decision

    def summary(self) -> list[tuple[str, list[str]]]:
        """Per card decided on, in queue order: its title and what happened to it."""
        by_card: dict[str, tuple[str, list[str]]] = {}
        for decision in self.decisions:
            by_card.setdefault(decision.card_id, (decision.card_title, []))[1].append(decision.what)
        order = {card_id: n for n, card_id in enumerate(self.queue)}
        return [by_card[i] for i in sorted(by_card, key=lambda i: order.get(i, len(order)))]

    # --- helpers ------------------------------------------------------------------------

    async def _annotate(
        self, card: Card, what: str, changes: CardChanges, inverse: CardChanges
    ) -> Decision:
        async def undo() -> object:
            return await self.store.update_card(card.id, inverse)

        write = self.store.update_card(card.id, changes)
        return await self._decide(card, what, write, undo=undo, verdict=False)

    async def _decide(
        self,
        card: Card,
        what: str,
        write: Awaitable[object],
        *,
        undo: Undo | None,
        verdict: bool,
    ) -> Decision:
        """Record the decision and move on first, so a key pressed meanwhile goes to the
        next card; a write that fails takes the decision back and re-raises."""
        index = self.index
        decision = self._record(card, what, undo, verdict=verdict)
        try:
            await write
        except BaseException:
            self.decisions.remove(decision)
            self.index = index
            raise
        return decision

    def _record(self, card: Card, what: str, undo: Undo | None, *, verdict: bool) -> Decision:
        decision = Decision(card.id, card.title, what, undo, verdict)
        self.decisions.append(decision)
        if verdict:
            self.index = self.queue.index(card.id) + 1
        return decision

    def _board(self) -> BoardContent:
        board = self.store.state.board
        if board is None:
            raise ValueError("triage needs an open board")
        return board

    def _card(self) -> Card:
        card = self.current
        if card is None:
            raise ValueError("the queue is done: nothing left to decide")
        return card


def _index_in_cell(board: BoardContent, card: Card) -> int:
    cell = sorted(
        (c for c in board.cards if c.column_id == card.column_id and c.lane_id == card.lane_id),
        key=lambda c: c.position,
    )
    return next(n for n, c in enumerate(cell) if c.id == card.id)
