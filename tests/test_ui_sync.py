"""Sync on screen: the status bar's offline, pending, conflict and cache words, the sign on
a card with changes on their way, and no error toast for being offline."""

from __future__ import annotations

import asyncio

import pytest
from textual.widgets import OptionList, Static

from tests.conftest import ScriptedService, make_local
from tests.support.pilot import notifications, press, record_notifications, settled, until
from tui.core.errors import PermissionDenied, Unavailable
from tui.core.store import Store
from tui.ui.app import CardboardApp
from tui.ui.screens.board import BoardScreen
from tui.ui.screens.pending import PendingScreen
from tui.ui.widgets.card_list import CardList
from tui.ui.widgets.status_bar import StatusBar

pytestmark = pytest.mark.usefixtures("frozen_clock")


@pytest.fixture
def provider(tmp_path):
    return make_local(tmp_path / "board")


@pytest.fixture
def app(provider) -> CardboardApp:
    return record_notifications(CardboardApp(Store(provider), remember=False))


def status(app: CardboardApp) -> str:
    return str(app.screen.query_one(StatusBar).query_one("#status-text", Static).render())


def selected_tile_title(app: CardboardApp) -> str:
    """The first line of the selected card's tile, as drawn."""
    screen = app.screen
    assert isinstance(screen, BoardScreen)
    card_list = next(cards for cards in screen.query(CardList) if cards.card_region(screen.card_id))
    top = card_list.card_region(screen.card_id).y
    return card_list.render_line(top - int(card_list.scroll_y)).text


async def test_offline_says_so_counts_what_waits_and_signs_the_card(app, provider):
    provider.fail["move_card"] = Unavailable("Local board: disk is full")
    async with app.run_test(size=(120, 30)) as pilot:
        await settled(pilot)
        assert "✓ synced" in status(app)
        await press(pilot, "L")
        assert "⚠ offline · 1 pending" in status(app)
        assert selected_tile_title(app).lstrip("▌ ").startswith("⟳ ")
        assert not any("disk is full" in message for message in notifications(app))
        await app.store.sync()
        await settled(pilot)
        assert "✓ synced" in status(app)
        assert not selected_tile_title(app).lstrip("▌ ").startswith("⟳")


async def test_a_refused_change_is_counted_as_a_conflict_and_signed(app, provider):
    provider.fail["move_card"] = PermissionDenied("Local board: read-only")
    async with app.run_test(size=(120, 30)) as pilot:
        await settled(pilot)
        await press(pilot, "L")
        assert "✗ 1 conflict" in status(app)
        assert selected_tile_title(app).lstrip("▌ ").startswith("✗ ")


async def test_a_board_from_the_cache_says_how_old_it_is(tmp_path, frozen_clock):
    first = make_local(tmp_path / "board", ScriptedService)
    seen = Store(first)
    await seen.open_board((await seen.load_boards())[0].id)
    await first.aclose()
    seen.close()

    frozen_clock.advance(minutes=3)
    provider = make_local(tmp_path / "board", ScriptedService)
    provider.hold["load_board"] = asyncio.Event()
    app = CardboardApp(Store(provider), remember=False, board_id=seen.state.board.board.id)
    async with app.run_test(size=(120, 30)) as pilot:
        await until(pilot, lambda: app.state.board is not None, "the cached board")
        assert "cached · 3 min ago" in status(app)
        provider.hold["load_board"].set()
        await settled(pilot)
        assert "cached" not in status(app)


async def test_p_lists_a_refused_change_to_retry_or_discard(app, provider):
    provider.fail["move_card"] = PermissionDenied("Local board: read-only")
    async with app.run_test(size=(120, 30)) as pilot:
        await settled(pilot)
        card_id = board_screen(app).card_id
        before = app.state.card(card_id).column_id
        await press(pilot, "L", "P")
        assert isinstance(app.screen, PendingScreen)
        listed = app.screen.query_one(OptionList)
        assert "refused" in str(listed.get_option_at_index(0).prompt)
        await press(pilot, "r")  # the service takes it this time
        assert app.state.operations == () and app.state.card(card_id).column_id != before
        assert "Nothing is waiting" in str(listed.get_option_at_index(0).prompt)
        await press(pilot, "escape")
        provider.fail["move_card"] = PermissionDenied("Local board: read-only")
        await press(pilot, "L", "P", "x")
        assert app.state.operations == ()
        assert "Discarded: move" in notifications(app)[-1]


def board_screen(app: CardboardApp) -> BoardScreen:
    screen = app.screen
    assert isinstance(screen, BoardScreen)
    return screen
