"""One board column: a header (name, WIP count/limit) over its list of cards."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from tui.core.board_view import ColumnView
from tui.ui.widgets.card_list import CardList


class ColumnHeader(Static):
    DEFAULT_CSS = """
    ColumnHeader {
        height: 2;
        padding: 0 1;
        border-bottom: solid $foreground-muted 40%;
        text-style: bold;
        color: $foreground;
    }
    ColumnHeader.-active { background: $boost; color: $accent; border-bottom: solid $accent; }
    ColumnHeader.-over-limit { color: $wip-over; }
    """

    def show(self, view: ColumnView, total: int) -> None:
        """`total` is the column's card count before filtering, which the WIP limit counts."""
        column = view.column
        name = f"{column.group} › {column.name}" if column.group else column.name
        count = f"{total}" if column.wip_limit is None else f"{total}/{column.wip_limit}"
        if view.card_count != total:
            count += f" · {view.card_count} shown"
        self.set_class(column.wip_limit is not None and total > column.wip_limit, "-over-limit")
        label = f"{name}  {count}"
        if label != self._label:  # a fixed-size line: redraw it, never re-lay out the screen
            self._label = label
            self.update(Text(label, no_wrap=True, overflow="ellipsis"), layout=False)

    _label = ""


class BoardColumn(Vertical):
    DEFAULT_CSS = """
    BoardColumn {
        width: 30;
        height: 1fr;
        margin-right: 1;
    }
    """

    def __init__(self, column_id: str, width: int):
        super().__init__()
        self.column_id = column_id
        self.styles.width = width
        # Made here, not in compose, so the board can fill a column before it is mounted.
        self.header = ColumnHeader()
        self.cards = CardList()

    def compose(self) -> ComposeResult:
        yield self.header
        yield self.cards

    def show(
        self,
        view: ColumnView,
        total: int,
        *,
        show_lanes: bool,
        selected: str | None,
        active: bool,
        today: date,
    ) -> None:
        self.header.show(view, total)
        self.header.set_class(active, "-active")
        self.cards.show(view.cells, show_lanes=show_lanes, selected=selected, today=today)
