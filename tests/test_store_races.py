"""The five races issue 10 found in the old store, each pinned by a regression test.

Each test holds one provider call open (ScriptedLocal's `hold`, or a read that has
read but not yet answered) while the user goes on, then lets it finish late.
"""

from __future__ import annotations

import asyncio

import pytest

from tui.core.board_view import next_column_target
from tui.core.errors import PermissionDenied
from tui.core.models import BoardContent, CardDraft
from tui.core.store import Activity, Store


async def let_run() -> None:
    """Let the tasks started so far run up to their next real wait."""
    for _ in range(20):
        await asyncio.sleep(0)


@pytest.fixture
async def store(synced_store: Store) -> Store:
    return synced_store


async def second_board(store: Store, local) -> str:
    board = await local.create_board("Second", [("Todo", None), ("Done", None)], [])
    return board.id


def stale_reads(local, monkeypatch: pytest.MonkeyPatch) -> asyncio.Event:
    """Make the next load_board read the board now and answer only when the event is set."""
    answer = asyncio.Event()
    original = local.load_board

    async def load_board(board_id: str) -> BoardContent:
        monkeypatch.setattr(local, "load_board", original)  # only this one read is slow
        content = await original(board_id)
        await answer.wait()
        return content

    monkeypatch.setattr(local, "load_board", load_board)
    return answer


async def test_a_refresh_during_a_move_keeps_the_move(store: Store, local, monkeypatch):
    """Race 1: the read began before the move landed and answers after it."""
    card = next(c for c in store.state.board.cards if next_column_target(store.state.board, c, 1))
    column_id, lane_id, index = next_column_target(store.state.board, card, 1)
    answer = stale_reads(local, monkeypatch)
    refresh = asyncio.create_task(store.refresh())
    await let_run()
    await store.move_card(card.id, column_id, lane_id, index)
    answer.set()
    await refresh
    assert store.state.card(card.id).column_id == column_id
    assert store.state.pending == 0


async def test_a_refresh_while_a_move_is_unanswered_keeps_showing_it(store: Store, local):
    card = next(c for c in store.state.board.cards if next_column_target(store.state.board, c, 1))
    column_id, lane_id, index = next_column_target(store.state.board, card, 1)
    local.hold["move_card"] = asyncio.Event()
    move = asyncio.create_task(store.move_card(card.id, column_id, lane_id, index))
    await let_run()
    await store.refresh()  # the service does not have the move yet
    assert store.state.card(card.id).column_id == column_id
    local.hold["move_card"].set()
    await move
    assert store.state.card(card.id).column_id == column_id


async def test_moving_a_card_whose_create_is_pending_leaves_no_ghost(store: Store, local):
    """Race 2: the move waits for the create and follows the card to its real id."""
    board = store.state.board
    local.hold["create_card"] = asyncio.Event()
    draft = CardDraft(title="Fresh", column_id=board.columns[0].id, lane_id=board.lanes[0].id)
    create = asyncio.create_task(store.create_card(draft))
    await let_run()
    placeholder = next(c for c in store.state.board.cards if c.title == "Fresh")
    target = next_column_target(store.state.board, placeholder, 1)
    move = asyncio.create_task(store.move_card(placeholder.id, *target))
    await let_run()
    local.hold["create_card"].set()
    await asyncio.gather(create, move)
    shown = [c for c in store.state.board.cards if c.title == "Fresh"]
    assert len(shown) == 1 and not shown[0].id.startswith("new:")
    assert not any(c.id.startswith("new:") for c in store.state.board.cards)
    saved = await local.get_card(board.board.id, shown[0].id)
    assert saved.column_id == target[0] and store.state.pending == 0


async def test_a_refused_delete_after_a_switch_stays_out_of_the_other_board(store: Store, local):
    """Race 3: the refusal belongs to the first board; the second one never sees the card."""
    card = store.state.board.cards[0]
    other = await second_board(store, local)
    local.hold["delete_card"] = asyncio.Event()
    local.fail["delete_card"] = PermissionDenied("not yours")
    delete = asyncio.create_task(store.delete_card(card.id))
    await let_run()
    await store.open_board(other)
    local.hold["delete_card"].set()
    with pytest.raises(PermissionDenied):
        await delete
    assert store.state.board.board.id == other
    assert card.id not in {c.id for c in store.state.board.cards}
    assert store.state.conflicts == 1  # kept for the user, on its own board


async def test_a_checklist_answer_after_a_switch_settles_quietly(store: Store, local):
    """Race 4: the answer arrives for a card no longer shown: no error, no endless saving."""
    card = next(c for c in store.state.board.cards if c.checklist)
    await store.open_card(card.id)
    other = await second_board(store, local)
    local.hold["set_checklist_item"] = asyncio.Event()
    toggle = asyncio.create_task(store.toggle_checklist_item(card.id, card.checklist[0].id))
    await let_run()
    assert store.state.activity is Activity.SAVING
    await store.open_board(other)
    local.hold["set_checklist_item"].set()
    await toggle
    assert store.state.saving == 0 and store.state.activity is Activity.IDLE
    assert store.state.error is None and store.state.pending == 0


async def test_the_board_opened_last_wins_over_a_late_answer(store: Store, local, monkeypatch):
    """Race 5: opening A then B; A's answer comes last and is ignored."""
    first = store.state.board.board.id
    other = await second_board(store, local)
    await store.open_board(other)
    answer = stale_reads(local, monkeypatch)
    late = asyncio.create_task(store.open_board(first))
    await let_run()
    await store.open_board(other)
    answer.set()
    await late
    assert store.state.board.board.id == other
    assert store.state.loading is False
