"""Bulk actions: one change to every marked card at once, and one `u` to take it back.

Each card's change is a store action like any other (so it is in the outbox before it
shows), started in the order the cards were marked; the undo log groups them into one
step. A card the service refuses is reported with its reason; the others go ahead.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from tui.core.board_view import lane_key
from tui.core.models import CardChanges
from tui.core.store import Store


@dataclass(frozen=True)
class BulkResult:
    done: int
    refused: tuple[tuple[str, str], ...]
    """(card title, why) for each card the change did not reach."""

    def summary(self, what: str) -> str:
        """ "Moved 5 cards to Done" / "… 1 refused: …" for the toast."""
        text = f"{what}: {self.done} card{'s' if self.done != 1 else ''}"
        if self.refused:
            text += f"; {len(self.refused)} refused: " + "; ".join(
                f"“{title}”: {why}" for title, why in self.refused
            )
        return text


async def apply(
    store: Store, card_ids: Sequence[str], change: Callable[[str], Awaitable[object]]
) -> BulkResult:
    """Run `change` for every card; one undo step for all of them."""
    titles = {card_id: _title(store, card_id) for card_id in card_ids}
    with store.undo_log.together():
        results = await asyncio.gather(
            *(change(card_id) for card_id in card_ids), return_exceptions=True
        )
    refused = tuple(
        (titles[card_id], str(result))
        for card_id, result in zip(card_ids, results, strict=True)
        if isinstance(result, Exception)
    )
    return BulkResult(len(card_ids) - len(refused), refused)


async def move_to_column(store: Store, card_ids: Sequence[str], column_id: str) -> BulkResult:
    """To the top of the column, in marked order, each card staying in its lane."""
    lanes = {card_id: _lane(store, card_id) for card_id in card_ids}
    order = {card_id: n for n, card_id in enumerate(card_ids)}

    def move(card_id: str) -> Awaitable[object]:
        return store.move_card(card_id, column_id, lanes[card_id], order[card_id])

    return await apply(store, card_ids, move)


async def assign(store: Store, card_ids: Sequence[str], user_id: str | None) -> BulkResult:
    return await apply(
        store, card_ids, lambda i: store.update_card(i, CardChanges(assignee_id=user_id))
    )


async def add_label(store: Store, card_ids: Sequence[str], label_id: str) -> BulkResult:
    """Add the label where a card lacks it (marking many and labelling never removes one)."""

    def label(card_id: str) -> Awaitable[object]:
        card = store.state.card(card_id)
        have = tuple(lb.id for lb in card.labels) if card else ()
        return store.update_card(
            card_id, CardChanges(label_ids=tuple(dict.fromkeys((*have, label_id))))
        )

    return await apply(store, card_ids, label)


async def archive(store: Store, card_ids: Sequence[str]) -> BulkResult:
    return await apply(store, card_ids, store.archive_card)


async def delete(store: Store, card_ids: Sequence[str]) -> BulkResult:
    return await apply(store, card_ids, store.delete_card)


def _title(store: Store, card_id: str) -> str:
    card = store.state.card(card_id)
    return card.title if card else card_id


def _lane(store: Store, card_id: str) -> str:
    board, card = store.state.board, store.state.card(card_id)
    assert board is not None and card is not None
    return lane_key(board, card)
