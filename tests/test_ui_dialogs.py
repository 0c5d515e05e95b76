"""Pilot tests of the small screens: confirm, override, the board picker, the palette.

The help screen has its own, in test_ui_help.py."""

from __future__ import annotations

from textual.widgets import OptionList, Static, TextArea

from tests.support.pilot import settled
from tests.support.ui import board_ready, demo_card, make_app, open_card, text_of
from tui.core.errors import Unavailable
from tui.core.models import Board
from tui.providers.local import LocalProvider
from tui.ui.commands import CardboardCommands
from tui.ui.screens.boards import UNGROUPED, BoardPickerScreen, grouped, matches
from tui.ui.screens.card_form import CardFormScreen
from tui.ui.screens.dialogs import ConfirmScreen, OverrideScreen


async def test_confirm_answers_yes_to_y_only_and_no_to_enter_n_and_escape(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        answers: list[bool] = []
        for key in ("y", "enter", "n", "escape"):
            await app.push_screen(ConfirmScreen("Delete card", "Delete “x”?"), answers.append)
            await pilot.press(key)
            await pilot.pause()
        assert answers == [True, False, False, False]  # enter presses the focused Cancel
        assert not isinstance(app.screen, ConfirmScreen)


async def test_override_returns_the_reason_and_insists_on_one(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        answers: list[str | None] = []
        screen = OverrideScreen("WIP limit of In progress (3) reached")
        await app.push_screen(screen, answers.append)
        await pilot.pause()
        text = text_of(screen.query_one("#message", Static).content)
        assert "The service refused: WIP limit of In progress (3) reached." in text

        await pilot.press("enter")  # no reason yet
        assert app.screen is screen and answers == []
        assert "reason is needed" in str(screen.query_one("#answer-error", Static).content)

        await pilot.press(*"hotfix", "enter")
        await pilot.pause()
        assert answers == ["hotfix"]

        await app.push_screen(OverrideScreen("no"), answers.append)
        await pilot.press("escape")
        await pilot.pause()
        assert answers == ["hotfix", None]


def test_boards_are_grouped_in_the_services_order_with_ungrouped_ones_last():
    boards = [
        Board(id="1", name="Inbox"),
        Board(id="2", name="Rota", group="Ops"),
        Board(id="3", name="API", group="Dev"),
        Board(id="4", name="Alerts", group="Ops"),
    ]
    groups = grouped(boards)
    assert list(groups) == ["Ops", "Dev", UNGROUPED]
    assert [board.id for board in groups["Ops"]] == ["2", "4"]
    assert matches(boards[1], "ops ROT") and not matches(boards[1], "ops api")


class FlakyListing(LocalProvider):
    down = False

    async def list_boards(self):
        if self.down:
            raise Unavailable("Local board: cannot open local.db")
        return await super().list_boards()


async def test_picker_filters_and_returns_the_chosen_board(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await board_ready(app, pilot)
        ops = await app.store.provider.create_board("Ops rota", [("Todo", None)], [])
        chosen: list[str | None] = []
        await app.push_screen(BoardPickerScreen(), chosen.append)
        await settled(pilot)
        options = app.screen.query_one(OptionList)
        assert options.option_count == 2

        await pilot.press(*"ops")
        assert options.option_count == 1
        await pilot.press("enter")
        await pilot.pause()
        assert chosen == [ops.id]


async def test_picker_shows_why_the_boards_did_not_load(tmp_path):
    app = make_app(tmp_path, FlakyListing)
    async with app.run_test(size=(80, 24)) as pilot:
        await board_ready(app, pilot)
        app.store.provider.down = True
        chosen: list[str | None] = []
        await app.push_screen(BoardPickerScreen(), chosen.append)
        await settled(pilot)

        message = str(app.screen.query_one("#picker-message", Static).content)
        assert "Could not load the boards: Local board: cannot open local.db" in message
        await pilot.press("escape")
        await pilot.pause()
        assert chosen == [None]


async def test_palette_offers_the_screens_keys_and_runs_them(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await board_ready(app, pilot)
        card = demo_card(app, lambda c: c.title.startswith("Move CI"))
        screen = await open_card(app, pilot, card)
        app.set_keymap({"card.edit": "E"})

        hits = {hit.text: hit async for hit in CardboardCommands(screen).discover()}
        assert hits["Edit"].help.startswith("E  ·  Card")
        assert "Back" in hits and "Help" in hits
        assert "Focus Next" not in hits  # Textual's own keys stay out of the palette

        await hits["Edit"].command()
        await pilot.pause()
        assert isinstance(app.screen, CardFormScreen)
        app.screen.dismiss(None)
        await pilot.pause()
        await hits["Comment"].command()
        await pilot.pause()
        assert isinstance(app.focused, TextArea)
