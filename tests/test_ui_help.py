"""The help screen: only Cardboard's keys, each with what it does, on one screen at 80x24."""

from __future__ import annotations

import pytest
from textual.containers import VerticalScroll
from textual.widgets import Static

from tests.conftest import make_local
from tests.support.pilot import press, settled
from tests.support.ui import demo_card, open_card, text_of
from tui.core.store import Store
from tui.ui.app import CardboardApp
from tui.ui.commands import keyed_actions
from tui.ui.screens.help import HelpScreen, split_in_two

pytestmark = pytest.mark.usefixtures("frozen_clock")


@pytest.fixture
def app(tmp_path) -> CardboardApp:
    return CardboardApp(Store(make_local(tmp_path / "board")), remember=False)


def help_rows(screen: HelpScreen) -> list[str]:
    columns = [screen.query_one(f"#help-{side}", Static) for side in ("left", "right")]
    return [line.strip() for column in columns for line in text_of(column.content).splitlines()]


def cardboard_keys(screen) -> list[str]:
    return [action.binding.id for action in keyed_actions(screen) if action.binding.id]


def test_the_second_column_starts_where_the_taller_half_is_shortest():
    assert split_in_two([1, 1, 1, 1]) == 2
    assert split_in_two([3, 1, 1, 1]) == 1
    assert split_in_two([1, 1, 1, 1, 1, 5]) == 5


async def test_at_80x24_every_board_key_fits_on_one_screen_with_what_it_does(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        expected = cardboard_keys(app.screen)
        await press(pilot, "question_mark")
        screen = app.screen
        assert isinstance(screen, HelpScreen)
        assert screen.query_one("#help-keys", VerticalScroll).max_scroll_y == 0
        assert screen.region.height <= 24
        rows = help_rows(screen)
        titles = {"Board", "Board (continued)", "App", ""}
        keys = [row for row in rows if row not in titles]
        assert len(keys) == len(expected)  # one line each, none left out
        assert all(len(row.split(maxsplit=1)) == 2 for row in keys)  # a key, then words
        assert any(row.startswith("a ") and "Archive the card" in row for row in keys)
        assert any(row.startswith("r ") and "Load the board again" in row for row in keys)


async def test_only_cardboards_own_keys_are_listed(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        await open_card(app, pilot, demo_card(app, lambda card: True))
        beneath = app.screen
        textuals = [a.description for a in keyed_actions(beneath) if not a.binding.id]
        assert textuals, "the card screen has some of Textual's own keys to leave out"
        await press(pilot, "question_mark")
        shown = " ".join(help_rows(app.screen))
        assert not any(description in shown for description in textuals)
        assert "Data Table" not in shown and "Copy selected text" not in shown


async def test_a_wide_help_says_each_key_in_full_with_its_id_as_the_keymap_has_it(app):
    async with app.run_test(size=(200, 50)) as pilot:
        await settled(pilot)
        await open_card(app, pilot, demo_card(app, lambda c: c.title.startswith("Move CI")))
        app.set_keymap({"card.edit": "E"})
        await press(pilot, "question_mark")
        rows = help_rows(app.screen)
        [edit] = [row for row in rows if row.endswith("card.edit")]
        assert edit.split()[0] == "E"
        assert any(row.endswith("card.reload") for row in rows)  # a key not in the footer
        assert any(row.endswith("app.help") for row in rows)
        assert rows[0] == "Card" and "App" in rows
        await press(pilot, "escape")
        assert not isinstance(app.screen, HelpScreen)
