"""One line that asks for a word: a name, a label, a date or a comment.

Triage and bulk actions ask this way instead of opening a dialog: the card stays in
view, and for people, labels and priorities the choices filter as you type, enter
taking the first match. Hidden until `ask()`; escape (handled by the screen) closes it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Static

SHOWN_CHOICES = 8


@dataclass(frozen=True)
class Prompt:
    """What the line asks for, and what enter does with the answer."""

    label: str
    placeholder: str
    submit: Callable[[str], Any]
    """Called with the chosen choice's id, or the text typed; may raise ValueError."""
    choices: Sequence[tuple[str, str]] = ()
    """(id, name) pairs to filter as the user types; empty: free text."""

    def matches(self, typed: str) -> list[tuple[str, str]]:
        words = typed.casefold().split()
        return [
            (choice_id, name)
            for choice_id, name in self.choices
            if all(word in name.casefold() for word in words)
        ]


class ChoicePrompt(Vertical):
    DEFAULT_CSS = """
    ChoicePrompt { height: auto; display: none; }
    ChoicePrompt.-asking { display: block; }
    ChoicePrompt > Static { height: 1; padding: 0 1; color: $text-muted; }
    """

    def __init__(self, *, on_answer: Callable[[Prompt, str], None], id: str | None = None):
        super().__init__(id=id)
        self.prompt: Prompt | None = None
        self._on_answer = on_answer

    def compose(self) -> ComposeResult:
        yield Static()
        # Disabled while hidden, so it never takes focus (and the keys meant for the
        # screen) before it asks.
        yield Input(disabled=True)

    def ask(self, prompt: Prompt) -> None:
        self.prompt = prompt
        field = self.query_one(Input)
        field.disabled = False
        field.value = ""
        field.placeholder = f"{prompt.label}: {prompt.placeholder}"
        self.add_class("-asking")
        self._show_choices("")
        field.focus()

    def close(self) -> None:
        self.prompt = None
        self.remove_class("-asking")
        self.query_one(Input).disabled = True

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        self._show_choices(event.value)

    def _show_choices(self, typed: str) -> None:
        if self.prompt is None:
            return
        line = Text(f"{self.prompt.label}: ", "bold")
        if self.prompt.choices:
            matches = self.prompt.matches(typed)
            for n, (_, name) in enumerate(matches[:SHOWN_CHOICES]):
                line.append(name, "bold reverse" if n == 0 else "")
                line.append("  ")
            if not matches:
                line.append("no match")
        self.query_one(Static).update(line)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        prompt = self.prompt
        if prompt is None:
            return
        answer = event.value
        if prompt.choices:
            matches = prompt.matches(answer)
            if not matches:
                self.notify(f"nothing matches {answer!r}", severity="warning")
                return
            answer = matches[0][0]
        self.close()
        self._on_answer(prompt, answer)
