"""Bad input to every command: one line on stderr naming the problem, exit 2, no traceback.

And `--account NAME` means the same account before or after the command, for every
command that takes one.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.cli import DEMO, assert_usage_error, local_board
from tui.core import paths

BAD_INPUT = {
    # the top level
    "two different accounts": ["--account", "a", "boards", "--account", "b"],
    "demo with an account": ["--demo", "--account", "work"],
    "an unknown command": ["frobnicate"],
    # accounts
    "accounts: an unknown flag": ["accounts", "--bogus"],
    "accounts add: an unknown provider": ["accounts", "add", "x", "--provider", "nosuch"],
    "accounts add: an option without =": ["accounts", "add", "x", "--provider", "local", "--option", "junk"],
    "accounts add: no name": ["accounts", "add", "--provider", "local"],
    "accounts remove: not there": ["accounts", "remove", "ghost", "--yes"],
    "accounts test: not there": ["accounts", "test", "ghost"],
    "accounts: takes no account": ["--account", "local", "accounts"],
    # boards
    "boards: an unknown account": ["boards", "--account", "nope"],
    # cards
    "cards: no board": ["cards"],
    "cards: an unknown board": ["cards", "--board", "Nope"],
    "card show: no card": ["card", "show", "--board", DEMO],
    "card create: an empty title": ["card", "create", "--board", DEMO, "--column", "Done", "--title", " "],
    "card create: an unknown column": ["card", "create", "--board", DEMO, "--column", "Nowhere", "--title", "x"],
    "card move: a negative position": ["card", "move", "1", "--board", DEMO, "--column", "Done", "--position", "-1"],
    "card move: a position that is no number": ["card", "move", "1", "--board", DEMO, "--column", "Done", "--position", "top"],
    "card move: an unknown lane": ["card", "move", "1", "--board", DEMO, "--column", "Done", "--lane", "Nope"],
    "card comment: an empty comment": ["card", "comment", "1", "  ", "--board", DEMO],
    # export and import
    "export: a file in a folder that is not there": ["export", "--board", DEMO, "-o", "/nonexistent/x.json"],
    "export: an output that is a folder": ["export", "--board", DEMO, "-o", "{tmp}"],
    "import: no such file": ["import", "{tmp}/missing.json"],
    "import: a folder": ["import", "{tmp}"],
    "import: not text": ["import", "{tmp}/binary.json"],
    "import: takes no account": ["--account", "local", "import", "{tmp}/missing.json"],
    # time
    "time start: an unknown board": ["time", "start", "1", "--board", "Nope"],
    "time stop: an unknown flag": ["time", "stop", "--bogus"],
    "time status: takes no account": ["--account", "local", "time", "status"],
    "time log: 99999999h": ["time", "log", "1", "99999999h", "--board", DEMO],
    "time log: longer than a day": ["time", "log", "1", "25h", "--board", DEMO],
    "time log: in the future": ["time", "log", "1", "1h", "--board", DEMO, "--date", "2030-01-01"],
    "time log: not a date": ["time", "log", "1", "1h", "--board", DEMO, "--date", "friday"],
    "time log: not a duration": ["time", "log", "1", "soon", "--board", DEMO],
    "time report: not a date": ["time", "report", "--since", "2026-13-01"],
    "time report: by week": ["time", "report", "--by", "week"],
    "time report: since after until": ["time", "report", "--since", "2026-11-20", "--until", "2026-11-19"],
    "time report: json and csv": ["time", "report", "--json", "--csv"],
}  # fmt: skip


@pytest.mark.parametrize("argv", BAD_INPUT.values(), ids=BAD_INPUT.keys())
def test_bad_input_is_one_line_and_exit_2(cardboard, tmp_path: Path, argv: list[str]):
    (tmp_path / "binary.json").write_bytes(b"\xff\xfe\x00garbage")
    before = local_board().cards
    run = cardboard(*(arg.format(tmp=tmp_path) for arg in argv))
    assert_usage_error(run)
    assert local_board().cards == before, "a refused command changes nothing"


def test_a_data_dir_that_cannot_be_written_is_one_line_and_exit_2(cardboard, tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("CARDBOARD_DATA_DIR", str(blocker / "data"))
    assert_usage_error(cardboard("boards"), str(blocker))


# --- --account before or after the command ----------------------------------------------

TAKES_AN_ACCOUNT = {
    "boards": ["boards"],
    "cards": ["cards", "--board", DEMO],
    "card show": ["card", "show", "1", "--board", DEMO],
    "card create": ["card", "create", "--board", DEMO, "--column", "Done", "--title", "x"],
    "card move": ["card", "move", "1", "--board", DEMO, "--column", "Done"],
    "card comment": ["card", "comment", "1", "hi", "--board", DEMO],
    "export": ["export", "--board", DEMO],
    "time start": ["time", "start", "1", "--board", DEMO],
    "time log": ["time", "log", "1", "10m", "--board", DEMO],
}


def command_and_rest(argv: list[str]) -> tuple[list[str], list[str]]:
    """The command's words (`card show`) and its arguments."""
    words = 2 if argv[0] in ("card", "time") else 1
    return argv[:words], argv[words:]


@pytest.mark.parametrize("argv", TAKES_AN_ACCOUNT.values(), ids=TAKES_AN_ACCOUNT.keys())
@pytest.mark.parametrize("where", ["before", "after"])
def test_an_unknown_account_is_refused_wherever_it_stands(cardboard, argv, where):
    words, rest = command_and_rest(argv)
    account = ["--account", "nope"]
    full = [*account, *argv] if where == "before" else [*words, *account, *rest]
    assert_usage_error(cardboard(*full), "no account named 'nope'")


@pytest.fixture
def other(tmp_path: Path) -> str:
    """A second local account, on its own database file."""
    paths.accounts_file().parent.mkdir(parents=True, exist_ok=True)
    paths.accounts_file().write_text(
        f'[accounts.other]\nprovider = "local"\noptions = {{ path = "{tmp_path / "other.db"}" }}\n'
    )
    return "other"


@pytest.mark.parametrize("where", ["before", "after"])
def test_a_card_created_in_another_account_lands_there_wherever_account_stands(
    cardboard, other: str, where: str
):
    create = ["--board", DEMO, "--column", "Done", "--title", f"made {where}", "--json"]
    argv = (
        ["--account", other, "card", "create", *create]
        if where == "before"
        else ["card", "create", "--account", other, *create]
    )
    run = cardboard(*argv)
    assert run.code == 0, run.err
    made = run.json["id"]
    in_other = cardboard("--account", other, "card", "show", made, "--board", DEMO, "--json")
    assert in_other.json["title"] == f"made {where}"
    assert f"made {where}" not in [card.title for card in local_board().cards]


def test_the_same_account_twice_is_fine(cardboard, other: str):
    run = cardboard("--account", other, "boards", "--account", other, "--json")
    assert run.code == 0, run.err
