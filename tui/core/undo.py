"""Undo (`u`): the last change made in this session is dropped, or answered by its inverse.

A change still unsent (or refused) is simply removed from the outbox: the service
never hears of it. One that was sent gets its inverse queued like any other change:
a move goes back where the card was, an edit puts the old values back, a tick is
unticked, a created card is deleted (archived where the service cannot delete).
Comments, new checklist items and deleting have no inverse once sent; an archived
card is restored where the service can (RESTORE), and a restore is archived again.

A bulk action (the marked cards moved at once) is one step: `together()` groups what
it records, and one `u` takes every change of it back, the last first.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace
from typing import TYPE_CHECKING

from tui.core import codec
from tui.core.board_view import cards_in_cell, lane_key
from tui.core.models import Card, CardChanges
from tui.core.outbox import Kind, Operation, OpState, describe
from tui.core.provider import Capability

if TYPE_CHECKING:
    from tui.core.store import Store


class UndoLog:
    def __init__(self) -> None:
        self._steps: list[list[Operation]] = []
        """What one `u` takes back each: one change, or all the changes of a bulk action."""
        self._group: list[Operation] | None = None
        self._inverting = False

    @contextmanager
    def together(self) -> Iterator[None]:
        """Every change recorded inside is one undo step."""
        self._group = []
        try:
            yield
        finally:
            group, self._group = self._group, None
            if group:
                self._steps.append(group)

    def record(self, op: Operation) -> None:
        if self._inverting:  # an inverse is not itself undone by the next `u`
            return
        if self._group is not None:
            self._group.append(op)
        else:
            self._steps.append([op])

    def rename(self, renamed: Mapping[str, str]) -> None:
        """A created card got its real id: later undos must name it so."""
        if renamed:
            self._steps = [
                [
                    op if op.card_id not in renamed else _with_card(op, renamed[op.card_id])
                    for op in step
                ]
                for step in self._steps
            ]

    async def undo(self, store: Store) -> str:
        """Take back the last step; what it undid, in words.

        Raises LookupError when there is nothing to undo, and ValueError naming what
        could not be taken back (the rest of the step is undone all the same).
        """
        if not self._steps:
            raise LookupError("Nothing to undo")
        step = self._steps.pop()
        refused: list[str] = []
        for op in reversed(step):
            try:
                await self._undo_one(store, op)
            except ValueError as error:
                refused.append(str(error))
        if refused and len(refused) == len(step):
            raise ValueError("; ".join(refused))
        done = describe(step[0]) if len(step) == 1 else f"{len(step) - len(refused)} changes"
        return f"Undid: {done}" + (f" ({'; '.join(refused)})" if refused else "")

    async def _undo_one(self, store: Store, op: Operation) -> None:
        current = store.outbox.get(op.id)
        if current is not None and (current.unsent or current.state is OpState.CONFLICT):
            store.discard(current.id)
            return
        self._inverting = True
        try:
            await _invert(store, op)
        finally:
            self._inverting = False


async def _invert(store: Store, op: Operation) -> None:
    if op.kind is Kind.ARCHIVE and "card" in op.payload and store.supports(Capability.RESTORE):
        await store.restore_card(codec.load(Card, op.payload["card"]))
        return
    card = store.state.card(op.card_id)
    if card is None:
        raise ValueError(f"Cannot undo {describe(op)}: the card is no longer on the board")
    payload = op.payload
    match op.kind:
        case Kind.MOVE:
            board = store.state.board
            assert board is not None  # the card is on it
            before = payload["before"]
            lane = lane_key(board, replace(card, lane_id=before["lane_id"]))
            cell = cards_in_cell(board, before["column_id"], lane)
            index = sum(c.position < before["position"] for c in cell if c.id != card.id)
            await store.move_card(card.id, before["column_id"], lane, index)
        case Kind.EDIT:
            await store.update_card(card.id, codec.load(CardChanges, payload["before"]))
        case Kind.CHECKLIST_TOGGLE:
            await store.toggle_checklist_item(card.id, payload["item_id"])
        case Kind.CREATE if store.supports(Capability.DELETE):
            await store.delete_card(card.id)
        case Kind.CREATE:
            await store.archive_card(card.id)
        case Kind.RESTORE:
            await store.archive_card(card.id)
        case _:
            raise ValueError(f"Cannot undo {describe(op)}: it has reached the service")


def _with_card(op: Operation, card_id: str) -> Operation:
    return replace(op, card_id=card_id)
