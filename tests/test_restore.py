"""Restoring archived cards through the outbox, and undo of an archive as a restore."""

from __future__ import annotations

import pytest

from tui.core.errors import Unavailable
from tui.core.outbox import Kind, OpState
from tui.core.store import Store


@pytest.fixture
async def store(synced_store: Store) -> Store:
    return synced_store


def archived_on_service(local, card) -> bool:
    row = local._db.execute("SELECT archived FROM cards WHERE id = ?", (int(card.id),))
    return bool(row.fetchone()[0])


async def test_undo_of_a_sent_archive_restores_the_card(store: Store, local):
    card = store.state.board.cards[0]
    await store.archive_card(card.id)
    assert store.state.card(card.id) is None and archived_on_service(local, card)
    assert await store.undo() == f"Undid: archive “{card.title}”"
    restored = store.state.card(card.id)
    assert restored is not None and not restored.archived
    assert (restored.column_id, restored.lane_id) == (card.column_id, card.lane_id)
    assert not archived_on_service(local, card)


async def test_a_restore_shows_at_once_lands_and_undo_archives_it_again(store: Store, local):
    card = store.state.board.cards[0]
    await store.archive_card(card.id)
    [listed] = [c for c in await store.archived_cards() if c.id == card.id]
    back = await store.restore_card(listed)
    assert back.id == card.id and store.state.card(card.id) is not None
    assert not archived_on_service(local, card)
    assert card.id not in {c.id for c in await store.archived_cards()}
    await store.undo()
    assert store.state.card(card.id) is None and archived_on_service(local, card)


async def test_a_restore_whose_answer_was_lost_is_checked_not_sent_again(store: Store, local):
    card = store.state.board.cards[0]
    await store.archive_card(card.id)
    [listed] = [c for c in await store.archived_cards() if c.id == card.id]
    sent = 0
    restore = local.restore_card

    async def acts_then_drops(board_id: str, card_id: str) -> None:
        nonlocal sent
        sent += 1
        await restore(board_id, card_id)
        raise Unavailable("lost the connection (the change may have been applied)", in_doubt=True)

    local.restore_card = acts_then_drops
    await store.restore_card(listed)  # shown at once: it waits in the outbox, in doubt
    assert store.state.card(card.id) is not None
    [op] = [op for op in store.outbox.operations() if op.kind is Kind.RESTORE]
    assert op.state is OpState.IN_DOUBT
    await store.sync()
    assert sent == 1 and not store.outbox.operations()  # verified, not sent twice
    assert [c.id for c in store.state.board.cards].count(card.id) == 1
