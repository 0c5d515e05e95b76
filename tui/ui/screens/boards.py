"""Pick a board of the account: type to filter, enter to open."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.binding import Binding
from textual.widgets.option_list import Option
from textual.worker import Worker

from tui.core.models import Board
from tui.core.store import State
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
    ]

    FRAME_TITLE = "Boards"
    FRAME_SUBTITLE = "enter open · esc cancel · ctrl+r reload"
    PLACEHOLDER = "Type to filter boards"
    LIST_ID = "boards"

    def __init__(self) -> None:
        super().__init__()
        self._loader: Worker[Any] | None = None
        self._load_error: str | None = None

    def prepare(self) -> None:
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
