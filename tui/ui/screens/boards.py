"""Pick a board of the account: type to filter, enter to open."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker

from tui.core.models import Board
from tui.core.store import State
from tui.ui.screens.base import StoreModalScreen

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


class BoardPickerScreen(StoreModalScreen[str | None]):
    DEFAULT_CSS = """
    BoardPickerScreen {
        align: center middle;
    }
    BoardPickerScreen > Vertical {
        width: 100%;
        max-width: 72;
        height: 100%;
        max-height: 30;
        border: thick $primary;
        background: $surface;
    }
    BoardPickerScreen OptionList {
        height: 1fr;
        border: none;
    }
    BoardPickerScreen #picker-message {
        padding: 0 1;
        color: $foreground-muted;
        text-style: italic;
    }
    BoardPickerScreen #picker-message.-error {
        color: $error;
        text-style: bold;
    }
    """

    BINDINGS = [
        Binding(
            "enter", "open", "Open board", id="picker.open", tooltip="Open the highlighted board"
        ),
        Binding(
            "escape", "cancel", "Cancel", id="picker.cancel", tooltip="Stay on the current board"
        ),
        Binding("down", "next", "Next board", show=False, id="picker.next"),
        Binding("up", "previous", "Previous board", show=False, id="picker.previous"),
        Binding(
            "ctrl+r",
            "reload",
            "Reload",
            id="picker.reload",
            tooltip="Fetch the list of boards again",
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._loader: Worker | None = None
        self._load_error: str | None = None

    def compose(self) -> ComposeResult:
        with Vertical() as frame:
            frame.border_title = "Boards"
            frame.border_subtitle = "enter open · esc cancel · ctrl+r reload"
            yield Input(placeholder="Type to filter boards", id="filter")
            yield Static(id="picker-message")
            yield OptionList(id="boards")

    def on_mount(self) -> None:
        self.query_one("#filter", Input).focus()
        self.action_reload()
        self.watch(self.app, "state", self._show_state, init=False)

    # --- showing --------------------------------------------------------------------

    @property
    def _loading(self) -> bool:
        return self._loader is not None and not self._loader.is_finished

    def _show_state(self, state: State) -> None:
        self._show_boards(state.boards)

    def _show_boards(self, boards: tuple[Board, ...]) -> None:
        query = self.query_one("#filter", Input).value
        shown = [board for board in boards if matches(board, query)]
        options = self.query_one("#boards", OptionList)
        previous = options.highlighted_option.id if options.highlighted_option else None
        current = self.app.state.board.board.id if self.app.state.board else None
        groups = grouped(shown)
        content: list[Option] = []
        for group, members in groups.items():
            if list(groups) != [UNGROUPED]:
                content.append(Option(Text(group, style="bold underline"), disabled=True))
            content.extend(self._option(board, current) for board in members)
        options.set_options(content)
        wanted = previous or current
        ids = [board.id for board in shown]
        if ids:
            options.highlighted = options.get_option_index(wanted if wanted in ids else ids[0])
        self._show_message(boards, shown, query)

    @staticmethod
    def _option(board: Board, current: str | None) -> Option:
        label = Text(f"  {board.name}")
        if board.id == current:
            label.append("  (open now)", style="italic")
        return Option(label, id=board.id)

    def _show_message(self, boards: tuple[Board, ...], shown: list[Board], query: str) -> None:
        message = self.query_one("#picker-message", Static)
        message.set_class(self._load_error is not None, "-error")
        if self._load_error is not None:
            text = f"Could not load the boards: {self._load_error} (ctrl+r to retry)"
        elif self._loading and not boards:
            text = "Loading boards…"
        elif not boards:
            text = "This account has no boards."
        elif not shown:
            text = f"No board matches {query!r}."
        else:
            count = f"{len(boards)} board" + ("" if len(boards) == 1 else "s")
            text = f"{len(shown)} of {count}" if query else count
            if self._loading:
                text += " (refreshing…)"
        message.update(Text(text))

    def on_input_changed(self, event: Input.Changed) -> None:
        self._show_boards(self.app.state.boards)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        super().on_worker_state_changed(event)
        if event.worker is self._loader:
            self._show_boards(self.app.state.boards)

    def action_failed(self, description: str, error: BaseException | None) -> None:
        if description == LOAD_BOARDS:
            self._load_error = str(error)
        else:
            super().action_failed(description, error)

    # --- keys -----------------------------------------------------------------------

    def action_reload(self) -> None:
        self._load_error = None
        self._loader = self.dispatch(self.store.load_boards(), LOAD_BOARDS)
        self._show_boards(self.app.state.boards)

    def action_next(self) -> None:
        self.query_one("#boards", OptionList).action_cursor_down()

    def action_previous(self) -> None:
        self.query_one("#boards", OptionList).action_cursor_up()

    def action_open(self) -> None:
        option = self.query_one("#boards", OptionList).highlighted_option
        if option is not None and option.id is not None:
            self.dismiss(option.id)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_open()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
