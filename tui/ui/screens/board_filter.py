"""The board's filter field: `/` opens it over the columns, enter applies what is typed,
escape clears the filter (and closes the field).

A pause in typing is used to filter the board by what is typed so far, so that enter
has only to show it: filtering 50,000 cards takes longer than a frame.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from textual.timer import Timer
from textual.widgets import Input

from tui.core.board_view import FilteredViews
from tui.core.filtering import CardFilter
from tui.core.state import State

if TYPE_CHECKING:
    from tui.ui.screens.board import BoardScreen
    from tui.ui.screens.board_drawing import BoardDrawing

PAUSE = 0.05
"""Seconds without a key after which what is typed is filtered ahead."""


class Ahead:
    """The board filtered by what is typed, before enter applies it."""

    def __init__(self) -> None:
        self._timer: Timer | None = None
        self._made: tuple[CardFilter, date, FilteredViews] | None = None

    def typed(self, screen: BoardDrawing) -> None:
        self.cancel()
        self._timer = screen.set_timer(PAUSE, lambda: self._filter(screen))

    def cancel(self) -> None:
        """No filtering ahead of what is typed now: the field is closing."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def _filter(self, screen: BoardDrawing) -> None:
        self._timer = None
        state = screen.store.state
        try:
            wanted = CardFilter.parse(field(screen).value)
        except ValueError:
            return  # said on enter
        if state.board is not None and wanted and wanted != state.filter:
            views = FilteredViews(wanted.matches)
            views.views(state.board)
            self._made = (wanted, date.today(), views)

    def views(self, state: State) -> FilteredViews:
        """What draws the state's filter: the views made ahead, if they are of it (and
        of today, which `due:` depends on), else new ones."""
        made, self._made = self._made, None
        if made is not None and state.matches is None:
            wanted, day, views = made
            if wanted == state.filter and day == date.today():
                return views
        return FilteredViews(state.keep)


def field(screen: BoardDrawing) -> Input:
    return screen.query_one("#filter", Input)


def open_field(screen: BoardScreen) -> None:
    typed = field(screen)
    typed.value = screen.store.state.filter.query
    typed.add_class("-visible")
    # At once, not after a refresh (focus()): keys typed right after / are the filter's,
    # never the board's ("/label" must not archive a card on its "a").
    screen.set_focus(typed)


def apply(screen: BoardScreen, query: str) -> None:
    try:
        CardFilter.parse(query)
    except ValueError as problem:  # keep the field open with what was typed
        screen.notify(str(problem), severity="warning")
        return
    screen.dispatch(screen.store.apply_filter(query), "filter the board")
    close_field(screen)


def clear(screen: BoardScreen) -> None:
    if field(screen).has_class("-visible") or screen.store.state.filter:
        screen.dispatch(screen.store.apply_filter(""), "clear the filter")
        close_field(screen)


def close_field(screen: BoardScreen) -> None:
    screen.ahead.cancel()
    field(screen).remove_class("-visible")
    screen.set_focus(None)
