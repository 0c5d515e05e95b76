"""The store without any UI: writes shown at once, queued when offline, refusals kept."""

from __future__ import annotations

import asyncio

import pytest

from tests.support.pilot import let_tasks_run
from tui.core.board_view import cards_in_cell, lane_key, next_column_target
from tui.core.errors import NotFound, PermissionDenied, Unavailable, Unsupported
from tui.core.models import CardChanges, CardDraft
from tui.core.provider import Capability
from tui.core.store import Activity, Store


@pytest.fixture
async def store(local) -> Store:
    store = Store(local)
    boards = await store.load_boards()
    await store.open_board(boards[0].id)
    return store


def a_card_with_a_right_neighbour(store: Store):
    board = store.state.board
    for card in board.cards:
        if next_column_target(board, card, 1) is not None:
            return card
    raise AssertionError("the demo board has no card that can move right")


async def test_open_board_gives_an_immutable_snapshot(store: Store):
    first = store.state
    card = first.board.cards[0]
    await store.update_card(card.id, CardChanges(title="Renamed"))
    assert first.card(card.id).title == card.title
    assert store.state.card(card.id).title == "Renamed"
    assert store.state is not first


async def test_subscribers_see_old_and_new_and_can_leave(store: Store):
    seen = []
    unsubscribe = store.subscribe(lambda old, new: seen.append((old, new)))
    await store.apply_filter("bug")
    assert seen and seen[-1][0].filter.query == "" and seen[-1][1].filter.query == "bug"
    unsubscribe()
    count = len(seen)
    await store.apply_filter("")
    assert len(seen) == count


async def test_move_is_shown_before_the_provider_answers(store: Store, local):
    card = a_card_with_a_right_neighbour(store)
    column_id, lane_id, _ = next_column_target(store.state.board, card, 1)
    local.hold["move_card"] = asyncio.Event()
    task = asyncio.create_task(store.move_card(card.id, column_id, lane_id, 0))
    await let_tasks_run()
    assert store.state.card(card.id).column_id == column_id
    assert store.state.activity is Activity.SAVING
    local.hold["move_card"].set()
    moved = await task
    assert moved.column_id == column_id
    assert store.state.activity is Activity.IDLE
    reloaded = await local.load_board(store.state.board.board.id)
    assert next(c for c in reloaded.cards if c.id == card.id).column_id == column_id


async def test_move_lands_at_the_top_of_the_target_cell(store: Store):
    card = a_card_with_a_right_neighbour(store)
    column_id, lane_id, index = next_column_target(store.state.board, card, 1)
    await store.move_card(card.id, column_id, lane_id, index)
    cell = cards_in_cell(store.state.board, column_id, lane_id)
    assert cell[0].id == card.id


async def test_a_move_the_service_cannot_take_stays_shown_and_queued(store: Store, local):
    card = a_card_with_a_right_neighbour(store)
    column_id, lane_id, _ = next_column_target(store.state.board, card, 1)
    local.fail["move_card"] = Unavailable("Local board: disk full")
    await store.move_card(card.id, column_id, lane_id, 0)
    assert store.state.card(card.id).column_id == column_id
    assert not store.state.online and store.state.offline_reason == "Local board: disk full"
    assert store.state.pending == 1 and card.id in store.state.pending_cards
    assert store.state.saving == 0 and store.state.error is None
    await store.sync()
    assert store.state.pending == 0 and store.state.online
    assert (await local.get_card(card.board_id, card.id)).column_id == column_id


async def test_the_latest_action_owns_the_card(store: Store, local):
    """A slow first edit neither overwrites a second one on screen nor overtakes it."""
    card = store.state.board.cards[0]
    first_answer = local.hold["update_card"] = asyncio.Event()
    first = asyncio.create_task(store.update_card(card.id, CardChanges(title="first")))
    await let_tasks_run()
    del local.hold["update_card"]
    second = asyncio.create_task(store.update_card(card.id, CardChanges(title="second")))
    await let_tasks_run()
    assert store.state.card(card.id).title == "second"
    first_answer.set()
    await asyncio.gather(first, second)
    assert store.state.card(card.id).title == "second"
    saved = await local.get_card(store.state.board.board.id, card.id)
    assert saved.title == "second"


async def test_create_shows_a_placeholder_then_the_real_card(store: Store, local):
    board = store.state.board
    column = board.columns[0]
    lane_id = board.lanes[0].id
    local.hold["create_card"] = asyncio.Event()
    task = asyncio.create_task(
        store.create_card(CardDraft(title="Write tests", column_id=column.id, lane_id=lane_id))
    )
    await let_tasks_run()
    placeholder = [c for c in store.state.board.cards if c.title == "Write tests"]
    assert len(placeholder) == 1 and placeholder[0].id.startswith("new:")
    local.hold["create_card"].set()
    created = await task
    titles = [c for c in store.state.board.cards if c.title == "Write tests"]
    assert titles == [created] and not created.id.startswith("new:")


async def test_a_create_the_service_cannot_take_keeps_its_placeholder(store: Store, local):
    count = len(store.state.board.cards)
    local.fail["create_card"] = Unavailable("nope")
    shown = await store.create_card(CardDraft(title="x", column_id=store.state.board.columns[0].id))
    assert shown.id.startswith("new:") and store.state.card(shown.id) == shown
    await store.sync()
    created = [c for c in store.state.board.cards if c.title == "x"]
    assert len(store.state.board.cards) == count + 1 and not created[0].id.startswith("new:")
    saved = await local.load_board(store.state.board.board.id)
    assert [c.id for c in saved.cards if c.title == "x"] == [created[0].id]


async def test_update_changes_only_the_touched_fields(store: Store):
    card = next(c for c in store.state.board.cards if c.due is not None and c.labels)
    updated = await store.update_card(card.id, CardChanges(due=None))
    assert updated.due is None
    assert updated.title == card.title and updated.labels == card.labels


async def test_an_update_the_service_cannot_take_is_not_lost(store: Store, local):
    card = store.state.board.cards[0]
    local.fail["update_card"] = Unavailable("offline")
    await store.update_card(card.id, CardChanges(title="lost?"))
    assert store.state.card(card.id).title == "lost?"
    await store.sync()
    assert (await local.get_card(card.board_id, card.id)).title == "lost?"


@pytest.mark.parametrize("action", ["delete_card", "archive_card"])
async def test_removing_hides_the_card_and_a_refusal_brings_it_back(store: Store, local, action):
    card = store.state.board.cards[0]
    local.fail[action] = PermissionDenied("not yours")
    with pytest.raises(PermissionDenied):
        await getattr(store, action)(card.id)
    assert store.state.card(card.id) == card
    assert store.state.conflict_cards == {card.id} and store.state.error == "not yours"
    store.discard(store.state.operations[0].id)
    assert store.state.conflicts == 0
    await getattr(store, action)(card.id)
    assert store.state.card(card.id) is None
    reloaded = await local.load_board(store.state.board.board.id)
    assert card.id not in {c.id for c in reloaded.cards}


async def test_a_write_whose_caller_is_cancelled_still_finishes(store: Store, local):
    """Closing the screen that started a write must not leave it half done."""
    card = a_card_with_a_right_neighbour(store)
    column_id, lane_id, _ = next_column_target(store.state.board, card, 1)
    answer = local.hold["move_card"] = asyncio.Event()
    caller = asyncio.create_task(store.move_card(card.id, column_id, lane_id, 0))
    await let_tasks_run()
    caller.cancel()
    answer.set()
    await let_tasks_run()
    assert caller.cancelled()
    assert store.state.saving == 0
    shown = store.state.card(card.id)
    saved = await local.get_card(store.state.board.board.id, card.id)
    assert shown == saved and saved.column_id == column_id


async def test_card_detail_comments_and_checklist(store: Store):
    card = next(c for c in store.state.board.cards if c.checklist and c.comment_count)
    detail = await store.open_card(card.id)
    assert len(detail.comments) == card.comment_count
    comment = await store.add_comment(card.id, "On it")
    assert store.state.detail.comments[-1] == comment
    assert store.state.card(card.id).comment_count == card.comment_count + 1

    item = card.checklist[0]
    toggled = await store.toggle_checklist_item(card.id, item.id)
    assert toggled.done is not item.done
    assert store.state.detail.card.checklist[0].done is toggled.done
    assert store.state.card(card.id).checklist_done == card.checklist_done + (
        1 if toggled.done else -1
    )

    added = await store.add_checklist_item(card.id, "Ship it")
    assert store.state.detail.card.checklist[-1] == added
    assert store.state.card(card.id).checklist[-1] == added


async def test_a_toggle_the_service_cannot_take_stays_ticked(store: Store, local):
    card = next(c for c in store.state.board.cards if c.checklist)
    await store.open_card(card.id)
    before = store.state.detail.card
    local.fail["set_checklist_item"] = Unavailable("offline")
    await store.toggle_checklist_item(card.id, before.checklist[0].id)
    assert store.state.detail.card.checklist[0].done is not before.checklist[0].done
    await store.sync()
    saved = await local.get_card(card.board_id, card.id)
    assert saved.checklist[0].done is not before.checklist[0].done


async def test_a_missing_capability_is_refused_with_the_reason(store: Store, monkeypatch):
    monkeypatch.setattr(store.provider, "supports", lambda capability: False)
    monkeypatch.setattr(store.provider, "why_not", lambda capability: "Local board cannot move")
    card = store.state.board.cards[0]
    with pytest.raises(Unsupported, match="cannot move"):
        await store.move_card(card.id, card.column_id, lane_key(store.state.board, card), 0)
    assert store.state.error == "Local board cannot move"
    assert not store.supports(Capability.MOVE)


async def test_a_failed_open_keeps_the_board_and_reports(store: Store, local):
    board = store.state.board
    local.fail["load_board"] = Unavailable("cannot open local board database x.db")
    await store.refresh()
    assert store.state.board is board
    assert store.state.loading is False
    assert "x.db" in store.state.offline_reason and not store.state.online
    local.fail["load_board"] = NotFound("no such board")
    with pytest.raises(NotFound):
        await store.refresh()
    assert store.state.board is board and store.state.error == "no such board"


async def test_a_local_filter_keeps_what_the_filter_matches(store: Store):
    await store.apply_filter("label:bug")
    kept = {card.id for card in store.state.board.cards if store.state.shows(card)}
    bugs = {c.id for c in store.state.board.cards if any(label.name == "bug" for label in c.labels)}
    assert kept == bugs and store.state.matches is None


async def test_a_provider_that_searches_is_asked_and_its_answer_is_what_shows(
    store: Store, local, monkeypatch
):
    """The service may know better than the loaded cards (Kanbert filters server-side)."""
    board = store.state.board
    chosen = board.cards[:2]
    asked = []

    async def search_cards(board_id, query):
        asked.append((board_id, query.words))
        return list(chosen)

    monkeypatch.setattr(local, "search_cards", search_cards)
    monkeypatch.setattr(local, "supports", lambda capability: True)
    await store.apply_filter("anything at all")
    assert asked == [(board.board.id, ("anything", "at", "all"))]
    assert {c.id for c in board.cards if store.state.shows(c)} == {c.id for c in chosen}
    await store.apply_filter("")
    assert store.state.matches is None and all(store.state.shows(c) for c in board.cards)


async def test_an_unreadable_due_is_refused_before_anything_changes(store: Store):
    with pytest.raises(ValueError, match="after due:"):
        await store.apply_filter("due:someday")
    assert not store.state.filter
