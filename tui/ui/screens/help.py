"""Every key of the screen beneath, as the keymap has it now, on one screen.

Only Cardboard's own keys (a binding with an id, which the keymap can rebind): Textual's
generic ones, like a table's cursor keys, say nothing about Cardboard. The keys flow
into two columns, so an 80x24 terminal shows them all; when the window is wide enough,
each key's id is shown beside it for rebinding.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby
from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from tui.ui.commands import KeyedAction, keyed_actions

KEY_WIDTH = 10
ID_WIDTH = 20
GAP = 2
WIDE_COLUMN = 64
"""A help column at least this wide says each key in full, with its id; a narrower one
gives each key one line, so that 80x24 shows them all."""


INTRO = 'ctrl+p runs these by name; rebind one by its id in config.toml: [keymap] "board.new" = "N"'


@dataclass(frozen=True)
class HelpLine:
    """A group's title, or one key and what it does."""

    group: str
    action: KeyedAction | None = None


def what_it_does(action: KeyedAction, *, brief: bool) -> Text:
    """The key's name and sentence; `brief`ly, the sentence alone (the name when none) on
    one line, unless it says why the key does not work here."""
    tooltip = action.binding.tooltip
    if brief:
        one_line = not action.unavailable and action.enabled
        what = Text(tooltip or action.description, no_wrap=one_line, overflow="ellipsis")
    else:
        what = Text(action.description)
        if tooltip:
            what.append(f": {tooltip}", "dim")
    if action.unavailable:
        what.append(f" (not available: {action.unavailable})", "italic")
    elif not action.enabled:
        what.append(" (not available here)", "italic")
    return what


def split_in_two(heights: list[int]) -> int:
    """Where to start the second column so that the taller of the two is as short as can be."""
    total = sum(heights)
    best, best_tallest = len(heights), total
    above = 0
    for index, height in enumerate(heights):
        tallest = max(above, total - above)
        if tallest < best_tallest:
            best, best_tallest = index, tallest
        above += height
    return best


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
    }
    HelpScreen > Vertical {
        width: 100%;
        max-width: 180;
        height: auto;
        max-height: 100%;
        border: thick $primary;
        background: $surface;
        padding: 0 1;
    }
    HelpScreen .help--intro {
        color: $foreground-muted;
    }
    HelpScreen VerticalScroll {
        height: auto;
        scrollbar-size-vertical: 1;
    }
    HelpScreen #help-columns {
        height: auto;
    }
    HelpScreen .help--column {
        width: 1fr;
        height: auto;
    }
    HelpScreen #help-left {
        margin-right: 2;
    }
    """

    BINDINGS = [
        Binding("escape,q,question_mark", "close", "Close help", id="help.close"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._lines: list[HelpLine] = []
        self._laid_out_for = 0

    def compose(self) -> ComposeResult:
        with Vertical(id="help-frame") as frame:
            frame.border_subtitle = "esc, q or ? closes"
            yield Static(Text(INTRO), id="help-intro", classes="help--intro")
            with VerticalScroll(id="help-keys"), Horizontal(id="help-columns"):
                yield Static(id="help-left", classes="help--column")
                yield Static(id="help-right", classes="help--column")

    def on_mount(self) -> None:
        beneath = self._screen_beneath()
        ours = [action for action in self._ordered(beneath) if action.binding.id]
        for group, actions in groupby(ours, key=lambda action: action.group):
            self._lines.append(HelpLine(group))
            self._lines.extend(HelpLine(group, action) for action in actions)
        self.query_one("#help-keys").focus()

    def on_resize(self) -> None:
        # The frame's width is known once laid out; the columns are filled for it.
        width = self.query_one("#help-columns").content_size.width
        if width and width != self._laid_out_for:
            self._laid_out_for = width
            self._fill_columns((width - GAP) // 2)

    def _fill_columns(self, column_width: int) -> None:
        wide = column_width >= WIDE_COLUMN
        # Narrow, every row is a key's: the palette is named in the frame, the ids are not.
        self.query_one("#help-intro").display = wide
        frame = self.query_one("#help-frame")
        frame.border_title = "Keys" if wide else "Keys · ctrl+p runs them by name"
        what_width = column_width - KEY_WIDTH - (GAP + ID_WIDTH + GAP if wide else 1)
        console = self.app.console
        heights = [
            1 + (index > 0)  # a title, and the blank line above it
            if line.action is None
            else len(what_it_does(line.action, brief=not wide).wrap(console, max(what_width, 8)))
            for index, line in enumerate(self._lines)
        ]
        split = split_in_two(heights)
        left, right = self._lines[:split], self._lines[split:]
        if right and right[0].action is not None:  # a group that goes on says so
            right = [HelpLine(f"{right[0].group} (continued)"), *right]
        self.query_one("#help-left", Static).update(self._column(left, wide))
        self.query_one("#help-right", Static).update(self._column(right, wide))

    def _column(self, lines: list[HelpLine], wide: bool) -> RenderableType:
        parts: list[RenderableType] = []
        table: Table | None = None
        for line in lines:
            if line.action is None:
                title = Text(line.group, "bold underline")
                parts.append(Text.assemble("\n", title) if parts else title)
                table = self._table(wide)
                parts.append(table)
            elif table is not None:
                action = line.action
                cells = [Text(action.key_text, "bold"), what_it_does(action, brief=not wide)]
                if wide:
                    cells.append(Text(action.binding.id or "", "italic"))
                table.add_row(*cells)
        return Group(*parts)

    @staticmethod
    def _table(wide: bool) -> Table:
        table = Table.grid(padding=(0, GAP if wide else 1), expand=True)
        table.add_column("key", width=KEY_WIDTH, no_wrap=True, overflow="ellipsis")
        table.add_column("what", ratio=1)
        if wide:
            table.add_column("id", width=ID_WIDTH, no_wrap=True, overflow="ellipsis")
        return table

    def _screen_beneath(self) -> Screen[Any]:
        stack = self.app.screen_stack
        return stack[stack.index(self) - 1]

    def _ordered(self, screen: Screen[Any]) -> list[KeyedAction]:
        """The screen's keys, the focused widget's, then the app's."""

        def rank(action: KeyedAction) -> int:
            return 0 if action.node is screen else 2 if isinstance(action.node, App) else 1

        return sorted(keyed_actions(screen), key=rank)

    def action_close(self) -> None:
        self.dismiss(None)
