"""The filter field: what is typed is filtered in a pause of typing, and enter then
shows it without filtering the board again, or filters it afresh if the text changed."""

from __future__ import annotations

import pytest
from textual import events

from tests.conftest import make_local
from tests.support.pilot import press, settled, until
from tui.core.filtering import CardFilter
from tui.core.store import Store
from tui.ui.app import CardboardApp
from tui.ui.screens import board_filter
from tui.ui.screens.board import BoardScreen

pytestmark = pytest.mark.usefixtures("frozen_clock", "no_wait")


@pytest.fixture
def no_wait(monkeypatch):
    """The pause in typing is over in a millisecond: no test sleeps out the real one."""
    monkeypatch.setattr(board_filter, "PAUSE", 0.001)


@pytest.fixture
def app(tmp_path) -> CardboardApp:
    return CardboardApp(Store(make_local(tmp_path / "board")), remember=False)


@pytest.fixture
def filtered(monkeypatch) -> list[str]:
    """The ids of the cards a filter is asked about, as it is asked."""
    asked: list[str] = []
    matches = CardFilter.matches

    def counted(self, card, today=None):
        asked.append(card.id)
        return matches(self, card, today)

    monkeypatch.setattr(CardFilter, "matches", counted)
    return asked


def shown(app: CardboardApp) -> set[str]:
    screen = app.screen
    assert isinstance(screen, BoardScreen)
    return {card.id for view in screen.views for card in view.cards}


def kept_by(app: CardboardApp, query: str) -> set[str]:
    wanted = CardFilter.parse(query)
    return {card.id for card in app.state.board.cards if wanted.matches(card)}


async def test_a_pause_in_typing_filters_ahead_and_enter_only_shows_it(app, filtered):
    async with app.run_test(size=(100, 30)) as pilot:
        await settled(pilot)
        await press(pilot, "slash")
        await pilot.press(*"label:bug")
        await until(pilot, lambda: bool(filtered), "filtering in the pause")
        assert filtered  # done in the pause
        filtered.clear()
        await press(pilot, "enter")
        assert filtered == [] and app.state.filter.query == "label:bug"
        assert shown(app) == kept_by(app, "label:bug") != set()


async def test_what_is_typed_after_the_pause_is_what_enter_applies(app, filtered):
    async with app.run_test(size=(100, 30)) as pilot:
        await settled(pilot)
        await press(pilot, "slash")
        await pilot.press(*"label:bug", "space")
        await until(pilot, lambda: bool(filtered), "filtering in the pause")
        for key, character in [*((c, c) for c in "@ada"), ("enter", "\r")]:  # no pause
            app.post_message(events.Key(key, character))
        await settled(pilot)
        assert app.state.filter.query == "label:bug @ada"
        assert shown(app) == kept_by(app, "label:bug @ada")
        assert shown(app) < kept_by(app, "label:bug")


async def test_escape_forgets_what_was_filtered_ahead(app, filtered):
    async with app.run_test(size=(100, 30)) as pilot:
        await settled(pilot)
        everything = shown(app)
        await press(pilot, "slash")
        await pilot.press(*"label:bug")
        await until(pilot, lambda: bool(filtered), "filtering in the pause")
        await press(pilot, "escape")
        assert shown(app) == everything and not app.state.filter
