"""What the command handlers share: connecting to the account, and finding things by name."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Awaitable, Callable, Iterable, Sequence
from typing import TypeVar

from tui.cli.writes import EXIT_FAILED, finish_writes
from tui.core.connect import connect
from tui.core.errors import ConfigError, NotFound, ProviderError, ValidationError
from tui.core.models import Board, BoardContent, Card
from tui.core.provider import Provider
from tui.core.store import Store

T = TypeVar("T")


def connect_account(name: str | None) -> Provider:
    """The provider for `name` (None: the local account). Tests point this at a fake."""
    return connect(name)


async def with_store(args: argparse.Namespace, work: Callable[[Store], Awaitable[int]]) -> int:
    """Run `work` on a store of the command's account; its connections close after.

    A change the command left in the outbox ends as tui/cli/writes.py says.
    """
    store = Store(connect_account(args.account))
    before = {op.id for op in store.outbox.operations()}
    try:
        try:
            code = await work(store)
        except ProviderError:
            finish_writes(store, before, args, EXIT_FAILED)  # a refused change is not kept
            raise
        return finish_writes(store, before, args, code)
    finally:
        await store.provider.aclose()
        store.close()


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


def board_card(store: Store, content: BoardContent, card_id: str) -> Card:
    """The card CARD on the open board; NotFound (exit 1) names the board."""
    card = store.state.card(card_id)
    if card is None:
        raise NotFound(f"card {card_id!r} not found on board {content.board.name!r}")
    return card


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


def confirmed(question: str, *, yes: bool, refusal: str) -> bool:
    """True to go ahead: `--yes`, or a person at a terminal said so.

    Asked on stderr, so stdout keeps only the command's output; without a terminal and
    without `--yes`, `refusal` is the usage error (exit 2).
    """
    if yes:
        return True
    if not sys.stdin.isatty():
        raise ConfigError(refusal)
    sys.stderr.write(f"{question} [y/N] ")
    sys.stderr.flush()
    return sys.stdin.readline().strip().lower() in ("y", "yes")
