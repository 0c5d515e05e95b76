"""Marking cards on the board, then one action on all of them, and undo.

`space` marks the card and moves on (mark-and-advance, as mail readers do), `V` marks
every card between the last one marked and the cursor, `escape` clears the marks, `x`
opens the bulk actions (move, assign, label, archive, delete) for every marked card.
The whole bulk action is one undo step: `u` takes it back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui.ui.screens.board_drawing import BoardDrawing
    from tui.ui.screens.bulk import Action


class Marks:
    """The marked cards of one board screen, in the order they were marked."""

    def __init__(self) -> None:
        self.ids: tuple[str, ...] = ()
        self.anchor: str | None = None
        """Where `V` extends from: the card marked last."""

    def __bool__(self) -> bool:
        return bool(self.ids)

    def __contains__(self, card_id: object) -> bool:
        return card_id in self.ids

    def toggle(self, card_id: str) -> None:
        if card_id in self.ids:
            self.ids = tuple(i for i in self.ids if i != card_id)
        else:
            self.ids = (*self.ids, card_id)
            self.anchor = card_id

    def extend(self, column: list[str], card_id: str) -> None:
        """Mark the cards of `column` from the anchor to `card_id` (just it without one)."""
        start = column.index(self.anchor) if self.anchor in column else column.index(card_id)
        end = column.index(card_id)
        low, high = sorted((start, end))
        self.ids = (*self.ids, *(i for i in column[low : high + 1] if i not in self.ids))
        self.anchor = card_id

    def keep(self, present: set[str]) -> None:
        """Forget marks on cards no longer on the board (archived or deleted meanwhile)."""
        self.ids = tuple(i for i in self.ids if i in present)

    def clear(self) -> None:
        self.ids, self.anchor = (), None


def toggle(screen: BoardDrawing) -> None:
    """`space`: mark the card (or unmark it) and go to the next."""
    card = screen.selected_card
    if card is not None:
        screen.marks.toggle(card.id)
        show(screen)
        screen.action_cursor(0, 1)


def extend(screen: BoardDrawing) -> None:
    """`V`: mark the column's cards from the last one marked to the cursor."""
    card = screen.selected_card
    if card is not None and screen.views:
        column = [c.id for c in screen.views[screen.column_index].cards]
        screen.marks.extend(column, card.id)
        show(screen)


def show(screen: BoardDrawing) -> None:
    """Draw the marks in every column, and say in the status bar what they are for."""
    from tui.ui.widgets.column import BoardColumn

    marked = frozenset(screen.marks.ids)
    for column in screen.query(BoardColumn):
        column.cards.show_marked(marked)
    count = len(marked)
    screen.mark_hint = f"{count} marked · x acts · esc clears" if count else ""
    screen.show_status()


def open_bulk(screen: BoardDrawing) -> None:
    from tui.ui.screens.bulk import BulkScreen

    if not screen.marks:
        screen.notify("Mark cards first: space marks one, V marks a range", severity="warning")
        return

    def chosen(action: Action | None) -> None:
        if action is not None:
            screen.dispatch(_run(screen, action), "act on the marked cards")

    screen.app.push_screen(BulkScreen(screen.marks.ids), chosen)


async def _run(screen: BoardDrawing, action: Action) -> None:
    result = await action.run()
    screen.marks.clear()
    show(screen)
    message = result.summary(action.what) + (" · u undoes" if action.undoable else "")
    screen.notify(message, severity="error" if result.refused else "information")


async def undo(screen: BoardDrawing) -> None:
    try:
        said = await screen.store.undo()
    except LookupError as nothing:
        screen.notify(str(nothing), severity="warning")
        return
    except ValueError as cannot:
        screen.notify(str(cannot), severity="warning")
        return
    screen.notify(said, timeout=3)
