"""Triage as a person does it: `!` on a column, digits, mine, a comment, undo, the summary."""

from __future__ import annotations

from textual.widgets import Static

from tests.support.pilot import press, settled
from tests.support.ui import board_ready, make_app, text_of
from tui.core.provider import Connection
from tui.providers.local import LocalProvider
from tui.ui.screens.triage import TriageScreen
from tui.ui.widgets.choice_prompt import ChoicePrompt


def triage(app) -> TriageScreen:
    assert isinstance(app.screen, TriageScreen), type(app.screen).__name__
    return app.screen


def shown(screen: TriageScreen, widget_id: str) -> str:
    return text_of(screen.query_one(widget_id).render())


async def test_triage_a_column_with_digits_mine_a_comment_and_undo(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await board_ready(app, pilot)
        first_column = app.state.board.columns[0]
        await press(pilot, "exclamation_mark")
        screen = triage(app)
        queue = screen.session.queue
        assert len(queue) >= 3
        assert f"Triage · {first_column.name} · 1 of {len(queue)}" in shown(
            screen, "#triage-header"
        )
        first, second, third = queue[:3]
        done_column = app.state.board.columns[-1]
        digit = str(len(app.state.board.columns))

        await press(pilot, "m", "c", *"dup of #12", "enter", digit)
        me = await app.store.provider.whoami()
        assert app.state.card(first).assignee == me
        assert app.state.card(first).column_id == done_column.id
        assert triage(app).session.current.id == second

        await press(pilot, "2")  # second card to the second column
        assert app.state.card(second).column_id == app.state.board.columns[1].id
        assert triage(app).session.current.id == third

        await press(pilot, "u")  # the move of the second card
        assert app.state.card(second).column_id == first_column.id
        assert triage(app).session.current.id == second
        await press(pilot, "u")  # the move of the first card
        assert app.state.card(first).column_id == first_column.id
        assert app.state.card(first).assignee == me  # its assignment still stands

    # What the screen said is what the board holds.
    provider = LocalProvider(Connection(account="local", data_dir=tmp_path))
    board = await provider.load_board(app.state.board.board.id)
    by_id = {card.id: card for card in board.cards}
    assert by_id[first].column_id == first_column.id and by_id[first].assignee == me
    assert by_id[second].column_id == first_column.id
    comments = await provider.list_comments(board.board.id, first)
    assert [comment.text for comment in comments][-1] == "dup of #12"
    await provider.aclose()


async def test_prompts_filter_as_you_type_and_bad_input_says_why(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await board_ready(app, pilot)
        await press(pilot, "exclamation_mark")
        screen = triage(app)
        card_id = screen.session.current.id
        users = app.state.board.users
        target = users[-1]
        await press(pilot, "a", *target.name.split()[0][:3].lower())
        choices = screen.query_one(ChoicePrompt).query_one(Static)
        assert text_of(choices.render()).startswith(f"Assign to: {target.name}")
        await press(pilot, "enter")
        assert app.state.card(card_id).assignee.id == target.id

        await press(pilot, "d", *"someday", "enter")
        assert app.state.card(card_id).due is None
        assert screen.session.current.id == card_id  # nothing decided, still here

        await press(pilot, "d", *"+3d", "enter")
        assert app.state.card(card_id).due is not None
        await press(pilot, "escape")  # leaves triage
        await settled(pilot)
        assert not isinstance(app.screen, TriageScreen)


async def test_the_end_of_the_queue_shows_what_was_decided(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await board_ready(app, pilot)
        await press(pilot, "exclamation_mark")
        screen = triage(app)
        count = len(screen.session.queue)
        first_title = app.state.card(screen.session.queue[0]).title
        await press(pilot, "x", *["s"] * (count - 1))
        assert screen.session.done
        assert "done" in shown(screen, "#triage-header")
        headline = f"Triage done: 1 changed, {count - 1} skipped, 0 left of {count}"
        assert headline in shown(screen, "#triage-title")
        summary = shown(screen, "#triage-description")
        assert first_title[:30] in summary and "archived" in summary
