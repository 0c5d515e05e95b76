"""The board driven by keys, as a person uses it: move, reorder, create, edit, filter, delete."""

from __future__ import annotations

from dataclasses import replace

import pytest
from textual.widgets import Input, Static

from tests.conftest import make_local
from tests.support.pilot import notifications, press, record_notifications, settled, until
from tests.support.ui import text_of
from tui.core.board_view import group_cards
from tui.core.errors import Conflict, PermissionDenied, Unavailable
from tui.core.provider import Capabilities, Capability
from tui.core.store import Store
from tui.ui.app import CardboardApp
from tui.ui.screens.board import BoardScreen
from tui.ui.screens.card import CardScreen
from tui.ui.screens.card_form import CardFormScreen
from tui.ui.screens.dialogs import ConfirmScreen, OverrideScreen

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


def column_of(app: CardboardApp, card_id: str) -> str:
    card = app.state.card(card_id)
    return next(column.name for column in app.state.board.columns if column.id == card.column_id)


def visible_ids(app: CardboardApp) -> list[str]:
    return [card.id for view in board(app).views for cell in view.cells for card in cell.cards]


async def test_the_board_opens_with_the_first_card_selected(app):
    async with app.run_test(size=(100, 30)) as pilot:
        await settled(pilot)
        screen = board(app)
        assert app.state.board.board.name == "Cardboard demo"
        first = next(card for cell in screen.views[0].cells for card in cell.cards)
        assert screen.card_id == first.id and screen.column_index == 0


async def test_l_and_j_move_the_cursor(app):
    async with app.run_test(size=(100, 30)) as pilot:
        await settled(pilot)
        screen = board(app)
        await press(pilot, "l")
        assert screen.column_index == 1
        before = screen.card_id
        await press(pilot, "j")
        assert screen.card_id != before
        await press(pilot, "k", "h")
        assert screen.column_index == 0


async def test_shift_l_and_h_move_the_card_and_the_cursor_follows(app, provider):
    async with app.run_test(size=(100, 30)) as pilot:
        await settled(pilot)
        screen = board(app)
        card_id = screen.card_id
        await press(pilot, "L")
        assert column_of(app, card_id) == "Ready"
        assert screen.card_id == card_id and screen.column_index == 1
        saved = await provider.get_card(app.state.board.board.id, card_id)
        assert saved.column_id == app.state.card(card_id).column_id
        await press(pilot, "H")
        assert column_of(app, card_id) == "Backlog"


async def test_moving_past_the_first_column_does_nothing_and_says_so(app):
    async with app.run_test(size=(100, 30)) as pilot:
        await settled(pilot)
        card_id = board(app).card_id
        await press(pilot, "H")
        assert column_of(app, card_id) == "Backlog"
        assert any("first column" in message for message in notifications(app))


async def test_shift_j_reorders_within_the_column(app):
    async with app.run_test(size=(100, 30)) as pilot:
        await settled(pilot)
        order = visible_ids(app)
        first, second = order[0], order[1]
        await press(pilot, "J")
        order = visible_ids(app)
        assert order.index(first) == order.index(second) + 1
        await press(pilot, "K")
        assert visible_ids(app)[:2] == [first, second]


async def test_a_refused_move_puts_the_card_back_and_says_why(app, provider):
    provider.fail["move_card"] = PermissionDenied("Local board: read-only board")
    async with app.run_test(size=(100, 30)) as pilot:
        await settled(pilot)
        card_id = board(app).card_id
        await press(pilot, "L")
        assert column_of(app, card_id) == "Backlog"
        assert app.state.error == "Local board: read-only board"
        assert app.state.conflict_cards == {card_id}
        assert any("read-only" in message for message in notifications(app))


async def test_a_move_while_offline_stays_on_screen_without_an_error(app, provider):
    provider.fail["move_card"] = Unavailable("Local board: disk is full")
    async with app.run_test(size=(100, 30)) as pilot:
        await settled(pilot)
        card_id = board(app).card_id
        await press(pilot, "L")
        assert column_of(app, card_id) == "Ready"
        assert app.state.pending_cards == {card_id} and not app.state.online
        assert not any("disk is full" in message for message in notifications(app))


async def test_a_wip_refusal_offers_to_move_anyway_with_a_reason(app, provider):
    provider.fail["move_card"] = Conflict("WIP limit of Ready reached", overridable=True)
    overrides = []
    original = type(provider).move_card

    async def record(self, board_id, card_id, placement):
        overrides.append(placement.override_reason)
        return await original(self, board_id, card_id, placement)

    type(provider).move_card = record
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await settled(pilot)
            card_id = board(app).card_id
            await pilot.press("L")
            await until(
                pilot, lambda: isinstance(app.screen, OverrideScreen), "the override prompt"
            )
            await pilot.press(*"customer escalation", "enter")
            await settled(pilot)
            assert column_of(app, card_id) == "Ready"
            assert overrides == [None, "customer escalation"]
    finally:
        type(provider).move_card = original


async def test_n_creates_a_card_in_the_selected_column(app):
    async with app.run_test(size=(100, 30)) as pilot:
        await settled(pilot)
        await press(pilot, "l", "n")
        assert isinstance(app.screen, CardFormScreen)
        await pilot.press(*"Call the bank")
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, BoardScreen)
        created = [card for card in app.state.board.cards if card.title == "Call the bank"]
        assert len(created) == 1 and column_of(app, created[0].id) == "Ready"
        assert board(app).card_id == created[0].id


async def test_e_edits_the_selected_card(app):
    async with app.run_test(size=(100, 30)) as pilot:
        await settled(pilot)
        card_id = board(app).card_id
        await press(pilot, "e")
        title = app.screen.query_one("#title", Input)
        title.value = "Dark mode, everywhere"
        await press(pilot, "ctrl+s")
        assert app.state.card(card_id).title == "Dark mode, everywhere"


async def test_enter_opens_the_card_and_a_comment_can_be_added(app):
    async with app.run_test(size=(100, 30)) as pilot:
        await settled(pilot)
        card_id = board(app).card_id
        count = app.state.card(card_id).comment_count
        await press(pilot, "enter")
        assert isinstance(app.screen, CardScreen)
        await press(pilot, "c")
        await pilot.press(*"Looks good")
        await press(pilot, "ctrl+s")
        assert app.state.detail.comments[-1].text == "Looks good"
        await press(pilot, "escape", "escape")
        assert isinstance(app.screen, BoardScreen)
        assert app.state.card(card_id).comment_count == count + 1


async def test_slash_filters_and_escape_clears(app):
    async with app.run_test(size=(100, 30)) as pilot:
        await settled(pilot)
        everything = set(visible_ids(app))
        await press(pilot, "slash")
        await pilot.press(*"label:bug")
        await press(pilot, "enter")
        shown = set(visible_ids(app))
        bugs = {
            c.id for c in app.state.board.cards if any(label.name == "bug" for label in c.labels)
        }
        assert shown == bugs and shown < everything
        assert board(app).card_id in bugs
        await press(pilot, "escape")
        assert set(visible_ids(app)) == everything


async def test_d_deletes_only_after_yes(app):
    async with app.run_test(size=(100, 30)) as pilot:
        await settled(pilot)
        card_id = board(app).card_id
        await press(pilot, "d")
        assert isinstance(app.screen, ConfirmScreen)
        await press(pilot, "n")
        assert app.state.card(card_id) is not None
        await press(pilot, "d", "y")
        assert app.state.card(card_id) is None
        assert board(app).card_id is not None and board(app).card_id != card_id


async def test_a_archives_the_card(app, provider):
    async with app.run_test(size=(100, 30)) as pilot:
        await settled(pilot)
        card_id = board(app).card_id
        await press(pilot, "a")
        assert app.state.card(card_id) is None
        reloaded = await provider.load_board(app.state.board.board.id)
        assert card_id not in {card.id for card in reloaded.cards}


async def test_b_opens_another_board(app, provider):
    other = await provider.create_board("Home", [("To do", None), ("Done", None)], [])
    async with app.run_test(size=(100, 30)) as pilot:
        await settled(pilot)
        await press(pilot, "b")
        await pilot.press(*"Home")
        await press(pilot, "enter")
        assert app.state.board.board.id == other.id
        assert [view.column.name for view in board(app).views] == ["To do", "Done"]


async def test_the_columns_match_the_grouped_board(app):
    """What is drawn is what the store holds: every card in its column, in order."""
    async with app.run_test(size=(100, 30)) as pilot:
        await settled(pilot)
        expected = group_cards(app.state.board)
        assert board(app).views == expected


async def test_switching_accounts_opens_the_other_account_and_closes_the_first(
    app, provider, private_dirs
):
    accounts = private_dirs / "config" / "accounts.toml"
    accounts.parent.mkdir(parents=True, exist_ok=True)
    second = private_dirs / "second.db"
    accounts.write_text(
        f'[accounts.side]\nprovider = "local"\n[accounts.side.options]\npath = "{second}"\n'
    )
    async with app.run_test(size=(100, 30)) as pilot:
        await settled(pilot)
        await app.switch_account("side")
        await settled(pilot)
        assert app.state.account == "side" and app.state.board is not None
        assert app.store.provider is not provider
        assert len(app.screen_stack) == 2 and isinstance(app.screen, BoardScreen)
        assert second.exists()
        assert app.ui_state.last_account == "side"


async def test_what_the_provider_could_not_show_is_said_above_the_board(app, provider, monkeypatch):
    original = type(provider).load_board

    async def with_notice(self, board_id):
        content = await original(self, board_id)
        return replace(content, notice="12 items cannot be placed: see Unplaced")

    monkeypatch.setattr(type(provider), "load_board", with_notice)
    async with app.run_test(size=(100, 30)) as pilot:
        await settled(pilot)
        banner = app.screen.query_one("#notice")
        assert banner.display and "12 items cannot be placed" in str(banner.render())


async def test_what_the_provider_cannot_do_says_why_on_the_key_and_in_help(
    app, provider, monkeypatch
):
    cannot_move = Capabilities(
        supported=type(provider).capabilities.supported - {Capability.MOVE},
        reasons={Capability.MOVE: "this service cannot move cards"},
    )
    monkeypatch.setattr(type(provider), "capabilities", cannot_move)
    async with app.run_test(size=(100, 40)) as pilot:
        await settled(pilot)
        card_id = board(app).card_id
        column = app.state.card(card_id).column_id
        await press(pilot, "L")
        assert app.state.card(card_id).column_id == column
        assert any("cannot move cards" in message for message in notifications(app))
        await press(pilot, "question_mark")
        help_text = " ".join(text_of(part.content) for part in app.screen.query(Static))
        assert "not available: this service cannot move cards" in " ".join(help_text.split())
