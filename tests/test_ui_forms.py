"""What every form does the same way, because it is a FormScreen: ctrl+s / escape under
form.save / form.cancel, a refused save keeps the draft, a changed form asks first."""

from __future__ import annotations

from datetime import UTC, datetime

from textual.widgets import Input, Static

from tests.support.pilot import press, settled
from tests.support.ui import board_ready, make_app
from tui.core.time import TimeJournal
from tui.ui.screens.account_form import AccountFormScreen
from tui.ui.screens.card_form import CardFormScreen
from tui.ui.screens.dialogs import ConfirmScreen
from tui.ui.screens.form import FormScreen
from tui.ui.screens.time_entry_form import TimeEntryForm

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def test_the_three_forms_share_one_base_and_one_pair_of_ids():
    for form in (CardFormScreen, AccountFormScreen, TimeEntryForm):
        assert issubclass(form, FormScreen)
        assert not [b for b in form.__dict__.get("BINDINGS", ()) if b.action in {"save", "cancel"}]
    ids = {binding.id for binding in FormScreen.BINDINGS}
    assert ids == {"form.save", "form.cancel"}


async def test_the_time_form_keeps_a_refused_draft_and_asks_before_dropping_it(tmp_path):
    app = make_app(tmp_path)
    journal = TimeJournal(tmp_path / "journal.db")
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await board_ready(app, pilot)
            results: list[object] = []
            form = TimeEntryForm(journal, now=NOW, cards=app.state.board.cards)
            await app.push_screen(form, results.append)
            await settled(pilot)

            await press(pilot, *"soon", "ctrl+s")
            assert app.screen is form and form.query_one("#spent", Input).value == "soon"
            error = form.query_one("#form-error", Static)
            assert error.display and "is not a duration" in str(error.content)
            await press(pilot, "h")  # typing again clears the reason
            assert not error.display

            await press(pilot, "escape")
            assert isinstance(app.screen, ConfirmScreen)
            await press(pilot, "n")
            assert app.screen is form and results == []
            await press(pilot, "escape", "y")
            assert results == [None] and journal.entries() == []
    finally:
        journal.close()


async def test_an_unchanged_form_closes_at_once(tmp_path):
    app = make_app(tmp_path)
    journal = TimeJournal(tmp_path / "journal.db")
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await board_ready(app, pilot)
            results: list[object] = []
            await app.push_screen(
                TimeEntryForm(journal, now=NOW, cards=app.state.board.cards), results.append
            )
            await press(pilot, "escape")
            assert results == [None]
    finally:
        journal.close()
