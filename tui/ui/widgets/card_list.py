"""The cards of one column, drawn with Textual's Line API.

Only the rows on screen are rendered (and cached per card), so a column of thousands
of cards costs what a screenful costs. The list knows which card is selected but not
how to move the selection: the board screen owns the cursor.
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import date

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.events import Click
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.core.board_view import LaneCell
from tui.core.models import Card
from tui.ui.widgets.card_tile import TileStyles, tile_height, tile_lines

GAP = 1
"""Blank rows after each tile."""


class CardList(ScrollView, can_focus=False):
    COMPONENT_CLASSES = {
        "card-list--title",
        "card-list--muted",
        "card-list--selected",
        "card-list--lane",
        "card-list--overdue",
        "card-list--blocked",
        "card-list--empty",
    }

    DEFAULT_CSS = """
    CardList {
        height: 1fr;
        scrollbar-size-vertical: 1;
        overflow-x: hidden;
    }
    CardList > .card-list--title { text-style: bold; color: $card-title; }
    CardList > .card-list--muted { color: $card-muted; }
    CardList > .card-list--selected { background: $card-selected-background; }
    CardList > .card-list--lane { color: $lane-header; text-style: bold; }
    CardList > .card-list--overdue { color: $due-overdue; text-style: bold; }
    CardList > .card-list--blocked { color: $error; text-style: bold; }
    CardList > .card-list--empty { color: $card-muted; text-style: italic; }
    """

    class CardClicked(Message):
        def __init__(self, card_list: CardList, card: Card):
            super().__init__()
            self.card_list = card_list
            self.card = card

    def __init__(self, *, id: str | None = None):
        super().__init__(id=id)
        self._cells: tuple[LaneCell, ...] = ()
        self._show_lanes = False
        self._selected: str | None = None
        self._marked: frozenset[str] = frozenset()
        """Cards the user marked for a bulk action: "✓" in the gutter, not a colour."""
        self._today = date.today()
        self._items: list[LaneCell | Card | None] = []
        """What the list shows, top to bottom: lane headers, cards; None for "no cards"."""
        self._starts: list[int] = []
        """The first row of each item, for finding the item on a row by bisection."""
        self._height = 0
        self._card_rows: dict[str, tuple[int, int]] = {}
        """card id -> (first row, height without the gap)."""
        self._tiles: dict[int, tuple[Card, list[Text]]] = {}
        """id(card) -> (card, its lines). Cards are immutable, so the same object always
        draws the same; the card is kept to tell it from a new object that reuses its id."""
        self._strips: dict[tuple[int, int, bool, bool, int], tuple[Card, Strip]] = {}
        self._marks: dict[str, str] = {}
        """card id -> the sign before its title: a change on its way, or refused."""

    # --- content --------------------------------------------------------------------

    def show(
        self, cells: tuple[LaneCell, ...], *, show_lanes: bool, selected: str | None, today: date
    ) -> None:
        if cells == self._cells and show_lanes == self._show_lanes and today == self._today:
            self.select(selected)
            return
        if today != self._today:
            self._tiles.clear()  # "overdue" depends on the day
            self._strips.clear()
        self._cells, self._show_lanes, self._today = cells, show_lanes, today
        self._selected = selected
        if self.is_mounted:  # tiles need the stylesheet, which applies once mounted
            self._layout_rows()
            self.refresh()

    def on_mount(self) -> None:
        self._layout_rows()

    def select(self, card_id: str | None) -> None:
        if card_id == self._selected:
            return
        for previous in (self._selected, card_id):
            if previous in self._card_rows:
                self._refresh_card(previous)
        self._selected = card_id

    def mark(self, pending: frozenset[str], conflicts: frozenset[str]) -> None:
        """Sign the cards with changes still on their way (⟳) or refused by the service (✗)."""
        marks = {card_id: "⟳" for card_id in pending} | {card_id: "✗" for card_id in conflicts}
        changed = {card_id for card_id, _ in set(marks.items()) ^ set(self._marks.items())}
        self._marks = marks
        self._strips = {
            key: kept for key, kept in self._strips.items() if kept[0].id not in changed
        }
        for card_id in changed & self._card_rows.keys():
            self._refresh_card(card_id)

    def show_marked(self, marked: frozenset[str]) -> None:
        """Show these cards as marked; only the cards whose mark changed redraw."""
        changed, self._marked = marked ^ self._marked, marked
        for card_id in changed & self._card_rows.keys():
            self._refresh_card(card_id)

    def card_region(self, card_id: str) -> Region | None:
        """Where the card's rows are, in the list's virtual space (for scrolling to it)."""
        if card_id not in self._card_rows:
            return None
        top, height = self._card_rows[card_id]
        return Region(0, top, self.size.width or 1, height + GAP)

    def scroll_to_card(self, card_id: str | None, *, animate: bool = False) -> None:
        region = self.card_region(card_id) if card_id else None
        if region is not None:
            self.scroll_to_region(region, animate=animate, immediate=True)

    def _layout_rows(self) -> None:
        """Where each item starts; tiles themselves are drawn only when they come on screen."""
        alive = {id(card) for cell in self._cells for card in cell.cards}
        self._tiles = {key: entry for key, entry in self._tiles.items() if key in alive}
        self._strips = {key: entry for key, entry in self._strips.items() if key[0] in alive}
        items: list[LaneCell | Card | None] = []
        starts: list[int] = []
        card_rows: dict[str, tuple[int, int]] = {}
        row = 0
        for cell in self._cells:
            if self._show_lanes:
                items.append(cell)
                starts.append(row)
                row += 1
            for card in cell.cards:
                height = tile_height(card)
                items.append(card)
                starts.append(row)
                card_rows[card.id] = (row, height)
                row += height + GAP
        if not card_rows:
            items.append(None)
            starts.append(row)
            row += 1
        self._items, self._starts, self._card_rows, self._height = items, starts, card_rows, row
        self.virtual_size = Size(self.size.width, row)

    def _tile(self, card: Card) -> list[Text]:
        cached = self._tiles.get(id(card))
        if cached is None or cached[0] is not card:
            cached = self._tiles[id(card)] = (
                card,
                tile_lines(card, self._today, self._tile_styles()),
            )
        return cached[1]

    def _tile_styles(self) -> TileStyles:
        # Partial: only what each class sets, so the selection's background shows through.
        def style(name: str) -> Style:
            return self.get_component_rich_style(name, partial=True)

        return TileStyles(
            title=style("card-list--title"),
            muted=style("card-list--muted"),
            overdue=style("card-list--overdue"),
            blocked=style("card-list--blocked"),
            urgent=style("card-list--overdue"),
        )

    def _refresh_card(self, card_id: str) -> None:
        top, height = self._card_rows[card_id]
        self.refresh(Region(0, top - int(self.scroll_y), self.size.width, height))

    def notify_style_update(self) -> None:
        """The theme changed: every cached line was drawn in the old colours."""
        super().notify_style_update()
        self._tiles.clear()
        self._strips.clear()

    def on_resize(self) -> None:
        self._strips.clear()
        self.virtual_size = Size(self.size.width, self._height)

    # --- drawing --------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        item, line = self._item_at(int(self.scroll_y) + y)
        width = self.size.width
        if isinstance(item, Card) and line < len(self._tile(item)):
            selected, marked = item.id == self._selected, item.id in self._marked
            key = (id(item), line, selected, marked, width)
            cached = self._strips.get(key)
            if cached is None or cached[0] is not item:
                strip = self._card_strip(item, line, selected, marked, width)
                cached = self._strips[key] = (item, strip)
            return cached[1]
        if isinstance(item, LaneCell) and line == 0:
            text = Text(f"── {item.lane.name} ({len(item.cards)}) ", no_wrap=True, overflow="crop")
            return self._text_strip(text, self.get_component_rich_style("card-list--lane"), width)
        if item is None and line == 0 and self._items:
            return self._text_strip(
                Text(" no cards"), self.get_component_rich_style("card-list--empty"), width
            )
        return Strip.blank(width, self.rich_style)

    def _item_at(self, row: int) -> tuple[LaneCell | Card | None, int]:
        """The item on a row and the row's line within it; (None, -1) past the end."""
        index = bisect_right(self._starts, row) - 1
        if index < 0 or row >= self._height:
            return None, -1
        return self._items[index], row - self._starts[index]

    def _card_strip(self, card: Card, line: int, selected: bool, marked: bool, width: int) -> Strip:
        style = self.rich_style
        if selected:
            style += self.get_component_rich_style("card-list--selected")
        sign = "✓" if marked and line == 0 else "▌" if selected else " "
        marker = Segment(sign, style + Style(bold=True))
        text = self._tile(card)[line].copy()
        if line == 0 and card.id in self._marks:
            text = Text(f"{self._marks[card.id]} ", style=Style(bold=True)) + text
        text.truncate(max(width - 2, 1), overflow="ellipsis", pad=True)
        segments = [marker, *text.render(self.app.console)]
        return Strip(segments).apply_style(style).adjust_cell_length(width, style)

    def _text_strip(self, text: Text, style: Style, width: int) -> Strip:
        segments = list(text.render(self.app.console))
        return (
            Strip(segments)
            .apply_style(self.rich_style + style)
            .adjust_cell_length(width, self.rich_style)
        )

    def on_click(self, event: Click) -> None:
        item, _ = self._item_at(int(self.scroll_y) + event.y)
        if isinstance(item, Card):
            self.post_message(self.CardClicked(self, item))
