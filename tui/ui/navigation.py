"""Going to a card or a board from anywhere, switching account when it has to.

The inbox lists cards of every account; opening one means making its account current
(which closes every screen, as a switch does), opening its board, and only then the
card or triage on top. The app runs this in a worker of its own, because the screen
that asked is closed on the way.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from textual.screen import Screen

from tui.core.errors import ConfigError, ProviderError
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
