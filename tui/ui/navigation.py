"""Going to a card or a board from anywhere, switching account when it has to.

The inbox lists cards of every account; opening one means making its account current
(which closes every screen, as a switch does), opening its board, and only then the
card or triage on top. The app runs this in a worker of its own, because the screen
that asked is closed on the way.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.screen import Screen

from tui.core.errors import ConfigError, ProviderError
from tui.core.models import BoardContent
from tui.core.store import State
from tui.core.triage import triage_queue
from tui.ui.screens.board import BoardScreen

if TYPE_CHECKING:
    from tui.ui.app import CardboardApp


def open_card_in_board(app: CardboardApp, account: str, board_id: str, card_id: str) -> None:
    from tui.ui.screens.card import CardScreen

    _go(app, account, board_id, lambda: CardScreen(card_id))


def triage_in_board(
    app: CardboardApp, account: str, board_id: str, card_ids: Sequence[str], queue_name: str
) -> None:
    from tui.ui.screens.triage import TriageScreen

    _go(app, account, board_id, lambda: TriageScreen(card_ids, queue_name))


def _go(app: CardboardApp, account: str, board_id: str, then: Callable[[], Screen[None]]) -> None:
    async def go() -> None:
        try:
            if account != app.store.state.account:
                app.remember_board(board_id, account=account)
                await app.switch_account(account)
            while not isinstance(app.screen, BoardScreen) and len(app.screen_stack) > 1:
                await app.pop_screen()
            if app.store.state.board is None or app.store.state.board.board.id != board_id:
                await app.store.open_board(board_id)
        except (ConfigError, ProviderError) as problem:
            app.notify(str(problem), title=f"Could not open {account}", severity="error")
            return
        await app.push_screen(then())

    app.run_worker(go(), group="switch", exit_on_error=False)


@dataclass(frozen=True)
class TriageRequest:
    """`cardboard triage`: which cards to triage once the board is open."""

    column: str | None = None
    query: str | None = None


def triage_when_open(app: CardboardApp, request: TriageRequest) -> None:
    """Open triage on the board the app is opening, as soon as it is there."""
    from tui.ui.screens.triage import TriageScreen

    async def when_open() -> None:
        board = await _open_board(app)
        try:
            card_ids, name = triage_queue(board, column=request.column, query=request.query)
        except ValueError as problem:
            app.notify(str(problem), title="Cannot triage", severity="error")
            return
        if not card_ids:
            app.notify(f"Nothing to triage in {name}")
            return
        await app.push_screen(TriageScreen(card_ids, name))

    app.run_worker(when_open(), group="switch", exit_on_error=False)


async def _open_board(app: CardboardApp) -> BoardContent:
    opened = asyncio.Event()

    def changed(_old: State, new: State) -> None:
        if new.board is not None:
            opened.set()

    unsubscribe = app.store.subscribe(changed)
    try:
        if app.store.state.board is None:
            await opened.wait()
    finally:
        unsubscribe()
    board = app.store.state.board
    assert board is not None
    return board


def triage_column(board: BoardScreen) -> None:
    """`!` on the board: triage the cards of the column the cursor is in."""
    from tui.ui.screens.triage import TriageScreen

    if not board.views:
        return
    view = board.views[board.column_index]
    cards = [card.id for cell in view.cells for card in cell.cards]
    if not cards:
        board.notify(f"{view.column.name} has no cards to triage")
        return
    board.app.push_screen(TriageScreen(cards, view.column.name))
