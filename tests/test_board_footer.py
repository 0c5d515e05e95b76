"""The board's footer comes after its first frame with cards, and never waits for a service."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from tests.conftest import ScriptedService
from tests.support.pilot import settled, until
from tests.support.ui import make_app
from tui.ui.screens.board import BoardScreen
from tui.ui.widgets.column import BoardColumn


def footer_keys(screen: BoardScreen) -> list[str]:
    return [key.description for key in screen.query(FooterKey)]


@pytest.fixture
def drawn_when_shown(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Each time the footer is mounted: whether a column had drawn its cards by then."""
    seen: list[bool] = []
    show_keys = BoardScreen._show_keys

    async def recording(screen: BoardScreen) -> None:
        if screen.query("#keys-space"):
            seen.append(any(column.cards.drawn for column in screen.query(BoardColumn)))
        await show_keys(screen)

    monkeypatch.setattr(BoardScreen, "_show_keys", recording)
    return seen


async def test_the_keys_come_once_the_boards_cards_are_drawn(
    tmp_path: Path, drawn_when_shown: list[bool]
):
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        await settled(pilot)
        screen = app.screen
        assert isinstance(screen, BoardScreen)
        # The footer builds its keys after the refresh that follows its mounting.
        await until(pilot, lambda: "Quit" in footer_keys(screen), "the footer's keys")
        assert drawn_when_shown == [True]  # shown once, after the cards were drawn
        assert len(screen.query(Footer)) == 1 and not screen.query("#keys-space")
        assert {"Open", "New", "Filter", "Quit"} <= set(footer_keys(screen))


async def test_a_services_keys_do_not_wait_for_its_answer(tmp_path: Path):
    app = make_app(tmp_path, ScriptedService)
    answer = app.store.provider.hold["load_board"] = asyncio.Event()  # type: ignore[attr-defined]
    async with app.run_test(size=(120, 30)) as pilot:
        screen = app.screen
        await until(pilot, lambda: "Quit" in footer_keys(screen), "the keys while loading")
        assert app.state.board is None and app.state.loading  # the service has not answered
        answer.set()
        await settled(pilot)
        assert app.state.board is not None and len(screen.query(Footer)) == 1


async def test_a_board_seen_before_shows_its_keys_after_its_copy_is_drawn(
    tmp_path: Path, drawn_when_shown: list[bool]
):
    first = make_app(tmp_path, ScriptedService)
    async with first.run_test(size=(120, 30)) as pilot:
        await settled(pilot)  # the board is cached
        board_id = first.state.board.board.id  # type: ignore[union-attr]
    drawn_when_shown.clear()  # this start's footer only
    again = make_app(tmp_path, ScriptedService)
    again.initial_board = board_id
    answer = again.store.provider.hold["load_board"] = asyncio.Event()  # type: ignore[attr-defined]
    async with again.run_test(size=(120, 30)) as pilot:
        screen = again.screen
        await until(pilot, lambda: "Quit" in footer_keys(screen), "the keys of the cached board")
        assert again.state.cached_at is not None and again.state.loading  # still no answer
        assert drawn_when_shown == [True]
        answer.set()
        await settled(pilot)
