"""The outbox file, the queue that drains it, the retry policy, conflicts and undo."""

from __future__ import annotations

import asyncio
import json
import random
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from tests.conftest import make_local
from tests.support.clock import FakeClock
from tui.core.board_view import next_column_target
from tui.core.cache import Cache
from tui.core.errors import Conflict, RateLimited, Unavailable
from tui.core.models import CardChanges, CardDraft, Priority
from tui.core.outbox import Kind, OpState, Outbox, RetryPolicy
from tui.core.store import Store

NOW = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def store(local, tmp_path: Path, clock: FakeClock) -> Store:
    store = Store(
        local,
        outbox=Outbox(tmp_path / "outbox.db", "local"),
        cache=Cache(tmp_path / "cache.db"),
        clock=clock,
        rng=random.Random(5),
    )
    boards = await store.load_boards()
    await store.open_board(boards[0].id)
    yield store
    store.close()


def movable(store: Store):
    board = store.state.board
    card = next(c for c in board.cards if next_column_target(board, c, 1) is not None)
    return card, next_column_target(board, card, 1)


# --- the file -------------------------------------------------------------------------


def test_an_operation_is_on_disk_once_added(tmp_path: Path):
    outbox = Outbox(tmp_path / "o.db", "work")
    op = outbox.add(Kind.COMMENT, "b1", "c1", {"text": "hi"}, now=NOW)
    again = Outbox(tmp_path / "o.db", "work")
    (read,) = again.operations()
    assert read == op and read.state is OpState.PENDING and read.created_at == NOW
    assert Outbox(tmp_path / "o.db", "other").operations() == []  # per account


GONE = 2**22 + 7
"""A process number no process has: the sender that was killed."""


def test_an_operation_cut_off_mid_send_is_in_doubt_at_the_next_start(tmp_path: Path):
    outbox = Outbox(tmp_path / "o.db", "work", pid=GONE)
    op = outbox.add(Kind.MOVE, "b1", "c1", {}, now=NOW)
    outbox.mark_sending(op.id, NOW)
    (read,) = Outbox(tmp_path / "o.db", "work").operations()
    assert read.state is OpState.IN_DOUBT and read.attempts == 1 and read.first_sent_at == NOW


def test_an_operation_another_running_process_is_sending_stays_its_own(tmp_path: Path):
    app = Outbox(tmp_path / "o.db", "work")  # this test's process: running
    op = app.add(Kind.MOVE, "b1", "c1", {}, now=NOW)
    app.mark_sending(op.id, NOW)
    cli = Outbox(tmp_path / "o.db", "work", pid=GONE)
    assert cli.get(op.id).state is OpState.SENDING
    assert not cli.mark_sending(op.id, NOW)  # it cannot take it over


def test_a_confirmed_create_renames_its_card_in_later_operations(tmp_path: Path):
    outbox = Outbox(tmp_path / "o.db", "work")
    create = outbox.add(Kind.CREATE, "b1", "new:x", {}, now=NOW, op_id="x")
    move = outbox.add(
        Kind.MOVE, "b1", "new:x", {"placement": {"before_id": "new:x", "index": 0}}, now=NOW
    )
    other = outbox.add(Kind.EDIT, "b1", "c9", {"title": "new:x is a title"}, now=NOW)
    outbox.complete(create.id, renamed={"new:x": "42"})
    assert [op.id for op in outbox.operations()] == [move.id, other.id]
    moved = outbox.get(move.id)
    assert moved.card_id == "42" and moved.payload["placement"]["before_id"] == "42"
    assert outbox.get(other.id).payload == {"title": "new:x is a title"}


def test_the_backoff_doubles_up_to_its_cap_with_seeded_jitter():
    policy = RetryPolicy(first=2, cap=60, jitter=0.5)
    delays = [policy.delay(n, random.Random(1)) for n in range(1, 9)]
    bases = [2, 4, 8, 16, 32, 60, 60, 60]
    assert all(base / 2 <= delay <= base for delay, base in zip(delays, bases, strict=True))
    assert delays == [policy.delay(n, random.Random(1)) for n in range(1, 9)]


async def test_a_cleared_field_and_an_untouched_one_stay_apart_in_the_outbox_file(
    store, local, tmp_path: Path, clock
):
    card = store.state.board.cards[0]
    await store.update_card(card.id, CardChanges(due=date(2026, 12, 1), priority=Priority.HIGH))
    local.fail["update_card"] = Unavailable("down")
    await store.update_card(card.id, CardChanges(due=None))
    (op,) = Outbox(tmp_path / "outbox.db", "local").operations()
    assert op.payload["changes"] == {"due": None}  # only what the edit sets
    later = Store(  # the next start, sending what was left in the file
        local,
        outbox=Outbox(tmp_path / "outbox.db", "local"),
        cache=Cache(tmp_path / "later-cache.db"),
        clock=clock,
    )
    await later.sync()
    later.close()
    saved = await local.get_card(card.board_id, card.id)
    assert saved.due is None and saved.priority is Priority.HIGH
    assert (saved.title, saved.description) == (card.title, card.description)


# Operations as the version whose CardDraft, CardChanges and Placement were pydantic
# models wrote them (model_dump(mode="json"); an edit kept only the fields it set), on
# the demo board's card 1. The create's operation id is in its placeholder and draft.
CREATED = "af3374bfe4a34a01b18cd2567d339c45"
EARLIER_ROWS = [
    (Kind.EDIT, "1", """{"changes": {"title": "Renamed", "due": null},
        "shown": {"title": "Renamed", "due": null},
        "before": {"title": "Dark mode for the settings page", "due": null},
        "title": "Dark mode for the settings page"}"""),
    (Kind.MOVE, "1", """{"placement": {"column_id": "2", "lane_id": "2", "index": 0,
        "position": 0.0, "before_id": "10", "after_id": null, "override_reason": null},
        "before": {"column_id": "1", "lane_id": "2", "position": 1.0}, "title": "Renamed"}"""),
    (Kind.CREATE, f"new:{CREATED}", """{"draft": {"title": "New", "column_id": "1",
        "lane_id": null, "description": "", "label_ids": ["1"], "assignee_id": null,
        "due": "2026-12-24", "priority": "high",
        "external_id": "af3374bfe4a34a01b18cd2567d339c45"},
        "placeholder": {"id": "new:af3374bfe4a34a01b18cd2567d339c45", "board_id": "1",
        "title": "New", "column_id": "1", "lane_id": null, "position": 1.0,
        "description": "", "labels": [{"id": "1", "name": "bug", "color": "#d73a4a"}],
        "assignee": null, "members": [], "owner": null, "card_type": null, "size": null,
        "due": "2026-12-24", "priority": "high", "checklist": [], "comment_count": 0,
        "archived": false, "blocked": false, "block_reason": null, "url": null,
        "created_at": null, "updated_at": null, "external_id": null},
        "siblings": [], "title": "New"}"""),
]  # fmt: skip


async def test_operations_written_by_the_pydantic_version_are_shown_and_sent(
    store, local, tmp_path: Path, clock
):
    before = store.state.card("1")
    await local.update_card("1", "1", CardChanges(due=date(2026, 12, 1)))  # to be cleared
    outbox = Outbox(tmp_path / "earlier.db", "local")
    for kind, card_id, payload in EARLIER_ROWS:
        op_id = CREATED if kind is Kind.CREATE else None
        outbox.add(kind, "1", card_id, json.loads(payload), now=NOW, op_id=op_id)
    local.fail["load_board"] = Unavailable("down")  # the board as shown: pending laid over it
    later = Store(local, outbox=outbox, cache=store.cache, clock=clock)
    await later.open_board("1")
    moved, new = later.state.card("1"), later.state.card(f"new:{CREATED}")
    assert (moved.title, moved.column_id) == ("Renamed", "2") and new.due == date(2026, 12, 24)
    await later.sync()
    later.close()
    saved = await local.get_card("1", "1")
    assert (saved.title, saved.due, saved.column_id) == ("Renamed", None, "2")
    assert saved.description == before.description and saved.description
    created = next(c for c in (await local.load_board("1")).cards if c.title == "New")
    assert (created.due, created.priority, [label.id for label in created.labels]) == (
        date(2026, 12, 24),
        Priority.HIGH,
        ["1"],
    )


# --- the queue ------------------------------------------------------------------------


async def test_a_rate_limit_delays_the_queue_as_asked_and_drops_nothing(store, local, clock):
    card, target = movable(store)
    local.fail["move_card"] = RateLimited("slow down", retry_after=30)
    await store.move_card(card.id, *target)
    (op,) = store.state.operations
    assert op.state is OpState.PENDING and store.queue.retry_at == clock.now + 30
    assert store.state.online  # a 429 is not offline
    clock.now += 29
    await store.queue.sync()
    assert store.state.pending == 1
    clock.now += 2
    await store.queue.sync()
    assert store.state.pending == 0
    assert (await local.get_card(card.board_id, card.id)).column_id == target[0]


async def test_failures_in_a_row_back_off_further_each_time(store, local, clock):
    card, target = movable(store)
    waits = []
    for _ in range(4):
        local.fail["move_card"] = Unavailable("down")
        if not store.state.operations:
            await store.move_card(card.id, *target)
        else:
            await store.sync()
        waits.append(store.queue.retry_at - clock.now)
    assert waits == sorted(waits) and waits[-1] > waits[0]
    await store.sync()
    assert store.state.pending == 0 and store.queue.failures == 0


async def test_a_conflict_holds_its_card_back_but_not_the_others(store, local):
    card, target = movable(store)
    other = next(c for c in store.state.board.cards if c.id != card.id)
    local.fail["move_card"] = Conflict("WIP limit reached")
    with pytest.raises(Conflict):
        await store.move_card(card.id, *target)
    await store.update_card(card.id, CardChanges(title="Waits behind the conflict"))
    await store.update_card(other.id, CardChanges(title="Goes"))
    assert [op.kind for op in store.state.operations] == [Kind.MOVE, Kind.EDIT]
    assert store.state.conflict_cards == {card.id} and store.state.pending_cards == {card.id}
    assert (await local.get_card(other.board_id, other.id)).title == "Goes"
    await store.retry(store.state.operations[0].id)
    assert store.state.operations == ()
    saved = await local.get_card(card.board_id, card.id)
    assert saved.column_id == target[0] and saved.title == "Waits behind the conflict"


async def test_a_new_move_replaces_a_refused_one(store, local):
    card, target = movable(store)
    local.fail["move_card"] = Conflict("WIP limit reached", overridable=True)
    with pytest.raises(Conflict):
        await store.move_card(card.id, *target)
    await store.move_card(card.id, *target, override_reason="release day")
    assert store.state.operations == ()
    assert (await local.get_card(card.board_id, card.id)).column_id == target[0]


async def test_discarding_a_refused_create_discards_what_was_queued_on_its_card(store, local):
    column = store.state.board.columns[0]
    local.fail["create_card"] = Conflict("no room")
    with pytest.raises(Conflict):
        await store.create_card(CardDraft(title="Refused", column_id=column.id))
    placeholder = next(c for c in store.state.board.cards if c.title == "Refused")
    assert placeholder.id in store.state.conflict_cards  # still shown, marked
    await store.update_card(placeholder.id, CardChanges(title="Still refused"))
    store.discard(store.state.operations[0].id)
    assert store.state.operations == ()
    assert not any(c.title.endswith("efused") for c in store.state.board.cards)


async def test_the_background_loop_sends_once_the_delay_is_over(store, local, clock):
    card, target = movable(store)
    local.fail["move_card"] = Unavailable("down")
    await store.move_card(card.id, *target)
    assert store.state.pending == 1
    loop = asyncio.create_task(store.keep_in_sync())
    try:
        for _ in range(50):
            await asyncio.sleep(0)
            if store.state.pending == 0:
                break
    finally:
        loop.cancel()
    assert store.state.pending == 0 and clock.sleeps  # it waited (virtually), then sent
    assert (await local.get_card(card.board_id, card.id)).column_id == target[0]


# --- undo -----------------------------------------------------------------------------


async def test_undo_drops_a_change_not_sent_yet(store, local):
    card, target = movable(store)
    local.fail["move_card"] = Unavailable("down")
    await store.move_card(card.id, *target)  # the queue now waits a while
    await store.update_card(card.id, CardChanges(title="Never sent"))
    assert store.state.card(card.id).title == "Never sent"
    assert "edit" in await store.undo()
    assert store.state.card(card.id).title == card.title
    assert [op.kind for op in store.state.operations] == [Kind.MOVE]


async def test_undo_of_a_sent_move_moves_the_card_back(store, local):
    card, target = movable(store)
    await store.move_card(card.id, *target)
    await store.undo()
    saved = await local.get_card(card.board_id, card.id)
    assert (
        saved.column_id == card.column_id and store.state.card(card.id).column_id == card.column_id
    )
    with pytest.raises(LookupError):
        await store.undo()  # the inverse is not itself undone


async def test_undo_of_a_sent_edit_and_a_sent_create(store, local):
    card = store.state.board.cards[0]
    await store.update_card(card.id, CardChanges(title="Oops"))
    created = await store.create_card(
        CardDraft(title="Oops too", column_id=store.state.board.columns[0].id)
    )
    await store.undo()
    assert store.state.card(created.id) is None
    await store.undo()
    assert (await local.get_card(card.board_id, card.id)).title == card.title
    board = await local.load_board(card.board_id)
    assert created.id not in {c.id for c in board.cards}


async def test_a_sent_comment_cannot_be_undone(store):
    card = store.state.board.cards[0]
    await store.add_comment(card.id, "for good")
    with pytest.raises(ValueError, match="reached the service"):
        await store.undo()


async def test_a_second_process_does_not_send_a_change_already_on_its_way(
    store, local, tmp_path: Path, clock
):
    card, target = movable(store)
    local.fail["move_card"] = Unavailable("down")
    await store.move_card(card.id, *target)
    cli_provider = make_local(tmp_path / "data")  # the CLI next to the app, same account
    cli = Store(
        cli_provider,
        outbox=Outbox(tmp_path / "outbox.db", "local"),
        cache=Cache(tmp_path / "cli-cache.db"),
        clock=clock,
    )
    local.hold["move_card"] = asyncio.Event()
    app_sync = asyncio.create_task(store.sync())
    for _ in range(10):
        await asyncio.sleep(0)
    assert await cli.sync() == []  # it is the app's to send
    local.hold["move_card"].set()
    await app_sync
    assert "move_card" not in cli_provider.calls and local.calls.count("move_card") == 2
    assert cli.outbox.operations() == []
    cli.close()
    await cli_provider.aclose()


async def test_the_background_work_notices_the_service_is_back(store, local, clock):
    local.fail["load_board"] = Unavailable("down")
    await store.refresh()
    assert not store.state.online
    work = asyncio.create_task(store.keep_in_sync(refresh_every=60))
    try:
        for _ in range(50):
            await asyncio.sleep(0)
            if store.state.online:
                break
    finally:
        work.cancel()
    assert store.state.online and store.state.offline_reason is None
    assert clock.sleeps[0] < 60  # offline: tried again sooner than the minute


class WaitingClock(FakeClock):
    """A clock whose waits never end on their own: only an event can end one."""

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        await asyncio.Event().wait()


@pytest.mark.parametrize("offline_first", [True, False], ids=["offline-at-start", "later"])
async def test_an_answer_after_offline_has_the_board_read_again_at_once(
    local, tmp_path, offline_first
):
    """Whether the loop was waiting out a backoff or the minute between refreshes."""
    store = Store(
        local,
        outbox=Outbox(tmp_path / "outbox.db", "local"),
        cache=Cache(tmp_path / "cache.db"),
        clock=WaitingClock(),
        rng=random.Random(5),
    )
    await store.open_board((await store.load_boards())[0].id)
    card, target = movable(store)

    async def go_offline() -> None:
        local.fail["load_board"] = Unavailable("down")
        await store.refresh()
        local.fail["move_card"] = Unavailable("down")
        await store.move_card(card.id, *target)
        assert not store.state.online and store.state.pending == 1

    if offline_first:
        await go_offline()
    work = asyncio.create_task(store.keep_in_sync())
    try:
        for _ in range(5):
            await asyncio.sleep(0)
        if not offline_first:
            await go_offline()
        reads = local.calls.count("load_board")
        await store.sync()  # the service answers: back online, mid-wait
        for _ in range(20):
            await asyncio.sleep(0)
            if local.calls.count("load_board") > reads:
                break
    finally:
        work.cancel()
    assert store.state.online and store.state.pending == 0
    assert local.calls.count("load_board") == reads + 1  # read again, not after the wait
    store.close()
