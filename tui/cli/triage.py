"""`cardboard triage`: the TUI, opened straight into triage on one board."""

from __future__ import annotations

import argparse

from tui.cli.common import with_store
from tui.core.errors import ConfigError
from tui.core.lookup import open_board
from tui.core.store import Store
from tui.core.triage import triage_queue


async def triage(args: argparse.Namespace) -> int:
    """Check the board and the queue here first: a typo is one line, not a blank TUI."""
    board_ids: list[str] = []

    async def check(store: Store) -> int:
        content = await open_board(store, args.board)
        try:
            triage_queue(content, column=args.column, query=args.filter)
        except ValueError as problem:
            raise ConfigError(str(problem)) from None
        board_ids.append(content.board.id)
        return 0

    await with_store(args, check)
    from tui.ui.app import build_app  # Textual only once the TUI is sure to start
    from tui.ui.navigation import TriageRequest

    request = TriageRequest(column=args.column, query=args.filter)
    app = build_app(args.account, board_ids[0], triage=request)
    await app.run_async()
    return app.return_code or 0
