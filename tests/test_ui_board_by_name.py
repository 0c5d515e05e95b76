"""`cardboard --board NAME` opens the board by name, as the CLI does, or lists the boards."""

from __future__ import annotations

from textual.widgets import Static

from tests.support.pilot import settled
from tests.support.ui import text_of
from tui.ui.app import build_app


async def test_a_board_given_by_name_in_any_case_opens():
    app = build_app(board_id="cardboard DEMO", remember=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        assert app.state.board is not None and app.state.board.board.name == "Cardboard demo"


async def test_a_name_that_matches_no_board_lists_the_boards():
    app = build_app(board_id="nope", remember=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        assert app.state.board is None
        message = text_of(app.screen.query_one("#message", Static).render())
        assert "board 'nope' not found; boards: 1 (Cardboard demo)" in message
