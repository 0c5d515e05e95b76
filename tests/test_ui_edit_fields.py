"""Pilot tests: every field of a card edited in the form, lanes from the board's keys,
and local boards made, renamed and deleted from the board picker (issue 13)."""

from __future__ import annotations

from textual.widgets import Checkbox, Input, OptionList, Select, Static

from tests.conftest import make_local
from tests.support.pilot import press, settled, until
from tests.support.ui import board_ready, demo_card, make_app
from tui.core.errors import Conflict
from tui.core.provider import Capabilities, Capability
from tui.core.store import Store
from tui.providers.local import LocalProvider
from tui.ui.app import CardboardApp
from tui.ui.screens.boards import BoardPickerScreen
from tui.ui.screens.card_form import CardFormScreen
from tui.ui.screens.dialogs import ConfirmScreen, OverrideScreen, PromptScreen
from tui.ui.screens.form import PickMany

SIZE = (100, 40)


def lane_named(app: CardboardApp, name: str) -> str:
    return next(lane.id for lane in app.state.board.lanes if lane.name == name)


def move_ci(app: CardboardApp):
    return demo_card(app, lambda c: c.title.startswith("Move CI"))


async def edit(app: CardboardApp, pilot, card) -> CardFormScreen:
    form = CardFormScreen.edit(app.state.board, card)
    await app.push_screen(form)
    await settled(pilot)
    return form


async def test_lane_and_blocked_are_edited_in_the_form(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await board_ready(app, pilot)
        card = move_ci(app)
        expedite = lane_named(app, "Expedite")
        assert card.lane_id != expedite and not card.blocked
        form = await edit(app, pilot, card)
        assert form.query_one("#column", Select).value == card.column_id

        form.query_one("#lane", Select).value = expedite
        blocked = form.query_one("#blocked", Checkbox)
        assert str(blocked.label) == "Not blocked"  # in words: the mark differs by colour only
        blocked.focus()
        await press(pilot, "space")
        assert str(blocked.label).startswith("Blocked")
        await press(pilot, "ctrl+s")

        assert app.screen is not form
        saved = app.state.card(card.id)
        assert (saved.lane_id, saved.column_id, saved.blocked) == (expedite, card.column_id, True)
        on_disk = await app.store.provider.get_card(card.board_id, card.id)
        assert (on_disk.lane_id, on_disk.blocked) == (expedite, True)


async def test_picked_labels_are_marked_in_words_and_saved(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await board_ready(app, pilot)
        card = move_ci(app)
        board_labels = app.state.board.labels
        form = await edit(app, pilot, card)
        picker = form.query_one("#labels", PickMany)
        rows = [str(picker.get_option_at_index(i).prompt) for i in range(picker.option_count)]
        had = {label.id for label in card.labels}
        assert rows == [
            f"{'[x]' if label.id in had else '[ ]'} {label.name}" for label in board_labels
        ]

        picker.focus()
        await press(pilot, "space")  # the first label flips
        first = board_labels[0]
        assert str(picker.get_option_at_index(0).prompt).startswith(
            "[ ]" if first.id in had else "[x]"
        )
        await press(pilot, "ctrl+s")

        saved = {label.id for label in app.state.card(card.id).labels}
        assert saved == had ^ {first.id}


class NoBlockingNoMoves(LocalProvider):
    capabilities = Capabilities(
        supported=LocalProvider.capabilities.supported
        - {Capability.BLOCKING, Capability.MOVE, Capability.BOARDS}
    )


async def test_fields_the_provider_cannot_change_are_left_out_and_said_why(tmp_path):
    app = make_app(tmp_path, NoBlockingNoMoves)
    async with app.run_test(size=SIZE) as pilot:
        await board_ready(app, pilot)
        form = await edit(app, pilot, move_ci(app))
        assert not form.query("#blocked") and not form.query("#lane") and not form.query("#column")
        notes = " ".join(str(note.content) for note in form.query(".form--note"))
        assert "does not support move." in notes and "does not support blocking." in notes


async def test_brackets_move_the_card_to_the_lane_below_and_back(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await board_ready(app, pilot)
        lanes = [lane.id for lane in sorted(app.state.board.lanes, key=lambda lane: lane.position)]
        card = app.screen.selected_card
        start = lanes.index(card.lane_id)
        step = 1 if start + 1 < len(lanes) else -1
        await press(pilot, "right_square_bracket" if step == 1 else "left_square_bracket")
        moved = app.state.card(card.id)
        assert (moved.lane_id, moved.column_id) == (lanes[start + step], card.column_id)
        await press(pilot, "left_square_bracket" if step == 1 else "right_square_bracket")
        assert app.state.card(card.id).lane_id == card.lane_id


async def open_picker(app: CardboardApp, pilot) -> BoardPickerScreen:
    await press(pilot, "b")
    picker = app.screen
    assert isinstance(picker, BoardPickerScreen)
    await press(pilot, "tab")  # from the filter to the list, where the letters are keys
    assert isinstance(app.focused, OptionList)
    return picker


def board_names(app: CardboardApp) -> list[str]:
    return [board.name for board in app.state.boards]


async def test_a_board_is_made_renamed_and_deleted_from_the_picker(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await board_ready(app, pilot)
        demo = app.state.board.board
        picker = await open_picker(app, pilot)

        await press(pilot, "n")
        assert isinstance(app.screen, PromptScreen)
        await press(pilot, "enter")  # a name is needed
        assert "Name is needed" in str(app.screen.query_one("#answer-error", Static).content)
        await press(pilot, *"Home", "enter")
        assert app.screen is picker and board_names(app) == [demo.name, "Home"]
        home = app.state.boards[1]
        assert picker.choices.highlighted_option.id == home.id

        await press(pilot, "R")
        assert app.screen.query_one("#answer", Input).value == "Home"
        await press(pilot, "ctrl+u", *"House", "enter")
        assert board_names(app) == [demo.name, "House"]

        await press(pilot, "d")
        assert isinstance(app.screen, ConfirmScreen)
        await press(pilot, "n")  # not deleted
        assert board_names(app) == [demo.name, "House"]
        await press(pilot, "d", "y")
        assert board_names(app) == [demo.name]
        assert [board.name for board in await app.store.provider.list_boards()] == [demo.name]


async def test_the_open_board_is_not_deleted(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await board_ready(app, pilot)
        await open_picker(app, pilot)
        await press(pilot, "d")
        assert isinstance(app.screen, BoardPickerScreen)  # no question asked
        assert len(await app.store.provider.list_boards()) == 1


async def test_board_keys_say_why_where_the_provider_has_no_boards_to_make(tmp_path):
    app = make_app(tmp_path, NoBlockingNoMoves)
    async with app.run_test(size=SIZE) as pilot:
        await board_ready(app, pilot)
        picker = await open_picker(app, pilot)
        await press(pilot, "n")
        assert app.screen is picker
        assert picker.why_unavailable("new_board") == "Local board does not support boards"


async def test_a_move_over_a_wip_limit_asks_why_and_goes_with_the_reason(tmp_path):
    app = CardboardApp(Store(make_local(tmp_path)), remember=False)
    async with app.run_test(size=SIZE) as pilot:
        await board_ready(app, pilot)
        card = move_ci(app)
        expedite = lane_named(app, "Expedite")
        app.store.provider.fail["move_card"] = Conflict("WIP limit reached", overridable=True)
        form = await edit(app, pilot, card)
        form.query_one("#lane", Select).value = expedite
        await pilot.press("ctrl+s")  # the save waits for the answer: nothing settles yet
        await until(pilot, lambda: isinstance(app.screen, OverrideScreen), "the question why")
        await pilot.press(*"hotfix", "enter")
        await settled(pilot)

        assert app.screen is not form
        assert app.state.card(card.id).lane_id == expedite
        assert app.store.provider.calls.count("move_card") == 2
