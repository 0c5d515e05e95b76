"""`cardboard export` and `cardboard import`: a whole board as one JSON document."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from tui.cli.common import connect_account, with_store
from tui.cli.output import board_json, emit
from tui.core import exchange
from tui.core.connect import LOCAL
from tui.core.errors import ConfigError, NotFound, ValidationError
from tui.core.lookup import find_board
from tui.core.store import Store

BAR_WIDTH = 30


class ProgressBar:
    """`export`'s progress on stderr, redrawn in place; silent unless stderr is a terminal."""

    def __init__(self, stream: TextIO):
        self.stream = stream
        self.shown = _is_terminal(stream)
        self.drawn = False

    def update(self, done: int, total: int) -> None:
        if not self.shown or total <= 0:
            return
        filled = BAR_WIDTH * done // total
        bar = "#" * filled + "-" * (BAR_WIDTH - filled)
        self.stream.write(f"\rexporting [{bar}] {done}/{total} cards")
        self.stream.flush()
        self.drawn = True

    def close(self) -> None:
        """End the bar's line, so what follows starts on a line of its own."""
        if self.drawn:
            self.stream.write("\n")
            self.stream.flush()
            self.drawn = False


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # no real file, or a closed one
        return False


async def export(args: argparse.Namespace) -> int:
    async def work(store: Store) -> int:
        bar = ProgressBar(sys.stderr)
        try:
            try:  # --board as an id first: no listing of every board (Kaiten's /spaces)
                document = await exchange.export_board(
                    store.provider, args.board, progress=bar.update
                )
            except (NotFound, ValidationError):
                board = await find_board(store, args.board)
                if board.id == args.board:
                    raise  # the board is there: something on it was not found
                document = await exchange.export_board(
                    store.provider, board.id, progress=bar.update
                )
        finally:
            bar.close()
        text = exchange.dump_document(document)
        if args.output:
            try:
                Path(args.output).write_text(text + "\n", encoding="utf-8")
            except OSError as exc:
                raise ConfigError(f"--output {args.output}: {exc.strerror or exc}") from exc
        else:
            print(text)
        return 0

    return await with_store(args, work)


async def import_board(args: argparse.Namespace) -> int:
    source = "<stdin>" if args.file == "-" else args.file
    try:
        text = sys.stdin.read() if args.file == "-" else Path(args.file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        raise ConfigError(f"{source}: {reason or exc}") from exc
    document = exchange.parse_document(text, source)
    provider = connect_account(LOCAL)
    try:
        # Only the local provider imports boards, and the CLI reaches it through the
        # plugin registry (never by importing tui.providers), so its type is Provider here.
        board = await provider.import_board(document)  # type: ignore[attr-defined]
    finally:
        await provider.aclose()
    return emit(args.json, board_json(board), f"imported {board.name!r} as board {board.id}")
