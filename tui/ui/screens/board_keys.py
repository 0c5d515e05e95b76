"""The board screen's keys, and what each needs of the provider.

Every key has an id (the keymap rebinds it by that id) and a tooltip, which the help
screen shows on one line per key at 80 columns: hence tooltips of at most 26 cells.
"""

from __future__ import annotations

from textual.binding import Binding, BindingType

from tui.core.provider import Capability

BOARD_KEYS: list[BindingType] = [
    Binding(
        "h,left",
        "cursor(-1, 0)",
        "Left",
        show=False,
        id="board.left",
        tooltip="Column to the left",
    ),
    Binding(
        "l,right",
        "cursor(1, 0)",
        "Right",
        show=False,
        id="board.right",
        tooltip="Column to the right",
    ),
    Binding("j,down", "cursor(0, 1)", "Down", show=False, id="board.down", tooltip="Card below"),
    Binding("k,up", "cursor(0, -1)", "Up", show=False, id="board.up", tooltip="Card above"),
    Binding(
        "H,shift+left",
        "move(-1)",
        "Move left",
        show=False,
        id="board.move_left",
        tooltip="Move the card left",
    ),
    Binding(
        "L,shift+right",
        "move(1)",
        "Move right",
        show=False,
        id="board.move_right",
        tooltip="Move the card right",
    ),
    Binding(
        "J,shift+down",
        "reorder(1)",
        "Move down",
        show=False,
        id="board.move_down",
        tooltip="Move the card down a place",
    ),
    Binding(
        "K,shift+up",
        "reorder(-1)",
        "Move up",
        show=False,
        id="board.move_up",
        tooltip="Move the card up a place",
    ),
    Binding(
        "left_square_bracket",
        "move_lane(-1)",
        "Lane up",
        show=False,
        id="board.lane_up",
        tooltip="Move it to the lane above",
    ),
    Binding(
        "right_square_bracket",
        "move_lane(1)",
        "Lane down",
        show=False,
        id="board.lane_down",
        tooltip="Move it to the lane below",
    ),
    Binding("enter", "open_card", "Open", id="board.open", tooltip="Show the card's detail"),
    Binding("n", "new_card", "New", id="board.new", tooltip="Add a card to this column"),
    Binding("e", "edit_card", "Edit", id="board.edit", tooltip="Edit the selected card"),
    Binding(
        "d",
        "delete_card",
        "Delete",
        show=False,
        id="board.delete",
        tooltip="Delete it (asks first)",
    ),
    Binding(
        "a",
        "archive_card",
        "Archive",
        show=False,
        id="board.archive",
        tooltip="Archive the card",
    ),
    Binding(
        "slash",
        "filter",
        "Filter",
        id="board.filter",
        tooltip="Show only matching cards",
    ),
    Binding(
        "r",
        "refresh",
        "Refresh",
        show=False,
        id="board.refresh",
        tooltip="Load the board again",
    ),
    Binding("b", "pick_board", "Boards", id="board.boards", tooltip="Open another board"),
    Binding(
        "escape",
        "clear_filter",
        "Clear filter",
        show=False,
        id="board.clear_filter",
        tooltip="Show every card again",
    ),
    Binding(
        "t",
        "timer",
        "Start/stop timer",
        show=False,
        id="board.timer",
        tooltip="Time the card; t stops it",
    ),
    Binding(
        "exclamation_mark",
        "triage",
        "Triage",
        id="board.triage",
        tooltip="This column, card by card",
    ),
    Binding(
        "space", "mark", "Mark", show=False, id="board.mark", tooltip="Mark it, go to the next"
    ),
    Binding(
        "V",
        "mark_range",
        "Mark range",
        show=False,
        id="board.mark_range",
        tooltip="Mark up to the last marked",
    ),
    Binding("x", "bulk", "Marked", show=False, id="board.bulk", tooltip="Act on the marked cards"),
    Binding("u", "undo", "Undo", show=False, id="board.undo", tooltip="Take the last change back"),
    Binding(
        "z",
        "archived",
        "Archived",
        show=False,
        id="board.archived",
        tooltip="Find and restore archived",
    ),
]

REQUIRES = {
    "move": Capability.MOVE,
    "move_lane": Capability.MOVE,
    "reorder": Capability.REORDER,
    "new_card": Capability.CREATE,
    "edit_card": Capability.EDIT,
    "delete_card": Capability.DELETE,
    "archive_card": Capability.ARCHIVE,
    "archived": Capability.RESTORE,
}
"""What each action needs of the provider; without it, the key says why (and so does help)."""

NEEDS_BOARD = frozenset(
    {
        "archived",
        "mark",
        "mark_range",
        "bulk",
        "undo",
        "cursor",
        "move",
        "move_lane",
        "reorder",
        "open_card",
        "new_card",
        "edit_card",
        "delete_card",
        "archive_card",
        "filter",
        "clear_filter",
        "timer",
        "triage",
    }
)
"""Actions with nothing to act on until a board is open: the footer leaves them out then."""

NEEDS_CARD = frozenset(
    {
        "move",
        "move_lane",
        "reorder",
        "open_card",
        "edit_card",
        "delete_card",
        "archive_card",
        "timer",
    }
)
"""Actions on the selected card: on an empty column the footer shows them disabled."""
