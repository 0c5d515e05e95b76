"""The keys a one-card-at-a-time screen offers, on screen: digits for columns, then words.

Triage and the bulk actions both move cards with `1`…`9` and show their keys on the
screen itself rather than only in the footer, in the same form.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.binding import Binding

from tui.core.models import BoardContent

KeyLine = Sequence[tuple[str, str]]
"""(key, what it does) pairs shown on one line."""


def column_bindings(scope: str) -> list[Binding]:
    """`1`…`9` run `move(N)`, with ids like "triage.column_3" for the keymap."""
    return [
        Binding(str(n), f"move({n})", f"Column {n}", show=False, id=f"{scope}.column_{n}")
        for n in range(1, 10)
    ]


def legend(board: BoardContent | None, *lines: KeyLine) -> Text:
    """ "move to 1 Backlog  2 Ready …", then one line per group of keys."""
    keys = Text("move to ")
    for number, column in enumerate(board.columns[:9] if board else (), start=1):
        keys.append(f"{number}", "bold")
        keys.append(f" {column.name}  ")
    for line in lines:
        keys.append("\n")
        for key, what in line:
            keys.append(key, "bold")
            keys.append(f" {what}  ")
    keys.rstrip()
    return keys
