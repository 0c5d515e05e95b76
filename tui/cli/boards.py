"""`cardboard boards`: the boards of an account; local boards made, renamed, deleted."""

from __future__ import annotations

import argparse
import sys

from tui.cli.common import confirmed, with_store
from tui.cli.output import board_json, emit
from tui.core import board_admin
from tui.core.errors import ConfigError
from tui.core.lookup import pick
from tui.core.models import Board
from tui.core.store import Store


async def list_boards(args: argparse.Namespace) -> int:
    async def work(store: Store) -> int:
        boards = await store.load_boards()
        text = "\n".join(
            f"{b.id}\t{b.name}" + (f"\t({b.group})" if b.group else "") for b in boards
        )
        return emit(args.json, [board_json(b) for b in boards], text or "(no boards)")

    return await with_store(args, work)


async def create(args: argparse.Namespace) -> int:
    if not args.name.strip():
        raise ConfigError("boards create: the name must not be empty")
    columns = [_column(text) for text in args.column] if args.column else None

    async def work(store: Store) -> int:
        board = await board_admin.create_board(store, args.name, columns)
        return emit(args.json, board_json(board), f"{board.id}\t{board.name}")

    return await with_store(args, work)


async def rename(args: argparse.Namespace) -> int:
    if not args.name.strip():
        raise ConfigError("boards rename: the new name must not be empty")

    async def work(store: Store) -> int:
        board = await _board(store, args.board)
        renamed = await board_admin.rename_board(store, board.id, args.name)
        return emit(args.json, board_json(renamed), f"{renamed.id}\t{renamed.name}")

    return await with_store(args, work)


async def delete(args: argparse.Namespace) -> int:
    refusal = f"boards delete {args.board}: add --yes to delete it without asking"
    if not args.yes and not sys.stdin.isatty():
        raise ConfigError(refusal)

    async def work(store: Store) -> int:
        board = await _board(store, args.board)
        question = f"Delete board {board.id} {board.name!r} and all its cards for good?"
        if not confirmed(question, yes=args.yes, refusal=refusal):
            print("kept", file=sys.stderr)
            return 0
        await board_admin.delete_board(store, board.id)
        return emit(args.json, {"id": board.id, "deleted": True}, f"{board.id} deleted")

    return await with_store(args, work)


async def _board(store: Store, wanted: str) -> Board:
    return pick(await store.load_boards(), wanted, "board", lambda board: board.name)


def _column(text: str) -> tuple[str, int | None]:
    """ "Doing" or "Doing:3" (a WIP limit of 3)."""
    name, colon, limit = text.rpartition(":") if ":" in text else (text, "", "")
    if colon and not limit.isdigit():
        raise ConfigError(f"--column {text!r}: write NAME or NAME:LIMIT, e.g. Doing:3")
    if not name.strip():
        raise ConfigError(f"--column {text!r}: the column needs a name")
    return name.strip(), int(limit) if colon else None
