"""Every command's flags, as argparse declares them: the scripting interface in DESIGN.md.

Nothing here imports more than argparse: `cardboard --version` and `--help` end in
this module. Each command names its handler as "MODULE:FUNCTION" (in tui/cli/), which
`tui.cli.main` imports only when that command runs.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any, NamedTuple, NoReturn

from tui import __version__


class Common(NamedTuple):
    """Flags many commands share, as argparse parents (a NamedTuple: dataclasses would
    cost `--version` the import of inspect)."""

    account: argparse.ArgumentParser
    """--account NAME, after the command; `cardboard --account NAME COMMAND` means the same."""
    board: argparse.ArgumentParser
    """--board ID|NAME, required."""
    as_json: argparse.ArgumentParser
    """--json: one JSON document on stdout."""


Body = Callable[[argparse.ArgumentParser], None]
"""Adds a command's actions (`card show`, `card move`, ...) to its parser."""


class Parser(argparse.ArgumentParser):
    """argparse, except that a usage error is one line on stderr (and exit 2, as ever),
    and that a command's `body` is added only once its parser is used: to parse, or to
    show its usage or help. Declaring every action of every command (~35 parsers) cost
    each run ~3 ms, though a run uses the actions of one command at most."""

    def __init__(self, *args: Any, body: Body | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._body = body

    def _complete(self) -> None:
        if self._body is not None:
            body, self._body = self._body, None
            body(self)

    def parse_known_args(
        self, args: Iterable[str] | None = None, namespace: Any = None
    ) -> tuple[Any, list[str]]:
        self._complete()
        return super().parse_known_args(args, namespace)

    def format_usage(self) -> str:
        self._complete()
        return super().format_usage()

    def format_help(self) -> str:
        self._complete()
        return super().format_help()

    def error(self, message: str) -> NoReturn:
        command = self.prog.removeprefix("cardboard").strip()  # "time log"
        where = f"{command}: " if command else ""
        self.exit(2, f"cardboard: {where}{message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="cardboard",
        description="A keyboard-first terminal dashboard for kanban boards. "
        "Without a command it opens the TUI on the local board.",
    )
    parser.add_argument("--version", action="version", version=f"cardboard {__version__}")
    parser.add_argument(
        "--account", metavar="NAME", help="the account to open or use (default: local)"
    )
    parser.add_argument("--board", metavar="ID", help="open this board (id or exact name)")
    parser.add_argument(
        "--demo", action="store_true", help="run on a throwaway copy of the demo board"
    )
    parser.add_argument("--debug", action="store_true", help="log more detail to the log file")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    common = _common()
    for add_group in GROUPS:
        add_group(commands, common)
    return parser


def _common() -> Common:
    account = argparse.ArgumentParser(add_help=False)
    # Its own dest, and no default: `check_account_placement` merges it with the
    # top-level --account, so neither place silently loses to the other.
    account.add_argument(
        "--account",
        dest="command_account",
        metavar="NAME",
        default=argparse.SUPPRESS,
        help="the account to use (default: local)",
    )
    account.add_argument(
        "--queue",
        action="store_true",
        help="when the service cannot be reached, keep the change for `cardboard sync`",
    )
    account.set_defaults(takes_account=True)
    board = argparse.ArgumentParser(add_help=False)
    board.add_argument("--board", metavar="ID", required=True, help="board id or exact name")
    as_json = argparse.ArgumentParser(add_help=False)
    as_json.add_argument("--json", action="store_true", help="print one JSON document")
    return Common(account, board, as_json)


def check_account_placement(args: argparse.Namespace) -> None:
    """One account per run, wherever --account stands; `args.account` is it afterwards.

    Raises ConfigError for two different accounts, or an account given to a command
    that takes none (it would be silently ignored).
    """
    from tui.core.errors import ConfigError

    before, after = args.account, getattr(args, "command_account", None)
    if before and after and before != after:
        raise ConfigError(f"--account given twice: {before!r} and {after!r}; give one")
    args.account = after or before
    if args.account and args.command and not getattr(args, "takes_account", False):
        command = " ".join(_command_words(args))
        raise ConfigError(f"--account: `cardboard {command}` takes no account")


def _command_words(args: argparse.Namespace) -> list[str]:
    words = [args.command]
    for key in ("accounts_command", "card_command", "time_command"):
        if word := getattr(args, key, None):
            words.append(word)
    return words


# --- the groups -------------------------------------------------------------------------


def add_accounts(commands: Any, common: Common) -> None:
    accounts = commands.add_parser(
        "accounts",
        parents=[common.as_json],
        help="list, add, remove or test accounts",
        body=_account_actions,
    )
    accounts.set_defaults(handler="accounts:list_accounts")


def _account_actions(accounts: argparse.ArgumentParser) -> None:
    actions = accounts.add_subparsers(dest="accounts_command", metavar="ACTION")
    add = actions.add_parser("add", help="add an account to accounts.toml")
    add.add_argument("name", metavar="NAME", help="what --account and the TUI call it")
    add.add_argument("--provider", required=True, metavar="P", help=_InstalledProviders())
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
    add.set_defaults(handler="accounts:add")
    remove = actions.add_parser("remove", help="remove an account from accounts.toml")
    remove.add_argument("name", metavar="NAME")
    remove.add_argument("--yes", action="store_true", help="do not ask first")
    remove.set_defaults(handler="accounts:remove")
    test = actions.add_parser("test", help="check that the service accepts the account's token")
    test.add_argument("name", metavar="NAME")
    test.set_defaults(handler="accounts:test")


def add_boards(commands: Any, common: Common) -> None:
    mine = [common.account, common.as_json]
    boards = commands.add_parser(
        "boards",
        parents=mine,
        help="list the boards of an account; create, rename or delete local boards",
        body=lambda boards: _board_actions(boards, mine),
    )
    boards.set_defaults(handler="boards:list_boards")


def _board_actions(boards: argparse.ArgumentParser, mine: list[argparse.ArgumentParser]) -> None:
    board_commands = boards.add_subparsers(dest="board_command", metavar="COMMAND")
    create = board_commands.add_parser("create", parents=mine, help="make a board")
    create.add_argument("name", metavar="NAME")
    create.add_argument(
        "--column",
        action="append",
        metavar="NAME[:LIMIT]",
        help="a column, in order, with an optional WIP limit (default: To do, Doing, Done)",
    )
    create.set_defaults(handler="boards:create")
    rename = board_commands.add_parser("rename", parents=mine, help="rename a board")
    rename.add_argument("board", metavar="BOARD", help="board id or exact name")
    rename.add_argument("name", metavar="NEW_NAME")
    rename.set_defaults(handler="boards:rename")
    delete = board_commands.add_parser(
        "delete", parents=mine, help="delete a board and its cards (asks unless --yes)"
    )
    delete.add_argument("board", metavar="BOARD", help="board id or exact name")
    delete.add_argument("--yes", action="store_true", help="do not ask")
    delete.set_defaults(handler="boards:delete")


def add_cards(commands: Any, common: Common) -> None:
    on_board = [common.account, common.board, common.as_json]
    cards = commands.add_parser("cards", parents=on_board, help="list the cards of a board")
    cards.add_argument("--filter", metavar="QUERY", default="", help="words, label:NAME, @person")
    cards.add_argument("--archived", action="store_true", help="list the archived cards instead")
    cards.set_defaults(handler="cards:list_cards")
    commands.add_parser(
        "card",
        help="show, create, edit, move, comment on, archive, restore or delete a card",
        body=lambda card: _card_actions(card, on_board),
    )


def _card_actions(card: argparse.ArgumentParser, on_board: list[argparse.ArgumentParser]) -> None:
    actions = card.add_subparsers(dest="card_command", metavar="ACTION", required=True)
    show = actions.add_parser("show", parents=on_board, help="show a card")
    show.add_argument("card", metavar="CARD", help="card id")
    show.set_defaults(handler="cards:show")
    create = actions.add_parser("create", parents=on_board, help="create a card")
    create.add_argument("--title", required=True)
    create.add_argument("--column", metavar="COLUMN", help="column id or name (default: the first)")
    create.add_argument(
        "--lane",
        metavar="LANE",
        help="lane id or name (default: the board's default lane, as in the TUI)",
    )
    create.add_argument("--description", default="", help="markdown")
    create.set_defaults(handler="cards:create")
    move = actions.add_parser("move", parents=on_board, help="move a card")
    move.add_argument("card", metavar="CARD", help="card id")
    move.add_argument("--column", required=True, metavar="COLUMN", help="column id or name")
    move.add_argument("--lane", metavar="LANE", help="lane id or name (default: the card's lane)")
    move.add_argument(
        "--position",
        type=_position,
        default=0,
        help="0-based place in the column (default: top)",
    )
    move.add_argument(
        "--override", metavar="REASON", help="break a WIP limit the service enforces, saying why"
    )
    move.set_defaults(handler="cards:move")
    comment = actions.add_parser("comment", parents=on_board, help="comment on a card")
    comment.add_argument("card", metavar="CARD", help="card id")
    comment.add_argument("text", metavar="TEXT", help="the comment (markdown)")
    comment.set_defaults(handler="cards:comment")
    add_card_changes(actions, on_board)


def add_card_changes(actions: Any, on_board: list[argparse.ArgumentParser]) -> None:
    """`card edit`, `card archive`, `card restore` and `card delete`."""
    edit = actions.add_parser("edit", parents=on_board, help="change a card's fields")
    edit.add_argument("card", metavar="CARD", help="card id")
    edit.add_argument("--title", metavar="T")
    edit.add_argument("--description", metavar="D", help="markdown")
    edit.add_argument("--assignee", metavar="NAME", help="a person's name or id, or none")
    labels = edit.add_mutually_exclusive_group()
    labels.add_argument(
        "--label",
        action="append",
        metavar="NAME",
        help="the card's labels: repeat for each (they replace the card's)",
    )
    labels.add_argument("--no-labels", action="store_true", help="take every label off")
    edit.add_argument(
        "--due", metavar="DATE", help="YYYY-MM-DD, today, tomorrow, fri, +3d ..., or none"
    )
    edit.add_argument(
        "--priority",
        choices=["low", "normal", "high", "urgent", "none"],
        metavar="P",
        help="low, normal, high, urgent or none",
    )
    edit.add_argument("--lane", metavar="LANE", help="move it to this lane, same column")
    blocked = edit.add_mutually_exclusive_group()
    blocked.add_argument(
        "--blocked", dest="blocked", action="store_true", default=None, help="mark it blocked"
    )
    blocked.add_argument(
        "--not-blocked", dest="blocked", action="store_false", help="take the blocked mark off"
    )
    edit.set_defaults(handler="cards:edit")
    archive = actions.add_parser("archive", parents=on_board, help="archive a card")
    archive.add_argument("card", metavar="CARD", help="card id")
    archive.set_defaults(handler="cards:archive")
    restore = actions.add_parser(
        "restore", parents=on_board, help="bring an archived card back onto the board"
    )
    restore.add_argument("card", metavar="CARD", help="card id (see cards --archived)")
    restore.set_defaults(handler="cards:restore")
    delete = actions.add_parser("delete", parents=on_board, help="delete a card for good")
    delete.add_argument("card", metavar="CARD", help="card id")
    delete.add_argument("--yes", action="store_true", help="do not ask first")
    delete.set_defaults(handler="cards:delete")


def add_exchange(commands: Any, common: Common) -> None:
    export = commands.add_parser(
        "export", parents=[common.account, common.board], help="write a board as JSON"
    )
    export.add_argument("--output", "-o", metavar="FILE", help="write here instead of stdout")
    export.set_defaults(handler="exchange:export")
    import_ = commands.add_parser(
        "import", parents=[common.as_json], help="import an exported board into the local account"
    )
    import_.add_argument(
        "file", metavar="FILE", help="a file written by `cardboard export` (- for stdin)"
    )
    import_.set_defaults(handler="exchange:import_board")


def add_time(commands: Any, common: Common) -> None:
    commands.add_parser(
        "time",
        help="the timer, time logs and reports",
        body=lambda timing: _time_actions(timing, common),
    )


def _time_actions(timing: argparse.ArgumentParser, common: Common) -> None:
    from tui.core.durations import DURATION_EXAMPLES, SPAN_EXAMPLE  # `time log`'s help

    actions = timing.add_subparsers(dest="time_command", metavar="ACTION", required=True)
    on_card = [common.account, common.board, common.as_json]
    start = actions.add_parser(
        "start", parents=on_card, help="start the timer on a card (stopping any other)"
    )
    start.add_argument("card", metavar="CARD", help="card id")
    start.set_defaults(handler="time:start")
    stop = actions.add_parser(
        "stop", parents=[common.as_json], help="stop the timer and log its time"
    )
    stop.set_defaults(handler="time:stop")
    status = actions.add_parser(
        "status", parents=[common.as_json], help="the running timer and what waits to sync"
    )
    status.set_defaults(handler="time:status")
    log = actions.add_parser("log", parents=on_card, help="log time spent on a card")
    log.add_argument("card", metavar="CARD", help="card id")
    log.add_argument(
        "duration",
        metavar="DURATION",
        help=f"{DURATION_EXAMPLES}, or a span ({SPAN_EXAMPLE})",
    )
    log.add_argument(
        "--date", metavar="DATE", type=iso_day, help="the day, YYYY-MM-DD (default: today)"
    )
    log.add_argument("--note", default="", help="what the time went on")
    log.add_argument(
        "--force",
        action="store_true",
        help="log it even if longer than config.toml's [time] max_entry_hours (24 by "
        "default) or ending in the future",
    )
    log.set_defaults(handler="time:log")
    report = actions.add_parser(
        "report", help="time spent, totalled by day, card, board or account"
    )
    report.add_argument(
        "--since", metavar="DATE", type=iso_day, help="from this day on, YYYY-MM-DD"
    )
    report.add_argument("--until", metavar="DATE", type=iso_day, help="up to this day, included")
    report.add_argument("--by", choices=["day", "card", "board", "account"], default="day")
    output = report.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print one JSON document")
    output.add_argument("--csv", action="store_true", help="print CSV with a header line")
    report.set_defaults(handler="time:report_time")


def add_triage(commands: Any, common: Common) -> None:
    inbox = commands.add_parser(
        "inbox",
        parents=[common.as_json],
        help="my cards, and what is overdue or due soon, across every account",
    )
    inbox.set_defaults(handler="inbox:inbox")
    triage = commands.add_parser(
        "triage",
        parents=[common.account, common.board],
        help="open the TUI straight into triage: one card at a time, one key per decision",
    )
    which = triage.add_mutually_exclusive_group()
    which.add_argument(
        "--column", metavar="NAME", help="the column to triage, id or name (default: the first)"
    )
    which.add_argument(
        "--filter", metavar="QUERY", help="triage what this filter finds (as / on the board)"
    )
    triage.set_defaults(handler="triage:triage")


def add_sync(commands: Any, common: Common) -> None:
    pending = commands.add_parser(
        "pending",
        parents=[common.account, common.as_json],
        help="list the changes waiting to be sent: queued, in doubt or refused",
    )
    pending.set_defaults(handler="sync:pending")
    sync = commands.add_parser(
        "sync", parents=[common.account, common.as_json], help="send the waiting changes now"
    )
    sync.set_defaults(handler="sync:sync")


GROUPS: tuple[Callable[[Any, Common], None], ...] = (
    add_accounts,
    add_boards,
    add_cards,
    add_exchange,
    add_time,
    add_triage,
    add_sync,
)
"""Each adds one group of commands to the parser, in the order `--help` lists them."""


# --- argument types ---------------------------------------------------------------------


def iso_day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date: expected YYYY-MM-DD") from None


def _position(text: str) -> int:
    try:
        position = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if position < 0:
        raise argparse.ArgumentTypeError(f"{position} is before the top: the first place is 0")
    return position


class _InstalledProviders(str):
    """The --provider help: names the installed providers only when help is shown, since
    reading the entry points (importlib.metadata) costs every other command 10 ms."""

    def __new__(cls) -> _InstalledProviders:
        return super().__new__(cls, "one of the installed providers")

    def __mod__(self, params: object) -> str:
        from tui.core.plugins import provider_names

        return f"one of: {', '.join(provider_names())}"
