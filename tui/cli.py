"""`cardboard`: the TUI, and subcommands for scripts (the interface in DESIGN.md).

Exit codes: 0 success, 1 a service failed (its message on stderr), 2 bad usage or
bad configuration. `--json` prints exactly one JSON document on stdout.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path

from tui import __version__
from tui.core import exchange, logs
from tui.core.board_view import group_cards
from tui.core.connect import LOCAL, available_accounts, connect
from tui.core.errors import ConfigError
from tui.core.models import Board, BoardContent, Card, CardDraft
from tui.core.store import Store
from tui.providers.base import NotFound, ProviderError

EXIT_SERVICE, EXIT_USAGE = 1, 2


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        log_file = logs.setup_logging(debug=args.debug)
        if args.command is None:
            return run_tui(args, log_file)
        return asyncio.run(args.handler(args))
    except ConfigError as exc:
        print(f"cardboard: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except ProviderError as exc:
        print(f"cardboard: {exc}", file=sys.stderr)
        return EXIT_SERVICE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `cardboard cards ... | head`: the reader left, as it may
        _silence_stdout()
        return 0


def _silence_stdout() -> None:
    """Point stdout at devnull, so the interpreter's final flush cannot fail again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout is no real file (tests): nothing will flush it
        pass
    finally:
        os.close(devnull)


# --- the parser ---------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    account = argparse.ArgumentParser(add_help=False)
    account.add_argument("--account", metavar="NAME", help="the account to use (default: local)")
    as_json = argparse.ArgumentParser(add_help=False)
    as_json.add_argument("--json", action="store_true", help="print one JSON document")
    board = argparse.ArgumentParser(add_help=False)
    board.add_argument("--board", metavar="ID", required=True, help="board id or exact name")

    parser = argparse.ArgumentParser(
        prog="cardboard",
        description="A keyboard-first terminal dashboard for kanban boards. "
        "Without a command it opens the TUI on the local board.",
    )
    parser.add_argument("--version", action="version", version=f"cardboard {__version__}")
    parser.add_argument("--account", metavar="NAME", help="open this account (default: local)")
    parser.add_argument("--board", metavar="ID", help="open this board (id or exact name)")
    parser.add_argument("--demo", action="store_true", help="run on a throwaway copy of the demo board")
    parser.add_argument("--debug", action="store_true", help="log more detail to the log file")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    accounts = commands.add_parser("accounts", parents=[as_json], help="list the accounts")
    accounts.set_defaults(handler=cmd_accounts)

    boards = commands.add_parser("boards", parents=[account, as_json], help="list the boards of an account")
    boards.set_defaults(handler=cmd_boards)

    cards = commands.add_parser("cards", parents=[account, board, as_json], help="list the cards of a board")
    cards.add_argument("--filter", metavar="QUERY", default="", help="words, label:NAME, @person")
    cards.set_defaults(handler=cmd_cards)

    card = commands.add_parser("card", help="show, create, move or comment on one card")
    card_commands = card.add_subparsers(dest="card_command", metavar="ACTION", required=True)
    show = card_commands.add_parser("show", parents=[account, board, as_json], help="show a card")
    show.add_argument("card", metavar="CARD", help="card id")
    show.set_defaults(handler=cmd_card_show)
    create = card_commands.add_parser("create", parents=[account, board, as_json], help="create a card")
    create.add_argument("--title", required=True)
    create.add_argument("--column", required=True, metavar="COLUMN", help="column id or name")
    create.add_argument("--lane", metavar="LANE", help="lane id or name (default: the first)")
    create.add_argument("--description", default="", help="markdown")
    create.set_defaults(handler=cmd_card_create)
    move = card_commands.add_parser("move", parents=[account, board, as_json], help="move a card")
    move.add_argument("card", metavar="CARD", help="card id")
    move.add_argument("--column", required=True, metavar="COLUMN", help="column id or name")
    move.add_argument("--lane", metavar="LANE", help="lane id or name (default: the card's lane)")
    move.add_argument("--position", type=int, default=0, help="0-based place in the column (default: top)")
    move.add_argument("--override", metavar="REASON", help="break a WIP limit the service enforces, saying why")
    move.set_defaults(handler=cmd_card_move)
    comment = card_commands.add_parser("comment", parents=[account, board, as_json], help="comment on a card")
    comment.add_argument("card", metavar="CARD", help="card id")
    comment.add_argument("text", metavar="TEXT", help="the comment (markdown)")
    comment.set_defaults(handler=cmd_card_comment)

    export = commands.add_parser("export", parents=[account, board], help="write a board as JSON")
    export.add_argument("--output", "-o", metavar="FILE", help="write here instead of stdout")
    export.set_defaults(handler=cmd_export)

    import_ = commands.add_parser("import", parents=[as_json], help="import an exported board into the local account")
    import_.add_argument("file", metavar="FILE", help="a file written by `cardboard export` (- for stdin)")
    import_.set_defaults(handler=cmd_import)
    return parser


# --- the TUI ------------------------------------------------------------------------


def run_tui(args: argparse.Namespace, log_file: Path) -> int:
    # Imported here so that scripting subcommands never pay for importing Textual.
    from tui.ui.app import build_app

    account, demo_dir = args.account, None
    if args.demo:
        if account:
            raise ConfigError("--demo runs on the local demo board; it takes no --account")
        account, demo_dir = LOCAL, tempfile.mkdtemp(prefix="cardboard-demo-")
        os.environ["CARDBOARD_DATA_DIR"] = demo_dir
    try:
        app = build_app(account, args.board, remember=not args.demo)
        app.run()
        if app.crashed:  # Textual has restored the terminal and printed the traceback
            print(f"cardboard: crashed; the report is in {log_file}", file=sys.stderr)
        return app.return_code or 0
    finally:
        if demo_dir:
            shutil.rmtree(demo_dir, ignore_errors=True)


# --- scripting ----------------------------------------------------------------------


async def with_store(args: argparse.Namespace, work: Callable[[Store], Awaitable[int]]) -> int:
    store = Store(connect(getattr(args, "account", None)))
    try:
        return await work(store)
    finally:
        await store.provider.aclose()


async def open_board(store: Store, wanted: str) -> BoardContent:
    boards = await store.load_boards()
    board = _pick(boards, wanted, "board", lambda b: b.name)
    return await store.open_board(board.id)


def _pick(items, wanted: str, kind: str, name_of: Callable):
    """An item by id, else by exact (case-insensitive) name; a ConfigError lists the choices."""
    for item in items:
        if item.id == wanted:
            return item
    named = [item for item in items if name_of(item).casefold() == wanted.casefold()]
    if len(named) == 1:
        return named[0]
    choices = ", ".join(f"{item.id} ({name_of(item)})" for item in items) or "none"
    problem = "is ambiguous" if named else "not found"
    raise ConfigError(f"{kind} {wanted!r} {problem}; {kind}s: {choices}")


def _emit(args: argparse.Namespace, document: object, text: str) -> int:
    print(json.dumps(document, indent=2, ensure_ascii=False) if args.json else text)
    return 0


async def cmd_accounts(args: argparse.Namespace) -> int:
    accounts = available_accounts()
    document = [{"name": a.name, "provider": a.provider, "url": a.url} for a in accounts]
    text = "\n".join(f"{a.name}\t{a.provider}\t{a.url or ''}".rstrip() for a in accounts)
    return _emit(args, document, text)


async def cmd_boards(args: argparse.Namespace) -> int:
    async def work(store: Store) -> int:
        boards = await store.load_boards()
        text = "\n".join(f"{b.id}\t{b.name}" + (f"\t({b.group})" if b.group else "") for b in boards)
        return _emit(args, [board_json(b) for b in boards], text or "(no boards)")

    return await with_store(args, work)


async def cmd_cards(args: argparse.Namespace) -> int:
    async def work(store: Store) -> int:
        content = await open_board(store, args.board)
        try:
            await store.apply_filter(args.filter)
        except ValueError as problem:
            raise ConfigError(f"--filter: {problem}") from None
        keep = store.state.shows if store.state.filter else None
        ordered, lines = [], []
        for view in group_cards(content, keep):
            limit = f"/{view.column.wip_limit}" if view.column.wip_limit is not None else ""
            lines.append(f"{view.column.name} ({view.card_count}{limit})")
            for cell in view.cells:
                ordered += cell.cards
                lines += [f"  {card.id}\t{card.title}" for card in cell.cards]
        return _emit(args, [card_json(content, card) for card in ordered], "\n".join(lines))

    return await with_store(args, work)


async def cmd_card_show(args: argparse.Namespace) -> int:
    async def work(store: Store) -> int:
        content = await open_board(store, args.board)
        detail = await store.open_card(args.card)
        document = card_json(content, detail.card, full=True)
        document["comments"] = [
            {
                "id": c.id,
                "author": c.author.name if c.author else None,
                "created_at": c.created_at.isoformat() if c.created_at else None,
                "text": c.text,
            }
            for c in detail.comments
        ]
        text = [f"{detail.card.title}  [{document['column']}]", "", detail.card.description]
        text += [f"- [{'x' if i.done else ' '}] {i.text}" for i in detail.card.checklist]
        text += [f"\n{c['author'] or '?'} ({c['created_at'] or ''}):\n{c['text']}" for c in document["comments"]]
        return _emit(args, document, "\n".join(text).strip())

    return await with_store(args, work)


async def cmd_card_create(args: argparse.Namespace) -> int:
    async def work(store: Store) -> int:
        content = await open_board(store, args.board)
        column = _pick(content.columns, args.column, "column", lambda c: c.name)
        lane = _pick(content.lanes, args.lane, "lane", lambda l: l.name) if args.lane else None
        if not args.title.strip():
            raise ConfigError("--title must not be empty")
        draft = CardDraft(
            title=args.title.strip(),
            column_id=column.id,
            lane_id=lane.id if lane else (content.lanes[0].id if content.lanes else None),
            description=args.description,
        )
        card = await store.create_card(draft)
        return _emit(args, card_json(store.state.board, card), card.id)

    return await with_store(args, work)


async def cmd_card_move(args: argparse.Namespace) -> int:
    async def work(store: Store) -> int:
        content = await open_board(store, args.board)
        card = store.state.card(args.card)
        if card is None:
            raise NotFound(f"card {args.card!r} not found on board {content.board.name!r}")
        column = _pick(content.columns, args.column, "column", lambda c: c.name)
        lane_id = _pick(content.lanes, args.lane, "lane", lambda l: l.name).id if args.lane else card.lane_id
        moved = await store.move_card(
            card.id, column.id, lane_id or "", args.position, override_reason=args.override
        )
        return _emit(args, card_json(store.state.board, moved), f"{moved.id} -> {column.name}")

    return await with_store(args, work)


async def cmd_card_comment(args: argparse.Namespace) -> int:
    async def work(store: Store) -> int:
        content = await open_board(store, args.board)
        if store.state.card(args.card) is None:
            raise NotFound(f"card {args.card!r} not found on board {content.board.name!r}")
        if not args.text.strip():
            raise ConfigError("the comment must not be empty")
        comment = await store.add_comment(args.card, args.text)
        return _emit(args, {"id": comment.id, "card_id": args.card, "text": comment.text}, comment.id)

    return await with_store(args, work)


async def cmd_export(args: argparse.Namespace) -> int:
    async def work(store: Store) -> int:
        boards = await store.load_boards()
        board = _pick(boards, args.board, "board", lambda b: b.name)
        text = exchange.dump_document(await exchange.export_board(store.provider, board.id))
        if args.output:
            Path(args.output).write_text(text + "\n", encoding="utf-8")
        else:
            print(text)
        return 0

    return await with_store(args, work)


async def cmd_import(args: argparse.Namespace) -> int:
    source = "<stdin>" if args.file == "-" else args.file
    try:
        text = sys.stdin.read() if args.file == "-" else Path(args.file).read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{source}: {exc.strerror}") from exc
    document = exchange.parse_document(text, source)
    provider = connect(LOCAL)
    try:
        board = await provider.import_board(document)
    finally:
        await provider.aclose()
    return _emit(args, board_json(board), f"imported {board.name!r} as board {board.id}")


# --- JSON shapes (stable: scripts rely on them) -------------------------------------


def board_json(board: Board) -> dict:
    return {"id": board.id, "name": board.name, "group": board.group}


def card_json(content: BoardContent, card: Card, *, full: bool = False) -> dict:
    columns = {column.id: column.name for column in content.columns}
    lanes = {lane.id: lane.name for lane in content.lanes}
    document = {
        "id": card.id,
        "title": card.title,
        "column_id": card.column_id,
        "column": columns.get(card.column_id),
        "lane_id": card.lane_id,
        "lane": lanes.get(card.lane_id) if card.lane_id else None,
        "position": card.position,
        "labels": [label.name for label in card.labels],
        "assignee": card.assignee.name if card.assignee else None,
        "due": card.due.isoformat() if card.due else None,
        "priority": card.priority.value if card.priority else None,
        "checklist": {"done": card.checklist_done, "total": len(card.checklist)},
        "comment_count": card.comment_count,
        "blocked": card.blocked,
        "url": card.url,
    }
    if full:
        document["description"] = card.description
        document["checklist_items"] = [{"id": i.id, "text": i.text, "done": i.done} for i in card.checklist]
    return document
