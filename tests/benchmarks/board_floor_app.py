"""The board's floor: a bare Textual app drawing what the board screen draws at 160x48.

No Cardboard code: a filter Input (hidden), six 26-cell columns of a header and fifteen
two-line cards, a status line and a Footer with the board's nine keys. What it takes to
paint, over floor_app.py's one label, is Textual's own price for a screen like the
board's; python -m tests.benchmarks prints it beside the board figures for reference.
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.containers import HorizontalScroll, Vertical
from textual.widgets import Footer, Input, Static

MARKER = "bench card 00000"
KEYS = ("enter", "n", "e", "slash", "b", "exclamation_mark", "question_mark", "q", "ctrl+q")


class BoardFloor(App[None]):
    CSS = """
    #filter { display: none; }
    #columns { height: 1fr; }
    Vertical { width: 26; margin-right: 1; }
    .header { height: 2; border-bottom: solid $primary; }
    """
    BINDINGS = [(key, "quit", key) for key in KEYS]

    def compose(self) -> ComposeResult:
        yield Input(id="filter")
        with HorizontalScroll(id="columns"):
            for column in range(6):
                with Vertical():
                    yield Static(f"Column {column}  8334", classes="header")
                    cards = (f"bench card {column:02d}{n:03d}\n@Ada  #bug\n" for n in range(15))
                    yield Static("\n".join(cards))
        yield Static("local › Bench board  ✓ synced")
        yield Footer()


if __name__ == "__main__":
    BoardFloor().run()
