"""The board: columns side by side, lanes inside them, a cursor on one card.

The screen owns the cursor (a column and a card id) and turns keys into store
actions; what it draws comes from `app.state`. It re-groups the cards only when the
board or the filter changed, and hands each column only its own cards, so moving the
cursor redraws two tiles and moving a card redraws two columns.
"""

from __future__ import annotations

from collections.abc import Awaitable
from datetime import date
from functools import partial

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import HorizontalScroll
from textual.widgets import Footer, Input, Static

from tui.core.board_view import (
    ColumnView,
    board_lanes,
    cards_of,
    column_totals,
    default_lane,
    group_cards,
    lane_key,
    next_column_target,
    reorder_target,
)
from tui.core.errors import ConfigError, Conflict
from tui.core.filtering import CardFilter
from tui.core.lookup import open_board
from tui.core.models import BoardContent, Card
from tui.core.provider import Capability
from tui.core.store import State
from tui.ui import navigation
from tui.ui.screens import board_marks
from tui.ui.screens.base import StoreScreen
from tui.ui.screens.board_feedback import (
    hidden_by_filter,
    over_limit_after_move,
    quoted,
    undo_hint,
)
from tui.ui.screens.board_keys import BOARD_KEYS, NEEDS_BOARD, NEEDS_CARD, REQUIRES
from tui.ui.screens.dialogs import ConfirmScreen, OverrideScreen
from tui.ui.timer_actions import toggle_timer
from tui.ui.widgets.card_list import CardList
from tui.ui.widgets.column import BoardColumn, columns_fit
from tui.ui.widgets.status_bar import StatusBar


class BoardScreen(StoreScreen):
    AUTO_FOCUS = ""  # keys go to the board, not to the hidden filter field

    BINDINGS = BOARD_KEYS
    REQUIRES = REQUIRES
    # Its styles are in cardboard.tcss.

    def __init__(self, board_id: str | None):
        super().__init__()
        self.board_id = board_id
        self.views: tuple[ColumnView, ...] = ()
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

    def compose(self) -> ComposeResult:
        yield Static(id="notice")
        with HorizontalScroll(id="columns", can_focus=False):
            yield Static("Loading…", id="message")
        yield Input(
            placeholder="filter: words, label:bug, @alice — enter to apply, escape to clear",
            id="filter",
        )
        yield StatusBar()
        yield Footer()

    def on_mount(self) -> None:
        self.watch(self.app, "state", self.render_state)
        self.dispatch(self.open_first_board(), "open the board")

    async def open_first_board(self) -> None:
        board_id = self.board_id
        if board_id is None:
            boards = await self.store.load_boards()
            if not boards:
                self.query_one("#message", Static).update("This account has no boards.")
                return
            board_id = boards[0].id
        if await self.store.open_board_start(board_id):
            # Drawn before the rest of a big board is read, which holds the loop a while.
            # Twice: the first refresh may come before the new columns are mounted.
            await self.wait_for_refresh()
            await self.wait_for_refresh()
        try:  # `cardboard --board Website`: a name works as the CLI takes it
            content = await open_board(self.store, board_id)
        except ConfigError as problem:  # no such board: say which there are
            self.query_one("#message", Static).update(Text(f"{problem}\n\nb for another board"))
            return
        self.app.remember_board(content.board.id)

    # --- drawing --------------------------------------------------------------------

    def render_state(self, state: State) -> None:
        previous = self.views
        # Identity, not equality: the store replaces what changed, and comparing two
        # boards field by field would cost as much as re-grouping them.
        changed = (
            state.board is not self._board
            or state.filter is not self._filter
            or state.matches is not self._matches
        )
        if state.board is None:
            self.views = ()
        elif not previous or changed:
            self.views = group_cards(state.board, state.shows if state.filter else None)
            if state.column_totals is not None:  # a big board's first cards: counts are known
                self.totals = dict(state.column_totals)
            elif state.filter:
                self.totals = column_totals(state.board)
            else:
                self.totals = {view.column.id: view.card_count for view in self.views}
        if (state.board is None) != (self._board is None):
            self.refresh_bindings()  # the footer offers the card keys only with a board
        self._board, self._filter, self._matches = state.board, state.filter, state.matches
        if self.views is not previous:
            self._draw_columns()
        self._show_notice(state.board.notice if state.board else None)
        pending, conflicts = state.pending_cards, state.conflict_cards
        for column in self.query(BoardColumn):  # a sign on cards whose changes wait
            column.cards.mark(pending, conflicts)
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
        self.refresh_bindings()
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
            )
        if self.marks and self._board is not None:
            self.marks.keep({card.id for card in self._board.cards})
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
            for index, view in enumerate(self.views):
                ids = [card.id for card in cards_of(view)]
                if wanted in ids:
                    self.column_index, self.card_id, self._row = index, wanted, ids.index(wanted)
                    return
        self.column_index = min(self.column_index, len(self.views) - 1)
        cards = cards_of(self.views[self.column_index])
        self.card_id = cards[min(self._row, len(cards) - 1)].id if cards else None

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
        cards = cards_of(self.views[old_column])
        position = next((i for i, card in enumerate(cards) if card.id == self.card_id), 0)
        if dx:
            self.column_index = max(0, min(len(self.views) - 1, old_column + dx))
            target = cards_of(self.views[self.column_index])
            self.card_id = target[min(position, len(target) - 1)].id if target else None
        elif cards:
            self.card_id = cards[max(0, min(len(cards) - 1, position + dy))].id
        self._show_cursor(old_column)

    def _show_cursor(self, old_column: int) -> None:
        columns = list(self.query(BoardColumn))
        if old_column != self.column_index and old_column < len(columns):
            columns[old_column].cards.select(None)
            columns[old_column].header.set_class(False, "-active")
        column = columns[self.column_index]
        column.header.set_class(True, "-active")
        column.cards.select(self.card_id)
        ids = [card.id for card in cards_of(self.views[self.column_index])]
        self._row = ids.index(self.card_id) if self.card_id in ids else 0
        self.refresh_bindings()  # the card keys work only where there is a card
        self._scroll_to_cursor()

    def on_card_list_card_clicked(self, event: CardList.CardClicked) -> None:
        old_column = self.column_index
        columns = list(self.query(BoardColumn))
        self.column_index = next(i for i, c in enumerate(columns) if c.cards is event.card_list)
        self.card_id = event.card.id
        self._show_cursor(old_column)

    # --- changing cards -------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Hide what needs a board while none is open; disable what needs a card on none."""
        if self._board is None and action in NEEDS_BOARD:
            return False
        if self.card_id is None and action in NEEDS_CARD:
            return None
        return True

    def why_unavailable(self, action: str) -> str | None:
        capability = self.REQUIRES.get(action)
        return self.store.provider.why_not(capability) if capability else None

    def _allowed(self, action: str) -> bool:
        reason = self.why_unavailable(action)
        if reason:
            self.notify(reason, severity="warning")
        return reason is None

    def _needs_card(self) -> Card | None:
        card = self.selected_card
        if card is None:
            self.notify("No card selected", severity="warning")
        return card

    def action_move(self, step: int) -> None:
        card = self._needs_card()
        if card is None or self._board is None or not self._allowed("move"):
            return
        target = next_column_target(self._board, card, step)
        if target is None:
            self.notify("Already in the first column" if step < 0 else "Already in the last column")
            return
        self.dispatch(self._move(card, *target), "move the card")

    def action_move_lane(self, step: int) -> None:
        """To the top of the lane above/below, same column."""
        card = self._needs_card()
        if card is None or self._board is None or not self._allowed("move_lane"):
            return
        lanes = [lane.id for lane in board_lanes(self._board)]
        index = lanes.index(lane_key(self._board, card)) + step
        if not self._board.lanes or not 0 <= index < len(lanes):
            self.notify("No lane above" if step < 0 else "No lane below")
            return
        self.dispatch(self._move(card, card.column_id, lanes[index], 0), "move the card")

    def action_reorder(self, step: int) -> None:
        card = self._needs_card()
        if card is None or self._board is None or not self._allowed("reorder"):
            return
        target = reorder_target(self._board, card, step)
        if target is None:
            self.notify("Already at the top" if step < 0 else "Already at the bottom")
            return
        self.dispatch(self._move(card, *target), "move the card")

    async def _move(self, card: Card, column_id: str, lane_id: str, index: int) -> None:
        """Move; if the service refuses over a WIP limit it lets users break, ask for a reason."""
        try:
            await self.store.move_card(card.id, column_id, lane_id, index)
        except Conflict as refusal:
            if not refusal.overridable:
                raise
            reason = await self.app.push_screen_wait(OverrideScreen(str(refusal)))
            if not reason:
                return
            await self.store.move_card(card.id, column_id, lane_id, index, override_reason=reason)
        over = over_limit_after_move(self.store.state, column_id)
        if over and column_id != card.column_id:
            self.notify(over, severity="warning")

    def action_open_card(self) -> None:
        # Imported on first use: its Markdown widget costs ~0.1 s of first paint otherwise.
        from tui.ui.screens.card import CardScreen

        card = self._needs_card()
        if card is not None:
            self.app.push_screen(CardScreen(card.id))

    # The form, the board picker and the archive are imported on first use: the board
    # paints without them (the form's text area alone costs 20 ms of start-up).

    def action_new_card(self) -> None:
        from tui.ui.screens.card_form import CardFormScreen

        board = self._board
        if board is None or not self.views or not self._allowed("new_card"):
            return
        card = self.selected_card
        column = self.views[self.column_index].column
        lane_id = default_lane(board, card)
        self.app.push_screen(
            CardFormScreen.new(board, column.id, lane_id), partial(self._saved, created=True)
        )

    def action_edit_card(self) -> None:
        from tui.ui.screens.card_form import CardFormScreen

        card = self._needs_card()
        if card is not None and self._board is not None and self._allowed("edit_card"):
            self.app.push_screen(
                CardFormScreen.edit(self._board, card), partial(self._saved, created=False)
            )

    def _saved(self, card: Card | None, *, created: bool) -> None:
        if card is None:
            return
        if hidden := hidden_by_filter(self.store.state, card, created=created):
            self.notify(hidden, severity="warning")
        self.card_id = card.id
        self._draw_columns()

    async def _keeping_cursor(self, card: Card, action: Awaitable[object], said: str) -> None:
        """Run an archive or delete of `card`, then say `said`. Whatever the outcome, the
        cursor is where that card is, or, once it is gone, on the card in its place."""
        self._concerned = card.id
        try:
            await action
        finally:
            self._concerned = None
        self.notify(said)

    def action_delete_card(self) -> None:
        card = self._needs_card()
        if card is None or not self._allowed("delete_card"):
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                # No undo offered: undo has no inverse for a delete the service has done.
                said = f"Deleted {quoted(card.title)}"
                deleting = self._keeping_cursor(card, self.store.delete_card(card.id), said)
                self.dispatch(deleting, "delete the card")

        self.app.push_screen(
            ConfirmScreen("Delete card", f"Delete “{card.title}”? This cannot be undone."),
            confirmed,
        )

    def action_archive_card(self) -> None:
        card = self._needs_card()
        if card is not None and self._allowed("archive_card"):
            # Undo brings it back only where the service restores archived cards.
            hint = undo_hint(self) if self.store.supports(Capability.RESTORE) else ""
            said = f"Archived {quoted(card.title)}{hint}"
            archiving = self._keeping_cursor(card, self.store.archive_card(card.id), said)
            self.dispatch(archiving, "archive the card")

    def action_timer(self) -> None:
        toggle_timer(self, self.selected_card)

    def action_triage(self) -> None:
        navigation.triage_column(self)

    def action_mark(self) -> None:
        board_marks.toggle(self)

    def action_mark_range(self) -> None:
        board_marks.extend(self)

    def action_archived(self) -> None:
        from tui.ui.screens.archived import open_archived

        open_archived(self)

    def action_bulk(self) -> None:
        board_marks.open_bulk(self)

    def action_undo(self) -> None:
        self.dispatch(board_marks.undo(self), "undo")

    def action_refresh(self) -> None:
        if self._board is None:
            self.dispatch(self.open_first_board(), "open the board")
        else:
            self.dispatch(self._refresh(), "refresh the board")

    async def _refresh(self) -> None:
        await self.store.refresh()
        state = self.store.state
        if problem := state.error or state.offline_reason:  # the board as last seen stays
            self.notify(problem, title="Not refreshed", severity="warning")
        else:
            self.notify("Refreshed")

    def action_pick_board(self) -> None:
        from tui.ui.screens.boards import BoardPickerScreen

        def chosen(board_id: str | None) -> None:
            if board_id:
                self.card_id = None
                self.app.remember_board(board_id)
                self.dispatch(self.store.open_board(board_id), "open the board")

        self.app.push_screen(BoardPickerScreen(), chosen)

    # --- filter ---------------------------------------------------------------------

    def action_filter(self) -> None:
        field = self.query_one("#filter", Input)
        field.value = self.store.state.filter.query
        field.add_class("-visible")
        # At once, not after a refresh (focus()): keys typed right after / are the filter's,
        # never the board's ("/label" must not archive a card on its "a").
        self.set_focus(field)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != "filter":
            return
        try:
            CardFilter.parse(event.value)
        except ValueError as problem:  # keep the field open with what was typed
            self.notify(str(problem), severity="warning")
            return
        self.dispatch(self.store.apply_filter(event.value), "filter the board")
        self._close_filter()

    def action_clear_filter(self) -> None:
        if self.marks:  # escape clears the marks first, then the filter
            self.marks.clear()
            board_marks.show(self)
            return
        if self.query_one("#filter", Input).has_class("-visible") or self.store.state.filter:
            self.dispatch(self.store.apply_filter(""), "clear the filter")
            self._close_filter()

    def _close_filter(self) -> None:
        field = self.query_one("#filter", Input)
        field.remove_class("-visible")
        self.set_focus(None)
