"""The CLI through the outbox: a write waits for its change, `--queue` keeps it when the
service cannot be reached, `cardboard pending` lists what waits, `cardboard sync` sends it."""

from __future__ import annotations

import pytest

from tests.conftest import ScriptedLocal, make_local
from tests.support.cli import DEMO, local_board
from tui.core import paths
from tui.core.errors import Conflict, Unavailable
from tui.core.models import Placement
from tui.providers.local import LocalProvider


@pytest.fixture
def scripted(monkeypatch: pytest.MonkeyPatch) -> ScriptedLocal:
    """The provider every command of the test gets: the local board, failures scriptable."""
    provider = make_local(paths.data_dir())
    assert isinstance(provider, ScriptedLocal)
    monkeypatch.setattr("tui.cli.common.connect_account", lambda name: provider)
    provider.aclose = _stays_open  # one provider for every command of the test
    return provider


async def _stays_open() -> None:
    pass


def a_card_and_another_column() -> tuple[str, str, str]:
    board = local_board()
    card = board.cards[0]
    column = next(c for c in board.columns if c.id != card.column_id)
    return card.id, column.name, column.id


def column_of(card_id: str) -> str:
    return next(c.column_id for c in local_board().cards if c.id == card_id)


def test_a_move_the_service_cannot_take_changes_nothing_and_says_so(cardboard, scripted):
    card, column, _ = a_card_and_another_column()
    before = column_of(card)
    scripted.fail["move_card"] = Unavailable("Local board: down", in_doubt=False)
    run = cardboard("card", "move", "--board", DEMO, card, "--column", column)
    assert run.code == 1 and "not sent" in run.err and "--queue" in run.err
    assert column_of(card) == before
    assert cardboard("pending", "--json").json == []


def test_queue_keeps_the_move_and_sync_sends_it_once(cardboard, scripted):
    card, column, column_id = a_card_and_another_column()
    scripted.fail["move_card"] = Unavailable("Local board: down", in_doubt=False)
    run = cardboard("card", "move", "--board", DEMO, card, "--column", column, "--queue")
    assert run.code == 0 and "queued" in run.err
    (waiting,) = cardboard("pending", "--json").json
    assert (waiting["kind"], waiting["state"], waiting["card_id"]) == ("move", "pending", card)
    synced = cardboard("sync")
    assert synced.code == 0 and synced.out.startswith("sent      move")
    assert column_of(card) == column_id
    assert cardboard("pending").out.strip() == "Nothing is waiting to be sent."


def test_a_move_whose_answer_was_lost_is_kept_in_doubt_and_never_doubled(
    cardboard, scripted, monkeypatch
):
    card, column, column_id = a_card_and_another_column()
    calls = []

    async def acts_then_drops(self, board_id: str, card_id: str, placement: Placement):
        calls.append(placement.column_id)
        await LocalProvider.move_card(self, board_id, card_id, placement)
        if len(calls) == 1:
            raise Unavailable("Local board: lost the connection", in_doubt=True)

    monkeypatch.setattr(ScriptedLocal, "move_card", acts_then_drops)
    run = cardboard("card", "move", "--board", DEMO, card, "--column", column)
    assert run.code == 1 and "may have been applied" in run.err
    assert cardboard("pending", "--json").json[0]["state"] == "in_doubt"
    assert cardboard("sync").code == 0
    assert calls == [column_id] and column_of(card) == column_id  # found there: not sent again


def test_a_refused_write_exits_1_and_leaves_no_conflict_behind(cardboard, scripted):
    card, column, _ = a_card_and_another_column()
    scripted.fail["move_card"] = Conflict("WIP limit of the column reached")
    run = cardboard("card", "move", "--board", DEMO, card, "--column", column)
    assert run.code == 1 and "WIP limit" in run.err
    assert cardboard("pending", "--json").json == []


def test_sync_reports_what_is_still_waiting_with_exit_1(cardboard, scripted):
    card, column, _ = a_card_and_another_column()
    scripted.fail["move_card"] = Unavailable("Local board: down", in_doubt=False)
    cardboard("card", "move", "--board", DEMO, card, "--column", column, "--queue")
    scripted.fail["move_card"] = Unavailable("Local board: still down", in_doubt=False)
    run = cardboard("sync", "--json")
    assert run.code == 1
    assert [op["error"] for op in run.json["left"]] == ["Local board: still down"]
