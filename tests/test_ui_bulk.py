"""Marking cards on the board and acting on all of them at once, then undoing it all."""

from __future__ import annotations

from tests.support.pilot import notifications, press, record_notifications, until
from tests.support.ui import board_ready, make_app
from tui.core.provider import Connection
from tui.providers.local import LocalProvider
from tui.ui.screens.board import BoardScreen
from tui.ui.screens.bulk import BulkScreen


def first_column_ids(app) -> list[str]:
    screen = app.screen
    assert isinstance(screen, BoardScreen)
    return [card.id for cell in screen.views[0].cells for card in cell.cards]


async def test_mark_five_move_them_in_one_action_then_undo_it(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await board_ready(app, pilot)
        board = app.screen
        five = first_column_ids(app)[:5]
        origin = {i: app.state.card(i).column_id for i in five}
        await press(pilot, *["space"] * 5)
        assert board.marks.ids == tuple(five)
        assert board.mark_hint == "5 marked · x acts · esc clears"

        await press(pilot, "x")
        assert isinstance(app.screen, BulkScreen)
        last = app.state.board.columns[-1]
        await press(pilot, str(len(app.state.board.columns)))
        await until(pilot, lambda: not board.marks, "the marks cleared after the move")
        assert {app.state.card(i).column_id for i in five} == {last.id}

        await press(pilot, "u")
        await until(
            pilot,
            lambda: {i: app.state.card(i).column_id for i in five} == origin,
            "all five back where they were",
        )

    local = LocalProvider(Connection(account="local", data_dir=tmp_path))
    content = await local.load_board(app.state.board.board.id)
    assert {c.id: c.column_id for c in content.cards if c.id in five} == origin
    await local.aclose()


async def test_a_range_marks_everything_between_and_escape_clears(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await board_ready(app, pilot)
        board = app.screen
        ids = first_column_ids(app)
        await press(pilot, "space", "j", "j", "V")  # marks the 1st, then the 2nd to 4th
        assert set(board.marks.ids) == set(ids[:4])
        await press(pilot, "space")  # the cursor is on the 4th: unmark it
        assert set(board.marks.ids) == set(ids[:3])
        await press(pilot, "escape")
        assert not board.marks and board.mark_hint == ""


async def test_assign_the_marked_cards_by_typing_a_name(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await board_ready(app, pilot)
        two = first_column_ids(app)[:2]
        person = app.state.board.users[1]
        await press(pilot, "space", "space", "x", "a", *person.name.split()[0].lower(), "enter")
        await until(
            pilot,
            lambda: all(app.state.card(i).assignee == person for i in two),
            "both cards assigned",
        )
        assert isinstance(app.screen, BoardScreen)


async def test_the_toast_offers_undo_only_where_undo_can_take_it_back(tmp_path):
    app = record_notifications(make_app(tmp_path))
    async with app.run_test(size=(120, 36)) as pilot:
        await board_ready(app, pilot)
        await press(pilot, "space", "space", "x", "2")
        await until(pilot, lambda: any("Moved to" in n for n in notifications(app)), "move toast")
        moved = next(n for n in notifications(app) if "Moved to" in n)
        assert moved.endswith("2 cards · u undoes")
        card = app.screen.card_id
        await press(pilot, "space", "x", "x")
        await until(pilot, lambda: any("Archived" in n for n in notifications(app)), "toast")
        archived = next(n for n in notifications(app) if "Archived" in n)
        assert archived == "Archived: 1 card · u undoes"  # the local board restores
        await press(pilot, "u")
        await until(pilot, lambda: app.state.card(card) is not None, "the archive undone")
        await press(pilot, "space", "x", "D", "y")
        await until(pilot, lambda: any("Deleted" in n for n in notifications(app)), "toast")
        deleted = next(n for n in notifications(app) if "Deleted" in n)
        assert deleted == "Deleted: 1 card"  # a delete has no inverse: no promise
