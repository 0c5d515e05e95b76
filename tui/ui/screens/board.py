"""The board: columns side by side, lanes inside them, a cursor on one card.

The screen turns keys into store actions; what it draws and where its cursor is are
`BoardDrawing`'s (board_drawing.py), the filter field is board_filter.py's.
"""

from __future__ import annotations

from collections.abc import Awaitable
from functools import partial
from importlib import import_module

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import HorizontalScroll
from textual.widgets import Footer, Input, Static

from tui.core.board_view import (
    board_lanes,
    default_lane,
    lane_key,
    next_column_target,
    reorder_target,
)
from tui.core.errors import ConfigError, Conflict
from tui.core.lookup import open_board
from tui.core.models import Card
from tui.core.provider import Capability
from tui.ui import navigation
from tui.ui.screens import board_filter, board_marks
from tui.ui.screens.board_drawing import BoardDrawing
from tui.ui.screens.board_feedback import (
    hidden_by_filter,
    over_limit_after_move,
    quoted,
    undo_hint,
)
from tui.ui.screens.board_keys import BOARD_KEYS, NEEDS_BOARD, NEEDS_CARD, REQUIRES
from tui.ui.screens.dialogs import ConfirmScreen, OverrideScreen
from tui.ui.timer_actions import toggle_timer
from tui.ui.widgets.column import BoardColumn
from tui.ui.widgets.status_bar import StatusBar

CARD_SCREEN = "tui.ui.screens.card"
PAINT_REFRESHES = 8
"""Refreshes to wait at most for the board's first frame: 3 or 4 bring it."""


class BoardScreen(BoardDrawing):
    AUTO_FOCUS = ""  # keys go to the board, not to the hidden filter field

    BINDINGS = BOARD_KEYS
    REQUIRES = REQUIRES
    # Its styles are in cardboard.tcss.

    def __init__(self, board_id: str | None):
        super().__init__()
        self.board_id = board_id

    def compose(self) -> ComposeResult:
        # First, though drawn over the columns (cardboard.tcss): Textual orders what it
        # draws by the place among the screen's children counted from the last, so the
        # field showing or going changes no other widget's place, and nothing is redrawn.
        yield Input(
            placeholder="filter: words, label:bug, @alice — enter to apply, escape to clear",
            id="filter",
        )
        yield Static(id="notice")
        with HorizontalScroll(id="columns", can_focus=False):
            yield Static("Loading…", id="message")
        yield StatusBar()
        # The footer's line, kept until the footer comes (see `_show_keys`).
        yield Static(id="keys-space")

    def on_mount(self) -> None:
        self.watch(self.app, "state", self._state_changed)
        self.dispatch(self.open_first_board(), "open the board")

    async def open_first_board(self) -> None:
        try:
            await self._open_first_board()
        finally:  # however the opening ended, the keys come once what it drew is out
            if self.query("#keys-space"):  # a worker of their own: a failure is said at once
                self.run_worker(self._show_keys_when_painted(), description="show the keys")

    async def _painted(self) -> None:
        """Until the board's first frame with cards is out; at most a few refreshes, as
        a board covered by another screen draws nothing, and without a board one."""
        for _ in range(PAINT_REFRESHES):
            await self.wait_for_refresh()
            columns = self.query(BoardColumn)
            # Any column's cards drawn: the frame with them all is written, as a frame
            # draws every column on screen and is written with no await between.
            if not columns or any(column.cards.drawn for column in columns):
                return

    async def _show_keys_when_painted(self) -> None:
        await self._painted()
        await self._show_keys()

    async def _show_keys(self) -> None:
        """Mount the footer, once. It comes after the board's first frame, which it would
        otherwise delay by 30-55 ms: its keys are widgets, built again as bindings settle."""
        spaces = self.query("#keys-space")
        if spaces:
            await self.mount(Footer(), before=spaces.first())
            await spaces.remove()
            self.refresh_bindings()  # a footer hears of the keys when they change

    async def _open_first_board(self) -> None:
        remote = not self.store.provider.on_this_machine
        board_id = self.board_id
        if board_id is None:
            if remote:
                await self._show_keys()  # a service may take seconds: the keys do not wait
            boards = await self.store.load_boards()
            if not boards:
                self.query_one("#message", Static).update("This account has no boards.")
                return
            board_id = boards[0].id
        if await self.store.open_board_start(board_id):
            # Drawn before the rest of a big board is read or the service is asked, either
            # of which holds the loop a while (the first request imports httpx, 40 ms).
            await self._show_keys_when_painted()
        elif remote:
            await self._show_keys()  # nothing to show until the service answers
        try:  # `cardboard --board Website`: a name works as the CLI takes it
            content = await open_board(self.store, board_id)
        except ConfigError as problem:  # no such board: say which there are
            self.query_one("#message", Static).update(Text(f"{problem}\n\nb for another board"))
            return
        self.app.remember_board(content.board.id)
        # Off the loop, once the board is there: its Markdown widget takes 50 ms to
        # import, which the first `enter` would otherwise wait for.
        self.run_worker(
            partial(import_module, CARD_SCREEN),
            thread=True,
            description="load the card screen",
            exit_on_error=False,
        )

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
        # Imported here, not at start-up: its Markdown widget would delay the first paint.
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
            self._draw_due()  # while the cursor still follows the card
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
        board_filter.open_field(self)

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "filter":
            self.ahead.typed(self)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "filter":
            board_filter.apply(self, event.value)

    def action_clear_filter(self) -> None:
        if self.marks:  # escape clears the marks first, then the filter
            self.marks.clear()
            board_marks.show(self)
            return
        board_filter.clear(self)
