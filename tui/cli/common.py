"""What the command handlers share: connecting to the account, and finding things by name."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Awaitable, Callable
from typing import TypeVar

from tui.cli.writes import EXIT_FAILED, finish_writes
from tui.core.connect import connect
from tui.core.errors import ConfigError, NotFound, ProviderError
from tui.core.models import BoardContent, Card
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


def board_card(store: Store, content: BoardContent, card_id: str) -> Card:
    """The card CARD on the open board; NotFound (exit 1) names the board."""
    card = store.state.card(card_id)
    if card is None:
        raise NotFound(f"card {card_id!r} not found on board {content.board.name!r}")
    return card


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
