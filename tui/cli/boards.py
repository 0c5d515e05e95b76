"""`cardboard boards`: the boards of an account."""

from __future__ import annotations

import argparse

from tui.cli.common import with_store
from tui.cli.output import board_json, emit
from tui.core.store import Store


async def list_boards(args: argparse.Namespace) -> int:
    async def work(store: Store) -> int:
        boards = await store.load_boards()
        text = "\n".join(
            f"{b.id}\t{b.name}" + (f"\t({b.group})" if b.group else "") for b in boards
        )
        return emit(args.json, [board_json(b) for b in boards], text or "(no boards)")

    return await with_store(args, work)
