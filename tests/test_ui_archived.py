"""Archived cards on the board: archive says u undoes and it does; z finds and restores."""

from __future__ import annotations

from tests.support.pilot import notifications, press, record_notifications, until
from tests.support.ui import board_ready, make_app
from tui.core.provider import Connection
from tui.providers.local import LocalProvider
from tui.ui.screens.archived import ArchivedScreen


async def test_archive_then_u_brings_the_card_back(tmp_path):
    app = record_notifications(make_app(tmp_path))
    async with app.run_test(size=(120, 36)) as pilot:
        await board_ready(app, pilot)
        card = app.state.card(app.screen.card_id)
        await press(pilot, "a")
        await until(pilot, lambda: app.state.card(card.id) is None, "the card archived")
        assert f"Archived “{card.title}” · u undoes" in notifications(app)
        await press(pilot, "u")
        await until(pilot, lambda: app.state.card(card.id) is not None, "the card back")
        assert app.state.card(card.id).column_id == card.column_id


async def test_z_lists_the_archived_cards_and_enter_restores_one(tmp_path):
    app = record_notifications(make_app(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await board_ready(app, pilot)
        card = app.state.card(app.screen.card_id)
        await press(pilot, "a")
        await until(pilot, lambda: app.state.card(card.id) is None, "the card archived")
        await press(pilot, "z")
        picker = app.screen
        assert isinstance(picker, ArchivedScreen)
        await until(pilot, lambda: picker.cards is not None, "the archived cards read")
        assert card.id in {c.id for c in picker.cards}
        await press(pilot, *card.title.split()[0].lower(), "enter")
        await until(pilot, lambda: app.state.card(card.id) is not None, "the card restored")
        assert f"Restored “{card.title}” · u undoes" in notifications(app)

    local = LocalProvider(Connection(account="local", data_dir=tmp_path))
    assert card.id in {c.id for c in (await local.load_board(card.board_id)).cards}
    await local.aclose()
