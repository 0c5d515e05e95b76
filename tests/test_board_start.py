"""A big board's first cards paint before the whole board is read (issue 15)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from tests.benchmarks.big_board import make_big_board
from tests.conftest import ScriptedLocal, make_local
from tests.support.pilot import settled, until
from tests.support.ui import make_app
from tui.core import board_view
from tui.core.outbox import Outbox
from tui.core.store import FIRST_CARDS_PER_CELL, Store
from tui.ui.widgets.column import BoardColumn

CARDS = 900  # 6 columns: 150 cards in each column's one lane, over FIRST_CARDS_PER_CELL


async def test_the_start_is_each_cells_first_cards_in_order_with_whole_column_counts(
    tmp_path: Path,
):
    board_id = await make_big_board(tmp_path, CARDS)
    provider = make_local(tmp_path)
    start = await provider.load_board_start(board_id, FIRST_CARDS_PER_CELL)
    whole = await provider.load_board(board_id)
    await provider.aclose()
    assert start is not None
    for head, full in zip(
        board_view.group_cards(start.content), board_view.group_cards(whole), strict=True
    ):
        assert start.column_totals[full.column.id] == full.card_count == CARDS // 6
        for head_cell, full_cell in zip(head.cells, full.cells, strict=True):
            assert head_cell.cards == full_cell.cards[:FIRST_CARDS_PER_CELL]


async def test_a_board_that_fits_has_no_start_it_is_read_whole(tmp_path: Path):
    provider = make_local(tmp_path)
    demo = (await provider.list_boards())[0]
    assert await provider.load_board_start(demo.id, FIRST_CARDS_PER_CELL) is None
    await provider.aclose()


async def test_the_store_shows_the_start_loading_then_the_whole_board(tmp_path: Path):
    board_id = await make_big_board(tmp_path, CARDS)
    provider = make_local(tmp_path)
    store = Store(provider, outbox=Outbox(tmp_path / "outbox.db", "local"))
    assert await store.open_board_start(board_id)
    first = store.state
    assert first.loading and first.board is not None
    assert len(first.board.cards) < CARDS and sum(first.column_totals.values()) == CARDS
    assert not await store.open_board_start(board_id)  # on screen already: nothing to do
    await store.open_board(board_id)
    assert not store.state.loading and store.state.column_totals is None
    assert len(store.state.board.cards) == CARDS
    store.close()
    await provider.aclose()


async def test_the_board_screen_shows_the_start_with_whole_counts_while_the_rest_loads(
    tmp_path: Path,
):
    board_id = await make_big_board(tmp_path, CARDS)
    app = make_app(tmp_path, ScriptedLocal)
    app.initial_board = board_id
    app.store.provider.hold["load_board"] = held = asyncio.Event()
    async with app.run_test(size=(160, 48)) as pilot:

        def headers() -> list[str]:
            return [column.header.render().plain for column in app.screen.query(BoardColumn)]

        await until(pilot, lambda: len(headers()) == 6, "the first cards")
        await pilot.pause()
        assert all("150" in header and "60 shown" in header for header in headers()), headers()
        first = app.screen.views[0].cells[0].cards[0]
        assert first.title.startswith("bench card 00000")
        assert app.screen.query(BoardColumn).first().cards.card_region(first.id) is not None
        assert app.state.loading
        held.set()
        await settled(pilot)
        assert len(app.state.board.cards) == CARDS
        assert all("150" in header and "shown" not in header for header in headers()), headers()
