"""Pick a board of the account: type to filter, enter to open; make, rename, delete boards.

The filter has the cursor as the picker opens, so typing filters; tab goes to the list,
where n, R and d make a new board, rename the highlighted one and delete it (asking
first), where the provider can (Capability.BOARDS: local boards).
"""

from __future__ import annotations

from collections.abc import Awaitable
from contextlib import suppress
from typing import Any

from rich.text import Text
from textual.binding import Binding
from textual.widgets.option_list import Option, OptionDoesNotExist
from textual.worker import Worker

from tui.core import board_admin
from tui.core.models import Board
from tui.core.provider import Capability
from tui.core.store import State
from tui.ui.screens.dialogs import ConfirmScreen, PromptScreen
from tui.ui.screens.picker import PickerScreen

LOAD_BOARDS = "load the boards"
UNGROUPED = "Other boards"


def matches(board: Board, query: str) -> bool:
    """Every word of the query appears in the board's name or group."""
    haystack = f"{board.name} {board.group or ''}".casefold()
    return all(word in haystack for word in query.casefold().split())


def grouped(boards: list[Board]) -> dict[str, list[Board]]:
    """Boards by where the service files them, in the service's order; ungrouped ones last."""
    groups: dict[str, list[Board]] = {}
    for board in boards:
        groups.setdefault(board.group or UNGROUPED, []).append(board)
    if UNGROUPED in groups:
        groups[UNGROUPED] = groups.pop(UNGROUPED)
    return groups


class BoardPickerScreen(PickerScreen):
    DEFAULT_CSS = """
    BoardPickerScreen > .picker--frame {
        max-width: 72;
        height: 100%;
        max-height: 30;
    }
    BoardPickerScreen OptionList {
        height: 1fr;
    }
    """

    BINDINGS = [
        Binding(
            "ctrl+r",
            "reload",
            "Reload",
            id="picker.reload",
            tooltip="Fetch the list of boards again",
        ),
        Binding("n", "new_board", "New board", id="picker.new_board", tooltip="Make a board"),
        Binding(
            "R", "rename_board", "Rename", id="picker.rename_board", tooltip="Rename the board"
        ),
        Binding(
            "d", "delete_board", "Delete", id="picker.delete_board", tooltip="Delete (asks first)"
        ),
    ]
    MANAGING = frozenset({"new_board", "rename_board", "delete_board"})
    """The actions that need Capability.BOARDS."""

    FRAME_TITLE = "Boards"
    FRAME_SUBTITLE = "enter open · esc cancel · ctrl+r reload"
    PLACEHOLDER = "Type to filter boards"
    LIST_ID = "boards"

    def __init__(self) -> None:
        super().__init__()
        self._loader: Worker[Any] | None = None
        self._load_error: str | None = None

    def prepare(self) -> None:
        if self.store.supports(Capability.BOARDS):
            frame = self.query_one(".picker--frame")
            frame.border_subtitle = "enter open · ctrl+r reload · tab: n new, R rename, d delete"
        self.action_reload()
        self.watch(self.app, "state", self._show_state, init=False)

    # --- showing --------------------------------------------------------------------

    @property
    def _loading(self) -> bool:
        return self._loader is not None and not self._loader.is_finished

    def _show_state(self, state: State) -> None:
        self.show()

    def options(self, query: str) -> list[Option]:
        current = self.current()
        groups = grouped([board for board in self.app.state.boards if matches(board, query)])
        content: list[Option] = []
        for group, members in groups.items():
            if list(groups) != [UNGROUPED]:
                content.append(Option(Text(group, style="bold underline"), disabled=True))
            content.extend(self._option(board, current) for board in members)
        return content

    def current(self) -> str | None:
        board = self.app.state.board
        return board.board.id if board else None

    @staticmethod
    def _option(board: Board, current: str | None) -> Option:
        label = Text(f"  {board.name}")
        if board.id == current:
            label.append("  (open now)", style="italic")
        return Option(label, id=board.id)

    def shown(self, query: str, ids: list[str]) -> None:
        state = self.app.state
        boards = state.boards
        if self._load_error is not None:
            self.say(f"Could not load the boards: {self._load_error} (ctrl+r to retry)", error=True)
            return
        if not state.online and not self._loading:  # the store fell back on the boards last seen
            self.say(
                f"Could not load the boards: {state.offline_reason}; "
                "these are the ones last seen (ctrl+r to retry)",
                error=True,
            )
            return
        if self._loading and not boards:
            text = "Loading boards…"
        elif not boards:
            text = "This account has no boards."
        elif not ids:
            text = f"No board matches {query!r}."
        else:
            count = f"{len(boards)} board" + ("" if len(boards) == 1 else "s")
            text = f"{len(ids)} of {count}" if query else count
            if self._loading:
                text += " (refreshing…)"
        self.say(text)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        super().on_worker_state_changed(event)
        if event.worker is self._loader:
            self.show()

    def action_failed(self, description: str, error: BaseException | None) -> None:
        if description == LOAD_BOARDS:
            self._load_error = str(error)
        else:
            super().action_failed(description, error)

    # --- keys -----------------------------------------------------------------------

    def action_reload(self) -> None:
        self._load_error = None
        self._loader = self.dispatch(self.store.load_boards(), LOAD_BOARDS)
        self.show()

    def why_unavailable(self, action: str) -> str | None:
        return self.store.provider.why_not(Capability.BOARDS) if action in self.MANAGING else None

    def _highlighted_board(self) -> Board | None:
        option = self.choices.highlighted_option
        if option is None or option.id is None:
            return None
        return next((board for board in self.app.state.boards if board.id == option.id), None)

    def _can(self, action: str) -> bool:
        reason = self.why_unavailable(action)
        if reason is not None:
            self.notify(reason, severity="warning")
        return reason is None

    def action_new_board(self) -> None:
        if not self._can("new_board"):
            return

        def create(name: str | None) -> None:
            if name:
                self.dispatch(
                    self._made(board_admin.create_board(self.store, name)), "make the board"
                )

        self.app.push_screen(PromptScreen("New board", "Name:", confirm="Create"), create)

    def action_rename_board(self) -> None:
        board = self._highlighted_board()
        if board is None or not self._can("rename_board"):
            return

        def rename(name: str | None) -> None:
            if name and name != board.name:
                renaming = board_admin.rename_board(self.store, board.id, name)
                self.dispatch(self._made(renaming), "rename the board")

        prompt = PromptScreen("Rename board", "Name:", value=board.name, confirm="Rename")
        self.app.push_screen(prompt, rename)

    def action_delete_board(self) -> None:
        board = self._highlighted_board()
        if board is None or not self._can("delete_board"):
            return
        if board.id == self.current():
            self.notify("This board is open: open another one to delete it.", severity="warning")
            return

        def delete(confirmed: bool | None) -> None:
            if confirmed:
                self.dispatch(board_admin.delete_board(self.store, board.id), "delete the board")

        question = ConfirmScreen(
            f"Delete the board {board.name}?",
            "The board and every card on it are deleted for good.",
        )
        self.app.push_screen(question, delete)

    async def _made(self, saving: Awaitable[Board]) -> None:
        """Put the highlight on the board made or renamed, once the list shows it."""
        board = await saving
        self.show()
        with suppress(OptionDoesNotExist):  # unless the filter hides it
            self.choices.highlighted = self.choices.get_option_index(board.id)
