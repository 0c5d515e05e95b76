"""The base of every form: one frame of labelled fields, an error line, Save and Cancel.

A form says what it shows (`compose_fields`), what the user has typed (`draft`) and
how that is saved (`submit`). The base does the rest the same way everywhere: ctrl+s
and escape under one pair of keymap ids (`form.save`, `form.cancel`), enter in a text
field saves, a refused save keeps the form open with everything typed and the reason
under it, and closing a form whose draft changed asks first.

`submit` either finishes at once (a file written) and returns the result, or returns
an awaitable (a store action), which runs in a worker of the form: the form closes
with its result, or stays open with "Could not save: <why>".
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker

from tui.core.errors import ProviderError
from tui.ui.screens.base import ResultType, StoreModalScreen
from tui.ui.screens.dialogs import ConfirmScreen


class Invalid(ValueError):
    """What the form cannot save, in one line; `field` is the id of the input at fault.

    The message goes under that field when the form has a `#<field>-error` line for
    it (and the cursor goes to the field), else into the form's own error line.
    """

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def field(label: str, widget: Widget, note: str = "") -> Vertical:
    """A widget with its label above it and, optionally, a note under it."""
    children: list[Widget] = [Label(label), widget]
    if note:
        children.append(Static(Text(note), classes="form--note"))
    return Vertical(*children, classes="form--field")


class PickMany(OptionList):
    """Several of a list picked with space or enter, each row saying "[x]" or "[ ]".

    The mark is a character, not a colour, so what is picked reads the same under
    NO_COLOR and on a monochrome terminal.
    """

    BINDINGS = [Binding("space", "select", "Pick", show=False)]

    def __init__(self, choices: list[tuple[str, str]], picked: set[str], *, id: str):
        super().__init__(id=id)
        self.choices = choices
        """(name, id) in the order shown."""
        self.picked = {choice_id for _, choice_id in choices if choice_id in picked}

    def on_mount(self) -> None:
        self.add_options(Option(self._prompt(name, key), id=key) for name, key in self.choices)
        if self.choices:
            self.highlighted = 0

    def _prompt(self, name: str, key: str) -> Text:
        mark = "[x] " if key in self.picked else "[ ] "
        return Text(mark, style="bold" if key in self.picked else "") + Text(name)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        key = event.option.id
        if key is None:
            return
        self.picked.symmetric_difference_update({key})
        name = next(name for name, choice_id in self.choices if choice_id == key)
        self.replace_option_prompt(key, self._prompt(name, key))
        self.post_message(self.Changed(self))

    @property
    def selected(self) -> tuple[str, ...]:
        """The picked ids, in the order of the list."""
        return tuple(key for _, key in self.choices if key in self.picked)

    class Changed(Message):
        """Something was picked or unpicked."""

        def __init__(self, picker: PickMany):
            super().__init__()
            self.picker = picker


class FormScreen(StoreModalScreen[ResultType]):
    """A modal form; dismisses with what `submit` saved, or None when closed without saving."""

    DEFAULT_CSS = """
    FormScreen {
        align: center middle;
    }
    FormScreen > .form--frame {
        width: 100%;
        height: 100%;
        border: thick $primary;
        background: $surface;
    }
    FormScreen .form--body {
        height: 1fr;
        padding: 0 1;
        scrollbar-size-vertical: 1;
    }
    FormScreen .form--row, FormScreen .form--field {
        height: auto;
    }
    FormScreen .form--row > .form--field {
        width: 1fr;
    }
    FormScreen .form--field > Label {
        color: $foreground-muted;
        margin-top: 1;
    }
    FormScreen .form--note {
        color: $foreground-muted;
        text-style: italic;
    }
    FormScreen .form--error {
        color: $error;
        text-style: bold;
    }
    FormScreen .form--buttons {
        height: auto;
        padding: 0 1;
        align-horizontal: right;
    }
    FormScreen .form--buttons Button {
        margin-left: 2;
    }
    """

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="form.save", tooltip="Save and close the form"),
        Binding(
            "escape",
            "cancel",
            "Cancel",
            id="form.cancel",
            tooltip="Close without saving (asks first if anything changed)",
        ),
    ]

    SAVING: ClassVar[str] = "save"
    """What saving does, for "Could not …" when a store action fails (e.g. "save the card")."""
    DISCARD_MESSAGE: ClassVar[str] = "What you typed in this form will be lost."
    FRAME_SUBTITLE: ClassVar[str] = ""

    def __init__(self) -> None:
        super().__init__()
        self._initial: object = None
        self._saving: Worker[Any] | None = None

    # --- what a form fills in -------------------------------------------------------

    def frame_title(self) -> str:
        raise NotImplementedError

    def compose_fields(self) -> ComposeResult:
        raise NotImplementedError

    def draft(self) -> object:
        """What is typed now, comparable with the draft the form opened with."""
        raise NotImplementedError

    def submit(self) -> ResultType | Awaitable[ResultType]:
        """Save the draft: the result, or an awaitable of it. Raises `Invalid` to refuse."""
        raise NotImplementedError

    async def prepare(self) -> None:
        """Fill in what needs the mounted form (and put the cursor in the first field)."""

    # --- layout ---------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Vertical(classes="form--frame") as frame:
            frame.border_title = self.frame_title()
            frame.border_subtitle = self.FRAME_SUBTITLE
            with VerticalScroll(classes="form--body"):
                yield from self.compose_fields()
                yield Static(id="form-error", classes="form--error")
            with Horizontal(classes="form--buttons"):
                yield Button("Save (ctrl+s)", variant="primary", id="save")
                yield Button("Cancel (esc)", id="cancel")

    async def on_mount(self) -> None:
        for error in self.query(".form--error"):
            error.display = False
        await self.prepare()
        self._initial = self.draft()

    @property
    def changed(self) -> bool:
        return self.is_mounted and self.draft() != self._initial

    @property
    def saving(self) -> bool:
        return self._saving is not None and self._saving.is_running

    def show_error(self, message: str | None, field: str | None = None) -> None:
        """Show `message` under `field` (or the form), or hide that line when None."""
        lines = self.query(f"#{field}-error") if field else None
        line = lines.first(Static) if lines else self.query_one("#form-error", Static)
        line.update(Text(message or ""))
        line.display = bool(message)
        if not message:
            return
        if field and lines:
            self.query_one(f"#{field}").focus()
        elif line.id == "form-error":
            self.query_one(".form--body", VerticalScroll).scroll_end(animate=False)

    # --- saving ---------------------------------------------------------------------

    def action_save(self) -> None:
        if self.saving:
            return
        self.show_error(None)
        try:
            outcome = self.submit()
        except Invalid as problem:
            self.show_error(str(problem), problem.field)
            return
        if inspect.isawaitable(outcome):
            self._saving = self.dispatch(self._finish(outcome), self.SAVING)
        else:
            self.dismiss(outcome)

    async def _finish(self, saving: Awaitable[ResultType]) -> None:
        self.dismiss(await saving)

    def action_failed(self, description: str, error: BaseException | None) -> None:
        """Keep the form open with everything typed, and the reason under it."""
        if not isinstance(error, ProviderError):
            super().action_failed(description, error)  # a bug: logged and noticed
        self.show_error(f"Could not save: {error}")

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id:
            self.show_error(None, event.input.id)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        elif event.button.id == "cancel":
            self.action_cancel()

    # --- leaving --------------------------------------------------------------------

    def action_cancel(self) -> None:
        if self.saving:
            self.notify("Still saving…", severity="warning")
            return
        if not self.changed:
            self.dismiss(None)
            return

        def discard(confirmed: bool | None) -> None:
            if confirmed:
                self.dismiss(None)

        self.app.push_screen(
            ConfirmScreen("Discard changes?", self.DISCARD_MESSAGE, confirm="Discard"), discard
        )
