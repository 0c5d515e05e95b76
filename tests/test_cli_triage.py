"""`cardboard inbox` and `cardboard triage`: what scripts see, and where the TUI opens."""

from __future__ import annotations

import asyncio
import json
from datetime import date, timedelta

from tests.support.pilot import settled, until
from tui.core import paths
from tui.core.models import CardChanges
from tui.core.provider import Connection
from tui.providers.local import LocalProvider
from tui.ui.app import build_app
from tui.ui.navigation import TriageRequest
from tui.ui.screens.triage import TriageScreen


async def assign_and_date_locally() -> tuple[str, str]:
    """Make one demo card mine and another overdue; their ids."""
    local = LocalProvider(Connection(account="local", data_dir=paths.data_dir()))
    me = await local.whoami()
    board = (await local.list_boards())[0]
    content = await local.load_board(board.id)
    free = [card for card in content.cards if card.assignee is None and card.due is None]
    await local.update_card(board.id, free[0].id, CardChanges(assignee_id=me.id))
    late = date.today() - timedelta(days=2)
    await local.update_card(board.id, free[1].id, CardChanges(due=late))
    await local.aclose()
    return free[0].id, free[1].id


def test_inbox_json_lists_mine_and_overdue_with_reasons(cardboard):
    mine, overdue = asyncio.run(assign_and_date_locally())
    run = cardboard("inbox", "--json")
    assert run.code == 0, run.err
    entries = {entry["id"]: entry for entry in json.loads(run.out)}
    assert entries[mine]["reasons"] == ["assigned"] and entries[mine]["account"] == "local"
    assert entries[overdue]["reasons"] == ["overdue"]
    assert entries[overdue]["due"] == (date.today() - timedelta(days=2)).isoformat()
    assert {"board", "board_id", "title", "column", "column_id", "url"} <= set(entries[mine])

    text = cardboard("inbox")
    assert text.code == 0 and "local · Cardboard demo" in text.out
    assert "overdue by 2 days" in text.out and "mine" in text.out


def test_an_account_that_cannot_be_read_is_named_and_the_run_fails(cardboard):
    mine, _ = asyncio.run(assign_and_date_locally())
    paths.accounts_file().parent.mkdir(parents=True, exist_ok=True)
    paths.accounts_file().write_text(
        '[accounts.work]\nprovider = "kaiten"\nurl = "http://127.0.0.1:9/api"\n'
        'token_env = "CARDBOARD_NO_SUCH_TOKEN"\n'
    )
    run = cardboard("inbox", "--json")
    assert run.code == 1
    assert mine in {entry["id"] for entry in json.loads(run.out)}  # the rest still printed
    assert run.err.startswith("cardboard: inbox: work: ") and run.err.count("\n") == 1


def test_inbox_takes_no_account_and_triage_refuses_an_unknown_column(cardboard):
    assert cardboard("inbox", "--account", "local").code == 2
    run = cardboard("triage", "--board", "1", "--column", "Nope")
    assert run.code == 2 and "no column 'Nope'" in run.err and "columns: Backlog" in run.err
    both = cardboard("triage", "--board", "1", "--column", "Ready", "--filter", "#bug")
    assert both.code == 2 and "not allowed with argument" in both.err


async def test_the_app_opens_straight_into_triage_on_the_column_asked_for():
    app = build_app(remember=False, triage=TriageRequest(column="ready"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        await until(pilot, lambda: isinstance(app.screen, TriageScreen), "triage opened")
        ready = next(c for c in app.state.board.columns if c.name == "Ready")
        queue = app.screen.session.queue
        assert queue and {app.state.card(i).column_id for i in queue} == {ready.id}
        assert app.screen.queue_name == "Ready"
