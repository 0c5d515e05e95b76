"""`card archive|restore|delete|edit`, `cards --archived`, and what `card create`, `card
move`, `card show` and `export` gained (issue 12): on the local demo board in-process,
and against the Kaiten and Kitchen.co fakes over their in-process transports.

What each command did is read back from the provider behind the CLI's back, so the
tests say what the CLI must do, not what the demo happens to contain.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from tests.fakes.kaiten import KaitenFake
from tests.fakes.kanbantool import KanbanToolFake
from tests.fakes.kitchen import KitchenFake
from tests.support.cli import DEMO, Run, assert_usage_error, local_board
from tests.support.clock import FakeClock
from tui.cli import common
from tui.core import paths
from tui.core.board_view import default_lane
from tui.core.connect import connect
from tui.core.errors import Conflict
from tui.core.models import Board, BoardContent, Card, Column, Lane, User
from tui.core.outbox import Outbox
from tui.core.provider import Capabilities, Capability
from tui.providers import http
from tui.providers.local import LocalProvider

Cardboard = Callable[..., Run]

NEW_KEYS = {"members", "owner", "card_type", "size", "block_reason", "url", "external_id"}


def _ids(content: BoardContent) -> list[str]:
    return [card.id for card in content.cards]


def _card(content: BoardContent, card_id: str) -> Card:
    return next(card for card in content.cards if card.id == card_id)


class _Terminal(io.StringIO):
    """stdin as a person at a terminal, about to type `text`."""

    def isatty(self) -> bool:
        return True


def _provider(monkeypatch: pytest.MonkeyPatch, cls: type[LocalProvider]) -> None:
    """The CLI's local account gets a provider of class `cls` (on the same database)."""

    def connect_local(name=None):
        provider = connect(name)
        provider.__class__ = cls
        return provider

    monkeypatch.setattr(common, "connect", connect_local)


def _without(monkeypatch: pytest.MonkeyPatch, *missing: Capability) -> None:
    """The local provider, as if it could not do `missing` (each with its reason)."""
    supported = LocalProvider.capabilities.supported - set(missing)
    reasons = {capability: f"no {capability.value} here, for the test" for capability in missing}
    monkeypatch.setattr(LocalProvider, "capabilities", Capabilities(supported, reasons))


def _assert_refused(run: Run, *fragments: str) -> None:
    """Exit 1, nothing on stdout, one line on stderr naming why."""
    assert run.code == 1, run
    assert run.out == ""
    assert run.err.startswith("cardboard: ") and run.err.count("\n") == 1, run.err
    assert "Traceback" not in run.err
    for fragment in fragments:
        assert fragment in run.err


# --- archive, cards --archived, restore ----------------------------------------------------


def test_archive_takes_the_card_off_the_board_and_cards_archived_lists_it(cardboard):
    card = local_board().cards[0]
    run = cardboard("card", "archive", card.id, "--board", DEMO)
    assert (run.code, run.out, run.err) == (0, f"{card.id} archived\n", "")
    assert card.id not in _ids(local_board())
    listed = cardboard("cards", "--board", DEMO, "--archived", "--json")
    assert listed.code == 0, listed.err
    assert [(c["id"], c["title"], c["archived"]) for c in listed.json] == [
        (card.id, card.title, True)
    ]
    text = cardboard("cards", "--board", DEMO, "--archived")
    assert f"  {card.id}\t{card.title}" in text.out.splitlines()
    assert len([line for line in text.out.splitlines() if line.startswith("  ")]) == 1


def test_archive_json_is_the_card_marked_archived(cardboard):
    card = local_board().cards[1]
    run = cardboard("card", "archive", card.id, "--board", DEMO, "--json")
    assert run.code == 0, run.err
    assert (run.json["id"], run.json["archived"]) == (card.id, True)
    assert set(run.json) >= NEW_KEYS


def test_restore_brings_an_archived_card_back(cardboard):
    card = local_board().cards[2]
    assert cardboard("card", "archive", card.id, "--board", DEMO).code == 0
    run = cardboard("card", "restore", card.id, "--board", DEMO, "--json")
    assert run.code == 0, run.err
    assert (run.json["id"], run.json["column_id"], run.json["archived"]) == (
        card.id,
        card.column_id,
        False,
    )
    assert card.id in _ids(local_board())
    assert cardboard("cards", "--board", DEMO, "--archived", "--json").json == []


def test_restore_of_a_card_on_the_board_changes_nothing(cardboard):
    before = local_board()
    card = before.cards[0]
    run = cardboard("card", "restore", card.id, "--board", DEMO)
    assert (run.code, run.out) == (0, f"{card.id} restored\n")
    assert local_board() == before


def test_archived_cards_can_be_filtered(cardboard):
    board = local_board()
    first, second = board.cards[0], board.cards[1]
    for card in (first, second):
        assert cardboard("card", "archive", card.id, "--board", DEMO).code == 0
    run = cardboard("cards", "--board", DEMO, "--archived", "--filter", first.title, "--json")
    assert run.code == 0, run.err
    assert [card["id"] for card in run.json] == [first.id]


def test_archiving_a_card_not_on_the_board_exits_1(cardboard):
    _assert_refused(cardboard("card", "archive", "987654", "--board", DEMO), "'987654' not found")


# --- delete --------------------------------------------------------------------------------


def test_delete_yes_removes_the_card(cardboard):
    card = local_board().cards[0]
    run = cardboard("card", "delete", card.id, "--board", DEMO, "--yes", "--json")
    assert run.code == 0, run.err
    assert run.json == {"id": card.id, "deleted": True}
    assert card.id not in _ids(local_board())
    assert cardboard("cards", "--board", DEMO, "--archived", "--json").json == []


def test_delete_without_yes_and_without_a_terminal_is_bad_usage(cardboard, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("y\n"))
    before = local_board()
    assert_usage_error(cardboard("card", "delete", before.cards[0].id, "--board", DEMO), "--yes")
    assert local_board() == before


@pytest.mark.parametrize(("answer", "deleted"), [("y\n", True), ("n\n", False), ("", False)])
def test_delete_asks_on_a_terminal(cardboard, monkeypatch, answer, deleted):
    card = local_board().cards[0]
    monkeypatch.setattr(sys, "stdin", _Terminal(answer))
    run = cardboard("card", "delete", card.id, "--board", DEMO)
    assert run.code == 0, run.err
    assert f"Delete card {card.id}" in run.err and "[y/N]" in run.err
    assert (card.id not in _ids(local_board())) is deleted
    assert run.out == (f"{card.id} deleted\n" if deleted else "")


# --- edit ----------------------------------------------------------------------------------


def test_edit_changes_every_field_it_is_given(cardboard):
    board = local_board()
    card = next(c for c in board.cards if c.lane_id != board.lanes[0].id)
    person = board.users[-1]
    labels = board.labels[:2]
    run = cardboard(
        "card", "edit", card.id, "--board", DEMO, "--title", " Renamed ", "--description",
        "new *words*", "--assignee", person.name.upper(), "--label", labels[0].name,
        "--label", labels[1].id, "--due", "2027-01-15", "--priority", "urgent",
        "--lane", board.lanes[0].name, "--json",
    )  # fmt: skip
    assert run.code == 0, run.err
    assert (run.json["title"], run.json["lane_id"]) == ("Renamed", board.lanes[0].id)
    edited = _card(local_board(), card.id)
    assert (edited.title, edited.description) == ("Renamed", "new *words*")
    assert edited.assignee is not None and edited.assignee.id == person.id
    assert {label.id for label in edited.labels} == {label.id for label in labels}
    assert (edited.due, edited.priority) == (date(2027, 1, 15), "urgent")
    assert (edited.lane_id, edited.column_id) == (board.lanes[0].id, card.column_id)


def test_edit_clears_assignee_labels_due_and_priority(cardboard):
    card = next(c for c in local_board().cards if c.assignee and c.labels and c.due)
    run = cardboard(
        "card", "edit", card.id, "--board", DEMO, "--assignee", "none", "--no-labels",
        "--due", "none", "--priority", "none",
    )  # fmt: skip
    assert (run.code, run.out) == (0, f"{card.id} edited\n"), run.err
    edited = _card(local_board(), card.id)
    assert (edited.assignee, edited.labels, edited.due, edited.priority) == (None, (), None, None)
    assert edited.title == card.title


def test_edit_leaves_what_it_is_not_given(cardboard):
    card = next(c for c in local_board().cards if c.labels and c.assignee)
    assert cardboard("card", "edit", card.id, "--board", DEMO, "--title", "Only this").code == 0
    edited = _card(local_board(), card.id)
    assert replace(edited, title=card.title, updated_at=card.updated_at) == card


@pytest.mark.parametrize(
    ("flags", "fragments"),
    [
        ([], ["nothing to change", "--title"]),
        (["--title", "  "], ["--title must not be empty"]),
        (["--due", "someday"], ["--due", "someday"]),
        (["--label", "nope"], ["label 'nope' not found", "bug"]),
        (["--assignee", "Nobody"], ["person 'Nobody' not found"]),
        (["--lane", "Nowhere"], ["lane 'Nowhere' not found", "Expedite"]),
    ],
)
def test_bad_edits_exit_2_and_change_nothing(cardboard, flags, fragments):
    before = local_board()
    assert_usage_error(
        cardboard("card", "edit", before.cards[0].id, "--board", DEMO, *flags), *fragments
    )
    assert local_board() == before


@pytest.mark.parametrize(
    ("flags", "fragment"),
    [
        (["--priority", "huge"], "--priority"),
        (["--label", "bug", "--no-labels"], "--no-labels"),
        (["--blocked", "--not-blocked"], "--not-blocked"),
    ],
)
def test_flags_that_cannot_go_together_are_argparse_usage_errors(cardboard, flags, fragment):
    before = local_board()
    run = cardboard("card", "edit", before.cards[0].id, "--board", DEMO, *flags)
    assert (run.code, run.out) == (2, "")
    assert fragment in run.err and "Traceback" not in run.err
    assert local_board() == before


def test_blocked_is_set_and_cleared_where_the_provider_can(cardboard, monkeypatch):
    card = local_board().cards[0]
    blocked = ["card", "edit", card.id, "--board", DEMO, "--blocked"]
    assert cardboard(*blocked).code == 0
    assert _card(local_board(), card.id).blocked is True
    assert cardboard("card", "edit", card.id, "--board", DEMO, "--not-blocked").code == 0
    assert _card(local_board(), card.id).blocked is False
    _without(monkeypatch, Capability.BLOCKING)
    _assert_refused(cardboard(*blocked), "no blocking here, for the test")
    assert _card(local_board(), card.id).blocked is False


# --- what a provider cannot do -------------------------------------------------------------


@pytest.mark.parametrize(
    ("missing", "argv"),
    [
        (Capability.ARCHIVE, ["card", "archive", "{card}"]),
        (Capability.RESTORE, ["card", "restore", "987654"]),
        (Capability.RESTORE, ["cards", "--archived"]),
        (Capability.DELETE, ["card", "delete", "{card}", "--yes"]),
        (Capability.EDIT, ["card", "edit", "{card}", "--title", "x"]),
        (Capability.LABELS, ["card", "edit", "{card}", "--no-labels"]),
        (Capability.ASSIGNEES, ["card", "edit", "{card}", "--assignee", "none"]),
        (Capability.DUE_DATES, ["card", "edit", "{card}", "--due", "none"]),
        (Capability.PRIORITY, ["card", "edit", "{card}", "--priority", "high"]),
        (Capability.LANES, ["card", "edit", "{card}", "--lane", "Expedite"]),
    ],
)
def test_what_the_provider_cannot_do_exits_1_with_its_reason(cardboard, monkeypatch, missing, argv):
    before = local_board()
    _without(monkeypatch, missing)
    argv = [word.replace("{card}", before.cards[0].id) for word in argv]
    _assert_refused(cardboard(*argv, "--board", DEMO), f"no {missing.value} here, for the test")
    assert local_board() == before
    assert Outbox.for_account("local").operations() == []


def test_a_lane_alone_is_a_move_even_where_fields_cannot_be_edited(cardboard, monkeypatch):
    _without(monkeypatch, Capability.EDIT)
    board = local_board()
    card = next(c for c in board.cards if c.lane_id != board.lanes[0].id)
    run = cardboard("card", "edit", card.id, "--board", DEMO, "--lane", board.lanes[0].id)
    assert run.code == 0, run.err
    assert _card(local_board(), card.id).lane_id == board.lanes[0].id


# --- create and move -----------------------------------------------------------------------


def test_create_without_column_or_lane_uses_the_first_column_and_the_default_lane(cardboard):
    before = local_board()
    run = cardboard("card", "create", "--board", DEMO, "--title", "Defaults", "--json")
    assert run.code == 0, run.err
    first = min(before.columns, key=lambda column: column.position)
    assert (run.json["column_id"], run.json["lane_id"]) == (first.id, default_lane(before))
    assert run.json["lane"] == "Standard"  # the demo's everyday lane, not Expedite above it
    assert _card(local_board(), run.json["id"]).column_id == first.id


def _board(*lanes: tuple[str, float], cards: tuple[str | None, ...] = ()) -> BoardContent:
    return BoardContent(
        board=Board(id="b", name="B"),
        columns=(Column(id="c", name="C"),),
        lanes=tuple(Lane(id=lane, name=lane, position=at) for lane, at in lanes),
        cards=tuple(
            Card(id=str(n), board_id="b", title="t", column_id="c", lane_id=lane)
            for n, lane in enumerate(cards)
        ),
    )


def test_the_default_lane_holds_the_most_cards_the_first_on_a_tie_or_the_cards_own():
    board = _board(("fast", 1), ("std", 2), cards=("fast", "std", "std"))
    assert default_lane(board) == "std"
    assert default_lane(board, near=board.cards[0]) == "fast"
    assert default_lane(_board(("late", 2), ("early", 1))) == "early"
    assert default_lane(_board(("a", 1), ("b", 2), cards=("b", "a"))) == "a"
    stray = Card(id="x", board_id="b", title="t", column_id="c", lane_id="gone")
    assert default_lane(board, near=stray) == "std"
    assert default_lane(_board(cards=(None,))) is None


class _RefusingMoves(LocalProvider):
    refusal: Conflict

    async def move_card(self, board_id, card_id, placement):
        raise type(self).refusal


@pytest.mark.parametrize(
    ("overridable", "override", "named"),
    [(True, [], True), (False, [], False), (True, ["--override", "release day"], False)],
)
def test_a_refused_move_names_override_where_it_would_help(
    cardboard, monkeypatch, overridable, override, named
):
    _RefusingMoves.refusal = Conflict("WIP limit of Ready reached", overridable=overridable)
    _provider(monkeypatch, _RefusingMoves)
    card = local_board().cards[0]
    run = cardboard("card", "move", card.id, "--board", DEMO, "--column", "Ready", *override)
    _assert_refused(run, "WIP limit of Ready reached")
    assert ("--override REASON" in run.err) is named


# --- show ----------------------------------------------------------------------------------

RICH = {
    "members": (User(id="m1", name="Maya"), User(id="m2", name="Ravi")),
    "owner": User(id="o", name="Olga Owner"),
    "assignee": User(id="a", name="Ann Assignee"),
    "card_type": "Bug",
    "size": "5 SP",
    "blocked": True,
    "block_reason": "waiting for the vendor",
    "url": "https://kanban.example/cards/7",
    "external_id": "op-123",
    "created_at": datetime(2026, 11, 20, 23, 30, tzinfo=UTC),
    "updated_at": datetime(2026, 11, 21, 8, 5),  # no zone: the service's UTC
}


class _RichCards(LocalProvider):
    async def get_card(self, board_id, card_id):
        return replace(await super().get_card(board_id, card_id), **RICH)


def test_card_show_json_has_every_field(cardboard, monkeypatch):
    _provider(monkeypatch, _RichCards)
    card = local_board().cards[0]
    run = cardboard("card", "show", card.id, "--board", DEMO, "--json")
    assert run.code == 0, run.err
    shown = {key: run.json[key] for key in NEW_KEYS | {"assignee", "blocked", "created_at"}}
    assert shown == {
        "members": ["Maya", "Ravi"],
        "owner": "Olga Owner",
        "assignee": "Ann Assignee",
        "card_type": "Bug",
        "size": "5 SP",
        "blocked": True,
        "block_reason": "waiting for the vendor",
        "url": "https://kanban.example/cards/7",
        "external_id": "op-123",
        "created_at": "2026-11-20T23:30:00+00:00",
    }


def test_card_show_text_prints_every_field_in_local_time(cardboard, monkeypatch):
    monkeypatch.setenv("TZ", "Asia/Tokyo")  # UTC+9, no daylight saving
    import time

    time.tzset()
    try:
        _provider(monkeypatch, _RichCards)
        board = local_board()
        card = next(c for c in board.cards if c.labels and c.due and c.lane_id)
        run = cardboard("card", "show", card.id, "--board", DEMO)
    finally:
        monkeypatch.setenv("TZ", "UTC")
        time.tzset()
    assert run.code == 0, run.err
    lines = run.out.splitlines()
    lane = next(lane.name for lane in board.lanes if lane.id == card.lane_id)
    for line in [
        f"lane: {lane}",
        f"labels: {', '.join(label.name for label in card.labels)}",
        "assignee: Ann Assignee",
        "owner: Olga Owner",
        "members: Maya, Ravi",
        f"due: {card.due.isoformat()}",
        "blocked: yes (waiting for the vendor)",
        "type: Bug",
        "size: 5 SP",
        "url: https://kanban.example/cards/7",
        "created: 2026-11-21 08:30",
        "updated: 2026-11-21 17:05",
    ]:
        assert line in lines, (line, lines)


def test_card_show_text_dates_comments_in_local_time(cardboard):
    card = next(c for c in local_board().cards if c.comment_count)
    comments = cardboard("card", "show", card.id, "--board", DEMO, "--json").json["comments"]
    lines = cardboard("card", "show", card.id, "--board", DEMO).out.splitlines()
    for comment in comments:
        moment = datetime.fromisoformat(comment["created_at"]).astimezone()
        assert f"{comment['author']} ({moment:%Y-%m-%d %H:%M}):" in lines


# --- boards by id, export ------------------------------------------------------------------


class _CountingLists(LocalProvider):
    listed = 0

    async def list_boards(self):
        type(self).listed += 1
        return await super().list_boards()


@pytest.mark.parametrize(
    ("argv", "listings"),
    [
        (["cards", "--board", DEMO], 0),
        (["cards", "--board", "cardboard DEMO"], 1),
        (["export", "--board", DEMO], 0),
        (["export", "--board", "Cardboard demo"], 1),
    ],
)
def test_a_board_given_by_id_is_opened_without_listing_the_boards(
    cardboard, monkeypatch, argv, listings
):
    _CountingLists.listed = 0
    _provider(monkeypatch, _CountingLists)
    run = cardboard(*argv)
    assert run.code == 0, run.err
    assert _CountingLists.listed == listings


def test_an_unknown_board_still_lists_the_choices(cardboard):
    for command in ("cards", "export"):
        assert_usage_error(cardboard(command, "--board", "Nope"), "board 'Nope' not found", DEMO)


class _TerminalErr(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_export_draws_a_progress_bar_on_a_terminal(cardboard, monkeypatch):
    err = _TerminalErr()
    monkeypatch.setattr(sys, "stderr", err)
    run = cardboard("export", "--board", DEMO)
    assert run.code == 0
    total = len(local_board().cards)
    drawn = err.getvalue()
    assert drawn.startswith("\rexporting [")
    assert drawn.endswith(f"] {total}/{total} cards\n")
    assert f"] 0/{total} cards" in drawn
    assert '"format": "cardboard-board"' in run.out and "exporting" not in run.out


def test_export_is_silent_on_stderr_when_it_is_no_terminal(cardboard):
    run = cardboard("export", "--board", DEMO)
    assert (run.code, run.err) == (0, "")


# --- against remote fakes, in-process ------------------------------------------------------


@pytest.fixture
def remote(monkeypatch: pytest.MonkeyPatch) -> tuple[KaitenFake, KitchenFake]:
    """Accounts "kaiten", "kitchen" and "kanbantool" on their fakes, in-process, on
    virtual time."""
    kaiten, kitchen = KaitenFake(rate_limit=None), KitchenFake()
    fakes = {"kaiten": kaiten, "kitchen": kitchen, "kanbantool": KanbanToolFake()}
    paths.accounts_file().parent.mkdir(parents=True, exist_ok=True)
    paths.accounts_file().write_text(
        "".join(
            f'[accounts.{name}]\nprovider = "{name}"\nurl = "{fake.base_url}"\n'
            f'allow_insecure = true\ntoken_env = "{name.upper()}_TOKEN"\n'
            for name, fake in fakes.items()
        )
    )
    for name, fake in fakes.items():
        monkeypatch.setenv(f"{name.upper()}_TOKEN", fake.token)
    monkeypatch.setattr(http, "SystemClock", FakeClock)
    monkeypatch.setattr(
        common,
        "connect",
        lambda name=None: connect(name, transport=fakes[name].transport() if name else None),
    )
    return kaiten, kitchen


def _kaiten_card(fake: KaitenFake, **wanted: object) -> dict:
    return next(
        card
        for card in fake.cards.values()
        if card["condition"] == 1 and all(card.get(k) == v for k, v in wanted.items())
    )


def test_kaiten_archive_list_and_restore(cardboard, remote):
    fake, _ = remote
    card = _kaiten_card(fake)
    on = ["--board", str(card["board_id"]), "--account", "kaiten"]
    run = cardboard("card", "archive", str(card["id"]), *on)
    assert run.code == 0, run.err
    assert fake.cards[card["id"]]["condition"] == 2
    archived = cardboard("cards", "--archived", "--json", *on)
    assert archived.code == 0, archived.err
    assert str(card["id"]) in [c["id"] for c in archived.json]
    assert all(c["archived"] for c in archived.json)
    restored = cardboard("card", "restore", str(card["id"]), "--json", *on)
    assert restored.code == 0, restored.err
    assert fake.cards[card["id"]]["condition"] == 1
    assert restored.json["id"] == str(card["id"])
    assert fake.count("GET", "/spaces") == 0  # the board was given by id


def test_kaiten_edit_reaches_the_service(cardboard, remote):
    fake, _ = remote
    card = _kaiten_card(fake)
    on = ["--board", str(card["board_id"]), "--account", "kaiten"]
    run = cardboard(
        "card", "edit", str(card["id"]), "--title", "Renamed on Kaiten", "--due", "2027-02-03",
        "--json", *on,
    )  # fmt: skip
    assert run.code == 0, run.err
    assert fake.cards[card["id"]]["title"] == "Renamed on Kaiten"
    assert str(fake.cards[card["id"]]["due_date"]).startswith("2027-02-03")
    assert (run.json["title"], run.json["due"]) == ("Renamed on Kaiten", "2027-02-03")


def test_kaiten_refuses_a_priority_with_its_reason(cardboard, remote):
    fake, _ = remote
    card = _kaiten_card(fake)
    on = ["--board", str(card["board_id"]), "--account", "kaiten"]
    run = cardboard("card", "edit", str(card["id"]), "--priority", "high", *on)
    _assert_refused(run, "Kaiten cards have no priority")
    assert fake.count("PATCH") == 0


def test_kitchen_cannot_archive_restore_or_delete_and_says_why(cardboard, remote):
    _, fake = remote
    boards = cardboard("boards", "--account", "kitchen", "--json")
    assert boards.code == 0, boards.err
    board = boards.json[0]["id"]
    cards = cardboard("cards", "--board", board, "--account", "kitchen", "--json").json
    card = cards[0]["id"]
    on = ["--board", board, "--account", "kitchen"]
    for argv, reason in [
        (["card", "archive", card], "cannot archive or reactivate"),
        (["card", "restore", card + "0"], "cannot archive or reactivate"),
        (["cards", "--archived"], "cannot archive or reactivate"),
        (["card", "delete", card, "--yes"], "cannot delete projects"),
    ]:
        _assert_refused(cardboard(*argv, *on), reason)
    assert fake.count("DELETE") == 0 and fake.count("PATCH") == 0


def test_kanbantool_wip_refusal_names_override_and_override_moves_it(cardboard, remote):
    board = cardboard("boards", "--account", "kanbantool", "--json").json[0]["id"]
    on = ["--board", board, "--account", "kanbantool"]
    card = next(c for c in cardboard("cards", "--json", *on).json if c["column"] == "Backlog")
    move = ["card", "move", card["id"], "--column", "Doing", *on]
    _assert_refused(cardboard(*move), "WIP", "--override REASON")
    moved = cardboard(*move, "--override", "hotfix for a customer", "--json")
    assert moved.code == 0, moved.err
    assert moved.json["column"] == "Doing"
