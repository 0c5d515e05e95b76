"""Bulk actions on marked cards through the real store: all at once, one undo for all."""

from __future__ import annotations

import pytest

from tui.core import bulk
from tui.core.errors import Conflict
from tui.core.store import Store


@pytest.fixture
async def store(local) -> Store:
    store = Store(local)
    boards = await store.load_boards()
    await store.open_board(boards[0].id)
    return store


def column_cards(store: Store, column_id: str) -> list[str]:
    cards = [c for c in store.state.board.cards if c.column_id == column_id]
    return [c.id for c in sorted(cards, key=lambda c: (c.lane_id or "", c.position))]


async def test_marked_cards_move_together_and_one_undo_takes_them_all_back(store: Store, local):
    board = store.state.board
    first, last = board.columns[0], board.columns[-1]
    marked = column_cards(store, first.id)[:5]
    before = {i: store.state.card(i).column_id for i in marked}
    result = await bulk.move_to_column(store, marked, last.id)
    assert result.done == 5 and not result.refused
    assert {store.state.card(i).column_id for i in marked} == {last.id}
    reloaded = await local.load_board(board.board.id)
    assert {c.column_id for c in reloaded.cards if c.id in marked} == {last.id}

    said = await store.undo()
    assert said == "Undid: 5 changes"
    assert {i: store.state.card(i).column_id for i in marked} == before
    with pytest.raises(LookupError):
        await store.undo()  # one step, all taken back


async def test_assign_and_label_many_at_once(store: Store):
    board = store.state.board
    marked = [c.id for c in board.cards[:4]]
    someone, label = board.users[0], board.labels[0]
    assert (await bulk.assign(store, marked, someone.id)).done == 4
    assert (await bulk.add_label(store, marked, label.id)).done == 4
    for card_id in marked:
        card = store.state.card(card_id)
        assert card.assignee.id == someone.id and label.id in {lb.id for lb in card.labels}
    await store.undo()  # the labels
    await store.undo()  # the assignments
    for before in board.cards[:4]:
        after = store.state.card(before.id)
        assert after.labels == before.labels and after.assignee == before.assignee


async def test_a_card_the_service_refuses_is_named_and_the_others_go_ahead(store: Store, local):
    board = store.state.board
    marked = column_cards(store, board.columns[0].id)[:3]
    refused_title = store.state.card(marked[1]).title
    calls = 0
    original = local.archive_card

    async def archive_but_refuse_the_second(board_id: str, card_id: str) -> None:
        nonlocal calls
        calls += 1
        if card_id == marked[1]:
            raise Conflict("the card is locked")
        await original(board_id, card_id)

    local.archive_card = archive_but_refuse_the_second
    result = await bulk.archive(store, marked)
    assert result.done == 2 and result.refused == ((refused_title, "the card is locked"),)
    assert "Archived: 2 cards; 1 refused: “" in result.summary("Archived")
