"""Boards made, renamed and deleted (Capability.BOARDS: local boards), for the TUI and CLI.

These are not card changes that wait in the outbox: they run against the provider at
once, and then the store reads the list of boards again, so every screen shows it.
"""

from __future__ import annotations

from tui.core.errors import ValidationError
from tui.core.models import Board
from tui.core.provider import Capability
from tui.core.store import Store

NEW_BOARD_COLUMNS: list[tuple[str, int | None]] = [("To do", None), ("Doing", None), ("Done", None)]
"""The columns of a board made without saying which (name, WIP limit)."""


async def create_board(
    store: Store, name: str, columns: list[tuple[str, int | None]] | None = None
) -> Board:
    store.require(Capability.BOARDS)
    board = await store.provider.create_board(name.strip(), columns or NEW_BOARD_COLUMNS, [])
    await store.load_boards()
    return board


async def rename_board(store: Store, board_id: str, name: str) -> Board:
    store.require(Capability.BOARDS)
    board = await store.provider.rename_board(board_id, name.strip())
    await store.load_boards()
    if store.state.board is not None and store.state.board.board.id == board_id:
        await store.refresh()  # the open board's title
    return board


async def delete_board(store: Store, board_id: str) -> None:
    """Refused for the board open now: the screens showing it would have nothing left."""
    store.require(Capability.BOARDS)
    board = store.state.board
    if board is not None and board.board.id == board_id:
        raise ValidationError(f"{board.board.name} is open: open another board to delete this one")
    await store.provider.delete_board(board_id)
    await store.load_boards()
