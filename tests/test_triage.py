"""Triage on the demo board through the real store: decisions, the queue, undo, summary."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from tui.core.errors import ValidationError
from tui.core.models import Priority
from tui.core.snooze import Snoozes
from tui.core.store import Store
from tui.core.triage import TriageSession, triage_queue

TODAY = date(2026, 11, 20)


@pytest.fixture
async def store(local) -> Store:
    store = Store(local)
    boards = await store.load_boards()
    await store.open_board(boards[0].id)
    return store


def first_column_queue(store: Store) -> list[str]:
    board = store.state.board
    first = board.columns[0].id
    cards = sorted((c for c in board.cards if c.column_id == first), key=lambda c: c.position)
    return [card.id for card in cards]


@pytest.fixture
def session(store: Store, tmp_path: Path) -> TriageSession:
    return TriageSession(
        store,
        first_column_queue(store),
        account="local",
        snoozes=Snoozes(tmp_path / "snoozed.db"),
        today=TODAY,
    )


async def test_a_digit_moves_the_card_and_brings_up_the_next(store: Store, session):
    first, second = session.queue[:2]
    assert session.current.id == first and session.counter() == f"1 of {len(session.queue)}"
    decision = session.move_to_column(3)
    await session.writes_done()
    third_column = store.state.board.columns[2]
    assert store.state.card(first).column_id == third_column.id
    assert decision.what == f"moved to {third_column.name}"
    assert session.current.id == second and session.counter().startswith("2 of")


async def test_annotations_stay_on_the_card_until_a_verdict(store: Store, session):
    card = session.current
    ada = store.state.board.users[0]
    label = store.state.board.labels[0]
    session.assign(ada.id)
    session.toggle_label(label.id)
    session.set_due(TODAY + timedelta(days=3))
    session.set_priority(Priority.HIGH)
    session.comment("Looks like a duplicate of the login bug")
    await session.writes_done()
    assert session.current.id == card.id  # still deciding on it
    now = store.state.card(card.id)
    assert now.assignee.id == ada.id and now.due == TODAY + timedelta(days=3)
    assert now.priority == Priority.HIGH
    assert (label.id in {lb.id for lb in now.labels}) != (label.id in {lb.id for lb in card.labels})
    session.skip()
    assert session.current.id != card.id


async def test_undo_takes_decisions_back_in_reverse_order(store: Store, session):
    first = session.current
    before = store.state.card(first.id)
    ada = store.state.board.users[0]
    session.assign(ada.id)
    session.move_to_column(2)
    assert session.current.id != first.id  # at once, before any write is through
    await session.writes_done()
    undone = session.undo()
    await session.writes_done()
    assert undone.what.startswith("moved to") and session.current.id == first.id
    assert store.state.card(first.id).column_id == before.column_id
    session.undo()
    await session.writes_done()
    restored = store.state.card(first.id)
    assert (restored.assignee.id if restored.assignee else None) == (
        before.assignee.id if before.assignee else None
    )
    assert session.undo() is None


async def test_a_move_undone_puts_the_card_back_in_its_place(store: Store, session):
    second = session.queue[1]
    session.skip()
    order_before = first_column_queue(store)
    session.move_to_column(4)
    await session.writes_done()
    session.undo()
    await session.writes_done()
    assert first_column_queue(store) == order_before and session.current.id == second


async def test_snoozed_cards_leave_this_queue_and_stay_out_of_the_next(
    store: Store, session, tmp_path: Path
):
    snoozed = session.current.id
    session.snooze(TODAY + timedelta(days=2))
    assert session.current.id != snoozed
    again = TriageSession(
        store,
        first_column_queue(store),
        account="local",
        snoozes=Snoozes(tmp_path / "snoozed.db"),
        today=TODAY,
    )
    assert snoozed not in again.queue
    later = TriageSession(
        store,
        first_column_queue(store),
        account="local",
        snoozes=Snoozes(tmp_path / "snoozed.db"),
        today=TODAY + timedelta(days=2),
    )
    assert snoozed in later.queue


async def test_the_end_of_the_queue_and_the_summary(store: Store, session):
    titles = [store.state.card(i).title for i in session.queue]
    session.comment("seen")
    session.move_to_column(2)
    for _ in session.queue[1:]:
        session.skip()
    assert session.done and session.current is None
    await session.writes_done()
    summary = session.summary()
    assert summary[0] == (titles[0], ["commented", f"moved to {store.state.board.columns[1].name}"])
    assert [title for title, _ in summary] == titles
    with pytest.raises(ValueError, match="nothing left to decide"):
        session.skip()


async def test_bad_decisions_say_why(session):
    with pytest.raises(ValueError, match="there is no column 9"):
        session.move_to_column(9)
    with pytest.raises(ValueError, match="needs some text"):
        session.comment("  ")
    with pytest.raises(ValueError, match="a day after today"):
        session.snooze(TODAY)
    assert session.decisions == []


async def test_a_refused_write_is_reported_and_the_queue_goes_on(store: Store, session, local):
    """The outbox keeps a refusal as a conflict on the card; triage says so and moves on."""
    first = session.current.id
    local.fail["move_card"] = ValidationError("the column is closed for new cards")
    session.move_to_column(2)
    assert session.current.id != first  # the next card came up at once
    await session.writes_done()
    assert [what for what, _ in session.failures] == [
        f"moved to {store.state.board.columns[1].name}"
    ]
    assert "closed for new cards" in str(session.failures[0][1])


async def test_the_queue_is_a_column_by_id_or_name_or_a_filter_in_board_order(store: Store):
    board = store.state.board
    second = board.columns[1]
    by_name, name = triage_queue(board, column=second.name.upper())
    assert name == second.name and triage_queue(board, column=second.id)[0] == by_name
    assert {store.state.card(i).column_id for i in by_name} == {second.id}
    assert triage_queue(board) == (first_column_queue(store), board.columns[0].name)
    bugs, name = triage_queue(board, query="#bug")
    assert name == "#bug" and bugs
    assert all("bug" in {lb.name for lb in store.state.card(i).labels} for i in bugs)
    with pytest.raises(ValueError, match=r"no column 'Nope'.*columns: "):
        triage_queue(board, column="Nope")


async def test_assigning_someone_the_board_does_not_list_yet_names_them(session):
    decision = session.assign("42", name="Sam Tester")
    await session.writes_done()
    assert decision.what == "assigned to Sam Tester"
