"""The scripting interface, in-process, on the local account's demo board.

Every command goes through `tui.cli.main`, as `cardboard ...` would; what a command
prints is checked against the board the local provider then holds, so the tests say
what the CLI must do, not what the demo happens to contain.
"""

from __future__ import annotations

import io
import json
import os
import sys
from datetime import datetime
from pathlib import Path

import pytest

from tests.support.cli import DEMO, assert_usage_error, local_board
from tui.cli import main
from tui.core import paths
from tui.core.board_view import default_lane, group_cards
from tui.core.models import BoardContent

CARD_KEYS = {
    "id", "title", "column_id", "column", "lane_id", "lane", "position", "labels",
    "assignee", "due", "priority", "checklist", "comment_count", "blocked", "url",
}  # fmt: skip
"""What DESIGN.md promises for every card of `cards --json` (scripts rely on these)."""


def in_board_order(content: BoardContent) -> list[str]:
    return [card.id for view in group_cards(content) for cell in view.cells for card in cell.cards]


# --- accounts and boards ----------------------------------------------------------------


def test_accounts_lists_the_local_board_without_any_config(cardboard):
    run = cardboard("accounts", "--json")
    assert run.code == 0
    assert run.json == [{"name": "local", "provider": "local", "url": None}]


def test_accounts_lists_the_configured_ones_after_local(cardboard):
    paths.accounts_file().parent.mkdir(parents=True)
    paths.accounts_file().write_text(
        '[accounts.work]\nprovider = "kaiten"\nurl = "https://acme.kaiten.ru/api/latest"\n'
        'token_env = "KAITEN_TOKEN"\n'
    )
    run = cardboard("accounts", "--json")
    assert run.code == 0
    assert run.json == [
        {"name": "local", "provider": "local", "url": None},
        {"name": "work", "provider": "kaiten", "url": "https://acme.kaiten.ru/api/latest"},
    ]


def test_boards_json_is_id_name_group(cardboard):
    run = cardboard("boards", "--json")
    assert run.code == 0
    assert run.json == [{"id": DEMO, "name": local_board().board.name, "group": None}]


def test_boards_text_is_one_line_per_board(cardboard):
    run = cardboard("boards")
    assert run.code == 0
    assert run.out == f"{DEMO}\t{local_board().board.name}\n"


# --- cards ------------------------------------------------------------------------------


def test_cards_json_lists_every_card_in_board_order_with_the_documented_keys(cardboard):
    run = cardboard("cards", "--board", DEMO, "--json")
    assert run.code == 0
    board = local_board()
    assert [card["id"] for card in run.json] == in_board_order(board)
    columns = {column.id: column.name for column in board.columns}
    lanes = {lane.id: lane.name for lane in board.lanes}
    for document in run.json:
        assert set(document) >= CARD_KEYS
        card = next(card for card in board.cards if card.id == document["id"])
        assert document["title"] == card.title
        assert document["column_id"] == card.column_id
        assert document["column"] == columns[card.column_id]
        assert (document["lane_id"], document["lane"]) == (card.lane_id, lanes[card.lane_id])
        assert document["labels"] == [label.name for label in card.labels]
        assert document["checklist"] == {"done": card.checklist_done, "total": len(card.checklist)}


def test_cards_text_groups_cards_under_their_columns_with_wip_limits(cardboard):
    run = cardboard("cards", "--board", DEMO)
    assert run.code == 0
    board = local_board()
    headings = [line for line in run.out.splitlines() if not line.startswith("  ")]
    expected = []
    for view in group_cards(board):
        limit = f"/{view.column.wip_limit}" if view.column.wip_limit is not None else ""
        expected.append(f"{view.column.name} ({view.card_count}{limit})")
    assert headings == expected
    card = board.cards[0]
    assert f"  {card.id}\t{card.title}" in run.out.splitlines()


def test_a_board_is_also_found_by_its_name_in_any_case(cardboard):
    by_id = cardboard("cards", "--board", DEMO, "--json")
    by_name = cardboard("cards", "--board", local_board().board.name.upper(), "--json")
    assert by_name.code == 0
    assert by_name.json == by_id.json


@pytest.mark.parametrize(
    ("query", "keep"),
    [
        ("label:bug", lambda card: "bug" in card["labels"]),
        ("@ada", lambda card: (card["assignee"] or "").lower().startswith("ada")),
        ("label:feature @none", lambda card: "feature" in card["labels"] and not card["assignee"]),
    ],
)
def test_filter_keeps_only_the_matching_cards(cardboard, query, keep):
    everything = cardboard("cards", "--board", DEMO, "--json").json
    run = cardboard("cards", "--board", DEMO, "--filter", query, "--json")
    assert run.code == 0
    expected = [card for card in everything if keep(card)]
    assert 0 < len(expected) < len(everything)
    assert run.json == expected


# --- one card ---------------------------------------------------------------------------


def _card_with_comments_and_checklist(board: BoardContent):
    return next(card for card in board.cards if card.comment_count and card.checklist)


def test_card_show_json_has_the_full_card_and_its_comments(cardboard):
    card = _card_with_comments_and_checklist(local_board())
    run = cardboard("card", "show", "--board", DEMO, card.id, "--json")
    assert run.code == 0
    document = run.json
    assert set(document) >= CARD_KEYS | {"description", "checklist_items", "comments"}
    assert (document["id"], document["title"]) == (card.id, card.title)
    assert document["checklist_items"] == [
        {"id": item.id, "text": item.text, "done": item.done} for item in card.checklist
    ]
    assert len(document["comments"]) == card.comment_count
    for comment in document["comments"]:
        assert set(comment) == {"id", "author", "created_at", "text"}


def test_card_show_text_has_title_column_checklist_and_comments(cardboard):
    board = local_board()
    card = _card_with_comments_and_checklist(board)
    column = next(column.name for column in board.columns if column.id == card.column_id)
    comments = cardboard("card", "show", "--board", DEMO, card.id, "--json").json["comments"]
    run = cardboard("card", "show", "--board", DEMO, card.id)
    assert run.code == 0
    lines = run.out.splitlines()
    assert lines[0] == f"{card.title}  [{column}]"
    for item in card.checklist:
        assert f"- [{'x' if item.done else ' '}] {item.text}" in lines
    for comment in comments:  # dated in local time (UTC in tests), to the minute
        moment = datetime.fromisoformat(comment["created_at"]).astimezone()
        assert f"{comment['author']} ({moment:%Y-%m-%d %H:%M}):" in lines


def test_card_show_text_reads_html_as_text_and_json_keeps_it(cardboard):
    html = "<h1>Plan</h1><ul><li>one</li><li><a href='https://x.test/a'>two</a></li></ul>"
    card = local_board().cards[0]
    assert cardboard("card", "edit", "--board", DEMO, card.id, "--description", html).code == 0
    assert cardboard("card", "comment", card.id, "<p>seen <b>it</b></p>", "--board", DEMO).code == 0
    text = cardboard("card", "show", "--board", DEMO, card.id).out
    assert "<h1>" not in text and "<p>" not in text
    assert "Plan" in text and "- one" in text and "two (https://x.test/a)" in text
    assert "seen **it**" in text  # the converter speaks Markdown
    document = cardboard("card", "show", "--board", DEMO, card.id, "--json").json
    assert document["description"] == html


def test_card_create_json_returns_the_card_now_on_the_board(cardboard):
    run = cardboard(
        "card", "create", "--board", DEMO, "--column", "ready", "--lane", "Expedite",
        "--title", "  Write the contract suite ", "--description", "for *every* provider", "--json",
    )  # fmt: skip
    assert run.code == 0, run.err
    created = run.json
    assert set(created) >= CARD_KEYS
    assert (created["title"], created["column"], created["lane"]) == (
        "Write the contract suite",
        "Ready",
        "Expedite",
    )
    on_board = next(card for card in local_board().cards if card.id == created["id"])
    assert on_board.title == "Write the contract suite"
    assert on_board.description == "for *every* provider"


def test_card_create_text_prints_the_new_id_and_defaults_to_the_boards_default_lane(cardboard):
    before = local_board()
    run = cardboard("card", "create", "--board", DEMO, "--column", "Backlog", "--title", "Plain")
    assert run.code == 0, run.err
    new_id = run.out.strip()
    card = next(card for card in local_board().cards if card.id == new_id)
    assert card.title == "Plain"
    assert card.lane_id == default_lane(before)  # as the TUI's new-card form


def test_card_move_json_puts_the_card_at_the_top_of_the_column_keeping_its_lane(cardboard):
    before = local_board()
    card = next(card for card in before.cards if card.column_id == before.columns[0].id)
    done = before.columns[-1]
    run = cardboard("card", "move", "--board", DEMO, card.id, "--column", done.name, "--json")
    assert run.code == 0, run.err
    moved = run.json
    assert (moved["id"], moved["column_id"], moved["column"]) == (card.id, done.id, done.name)
    assert moved["lane_id"] == card.lane_id
    after = local_board()
    cell = next(
        cell.cards
        for view in group_cards(after)
        if view.column.id == done.id
        for cell in view.cells
        if cell.lane.id == card.lane_id
    )
    assert cell[0].id == card.id


def test_card_move_text_names_the_column_and_takes_lane_and_position(cardboard):
    before = local_board()
    card = before.cards[0]
    target = before.columns[-1]
    lane = before.lanes[0]
    run = cardboard(
        "card", "move", "--board", DEMO, card.id, "--column", target.id, "--lane", lane.name,
        "--position", "1",
    )  # fmt: skip
    assert run.code == 0, run.err
    assert run.out == f"{card.id} -> {target.name}\n"
    cell = next(
        cell.cards
        for view in group_cards(local_board())
        if view.column.id == target.id
        for cell in view.cells
        if cell.lane.id == lane.id
    )
    assert [c.id for c in cell].index(card.id) == 1


def test_card_comment_is_shown_last_on_the_card(cardboard):
    card = local_board().cards[0]
    run = cardboard("card", "comment", "--board", DEMO, card.id, "Looks *good*", "--json")
    assert run.code == 0, run.err
    assert set(run.json) == {"id", "card_id", "text"}
    assert (run.json["card_id"], run.json["text"]) == (card.id, "Looks *good*")
    shown = cardboard("card", "show", "--board", DEMO, card.id, "--json").json
    last = shown["comments"][-1]
    assert (last["id"], last["text"]) == (run.json["id"], "Looks *good*")


def test_card_comment_text_prints_the_comment_id(cardboard):
    card = local_board().cards[0]
    run = cardboard("card", "comment", "--board", DEMO, card.id, "noted")
    assert run.code == 0, run.err
    shown = cardboard("card", "show", "--board", DEMO, card.id, "--json").json
    assert run.out == f"{shown['comments'][-1]['id']}\n"


# --- export and import ------------------------------------------------------------------


def _titles(cardboard, board_id: str) -> list[str]:
    return [card["title"] for card in cardboard("cards", "--board", board_id, "--json").json]


def test_export_then_import_makes_a_new_board_with_the_same_cards(cardboard, tmp_path: Path):
    exported = tmp_path / "demo.json"
    assert cardboard("export", "--board", DEMO, "--output", str(exported)).code == 0
    run = cardboard("import", str(exported), "--json")
    assert run.code == 0, run.err
    new = run.json
    assert set(new) == {"id", "name", "group"} and new["id"] != DEMO
    assert new["name"] == local_board().board.name
    assert [board["id"] for board in cardboard("boards", "--json").json] == [DEMO, new["id"]]
    assert _titles(cardboard, new["id"]) == _titles(cardboard, DEMO)


def test_export_to_stdout_imports_from_stdin(cardboard, monkeypatch: pytest.MonkeyPatch):
    exported = cardboard("export", "--board", DEMO)
    assert exported.code == 0
    assert json.loads(exported.out)["format"] == "cardboard-board"
    monkeypatch.setattr(sys, "stdin", io.StringIO(exported.out))
    run = cardboard("import", "-")
    assert run.code == 0, run.err
    new_id = run.out.split()[-1]
    assert run.out == f"imported {local_board().board.name!r} as board {new_id}\n"
    assert _titles(cardboard, new_id) == _titles(cardboard, DEMO)


# --- failures: exit 2 for bad usage or config, 1 for the service, one line each --------


@pytest.mark.parametrize(
    ("argv", "fragments"),
    [
        (["boards", "--account", "nope"], ["no account named 'nope'", "local"]),
        (["cards", "--board", "Nope"], ["board 'Nope' not found", f"{DEMO} ("]),
        (
            ["card", "create", "--board", DEMO, "--column", "Nowhere", "--title", "x"],
            ["column 'Nowhere' not found", "Backlog"],
        ),
        (
            ["card", "move", "--board", DEMO, "1", "--column", "Nowhere"],
            ["column 'Nowhere' not found"],
        ),
        (
            ["card", "move", "--board", DEMO, "1", "--column", "Done", "--lane", "Nope"],
            ["lane 'Nope' not found", "Expedite"],
        ),
        (["card", "create", "--board", DEMO, "--column", "Done", "--title", "  "], ["--title"]),
    ],
)
def test_bad_usage_exits_2_with_one_line(cardboard, argv, fragments):
    before = in_board_order(local_board())
    assert_usage_error(cardboard(*argv), *fragments)
    assert in_board_order(local_board()) == before


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (None, "No such file or directory"),
        ("{not json", ":1:2: not valid JSON"),
        ('{"cards": []}', "not a Cardboard board export"),
        (
            '{"format": "cardboard-board", "version": 1, "exported_at": "2026-11-20T09:30:00Z",'
            ' "board": {"name": "x"}, "columns": [],'
            ' "cards": [{"id": "1", "title": "t", "column_id": "c"}]}',
            "no column has id 'c'",
        ),
    ],
)
def test_a_bad_import_file_exits_2_naming_the_file(cardboard, tmp_path: Path, content, fragment):
    file = tmp_path / "board.json"
    if content is not None:
        file.write_text(content)
    assert_usage_error(cardboard("import", str(file)), f"cardboard: {file}", fragment)
    assert [board["id"] for board in cardboard("boards", "--json").json] == [DEMO]


def test_a_malformed_config_toml_exits_2_naming_file_and_line(cardboard, monkeypatch):
    def start_tui(app):
        raise AssertionError("the TUI started despite a broken config.toml")

    monkeypatch.setattr("tui.ui.app.CardboardApp.run", start_tui)
    config = paths.config_file()
    config.parent.mkdir(parents=True)
    config.write_text('theme = "cardboard-dark"\n\n[board]\ncard_width = 5\n')
    assert_usage_error(cardboard(), f"cardboard: {config}:4: board.card_width:")


def test_a_malformed_accounts_toml_exits_2_naming_file_and_line(cardboard):
    accounts = paths.accounts_file()
    accounts.parent.mkdir(parents=True)
    accounts.write_text('[accounts.work]\nprovider = "kaiten"\ntoken_env = 5\n')
    assert_usage_error(cardboard("boards"), f"cardboard: {accounts}:3: accounts.work.token_env:")


def test_a_missing_required_option_is_argparse_usage_exit_2(cardboard):
    run = cardboard("cards")
    assert run.code == 2
    assert "--board" in run.err and "Traceback" not in run.err


@pytest.mark.parametrize("action", [("show",), ("move", "--column", "Done"), ("comment", "hi")])
def test_a_card_the_service_does_not_know_exits_1_with_its_message(cardboard, action):
    verb, *rest = action
    run = cardboard("card", verb, "--board", DEMO, "987654", *rest)
    assert run.code == 1
    assert run.out == ""
    assert run.err.startswith("cardboard: ") and run.err.count("\n") == 1
    assert "'987654' not found" in run.err


class _ClosedPipe(io.StringIO):
    """stdout of `cardboard cards ... | head -1` once head has exited."""

    def write(self, text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")


def test_a_closed_stdout_pipe_ends_quietly_without_a_traceback(monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdout", _ClosedPipe())
    try:
        code = main(["cards", "--board", DEMO])
    except BrokenPipeError as exc:  # a traceback, for `| head` users
        pytest.fail(f"BrokenPipeError escaped main(): {exc}")
    assert code == 0  # the reader leaving early is no failure
    assert "Traceback" not in capsys.readouterr().err


def test_demo_runs_on_a_throwaway_copy_and_leaves_the_users_boards_alone(cardboard, monkeypatch):
    users_data = paths.data_dir()
    users_board = local_board()  # the user's own local.db, before the demo
    seen = {}

    def start_tui(app):
        seen.update(
            data_dir=paths.data_dir(),
            board_file=app.store.provider.path,
            journal=app.journal.path,
            environment=os.environ.get("CARDBOARD_DATA_DIR"),
            account=app.store.state.account,
            remember=app.remember,
        )

    monkeypatch.setattr("tui.ui.app.CardboardApp.run", start_tui)
    run = cardboard("--demo")
    assert run.code == 0, run
    assert seen["account"] == "local" and seen["remember"] is False
    assert seen["data_dir"].name.startswith("cardboard-demo-")
    assert seen["board_file"].parent == seen["journal"].parent == seen["data_dir"]
    assert seen["environment"] == str(users_data), "the dir is given, not put in os.environ"
    assert not seen["data_dir"].exists(), "the throwaway copy is removed on exit"
    assert paths.data_dir() == users_data
    assert in_board_order(local_board()) == in_board_order(users_board)


def test_demo_takes_no_account(cardboard):
    assert_usage_error(cardboard("--demo", "--account", "work"), "--demo")
