"""The base of every picker: a list over the current screen; type to filter, enter to open.

A picker says what its rows are for what is typed (`options`) and which row is the
one open now (`current`); the base lays out the filter, a message line and the list,
keeps the highlight on the same row while the list is filtered (else on the open
one, else on the first), and binds enter, escape, up and down under one set of
keymap ids (`picker.open`, `picker.cancel`, `picker.next`, `picker.previous`).
Dismisses with the chosen row's id, or None.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from tui.ui.screens.base import StoreModalScreen


class PickerScreen(StoreModalScreen[str | None]):
    DEFAULT_CSS = """
    PickerScreen {
        align: center middle;
    }
    PickerScreen > .picker--frame {
        width: 100%;
        border: thick $primary;
        background: $surface;
    }
    PickerScreen OptionList {
        border: none;
    }
    PickerScreen #picker-message {
        padding: 0 1;
        color: $foreground-muted;
        text-style: italic;
    }
    PickerScreen #picker-message.-error {
        color: $error;
        text-style: bold;
    }
    """

    BINDINGS = [
        Binding("enter", "open", "Open", id="picker.open", tooltip="Open the highlighted row"),
        Binding(
            "escape", "cancel", "Cancel", id="picker.cancel", tooltip="Leave things as they are"
        ),
        Binding("down", "next", "Next", show=False, id="picker.next"),
        Binding("up", "previous", "Previous", show=False, id="picker.previous"),
    ]

    FRAME_TITLE: ClassVar[str] = ""
    FRAME_SUBTITLE: ClassVar[str] = "enter open · esc cancel"
    PLACEHOLDER: ClassVar[str] = "Type to filter"
    LIST_ID: ClassVar[str] = "choices"

    # --- what a picker fills in -----------------------------------------------------

    def options(self, query: str) -> list[Option]:
        """The rows that match `query`; rows with an id can be picked."""
        raise NotImplementedError

    def current(self) -> str | None:
        """The id of the row that is open now, where the highlight starts."""
        return None

    def shown(self, query: str, ids: list[str]) -> None:
        """After each filtering: `ids` are the rows that can be picked (e.g. to say so)."""

    def prepare(self) -> None:
        """What to start as the picker opens (e.g. loading its rows)."""

    # --- layout ---------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Vertical(classes="picker--frame") as frame:
            frame.border_title = self.FRAME_TITLE
            frame.border_subtitle = self.FRAME_SUBTITLE
            yield Input(placeholder=self.PLACEHOLDER, id="filter")
            yield Static(id="picker-message")
            yield OptionList(id=self.LIST_ID)

    def on_mount(self) -> None:
        self.query_one("#picker-message").display = False
        self.prepare()
        self.show()
        self.query_one("#filter", Input).focus()

    @property
    def choices(self) -> OptionList:
        return self.query_one(f"#{self.LIST_ID}", OptionList)

    def show(self) -> None:
        """Fill the list for what is typed, keeping the highlight where it was if it can."""
        query = self.query_one("#filter", Input).value
        choices = self.choices
        previous = choices.highlighted_option.id if choices.highlighted_option else None
        options = self.options(query)
        choices.set_options(options)
        ids = [option.id for option in options if option.id is not None and not option.disabled]
        if ids:
            wanted = next((i for i in (previous, self.current()) if i in ids), ids[0])
            choices.highlighted = choices.get_option_index(wanted)
        self.shown(query, ids)

    def say(self, message: str | None, *, error: bool = False) -> None:
        """The line between the filter and the list; None hides it."""
        line = self.query_one("#picker-message", Static)
        line.update(Text(message or ""))
        line.set_class(error, "-error")
        line.display = message is not None

    def on_input_changed(self, event: Input.Changed) -> None:
        self.show()

    # --- keys -----------------------------------------------------------------------

    def action_open(self) -> None:
        option = self.choices.highlighted_option
        if option is not None and option.id is not None:
            self.dismiss(option.id)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_open()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            self.dismiss(event.option.id)

    def action_next(self) -> None:
        self.choices.action_cursor_down()

    def action_previous(self) -> None:
        self.choices.action_cursor_up()

    def action_cancel(self) -> None:
        self.dismiss(None)
