"""Small questions asked over the current screen: "are you sure?" and "move anyway, why?"."""

from __future__ import annotations

from typing import Literal, TypeVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

ResultType = TypeVar("ResultType")


class Dialog(ModalScreen[ResultType]):
    """A small box in the middle of the screen; the screen beneath stays visible."""

    DEFAULT_CSS = """
    Dialog {
        align: center middle;
    }
    Dialog > Vertical {
        width: 64;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        padding: 1 2;
        border: thick $primary;
        background: $surface;
    }
    Dialog .dialog--title {
        text-style: bold;
        width: 1fr;
        margin-bottom: 1;
    }
    Dialog .dialog--error {
        color: $error;
        text-style: bold;
    }
    Dialog .dialog--buttons {
        height: auto;
        margin-top: 1;
        align-horizontal: right;
    }
    Dialog .dialog--buttons Button {
        margin-left: 2;
    }
    """


class ConfirmScreen(Dialog[bool]):
    """Ask before something that cannot be undone; dismisses with True to go ahead."""

    BINDINGS = [
        Binding("y", "confirm", "Yes", id="dialog.confirm", tooltip="Go ahead"),
        Binding(
            "n,escape", "cancel", "No", id="dialog.cancel", tooltip="Leave everything as it is"
        ),
    ]

    def __init__(self, title: str, message: str, confirm: str = "Delete"):
        super().__init__()
        self.title_text = title
        self.message = message
        self.confirm_label = confirm

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(self.title_text), classes="dialog--title")
            yield Static(Text(self.message), id="message")
            with Horizontal(classes="dialog--buttons"):
                yield Button(f"{self.confirm_label} (y)", variant="error", id="confirm")
                yield Button("Cancel (n)", id="cancel")

    def on_mount(self) -> None:
        # enter presses the focused button, and a reflexive enter must not destroy anything:
        # Cancel has the focus, so going ahead takes y (or tab to the button).
        self.query_one("#cancel", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "confirm")

    def action_confirm(self) -> None:
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)


class PromptScreen(Dialog[str | None]):
    """Ask for one line of text; dismisses with it, stripped, or None. An empty answer
    is not taken: `missing` says what is needed."""

    BINDINGS = [
        # enter in the box submits it
        Binding("escape", "cancel", "Cancel", id="dialog.cancel", tooltip="Leave it as it is"),
    ]

    def __init__(
        self,
        title: str,
        label: str,
        value: str = "",
        confirm: str = "Save",
        *,
        message: str | None = None,
        placeholder: str = "",
        missing: str | None = None,
        variant: Literal["primary", "warning"] = "primary",
    ):
        super().__init__()
        self.title_text = title
        self.label = label
        self.value = value
        self.confirm_label = confirm
        self.message = message
        self.placeholder = placeholder
        self.missing = missing or f"{label.rstrip(':')} is needed."
        self.variant = variant

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(self.title_text), classes="dialog--title")
            if self.message is not None:
                yield Static(Text(self.message), id="message")
            yield Label(Text(self.label))
            yield Input(self.value, placeholder=self.placeholder, id="answer")
            yield Static(id="answer-error", classes="dialog--error")
            with Horizontal(classes="dialog--buttons"):
                yield Button(f"{self.confirm_label} (enter)", variant=self.variant, id="confirm")
                yield Button("Cancel (esc)", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#answer", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_confirm()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "confirm":
            self.action_confirm()
        else:
            self.action_cancel()

    def action_confirm(self) -> None:
        answer = self.query_one("#answer", Input).value.strip()
        if not answer:
            self.query_one("#answer-error", Static).update(self.missing)
            self.query_one("#answer", Input).focus()
            return
        self.dismiss(answer)

    def action_cancel(self) -> None:
        self.dismiss(None)


class OverrideScreen(PromptScreen):
    """The service refused a move (a WIP limit); ask whether to insist, and why.

    Dismisses with the reason, which the move sends as its override, or None.
    """

    BINDINGS = [
        # enter in the reason box submits it, which does the same
        Binding(
            "enter",
            "confirm",
            "Move anyway",
            id="override.confirm",
            tooltip="Send the move again with the reason",
        ),
        Binding(
            "escape", "cancel", "Cancel", id="dialog.cancel", tooltip="Leave the card where it was"
        ),
    ]

    def __init__(self, refusal: str):
        super().__init__(
            "Move anyway?",
            "Reason (sent with the move):",
            confirm="Move anyway",
            message=f"The service refused: {refusal.rstrip('.')}.",
            placeholder="Why this card has to go there",
            missing="A reason is needed to move past the limit.",
            variant="warning",
        )
