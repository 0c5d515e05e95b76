"""Triage: one card at a time, one key per decision, the next card comes up by itself.

A session walks a queue of cards (a column, a filter, the inbox). Decisions come in two
kinds, so that "assign to me, comment, move to Done" takes four keys:
- annotations stay on the card: assign, label, due date, priority, comment;
- verdicts finish it and bring up the next card: move to a column, archive, snooze,
  skip.
A decision is taken at once and its write goes through the store in the background
(the store commits it to the outbox before anything is sent), so triage never waits
for the network. Writes start in the order the keys were pressed, so they reach the
outbox in that order. Every decision is remembered with its inverse: `undo` takes back
the last one, and again, in reverse order, and puts that card back in front.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from tui.core.board_view import cards_in_cell, group_cards, lane_key
from tui.core.filtering import CardFilter
from tui.core.models import BoardContent, Card, CardChanges, Priority
from tui.core.snooze import Snoozes

Write = Callable[[], Awaitable[object]]
Sender = Callable[[Awaitable[object], str], object]
"""Runs one write in the background; the string says what it does, for its failure."""


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
    undo: Write | None
    """The inverse, sent through the store; None where nothing can be taken back."""
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
        today: date,
        snoozes: Snoozes | None = None,
        send: Sender | None = None,
    ):
        self.store = store
        self.account = account
        self.snoozes = snoozes
        self.today = today
        self._send = send or self._in_background
        self._writes: set[asyncio.Future[object]] = set()
        self.failures: list[tuple[str, BaseException]] = []
        """Writes the store refused (with the default sender), with what they were."""
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

    def move_to_column(self, number: int) -> Decision:
        """Move the card to the board's `number`th column (1-based), to the top of its lane."""
        board, card = self._board(), self._card()
        if not 1 <= number <= len(board.columns):
            raise ValueError(f"there is no column {number}: this board has {len(board.columns)}")
        column = board.columns[number - 1]
        lane = lane_key(board, card)
        cell = cards_in_cell(board, card.column_id, lane)
        back = (card.column_id, lane, next(n for n, c in enumerate(cell) if c.id == card.id))
        return self._decide(
            card,
            f"moved to {column.name}",
            lambda: self.store.move_card(card.id, column.id, lane, 0),
            undo=lambda: self.store.move_card(card.id, *back),
            verdict=True,
        )

    def archive(self) -> Decision:
        card = self._card()
        # No service here restores through the store yet, so undo cannot take it back.
        return self._decide(
            card, "archived", lambda: self.store.archive_card(card.id), undo=None, verdict=True
        )

    def snooze(self, until: date) -> Decision:
        if self.snoozes is None:
            raise ValueError("snoozing needs the snooze list, which could not be opened")
        if until <= self.today:
            raise ValueError("snooze until a day after today, e.g. mon or +1w")
        card, board_id, snoozes = self._card(), self._board().board.id, self.snoozes
        snoozes.snooze(self.account, board_id, card.id, until)  # local and instant

        async def wake() -> None:
            snoozes.wake(self.account, board_id, card.id)

        return self._record(card, f"snoozed until {until.isoformat()}", wake, verdict=True)

    def skip(self) -> Decision:
        return self._record(self._card(), "skipped", None, verdict=True)

    # --- annotations: they stay on the card ---------------------------------------------

    def assign(self, user_id: str | None, *, name: str | None = None) -> Decision:
        """`name` for the summary where the board does not list the person yet (me)."""
        card, board = self._card(), self._board()
        before = card.assignee.id if card.assignee else None
        name = name or next((user.name for user in board.users if user.id == user_id), None)
        what = f"assigned to {name or user_id}" if user_id else "unassigned"
        inverse = CardChanges(assignee_id=before)
        return self._annotate(card, what, CardChanges(assignee_id=user_id), inverse)

    def toggle_label(self, label_id: str) -> Decision:
        card = self._card()
        before = tuple(label.id for label in card.labels)
        had = label_id in before
        after = tuple(i for i in before if i != label_id) if had else (*before, label_id)
        name = next((lb.name for lb in self._board().labels if lb.id == label_id), label_id)
        what = f"label {name} removed" if had else f"labelled {name}"
        inverse = CardChanges(label_ids=before)
        return self._annotate(card, what, CardChanges(label_ids=after), inverse)

    def set_due(self, due: date | None) -> Decision:
        card = self._card()
        what = f"due {due.isoformat()}" if due else "due date cleared"
        return self._annotate(card, what, CardChanges(due=due), CardChanges(due=card.due))

    def set_priority(self, priority: Priority | None) -> Decision:
        card = self._card()
        what = f"priority {priority.value}" if priority else "priority cleared"
        changes = CardChanges(priority=priority)
        return self._annotate(card, what, changes, CardChanges(priority=card.priority))

    def comment(self, text: str) -> Decision:
        card = self._card()
        if not text.strip():
            raise ValueError("a comment needs some text")
        # Services here cannot delete a comment, so undo cannot take one back.
        return self._decide(
            card,
            "commented",
            lambda: self.store.add_comment(card.id, text),
            undo=None,
            verdict=False,
        )

    # --- undo, summary, and waiting for the writes --------------------------------------

    def undo(self) -> Decision | None:
        """Take back the last decision; its card comes back in front. None: nothing to undo.

        A decision that cannot be taken back (a comment, an archive) still leaves the
        list, so the next `undo` reaches the one before it.
        """
        if not self.decisions:
            return None
        decision = self.decisions.pop()
        if decision.undo is not None:
            self._send(decision.undo(), f"undo: {decision.what}")
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

    async def writes_done(self) -> None:
        """Wait until the writes started so far are through the store (the CLI, tests)."""
        while self._writes:
            await asyncio.gather(*self._writes, return_exceptions=True)

    # --- helpers ------------------------------------------------------------------------

    def _annotate(
        self, card: Card, what: str, changes: CardChanges, inverse: CardChanges
    ) -> Decision:
        return self._decide(
            card,
            what,
            lambda: self.store.update_card(card.id, changes),
            undo=lambda: self.store.update_card(card.id, inverse),
            verdict=False,
        )

    def _decide(
        self, card: Card, what: str, write: Write, *, undo: Write | None, verdict: bool
    ) -> Decision:
        decision = self._record(card, what, undo, verdict=verdict)
        self._send(write(), what)
        return decision

    def _record(self, card: Card, what: str, undo: Write | None, *, verdict: bool) -> Decision:
        decision = Decision(card.id, card.title, what, undo, verdict)
        self.decisions.append(decision)
        if verdict:
            self.index = self.queue.index(card.id) + 1
        return decision

    def _in_background(self, write: Awaitable[object], what: str) -> None:
        task = asyncio.ensure_future(write)
        self._writes.add(task)

        def finished(task: asyncio.Future[object]) -> None:
            self._writes.discard(task)
            error = None if task.cancelled() else task.exception()
            if error is not None:
                self.failures.append((what, error))

        task.add_done_callback(finished)

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


def triage_queue(
    content: BoardContent, *, column: str | None = None, query: str | None = None
) -> tuple[list[str], str]:
    """The cards to triage, in board order, and the queue's name.

    `column` is a column's id or its name (any case); `query` a filter as the board's
    `/` takes it. Without either, the first column. Raises ValueError naming the
    columns when `column` matches none, or what a `query` got wrong.
    """
    if query:
        wanted = CardFilter.parse(query)
        views = group_cards(content, wanted.matches)
        return [card.id for view in views for cell in view.cells for card in cell.cards], query
    views = group_cards(content)
    if not views:
        raise ValueError(f"board {content.board.name!r} has no columns")
    chosen = views[0]
    if column is not None:
        found = [
            view
            for view in views
            if column in (view.column.id, view.column.name)
            or view.column.name.casefold() == column.casefold()
        ]
        if not found:
            names = ", ".join(view.column.name for view in views)
            raise ValueError(f"no column {column!r} on {content.board.name!r}; columns: {names}")
        chosen = found[0]
    return [card.id for cell in chosen.cells for card in cell.cards], chosen.column.name
