"""`cardboard boards create|rename|delete`: local boards managed from a shell."""

from __future__ import annotations

import json


def boards(cardboard) -> dict[str, str]:
    run = cardboard("boards", "--json")
    assert run.code == 0, run.err
    return {board["name"]: board["id"] for board in run.json}


def test_create_rename_and_delete_a_board(cardboard):
    made = cardboard(
        "boards", "create", "Errands", "--column", "Inbox", "--column", "Now:2", "--json"
    )
    assert made.code == 0, made.err
    board_id = made.json["id"]
    assert boards(cardboard)["Errands"] == board_id
    cards = cardboard("cards", "--board", board_id, "--json")
    assert cards.code == 0 and cards.json == []
    columns = json.loads(cardboard("export", "--board", board_id).out)["columns"]
    assert [(c["name"], c["wip_limit"]) for c in columns] == [("Inbox", None), ("Now", 2)]

    renamed = cardboard("boards", "rename", "Errands", "Chores")
    assert renamed.code == 0 and renamed.out.strip() == f"{board_id}\tChores"
    assert "Chores" in boards(cardboard) and "Errands" not in boards(cardboard)

    gone = cardboard("boards", "delete", board_id, "--yes")
    assert gone.code == 0 and gone.out.strip() == f"{board_id} deleted"
    assert "Chores" not in boards(cardboard)


def test_a_new_board_without_columns_gets_to_do_doing_done(cardboard):
    board_id = cardboard("boards", "create", "Plain", "--json").json["id"]
    columns = json.loads(cardboard("export", "--board", board_id).out)["columns"]
    assert [c["name"] for c in columns] == ["To do", "Doing", "Done"]


def test_bad_board_commands_are_one_line_and_exit_2(cardboard):
    for argv, says in [
        (("boards", "create", "  "), "the name must not be empty"),
        (("boards", "create", "X", "--column", "Now:lots"), "write NAME or NAME:LIMIT"),
        (("boards", "rename", "no such board", "Y"), "board 'no such board' not found"),
        (("boards", "delete", "1"), "add --yes to delete it without asking"),
    ]:
        run = cardboard(*argv)
        assert run.code == 2, (argv, run.err)
        assert says in run.err and run.err.count("\n") == 1 and "Traceback" not in run.err
    assert "Cardboard demo" in boards(cardboard)  # the refused delete deleted nothing
