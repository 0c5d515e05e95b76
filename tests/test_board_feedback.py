"""What the board says and where its cursor goes after an action, whatever the outcome."""

from __future__ import annotations

import pytest
from textual import events
from textual.widgets import Input

from tests.conftest import make_local
from tests.support.pilot import notifications, press, record_notifications, settled
from tui.core.errors import PermissionDenied, Unavailable
from tui.core.store import Store
from tui.ui.app import CardboardApp
from tui.ui.screens.board import BoardScreen
from tui.ui.screens.card_form import CardFormScreen
from tui.ui.screens.dialogs import ConfirmScreen

pytestmark = pytest.mark.usefixtures("frozen_clock")


@pytest.fixture
def provider(tmp_path):
    return make_local(tmp_path / "board")


@pytest.fixture
def app(provider) -> CardboardApp:
    return record_notifications(CardboardApp(Store(provider), remember=False))


def board(app: CardboardApp) -> BoardScreen:
    screen = app.screen_stack[1]
    assert isinstance(screen, BoardScreen)
    return screen


def column_ids(app: CardboardApp) -> list[str]:
    screen = board(app)
    return [card.id for cell in screen.views[screen.column_index].cells for card in cell.cards]


async def test_after_a_refused_archive_the_cursor_is_on_that_card_and_d_asks_about_it(
    app, provider
):
    async with app.run_test(size=(100, 30)) as pilot:
        await settled(pilot)
        await press(pilot, "j")
        card = app.state.card(board(app).card_id)
        provider.fail["archive_card"] = PermissionDenied("archiving is not allowed here")
        await press(pilot, "a")
        assert board(app).card_id == card.id
        assert app.state.card(card.id) is not None
        await press(pilot, "d")
        assert isinstance(app.screen, ConfirmScreen)
        assert card.title in app.screen.message


async def test_an_archive_says_so_and_the_card_below_takes_the_cursor(app):
    async with app.run_test(size=(100, 30)) as pilot:
        await settled(pilot)
        await press(pilot, "j")
        before = column_ids(app)
        card = app.state.card(board(app).card_id)
        await press(pilot, "a")
        assert app.state.card(card.id) is None
        # Local boards restore archived cards, so undo can take the archive back.
        assert notifications(app)[-1] == f"Archived “{card.title}” · u undoes"
        assert board(app).card_id == before[before.index(card.id) + 1]


async def test_enter_in_the_delete_dialog_keeps_the_card_and_y_deletes_it_saying_so(app):
    async with app.run_test(size=(100, 30)) as pilot:
        await settled(pilot)
        card = app.state.card(board(app).card_id)
        await press(pilot, "d", "enter")
        assert app.state.card(card.id) is not None and board(app).card_id == card.id
        await press(pilot, "d", "y")
        assert app.state.card(card.id) is None
        assert notifications(app)[-1] == f"Deleted “{card.title}”"  # no undo: it has no inverse


async def test_a_card_created_while_the_filter_hides_it_says_so(app):
    async with app.run_test(size=(100, 30)) as pilot:
        await settled(pilot)
        await press(pilot, "slash", *"label:bug", "enter")
        await press(pilot, "n")
        assert isinstance(app.screen, CardFormScreen)
        await pilot.press(*"Call the bank")
        await press(pilot, "ctrl+s")
        [created] = [card for card in app.state.board.cards if card.title == "Call the bank"]
        assert notifications(app)[-1] == (
            "Added “Call the bank”; the filter hides it (esc clears the filter)"
        )
        await press(pilot, "escape")
        assert created.id in {
            card.id for view in board(app).views for c in view.cells for card in c.cards
        }


async def test_a_card_that_still_matches_the_filter_says_nothing_more(app):
    async with app.run_test(size=(100, 30)) as pilot:
        await settled(pilot)
        await press(pilot, "slash", *"bank", "enter")
        await press(pilot, "n")
        await pilot.press(*"Call the bank")
        told = len(notifications(app))
        await press(pilot, "ctrl+s")
        assert not any("filter hides" in message for message in notifications(app)[told:])


async def test_r_says_refreshed_or_why_not(app, provider):
    async with app.run_test(size=(100, 30)) as pilot:
        await settled(pilot)
        await press(pilot, "r")
        assert notifications(app)[-1] == "Refreshed"
        provider.fail["load_board"] = Unavailable("the service is down")
        await press(pilot, "r")
        assert "the service is down" in notifications(app)[-1]
        assert app.state.board is not None  # the board as last seen stays


async def test_a_board_that_failed_to_load_offers_no_card_keys(app, provider):
    provider.fail["load_board"] = Unavailable("the service is down")
    async with app.run_test(size=(100, 30)) as pilot:
        await settled(pilot)
        assert app.state.board is None
        offered = {active.binding.action for active in app.screen.active_bindings.values()}
        assert "refresh" in offered and "pick_board" in offered
        assert not offered & {"new_card", "edit_card", "open_card", "filter", "archive_card"}
        await press(pilot, "n")
        assert not isinstance(app.screen, CardFormScreen)
        await press(pilot, "r")  # the service is back: the keys are offered again
        offered = {active.binding.action for active in app.screen.active_bindings.values()}
        assert {"new_card", "edit_card", "open_card"} <= offered
        assert not app.screen.query_one("#filter", Input).has_focus


async def test_keys_typed_at_once_after_slash_never_act_on_the_board(app):
    async with app.run_test(size=(100, 30)) as pilot:
        await settled(pilot)
        cards = len(app.state.board.cards)
        for key, character in [("slash", "/"), ("a", "a"), ("d", "d")]:  # all queued at once
            app.post_message(events.Key(key, character))
        await settled(pilot)
        assert len(app.state.board.cards) == cards  # "a" did not archive a card
        assert not isinstance(app.screen, ConfirmScreen)  # nor "d" ask to delete one
        assert app.screen.focused is app.screen.query_one("#filter", Input)


async def test_with_no_card_under_the_cursor_the_card_keys_are_offered_disabled(app):
    async with app.run_test(size=(100, 30)) as pilot:
        await settled(pilot)
        await press(pilot, "slash", *"no card says this", "enter")
        assert board(app).card_id is None
        enabled = {a.binding.action: a.enabled for a in app.screen.active_bindings.values()}
        assert enabled["edit_card"] is False and enabled["open_card"] is False
        assert enabled["new_card"] is True
        await press(pilot, "e")
        assert not isinstance(app.screen, CardFormScreen)
        await press(pilot, "escape")  # the filter cleared: a card again, its keys again
        enabled = {a.binding.action: a.enabled for a in app.screen.active_bindings.values()}
        assert enabled["edit_card"] is True
