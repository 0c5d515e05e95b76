"""`cardboard export` and `cardboard import`: a whole board as one JSON document."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tui.cli.common import connect_account, pick, with_store
from tui.cli.output import board_json, emit
from tui.core import exchange
from tui.core.connect import LOCAL
from tui.core.errors import ConfigError
from tui.core.store import Store


async def export(args: argparse.Namespace) -> int:
    async def work(store: Store) -> int:
        boards = await store.load_boards()
        board = pick(boards, args.board, "board", lambda b: b.name)
        text = exchange.dump_document(await exchange.export_board(store.provider, board.id))
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
        board = await provider.import_board(document)  # type: ignore[attr-defined]
    finally:
        await provider.aclose()
    return emit(args.json, board_json(board), f"imported {board.name!r} as board {board.id}")
