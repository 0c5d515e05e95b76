"""`cardboard`: the TUI, and subcommands for scripts (the interface in DESIGN.md).

Exit codes: 0 success, 1 a service failed (its message on stderr), 2 bad usage or
bad configuration. `--json` prints exactly one JSON document on stdout.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import dataclasses
import json
import os
import shutil
import sys
import tempfile
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager, closing
from datetime import UTC, date, datetime
from pathlib import Path

from pydantic import SecretStr

from tui import __version__
from tui.core import exchange, logs
from tui.core.account_status import Health, check_account
from tui.core.accounts import (
    AccountFields,
    TokenSource,
    add_account,
    build_account,
    remove_account,
)
from tui.core.board_view import group_cards
from tui.core.connect import LOCAL, available_accounts, connect
from tui.core.durations import (
    DURATION_EXAMPLES,
    SPAN_EXAMPLE,
    format_duration,
    parse_duration_or_span,
)
from tui.core.errors import ConfigError, NotFound, ProviderError
from tui.core.models import (
    Board,
    BoardContent,
    Card,
    CardDraft,
    SyncState,
    TimeEntry,
    Timer,
)
from tui.core.plugins import provider_names
from tui.core.provider import Provider
from tui.core.store import Store
from tui.core.time import AccountProviders, CardRef, TimeJournal, TimeTracker, report

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
    parser.add_argument(
        "--demo", action="store_true", help="run on a throwaway copy of the demo board"
    )
    parser.add_argument("--debug", action="store_true", help="log more detail to the log file")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    accounts = commands.add_parser(
        "accounts", parents=[as_json], help="list, add, remove or test accounts"
    )
    accounts.set_defaults(handler=cmd_accounts)
    add_accounts_commands(accounts.add_subparsers(dest="accounts_command", metavar="ACTION"))

    boards = commands.add_parser(
        "boards", parents=[account, as_json], help="list the boards of an account"
    )
    boards.set_defaults(handler=cmd_boards)

    cards = commands.add_parser(
        "cards", parents=[account, board, as_json], help="list the cards of a board"
    )
    cards.add_argument("--filter", metavar="QUERY", default="", help="words, label:NAME, @person")
    cards.set_defaults(handler=cmd_cards)

    card = commands.add_parser("card", help="show, create, move or comment on one card")
    card_commands = card.add_subparsers(dest="card_command", metavar="ACTION", required=True)
    show = card_commands.add_parser("show", parents=[account, board, as_json], help="show a card")
    show.add_argument("card", metavar="CARD", help="card id")
    show.set_defaults(handler=cmd_card_show)
    create = card_commands.add_parser(
        "create", parents=[account, board, as_json], help="create a card"
    )
    create.add_argument("--title", required=True)
    create.add_argument("--column", required=True, metavar="COLUMN", help="column id or name")
    create.add_argument("--lane", metavar="LANE", help="lane id or name (default: the first)")
    create.add_argument("--description", default="", help="markdown")
    create.set_defaults(handler=cmd_card_create)
    move = card_commands.add_parser("move", parents=[account, board, as_json], help="move a card")
    move.add_argument("card", metavar="CARD", help="card id")
    move.add_argument("--column", required=True, metavar="COLUMN", help="column id or name")
    move.add_argument("--lane", metavar="LANE", help="lane id or name (default: the card's lane)")
    move.add_argument(
        "--position", type=int, default=0, help="0-based place in the column (default: top)"
    )
    move.add_argument(
        "--override", metavar="REASON", help="break a WIP limit the service enforces, saying why"
    )
    move.set_defaults(handler=cmd_card_move)
    comment = card_commands.add_parser(
        "comment", parents=[account, board, as_json], help="comment on a card"
    )
    comment.add_argument("card", metavar="CARD", help="card id")
    comment.add_argument("text", metavar="TEXT", help="the comment (markdown)")
    comment.set_defaults(handler=cmd_card_comment)

    export = commands.add_parser("export", parents=[account, board], help="write a board as JSON")
    export.add_argument("--output", "-o", metavar="FILE", help="write here instead of stdout")
    export.set_defaults(handler=cmd_export)

    add_time_commands(commands, account, board, as_json)

    import_ = commands.add_parser(
        "import", parents=[as_json], help="import an exported board into the local account"
    )
    import_.add_argument(
        "file", metavar="FILE", help="a file written by `cardboard export` (- for stdin)"
    )
    import_.set_defaults(handler=cmd_import)
    return parser


def add_accounts_commands(commands: argparse._SubParsersAction) -> None:
    add = commands.add_parser("add", help="add an account to accounts.toml")
    add.add_argument("name", metavar="NAME", help="what --account and the TUI call it")
    add.add_argument(
        "--provider", required=True, metavar="P", help=f"one of: {', '.join(provider_names())}"
    )
    add.add_argument(
        "--url", metavar="U", default="", help="the API base URL (default: the service's own)"
    )
    token = add.add_mutually_exclusive_group()
    token.add_argument(
        "--token-env", metavar="VAR", help="read the token from this environment variable"
    )
    token.add_argument(
        "--token-cmd",
        metavar="CMD",
        help="run CMD (without a shell) and take the first line it prints",
    )
    token.add_argument(
        "--token-stdin",
        action="store_true",
        help="read the token now and keep it in accounts.toml (mode 0600)",
    )
    token.add_argument(
        "--keyring",
        action="store_true",
        help="take it from the OS keyring (service 'cardboard', user NAME)",
    )
    add.add_argument(
        "--option",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="one of the provider's own options",
    )
    add.add_argument(
        "--allow-insecure", action="store_true", help="allow a plain http:// URL to another machine"
    )
    add.set_defaults(handler=cmd_accounts_add)
    remove = commands.add_parser("remove", help="remove an account from accounts.toml")
    remove.add_argument("name", metavar="NAME")
    remove.add_argument("--yes", action="store_true", help="do not ask first")
    remove.set_defaults(handler=cmd_accounts_remove)
    test = commands.add_parser("test", help="check that the service accepts the account's token")
    test.add_argument("name", metavar="NAME")
    test.set_defaults(handler=cmd_accounts_test)


# --- the TUI ------------------------------------------------------------------------


def run_tui(args: argparse.Namespace, log_file: Path) -> int:
    # Imported here so that scripting subcommands never pay for importing Textual.
    from tui.ui.app import build_app

    account, demo_dir, users_data = args.account, None, os.environ.get("CARDBOARD_DATA_DIR")
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
            if users_data is None:
                os.environ.pop("CARDBOARD_DATA_DIR", None)
            else:
                os.environ["CARDBOARD_DATA_DIR"] = users_data


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


async def cmd_accounts_add(args: argparse.Namespace) -> int:
    source, token = None, SecretStr("")
    if args.token_env is not None:
        source = TokenSource.ENV
    elif args.token_cmd is not None:
        source = TokenSource.COMMAND
    elif args.keyring:
        source = TokenSource.KEYRING
    elif args.token_stdin:
        source, token = TokenSource.STORED, _read_token()
    fields = AccountFields(
        name=args.name,
        provider=args.provider,
        url=args.url,
        token_source=source,
        token=token,
        token_env=args.token_env or "",
        token_cmd=args.token_cmd or "",
        options=dict(_key_value(option) for option in args.option),
        allow_insecure=args.allow_insecure,
    )
    add_account(build_account(fields))
    print(f"added {args.name}; check it with: cardboard accounts test {args.name}")
    return 0


def _read_token() -> SecretStr:
    if sys.stdin.isatty():  # typed by a person: not echoed
        import getpass

        return SecretStr(getpass.getpass("Token: "))
    return SecretStr(sys.stdin.readline().strip())


def _key_value(option: str) -> tuple[str, str]:
    key, equals, value = option.partition("=")
    if not equals or not key.strip():
        raise ConfigError(f"--option {option!r}: write it as KEY=VALUE")
    return key.strip(), value


async def cmd_accounts_remove(args: argparse.Namespace) -> int:
    if not args.yes:
        if not sys.stdin.isatty():
            raise ConfigError(f"accounts remove {args.name}: add --yes to remove it without asking")
        if input(f"Remove account {args.name!r} from accounts.toml? [y/N] ").strip().lower() != "y":
            print("kept")
            return 0
    remove_account(args.name)
    print(f"removed {args.name}")
    return 0


async def cmd_accounts_test(args: argparse.Namespace) -> int:
    status = await check_account(args.name)
    if status.health is Health.OK:
        print(status.summary)
        return 0
    print(f"cardboard: {status.summary}", file=sys.stderr)
    return EXIT_USAGE if status.health is Health.SETUP_PROBLEM else EXIT_SERVICE


async def cmd_boards(args: argparse.Namespace) -> int:
    async def work(store: Store) -> int:
        boards = await store.load_boards()
        text = "\n".join(
            f"{b.id}\t{b.name}" + (f"\t({b.group})" if b.group else "") for b in boards
        )
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
        text += [
            f"\n{c['author'] or '?'} ({c['created_at'] or ''}):\n{c['text']}"
            for c in document["comments"]
        ]
        return _emit(args, document, "\n".join(text).strip())

    return await with_store(args, work)


async def cmd_card_create(args: argparse.Namespace) -> int:
    async def work(store: Store) -> int:
        content = await open_board(store, args.board)
        column = _pick(content.columns, args.column, "column", lambda c: c.name)
        lane = (
            _pick(content.lanes, args.lane, "lane", lambda lane: lane.name) if args.lane else None
        )
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
        lane_id = (
            _pick(content.lanes, args.lane, "lane", lambda lane: lane.name).id
            if args.lane
            else card.lane_id
        )
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
        return _emit(
            args, {"id": comment.id, "card_id": args.card, "text": comment.text}, comment.id
        )

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


# --- time -------------------------------------------------------------------------


def add_time_commands(
    commands: argparse._SubParsersAction,
    account: argparse.ArgumentParser,
    board: argparse.ArgumentParser,
    as_json: argparse.ArgumentParser,
) -> None:
    timing = commands.add_parser("time", help="the timer, time logs and reports")
    actions = timing.add_subparsers(dest="time_command", metavar="ACTION", required=True)
    start = actions.add_parser(
        "start",
        parents=[account, board, as_json],
        help="start the timer on a card (stopping any other)",
    )
    start.add_argument("card", metavar="CARD", help="card id")
    start.set_defaults(handler=cmd_time_start)
    stop = actions.add_parser("stop", parents=[as_json], help="stop the timer and log its time")
    stop.set_defaults(handler=cmd_time_stop)
    status = actions.add_parser(
        "status", parents=[as_json], help="the running timer and what waits to sync"
    )
    status.set_defaults(handler=cmd_time_status)
    log_ = actions.add_parser(
        "log", parents=[account, board, as_json], help="log time spent on a card"
    )
    log_.add_argument("card", metavar="CARD", help="card id")
    log_.add_argument(
        "duration", metavar="DURATION", help=f"{DURATION_EXAMPLES}, or a span ({SPAN_EXAMPLE})"
    )
    log_.add_argument(
        "--date", metavar="DATE", type=_iso_day, help="the day, YYYY-MM-DD (default: today)"
    )
    log_.add_argument("--note", default="", help="what the time went on")
    log_.set_defaults(handler=cmd_time_log)
    report_ = actions.add_parser(
        "report", help="time spent, totalled by day, card, board or account"
    )
    report_.add_argument(
        "--since", metavar="DATE", type=_iso_day, help="from this day on, YYYY-MM-DD"
    )
    report_.add_argument("--until", metavar="DATE", type=_iso_day, help="up to this day, included")
    report_.add_argument("--by", choices=["day", "card", "board", "account"], default="day")
    output = report_.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print one JSON document")
    output.add_argument("--csv", action="store_true", help="print CSV with a header line")
    report_.set_defaults(handler=cmd_time_report)


def _iso_day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date: expected YYYY-MM-DD") from None


@asynccontextmanager
async def time_tracker(open_provider: Provider | None = None) -> AsyncIterator[TimeTracker]:
    """The tracker on the journal, syncing through the command's own provider and connecting
    other accounts' as needed."""
    journal = TimeJournal()
    providers = AccountProviders(lambda: open_provider, connect)
    try:
        yield TimeTracker(journal, providers)
    finally:
        await providers.aclose()
        journal.close()


async def time_card(store: Store, args: argparse.Namespace) -> CardRef:
    """The card named by CARD on --board, read from the service for its title."""
    content = await open_board(store, args.board)
    card = store.state.card(args.card)
    if card is None:
        raise NotFound(f"card {args.card!r} not found on board {content.board.name!r}")
    account = store.provider.connection.account
    return CardRef(
        account=account, board_id=content.board.id, card_id=card.id, card_title=card.title
    )


async def cmd_time_start(args: argparse.Namespace) -> int:
    async def work(store: Store) -> int:
        card = await time_card(store, args)
        async with time_tracker(store.provider) as tracker:
            switch = await tracker.announce_start(tracker.start(card, store.provider))
        stopped = switch.stopped
        lines = [_entry_line("stopped", stopped)] if stopped is not None else []
        document = {
            "timer": timer_json(switch.timer),
            "stopped": entry_json(stopped) if stopped else None,
        }
        return _emit(args, document, "\n".join([*lines, _timer_line(switch.timer)]))

    return await with_store(args, work)


async def cmd_time_stop(args: argparse.Namespace) -> int:
    async with time_tracker() as tracker:
        entry = tracker.stop()
        if entry is None:
            return _emit(args, None, "no timer is running")
        entry = await tracker.announce_stop(entry)
    return _emit(args, entry_json(entry), _entry_line("stopped", entry))


async def cmd_time_status(args: argparse.Namespace) -> int:
    with closing(TimeJournal()) as journal:
        timer = journal.running()
        waiting = [e for e in journal.entries() if e.sync in (SyncState.PENDING, SyncState.FAILED)]
    lines = [_timer_line(timer) if timer else "no timer is running"]
    if waiting:
        lines.append(f"{len(waiting)} time entr{'y' if len(waiting) == 1 else 'ies'} not synced:")
        lines += [f"  {_entry_line(entry.id, entry)}" for entry in waiting]
    document = {
        "timer": timer_json(timer) if timer else None,
        "unsynced": [entry_json(entry) for entry in waiting],
    }
    return _emit(args, document, "\n".join(lines))


async def cmd_time_log(args: argparse.Namespace) -> int:
    day = args.date or date.today()
    try:
        started_at, seconds = parse_duration_or_span(args.duration, day, None)
    except ValueError as exc:
        raise ConfigError(f"DURATION: {exc}") from None

    async def work(store: Store) -> int:
        card = await time_card(store, args)
        async with time_tracker(store.provider) as tracker:
            entry = tracker.log(
                card, store.provider, day, seconds, started_at=started_at, note=args.note
            )
            pushed = await tracker.push()
        entry = next((e for e in pushed if e.id == entry.id), entry)
        return _emit(args, entry_json(entry), _entry_line("logged", entry))

    return await with_store(args, work)


async def cmd_time_report(args: argparse.Namespace) -> int:
    if args.since and args.until and args.since > args.until:
        raise ConfigError(f"--since {args.since} is after --until {args.until}")
    with closing(TimeJournal()) as journal:
        rows = report(journal.entries(since=args.since, until=args.until), args.by)
    document = [dataclasses.asdict(row) for row in rows]
    if args.csv:
        fields = ["key", "label", "seconds", "entries"]
        writer = csv.DictWriter(sys.stdout, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(document)
        return 0
    width = max((len(row.label) for row in rows), default=0)
    lines = [
        f"{row.label:<{width}}  {format_duration(row.seconds):>8}  {row.entries:>3}" for row in rows
    ]
    total = sum(row.seconds for row in rows)
    lines.append(
        f"{'total':<{width}}  {format_duration(total):>8}  {sum(row.entries for row in rows):>3}"
    )
    return _emit(args, document, "\n".join(lines))


def _timer_line(timer: Timer) -> str:
    elapsed = format_duration(max(0, int((datetime.now(UTC) - timer.started_at).total_seconds())))
    since = timer.started_at.astimezone().strftime("%H:%M")
    return f"running on {timer.card_title} ({timer.account}, card {timer.card_id}) since {since}: {elapsed}"


def _entry_line(what: str, entry: TimeEntry) -> str:
    state = entry.sync.value + (f" ({entry.sync_error})" if entry.sync_error else "")
    return f"{what} {entry.card_title} ({entry.account}): {format_duration(entry.seconds)}, {state}"


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
        document["checklist_items"] = [
            {"id": i.id, "text": i.text, "done": i.done} for i in card.checklist
        ]
    return document


def timer_json(timer: Timer) -> dict:
    return timer.model_dump(mode="json")


def entry_json(entry: TimeEntry) -> dict:
    return entry.model_dump(mode="json")
