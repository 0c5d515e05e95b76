"""What the board screen draws, and its cursor: split off `BoardScreen` (board.py) to
keep each file readable; nothing else derives from it.

The screen owns the cursor (a column and a card id) and draws `app.state`. It groups
the cards again only when the board or the filter changed, and then only the cells a
change touched (`tui.core.board_view`); each column is handed its own cards, so moving
the cursor redraws two tiles and moving a card redraws two columns.
"""

from __future__ import annotations

from datetime import date
from typing import Self

from rich.text import Text
from textual.containers import HorizontalScroll
from textual.geometry import Region
from textual.widget import Widget
from textual.widgets import Static

from tui.core.board_view import ColumnView, FilteredViews, column_totals, grouped
from tui.core.filtering import CardFilter
from tui.core.models import BoardContent, Card
from tui.core.store import State
from tui.ui.screens import board_filter, board_marks
from tui.ui.screens.base import StoreScreen
from tui.ui.widgets.card_list import CardList
from tui.ui.widgets.column import BoardColumn, columns_fit
from tui.ui.widgets.status_bar import StatusBar


class BoardDrawing(StoreScreen):
    def __init__(self) -> None:
        super().__init__()
        self.views: tuple[ColumnView, ...] = ()
        self._filtered = FilteredViews(None)
        self.ahead = board_filter.Ahead()
        self.totals: dict[str, int] = {}
        self.column_index = 0
        self.card_id: str | None = None
        self._row = 0
        """The cursor's place in its column, for the card that takes a vanished card's place."""
        self._concerned: str | None = None
        """The card an archive or delete in flight is about: if it comes back, so does the cursor."""
        self._hint = ""
        self.marks = board_marks.Marks()
        self.mark_hint = ""
        """What the marks are for, in the status bar while there are any."""

    # --- drawing --------------------------------------------------------------------

    _due: State | None = None
    """The state to draw once the changes in hand are over, if one is waiting."""

    def _state_changed(self, state: State) -> None:
        """Draw the state once the burst of changes it came in is over: a move of a card
        on a local board is queued, sent and confirmed (three states) before the screen
        could show any of them, and drawing each would cost three times over."""
        if self._due is None:
            self.call_next(self._draw_due)
        self._due = state

    def _draw_due(self) -> None:
        state, self._due = self._due, None
        if state is not None:
            self.render_state(state)

    def render_state(self, state: State) -> None:
        previous = self.views
        # Identity, not equality: the store replaces what changed, and comparing two
        # boards field by field would cost as much as re-grouping them.
        changed = (
            state.board is not self._board
            or state.filter is not self._filter
            or state.matches is not self._matches
        )
        if state.filter is not self._filter or state.matches is not self._matches:
            self._filtered = self.ahead.views(state)
        if state.board is None:
            self.views = ()
        elif not previous or changed:
            self.views = self._filtered.views(state.board)
            if state.column_totals is not None:  # a big board's first cards: counts are known
                self.totals = dict(state.column_totals)
            else:
                self.totals = column_totals(state.board)
        self._board, self._filter, self._matches = state.board, state.filter, state.matches
        self._offer_keys()  # the footer offers the card keys only with a board
        if self.views is not previous:
            self._draw_columns()
        self._show_notice(state.board.notice if state.board else None)
        pending, conflicts = state.pending_cards, state.conflict_cards
        for column in self.query(BoardColumn):  # a sign on cards whose changes wait
            column.cards.mark(pending, conflicts, state.changed)
        self._saw_cursor()
        self.show_status()
        if state.board is None and state.error and not state.loading:
            self.query_one("#message", Static).update(
                Text(
                    f"Could not open the board.\n{state.error}\n\nr to retry · b for another board"
                )
            )

    _board: BoardContent | None = None
    _filter: CardFilter | None = None
    _matches: frozenset[str] | None = None
    _notice: str | None = None

    def _show_notice(self, notice: str | None) -> None:
        """What the provider could not show, said above the columns (e.g. unplaced items)."""
        if notice == self._notice:
            return
        self._notice = notice
        banner = self.query_one("#notice", Static)
        banner.update(Text(f"ⓘ {notice}") if notice else "")  # service text: never markup
        banner.set_class(bool(notice), "-visible")

    def _draw_columns(self) -> None:
        container = self.query_one("#columns", HorizontalScroll)
        columns = list(container.query(BoardColumn))
        wanted = [view.column.id for view in self.views]
        if [column.column_id for column in columns] != wanted:
            container.remove_children()
            columns = [BoardColumn(column_id) for column_id in wanted]
            self._fit_columns(columns)
            if columns:
                container.mount_all(columns)
            else:
                container.mount(
                    Static("Loading…" if self.store.state.loading else "", id="message")
                )
        self._keep_cursor_valid()
        self._offer_keys()
        show_lanes = bool(self._board and self._board.lanes)
        today = date.today()
        for index, (column, view) in enumerate(zip(columns, self.views, strict=False)):
            column.show(
                view,
                self.totals.get(view.column.id, 0),
                show_lanes=show_lanes,
                selected=self.card_id if index == self.column_index else None,
                active=index == self.column_index,
                today=today,
                selected_row=self._row if index == self.column_index else None,
            )
        if self.marks:
            state = self.store.state
            self.marks.keep({card_id for card_id in self.marks.ids if state.card(card_id)})
        board_marks.show(self)
        self.call_after_refresh(self._scroll_to_cursor)

    def show_status(self) -> None:
        self.query_one(StatusBar).show(self.store.state, self.mark_hint or self._hint)

    def on_resize(self) -> None:
        self._fit_columns(list(self.query(BoardColumn)))

    def _fit_columns(self, columns: list[BoardColumn]) -> None:
        """Columns share the width within config.toml's bounds; below the narrowest, it scrolls."""
        narrowest, widest = self.app.settings.board.column_widths
        container = self.query_one("#columns", HorizontalScroll)
        room = self.size.width - container.styles.gutter.width
        share = columns_fit(len(columns), room, narrowest)
        for column in columns:
            column.fit(narrowest, widest, share=share)

    def _keep_cursor_valid(self) -> None:
        """After a change, keep the cursor on its card, or on the one that took its place.

        The card an action is about comes first: when a failed archive brings it back,
        the cursor is on it again, so the next key acts on that card and no other.
        """
        if not self.views:
            self.column_index, self.card_id = 0, None
            return
        for wanted in (self._concerned, self.card_id):
            place = self._place_of(wanted) if wanted is not None else None
            if place is not None:
                self.column_index, self._row = place
                self.card_id = wanted
                return
        self.column_index = min(self.column_index, len(self.views) - 1)
        cards = self.views[self.column_index].cards
        self.card_id = cards[min(self._row, len(cards) - 1)].id if cards else None

    def _place_of(self, card_id: str) -> tuple[int, int] | None:
        """The column and row of the card with this id (the first, should two share it)."""
        card = self.store.state.card(card_id)
        if card is not None and self._board is not None and grouped(self._board).movable:
            # No two cards share an id: it can only be in its own column, found there by
            # its sort key, with no index of thousands of ids to make.
            for index, view in enumerate(self.views):
                if view.column.id == card.column_id and (row := view.row_of(card)) is not None:
                    return index, row
        for index, view in enumerate(self.views):
            if (row := view.rows.get(card_id)) is not None:
                return index, row
        return None

    def _scroll_to_cursor(self) -> None:
        columns = list(self.query(BoardColumn))
        if not columns:
            return
        column = columns[self.column_index]
        self.query_one("#columns", HorizontalScroll).scroll_to_widget(
            column, animate=False, immediate=True
        )
        column.cards.scroll_to_card(self.card_id)

    @property
    def selected_card(self) -> Card | None:
        return self.store.state.card(self.card_id) if self.card_id else None

    # --- moving the cursor ----------------------------------------------------------

    def action_cursor(self, dx: int, dy: int) -> None:
        if not self.views:
            return
        old_column = self.column_index
        cards = self.views[old_column].cards
        row = self._row  # where the cursor is, unless the column changed under it
        if not (row < len(cards) and cards[row].id == self.card_id):
            row = self.views[old_column].rows.get(self.card_id, 0) if self.card_id else 0
        if dx:
            self.column_index = max(0, min(len(self.views) - 1, old_column + dx))
            cards = self.views[self.column_index].cards
            row = min(row, len(cards) - 1)
        elif cards:
            row = max(0, min(len(cards) - 1, row + dy))
        self.card_id = cards[row].id if cards else None
        self._row = max(row, 0)
        self._show_cursor(old_column)

    def _show_cursor(self, old_column: int) -> None:
        columns = list(self.query(BoardColumn))
        if old_column != self.column_index and old_column < len(columns):
            columns[old_column].cards.select(None)
            columns[old_column].header.set_class(False, "-active")
        column = columns[self.column_index]
        column.header.set_class(True, "-active")
        column.cards.select(self.card_id, self._row)
        self._offer_keys()
        self._scroll_to_cursor()
        self._saw_cursor()

    def _saw_cursor(self) -> None:
        """The card under the cursor is looked at: a change marked on it is seen."""
        if self.card_id is not None and self.card_id in self.store.state.changed:
            self.store.saw(self.card_id)

    _offered: tuple[bool, bool] | None = None

    def _offer_keys(self) -> None:
        """Have the footer show the keys `check_action` allows, when that changes: the
        board's keys with a board, the card's on a card. Only then, as the footer is
        rebuilt each time it is told (a cost on every key, for nothing)."""
        offered = (self._board is not None, self.card_id is not None)
        if offered != self._offered:
            self._offered = offered
            self.refresh_bindings()

    def on_card_list_card_clicked(self, event: CardList.CardClicked) -> None:
        old_column = self.column_index
        columns = list(self.query(BoardColumn))
        self.column_index = next(i for i, c in enumerate(columns) if c.cards is event.card_list)
        self.card_id = event.card.id
        self._row = self.views[self.column_index].rows.get(self.card_id, 0)
        self._show_cursor(old_column)

    # --- focus --------------------------------------------------------------------

    _focusing = False

    def set_focus(
        self, widget: Widget | None, scroll_visible: bool = True, from_app_focus: bool = False
    ) -> None:
        # Textual redraws the whole screen when the focus moves (its `focused` repaints);
        # the widgets whose look depends on focus redraw themselves as their styles
        # change. A whole board redrawn costs a frame's time: opening the filter moves
        # the focus, and would.
        self._focusing = True
        try:
            super().set_focus(widget, scroll_visible, from_app_focus)
        finally:
            self._focusing = False

    def refresh(
        self, *regions: Region, repaint: bool = True, layout: bool = False, recompose: bool = False
    ) -> Self:
        if self._focusing and not (regions or layout or recompose):
            return self  # see set_focus
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)
