"""One board column: a header (name, WIP count/limit) over its list of cards."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widget import Widget

from tui.core.board_view import ColumnView, over_limit, wip_count
from tui.ui.widgets.card_list import CardList

COLUMN_GAP = 1
"""Cells between two columns (BoardColumn's right margin)."""


def columns_fit(count: int, room: int, narrowest: int) -> bool:
    """Whether `count` columns of at least `narrowest` cells fit in `room` cells side by side."""
    return count * (narrowest + COLUMN_GAP) <= room


class ColumnHeader(Widget):
    COMPONENT_CLASSES = {"column-header--over"}

    DEFAULT_CSS = """
    ColumnHeader {
        height: 2;
        padding: 0 1;
        border-bottom: solid $foreground-muted 40%;
        text-style: bold;
        color: $foreground;
    }
    ColumnHeader.-active { background: $boost; color: $accent; border-bottom: solid $accent; }
    ColumnHeader > .column-header--over { color: $wip-over; text-style: bold reverse; }
    """

    def show(self, view: ColumnView, total: int) -> None:
        """`total` is the column's card count before filtering, which the WIP limit counts."""
        column = view.column
        name = f"{column.group} › {column.name}" if column.group else column.name
        shown = f" · {view.card_count} shown" if view.card_count != total else ""
        header = (name, wip_count(column, total), over_limit(column, total), shown)
        if header != self._header:  # a fixed-size line: redraw it, never re-lay out the screen
            self._header = header
            self.refresh()

    _header: tuple[str, str, bool, str] = ("", "", False, "")

    def render(self) -> Text:
        name, count, over, shown = self._header
        # Said in words ("6/5 over") and drawn reversed, so it reads without colour too.
        tally = Text(f" {count} " if over else count, no_wrap=True, overflow="ellipsis")
        if over:
            tally.stylize(self.get_component_rich_style("column-header--over"))
        tally.append(shown)
        # A narrow column cuts the name, never the count.
        label = Text(name, no_wrap=True, overflow="ellipsis")
        label.truncate(max(1, self.content_size.width - tally.cell_len - 2), overflow="ellipsis")
        label.append("  ")
        label.append_text(tally)
        return label


class BoardColumn(Vertical):
    DEFAULT_CSS = f"""
    BoardColumn {{
        width: 1fr;
        height: 1fr;
        margin-right: {COLUMN_GAP};
    }}
    """

    def __init__(self, column_id: str):
        super().__init__()
        self.column_id = column_id
        # Made here, not in compose, so the board can fill a column before it is mounted.
        self.header = ColumnHeader()
        self.cards = CardList()

    def compose(self) -> ComposeResult:
        yield self.header
        yield self.cards

    def fit(self, narrowest: int, widest: int, *, share: bool) -> None:
        """Share the board's width within the bounds, or take the narrowest when it scrolls."""
        self.styles.width = "1fr" if share else narrowest
        self.styles.min_width = narrowest
        self.styles.max_width = widest

    def show(
        self,
        view: ColumnView,
        total: int,
        *,
        show_lanes: bool,
        selected: str | None,
        active: bool,
        today: date,
        selected_row: int | None = None,
    ) -> None:
        self.header.show(view, total)
        self.header.set_class(active, "-active")
        self.cards.show(
            view, show_lanes=show_lanes, selected=selected, today=today, selected_row=selected_row
        )
