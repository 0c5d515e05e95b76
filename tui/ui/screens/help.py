"""Every key of the screen beneath, as the keymap has it now, with the ids to rebind them."""

from __future__ import annotations

from itertools import groupby
from typing import Any

from rich.table import Table
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Label, Static

from tui.ui.commands import KeyedAction, keyed_actions


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
    }
    HelpScreen > Vertical {
        width: 100%;
        max-width: 110;
        height: 100%;
        border: thick $primary;
        background: $surface;
        padding: 0 1;
    }
    HelpScreen .help--intro {
        color: $foreground-muted;
    }
    HelpScreen VerticalScroll {
        height: 1fr;
        scrollbar-size-vertical: 1;
    }
    HelpScreen .help--group {
        text-style: bold underline;
        color: $primary;
        margin-top: 1;
    }
    """

    BINDINGS = [
        Binding("escape,q,question_mark", "close", "Close help", id="help.close"),
    ]

    def compose(self) -> ComposeResult:
        beneath = self._screen_beneath()
        with Vertical() as frame:
            frame.border_title = "Keys"
            frame.border_subtitle = "esc, q or ? closes"
            yield Static(
                'Rebind a key by its id in config.toml, e.g. [keymap] "card.edit" = "E". '
                "Every key is also in the command palette.",
                classes="help--intro",
                markup=False,
            )
            with VerticalScroll(id="help-keys"):
                for group, actions in groupby(self._ordered(beneath), key=lambda a: a.group):
                    yield Label(Text(group), classes="help--group")
                    yield Static(self._table(list(actions)))

    def on_mount(self) -> None:
        self.query_one("#help-keys").focus()

    def _screen_beneath(self) -> Screen[Any]:
        stack = self.app.screen_stack
        return stack[stack.index(self) - 1]

    def _ordered(self, screen: Screen[Any]) -> list[KeyedAction]:
        """The screen's keys, the focused widget's, then the app's; ours before Textual's."""

        def rank(action: KeyedAction) -> tuple[int, bool]:
            place = 0 if action.node is screen else 2 if isinstance(action.node, App) else 1
            return place, action.binding.id is None

        return sorted(keyed_actions(screen), key=rank)

    def _table(self, actions: list[KeyedAction]) -> Table:
        table = Table.grid(padding=(0, 2), expand=True)
        table.add_column("key", width=12, no_wrap=True, style="bold")
        table.add_column("what", ratio=1)
        table.add_column("id", width=20, no_wrap=True, overflow="ellipsis", style="italic")
        for action in actions:
            what = Text(action.description)
            if action.binding.tooltip:
                what.append(f" — {action.binding.tooltip}", "dim")
            if action.unavailable:
                what.append(f" (not available: {action.unavailable})", "italic")
            elif not action.enabled:
                what.append(" (not available here)", "italic")
            table.add_row(action.key_text, what, action.binding.id or "")
        return table

    def action_close(self) -> None:
        self.dismiss(None)
