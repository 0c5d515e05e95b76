"""A board named by id or by name, the way a person types it: `--board 12` or `--board Website`.

The CLI and the board screen take the same: an id first (so a board given by id costs no
listing of every board, such as Kaiten's `/spaces`), then an exact name in any case.
A name that matches nothing, or several, is a ConfigError that lists the choices.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

from tui.core.errors import ConfigError, NotFound, ValidationError
from tui.core.models import Board, BoardContent
from tui.core.store import Store

T = TypeVar("T")


async def open_board(store: Store, wanted: str) -> BoardContent:
    """The board named by --board (id or exact name), loaded.

    Tried as an id first, so a board given by id costs no listing of every board
    (Kaiten's `/spaces`); only when no board has that id are the boards listed and
    one picked by name.
    """
    try:
        return await store.open_board(wanted)
    except (NotFound, ValidationError):
        board = await find_board(store, wanted)
        if board.id == wanted:
            raise  # the board is listed, yet cannot be opened: say why
    return await store.open_board(board.id)


async def find_board(store: Store, wanted: str) -> Board:
    """The board named by --board (id or exact name) among the account's boards."""
    boards = await store.load_boards()
    return pick(boards, wanted, "board", lambda b: b.name)


def pick(
    items: Sequence[T] | Iterable[T], wanted: str, kind: str, name_of: Callable[[T], str]
) -> T:
    """An item by id, else by exact (case-insensitive) name; a ConfigError lists the choices."""
    items = list(items)
    for item in items:
        if getattr(item, "id", None) == wanted:
            return item
    named = [item for item in items if name_of(item).casefold() == wanted.casefold()]
    if len(named) == 1:
        return named[0]
    choices = ", ".join(f"{getattr(item, 'id', '?')} ({name_of(item)})" for item in items)
    problem = "is ambiguous" if named else "not found"
    raise ConfigError(f"{kind} {wanted!r} {problem}; {kind}s: {choices or 'none'}")
