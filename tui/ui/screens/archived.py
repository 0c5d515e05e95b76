"""The board's archived cards: type to find one, enter brings it back onto the board.

The list is read from the service when the picker opens (archived cards are not part
of the board the store holds); the restore itself is a store write like any other, so
it shows at once, and `u` on the board archives it again.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.widgets.option_list import Option

from tui.core.errors import ProviderError
from tui.core.models import Card
from tui.ui.screens.base import StoreScreen
from tui.ui.screens.board_feedback import undo_hint
from tui.ui.screens.picker import PickerScreen


class ArchivedScreen(PickerScreen):
    FRAME_TITLE: ClassVar[str] = "Archived cards"
    FRAME_SUBTITLE: ClassVar[str] = "enter restores · esc back"
    PLACEHOLDER: ClassVar[str] = "Type to find an archived card"
    LIST_ID: ClassVar[str] = "archived"

    def __init__(self) -> None:
        super().__init__()
        self.cards: list[Card] | None = None
        """None while the service is asked."""

    def prepare(self) -> None:
        self.say("Reading the archived cards…")
        self.run_worker(self._load(), exit_on_error=False)

    async def _load(self) -> None:
        try:
            self.cards = await self.store.archived_cards()
        except ProviderError as error:
            self.cards = []
            self.say(f"Could not read the archived cards: {error}", error=True)
        else:
            self.say(None if self.cards else "No archived cards on this board")
        self.show()

    def options(self, query: str) -> list[Option]:
        words = query.casefold().split()
        board = self.store.state.board
        columns = {column.id: column.name for column in board.columns} if board else {}
        return [
            Option(
                Text(card.title, overflow="ellipsis", no_wrap=True).append(
                    f"  · {columns.get(card.column_id, card.column_id)}", "dim"
                ),
                id=card.id,
            )
            for card in self.cards or ()
            if all(word in card.title.casefold() for word in words)
        ]


def open_archived(board: StoreScreen) -> None:
    """From the board: pick an archived card, and it is restored (the cursor goes to it)."""
    picker = ArchivedScreen()

    def chosen(card_id: str | None) -> None:
        card = next((card for card in picker.cards or () if card.id == card_id), None)
        if card is not None:
            board.dispatch(_restore(board, card), "restore the card")

    board.app.push_screen(picker, chosen)


async def _restore(board: StoreScreen, card: Card) -> None:
    await board.store.restore_card(card)
    board.notify(f"Restored “{card.title}”{undo_hint(board)}")
