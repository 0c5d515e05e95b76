"""Pilot tests of the card detail screen and the card form, on the seeded local board."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from textual.widgets import Input, Markdown, Static, TextArea

from tests.support.clock import FakeClock
from tests.support.pilot import notifications, settled
from tests.support.ui import board_ready, demo_card, make_app, open_card, text_of
from tui.core.due_input import due_words
from tui.core.errors import Unavailable, ValidationError
from tui.core.models import Card, CardChanges
from tui.core.provider import Capabilities, Capability
from tui.providers.local import LocalProvider
from tui.ui.app import CardboardApp
from tui.ui.screens.card import CardFields, Checklist, Comments
from tui.ui.screens.card_form import CardFormScreen, parse_due
from tui.ui.screens.dialogs import ConfirmScreen

NOW = datetime(2025, 3, 10, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen_time() -> Iterator[None]:
    # the demo board's dates are relative to today, so "overdue" is fixed too
    with FakeClock(NOW).frozen():
        yield


def column_named(app: CardboardApp, name: str) -> str:
    return next(column.id for column in app.state.board.columns if column.name == name)


def lane_named(app: CardboardApp, name: str) -> str:
    return next(lane.id for lane in app.state.board.lanes if lane.name == name)


# --- words ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("due", "words"),
    [
        (date(2025, 3, 8), "overdue by 2 days"),
        (date(2025, 3, 9), "overdue by 1 day"),
        (date(2025, 3, 10), "due today"),
        (date(2025, 3, 11), "due in 1 day"),
    ],
)
def test_due_dates_are_said_in_words(due, words):
    assert due_words(due, date(2025, 3, 10)) == words


def test_a_due_date_is_blank_or_a_real_iso_day():
    assert parse_due("  ") is None
    assert parse_due(" 2025-02-28 ") == date(2025, 2, 28)
    for typed in ("2025-02-30", "28.02.2025", "tomorrow"):
        with pytest.raises(ValueError, match=f"Due: '{typed}' is not a date"):
            parse_due(typed)


# --- the detail screen -----------------------------------------------------------------


async def test_detail_shows_every_field_and_the_comments(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await board_ready(app, pilot)
        card = demo_card(app, lambda c: c.title.startswith("Move CI"))  # overdue by two days
        screen = await open_card(app, pilot, card)

        fields = text_of(screen.query_one(CardFields).content)
        assert "In progress" in fields
        assert "Standard" in fields  # the lane
        assert "chore" in fields
        assert "Chen Wei" in fields
        assert "2025-03-08  overdue by 2 days" in fields
        assert ["Blocked", "no"] in [line.split() for line in fields.splitlines()]
        assert card.title in text_of(screen.query_one("#card-title", Static).content)
        assert screen.query_one(Markdown).source == card.description
        comments = text_of(screen.query_one(Comments).content)
        assert "Chen Wei" in comments
        assert "Unit tests are green; the deploy job needs a new secret." in comments
        assert "Comments (1)" in str(screen.query_one("#comments-heading", Static).content)


async def test_a_sent_comment_appears_and_is_counted(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await board_ready(app, pilot)
        card = demo_card(app, lambda c: c.title.startswith("Move CI"))
        screen = await open_card(app, pilot, card)

        await pilot.press("c")
        assert isinstance(app.focused, TextArea)
        await pilot.press(*"[ok]", "ctrl+s")
        await settled(pilot)

        assert [c.text for c in app.state.detail.comments][-1] == "[ok]"
        assert app.state.card(card.id).comment_count == card.comment_count + 1
        assert "[ok]" in text_of(screen.query_one(Comments).content)
        assert screen.query_one("#new-comment", TextArea).text == ""


class CommentsRefused(LocalProvider):
    async def add_comment(self, board_id, card_id, text):
        raise ValidationError("Local board: comments are closed")


class CommentsDown(LocalProvider):
    async def add_comment(self, board_id, card_id, text):
        raise Unavailable("Local board: the disk is full")


async def test_a_refused_comment_keeps_the_typed_text(tmp_path):
    app = make_app(tmp_path, CommentsRefused)
    async with app.run_test(size=(80, 24)) as pilot:
        await board_ready(app, pilot)
        card = demo_card(app, lambda c: c.title.startswith("Move CI"))
        screen = await open_card(app, pilot, card)

        await pilot.press("c", *"Long", "ctrl+s")
        await settled(pilot)

        assert screen.query_one("#new-comment", TextArea).text == "Long"
        assert len(app.state.detail.comments) == 1
        assert app.state.error == "Local board: comments are closed"
        assert app.state.conflicts == 1


async def test_a_comment_while_offline_shows_at_once_and_waits(tmp_path):
    app = make_app(tmp_path, CommentsDown)
    async with app.run_test(size=(80, 24)) as pilot:
        await board_ready(app, pilot)
        card = demo_card(app, lambda c: c.title.startswith("Move CI"))
        await open_card(app, pilot, card)

        await pilot.press("c", *"Long", "ctrl+s")
        await settled(pilot)

        assert [comment.text for comment in app.state.detail.comments][-1] == "Long"
        assert app.state.pending == 1 and not app.state.online and app.state.error is None


async def test_space_toggles_the_highlighted_checklist_item(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await board_ready(app, pilot)
        card = demo_card(app, lambda c: c.title.startswith("Upgrade PostgreSQL"))
        screen = await open_card(app, pilot, card)
        first = card.checklist[0]
        assert first.done

        await pilot.press("tab")  # from the scrolling body to the checklist
        assert isinstance(app.focused, Checklist)
        await pilot.press("space")
        await settled(pilot)

        assert not app.state.detail.card.checklist[0].done
        assert str(screen.query_one(Checklist).get_option_at_index(0).prompt).startswith("[ ]")
        assert "Checklist 0/3 done" in str(screen.query_one("#checklist-heading", Static).content)


async def test_plus_adds_a_checklist_item(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await board_ready(app, pilot)
        card = demo_card(app, lambda c: c.title.startswith("Upgrade PostgreSQL"))
        screen = await open_card(app, pilot, card)

        await pilot.press("plus", *"Ask", "enter")
        await settled(pilot)

        assert [item.text for item in app.state.detail.card.checklist][-1] == "Ask"
        assert screen.query_one(Checklist).option_count == 4
        assert screen.query_one("#new-item", Input).value == ""


class NoComments(LocalProvider):
    capabilities = Capabilities(
        supported=LocalProvider.capabilities.supported - {Capability.COMMENTS}
    )


async def test_comments_the_provider_lacks_are_explained_not_offered(tmp_path):
    app = make_app(tmp_path, NoComments)
    async with app.run_test(size=(80, 24)) as pilot:
        await board_ready(app, pilot)
        card = demo_card(app, lambda c: c.title.startswith("Move CI"))
        screen = await open_card(app, pilot, card)

        assert not screen.query("#new-comment")
        reason = "Local board does not support comments"
        assert reason in [str(static.content) for static in screen.query(".card--unsupported")]
        await pilot.press("c")
        assert reason in notifications(app)


async def test_escape_leaves_a_text_box_first_then_closes_the_card(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await board_ready(app, pilot)
        card = demo_card(app, lambda c: c.title.startswith("Move CI"))
        screen = await open_card(app, pilot, card)

        await pilot.press("c", "x", "escape")
        assert app.screen is screen
        assert screen.query_one("#new-comment", TextArea).text == "x"
        await pilot.press("escape")
        assert app.screen is not screen
        assert app.state.detail is None


async def test_e_edits_the_open_card(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await board_ready(app, pilot)
        card = demo_card(app, lambda c: c.title.startswith("Move CI"))
        await open_card(app, pilot, card)

        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, CardFormScreen)
        assert form.query_one("#title", Input).value == card.title
        assert form.query_one("#description", TextArea).text == card.description


# --- the form --------------------------------------------------------------------------


async def open_form(app: CardboardApp, pilot, form: CardFormScreen) -> list[Card | None]:
    """Push the form; the returned list receives what it is dismissed with."""
    results: list[Card | None] = []
    await app.push_screen(form, results.append)
    await pilot.pause()
    return results


async def test_a_new_card_needs_a_title(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await board_ready(app, pilot)
        board = app.state.board
        form = CardFormScreen.new(board, column_named(app, "Backlog"), lane_named(app, "Standard"))
        results = await open_form(app, pilot, form)

        await pilot.press("space", "space", "ctrl+s")
        await settled(pilot)

        error = form.query_one("#title-error", Static)
        assert error.display and str(error.content) == "A card needs a title."
        assert app.focused is form.query_one("#title", Input)
        assert app.screen is form and results == []
        assert app.state.board.cards == board.cards


async def test_a_new_card_is_saved_and_shown_on_the_board(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await board_ready(app, pilot)
        ready, expedite = column_named(app, "Ready"), lane_named(app, "Expedite")
        form = CardFormScreen.new(app.state.board, ready, expedite)
        results = await open_form(app, pilot, form)

        await pilot.press(*"DKIM", "tab", "tab", "tab")  # title, column, lane
        await pilot.press(*"**Fri**")  # the description
        await pilot.press("ctrl+s")
        await settled(pilot)

        [created] = results
        assert created is not None and not created.id.startswith("new:")
        assert (created.title, created.column_id, created.lane_id) == ("DKIM", ready, expedite)
        assert created.description == "**Fri**"
        assert app.state.card(created.id) == created


class RecordingProvider(LocalProvider):
    def __init__(self, connection):
        super().__init__(connection)
        self.updates: list[CardChanges] = []

    async def update_card(self, board_id, card_id, changes):
        self.updates.append(changes)
        return await super().update_card(board_id, card_id, changes)


async def test_editing_the_title_sends_only_the_title(tmp_path):
    app = make_app(tmp_path, RecordingProvider)
    async with app.run_test(size=(80, 24)) as pilot:
        await board_ready(app, pilot)
        card = demo_card(app, lambda c: c.title.startswith("Move CI"))
        results = await open_form(app, pilot, CardFormScreen.edit(app.state.board, card))

        await pilot.press("ctrl+u", *"CI", "ctrl+s")
        await settled(pilot)

        [changes] = app.store.provider.updates
        assert changes.fields_set == {"title"}
        assert results[0].title == "CI"
        assert app.state.card(card.id).title == "CI"


class SaveFails(LocalProvider):
    async def update_card(self, board_id, card_id, changes):
        raise ValidationError("Local board: database is locked")


async def test_a_failed_save_keeps_the_draft_and_shows_why(tmp_path):
    app = make_app(tmp_path, SaveFails)
    async with app.run_test(size=(80, 24)) as pilot:
        await board_ready(app, pilot)
        card = demo_card(app, lambda c: c.title.startswith("Move CI"))
        form = CardFormScreen.edit(app.state.board, card)
        results = await open_form(app, pilot, form)

        await pilot.press("ctrl+u", *"New", "ctrl+s")
        await settled(pilot)

        assert app.screen is form and results == []
        assert form.query_one("#title", Input).value == "New"
        error = form.query_one("#form-error", Static)
        assert error.display and "database is locked" in str(error.content)
        assert app.state.card(card.id).title == card.title  # a refusal is not shown as done


async def test_escape_asks_before_throwing_changes_away(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await board_ready(app, pilot)
        card = demo_card(app, lambda c: c.title.startswith("Move CI"))
        form = CardFormScreen.edit(app.state.board, card)
        results = await open_form(app, pilot, form)

        await pilot.press("x", "escape")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        assert app.screen is form and form.query_one("#title", Input).value.endswith("x")
        await pilot.press("escape", "y")
        await pilot.pause()
        assert results == [None]


class FewFields(LocalProvider):
    capabilities = Capabilities(
        supported=LocalProvider.capabilities.supported - {Capability.LABELS, Capability.PRIORITY}
    )


async def test_the_form_shows_only_fields_the_provider_supports_and_says_why(tmp_path):
    app = make_app(tmp_path, FewFields)
    async with app.run_test(size=(80, 24)) as pilot:
        await board_ready(app, pilot)
        card = demo_card(app, lambda c: c.title.startswith("Move CI"))
        form = CardFormScreen.edit(app.state.board, card)
        await open_form(app, pilot, form)

        assert not form.query("#labels") and not form.query("#priority")
        assert form.query("#assignee") and form.query("#due")
        notes = [str(note.content) for note in form.query(".form--note")]
        assert (
            "Local board does not support labels. Local board does not support priority." in notes
        )


async def test_escape_without_changes_just_closes(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await board_ready(app, pilot)
        card = demo_card(app, lambda c: c.title.startswith("Move CI"))
        results = await open_form(app, pilot, CardFormScreen.edit(app.state.board, card))

        await pilot.press("escape")
        await pilot.pause()
        assert results == [None]
