"""The per-account cache, and a board painted from it before the service answers."""

from __future__ import annotations

import asyncio
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.conftest import make_local
from tests.support.clock import FakeClock
from tui.core.board_view import next_column_target
from tui.core.cache import Cache, NamesCache
from tui.core.errors import Unavailable
from tui.core.models import Board, BoardContent, Card, Column, Comment
from tui.core.outbox import Outbox
from tui.core.store import Store

FETCHED = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def test_boards_cards_and_the_board_list_come_back_as_saved(tmp_path: Path):
    cache = Cache(tmp_path / "cache.db")
    board = BoardContent(
        board=Board(id="b", name="B"),
        columns=(Column(id="c", name="Todo"),),
        cards=(Card(id="1", board_id="b", title="One", column_id="c"),),
    )
    cache.save_board(board, FETCHED)
    cache.save_card(board.cards[0], (Comment(id="m", text="hi"),), FETCHED)
    cache.save_boards((board.board,), FETCHED)
    again = Cache(tmp_path / "cache.db")
    assert again.board("b") == (board, FETCHED)
    assert again.card("b", "1") == (board.cards[0], (Comment(id="m", text="hi"),))
    assert again.boards() == (board.board,)
    assert again.board("other") is None and again.card("b", "2") is None


def test_a_row_this_version_cannot_read_counts_as_not_cached(tmp_path: Path):
    cache = Cache(tmp_path / "cache.db")
    cache._db.execute(
        "INSERT INTO boards VALUES ('b', '{\"board\": 1}', ?)", (FETCHED.isoformat(),)
    )
    assert cache.board("b") is None


def open_store(tmp_path: Path, provider, clock: FakeClock) -> Store:
    return Store(
        provider,
        outbox=Outbox(tmp_path / "outbox.db", "local"),
        cache=Cache(tmp_path / "cache.db"),
        clock=clock,
        rng=random.Random(2),
    )


@pytest.fixture
async def seen_before(tmp_path: Path) -> str:
    """A board a first session opened (so it is cached); its id."""
    provider = make_local(tmp_path / "data")
    store = open_store(tmp_path, provider, FakeClock(FETCHED.timestamp()))
    board = (await store.load_boards())[0]
    await store.open_board(board.id)
    store.close()
    await provider.aclose()
    return board.id


async def test_a_board_seen_before_paints_from_the_cache_then_refreshes(
    tmp_path: Path, seen_before: str
):
    provider = make_local(tmp_path / "data")
    provider.hold["load_board"] = asyncio.Event()
    clock = FakeClock((FETCHED + timedelta(minutes=3)).timestamp())
    store = open_store(tmp_path, provider, clock)
    opening = asyncio.create_task(store.open_board(seen_before))
    for _ in range(5):
        await asyncio.sleep(0)
    assert store.state.board is not None and store.state.loading  # before any answer
    assert store.state.cached_age(datetime.fromtimestamp(clock.time(), UTC)) == "cached · 3 min ago"
    provider.hold["load_board"].set()
    await opening
    assert store.state.cached_at is None and not store.state.loading
    store.close()
    await provider.aclose()


async def test_the_start_of_a_board_seen_before_is_its_copy_without_asking_the_service(
    tmp_path: Path, seen_before: str
):
    provider = make_local(tmp_path / "data")
    provider.fail["load_board"] = AssertionError("the start asks no service")
    store = open_store(tmp_path, provider, FakeClock(FETCHED.timestamp()))

    assert await store.open_board_start(seen_before)

    assert store.state.board is not None and store.state.board.board.id == seen_before
    assert store.state.loading and store.state.cached_at == FETCHED
    assert not await store.open_board_start(seen_before)  # on screen already
    assert not await store.open_board_start("never-seen")  # no copy: nothing to show
    store.close()
    await provider.aclose()


async def test_offline_at_start_the_cached_board_shows_with_what_is_pending(
    tmp_path: Path, seen_before: str
):
    provider = make_local(tmp_path / "data")
    provider.fail["load_board"] = Unavailable("down")
    store = open_store(tmp_path, provider, FakeClock(FETCHED.timestamp()))
    await store.open_board(seen_before)  # no exception: offline is a state
    assert not store.state.online and store.state.cached_at == FETCHED
    card = next(c for c in store.state.board.cards if next_column_target(store.state.board, c, 1))
    target = next_column_target(store.state.board, card, 1)
    provider.fail["move_card"] = Unavailable("down", in_doubt=False)
    await store.move_card(card.id, *target)
    store.close()

    again = open_store(tmp_path, provider, FakeClock(FETCHED.timestamp()))
    provider.fail["load_board"] = Unavailable("still down")
    await again.open_board(seen_before)
    assert again.state.card(card.id).column_id == target[0]
    assert again.state.pending_cards == {card.id} and not again.state.online
    again.close()
    await provider.aclose()


async def test_offline_with_nothing_cached_is_an_error_to_show(tmp_path: Path):
    provider = make_local(tmp_path / "data")
    provider.fail["load_board"] = Unavailable("the service is down")
    store = open_store(tmp_path, provider, FakeClock(FETCHED.timestamp()))
    with pytest.raises(Unavailable):
        await store.open_board("1")
    assert store.state.board is None and store.state.error == "the service is down"
    assert not store.state.online
    store.close()
    await provider.aclose()


async def test_a_board_on_this_machine_is_not_copied_into_the_cache(tmp_path: Path):
    """The local board is its own cache: copying 50,000 cards after each change costs more
    than the change. The board list is kept, for names in reports and the inbox."""
    provider = make_local(tmp_path / "data")
    store = Store(provider, outbox=Outbox(tmp_path / "outbox.db", "local"))
    board = (await store.load_boards())[0]
    await store.open_board(board.id)
    card = store.state.board.cards[0]
    await store.open_card(card.id)
    store.close()
    await provider.aclose()
    cache = Cache.for_account("local")
    assert cache.boards() == (board,)
    assert cache.board(board.id) is None and cache.card(board.id, card.id) is None
    cache.close()


def test_copies_of_a_board_on_this_machine_that_an_earlier_version_made_are_dropped(
    tmp_path: Path,
):
    board = BoardContent(board=Board(id="b", name="B"), columns=(Column(id="c", name="Todo"),))
    Cache(tmp_path / "cache.db").save_board(board, FETCHED)
    NamesCache(tmp_path / "cache.db").close()
    assert Cache(tmp_path / "cache.db").board("b") is None
