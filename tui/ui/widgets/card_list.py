"""The cards of one column, drawn with Textual's Line API.

Only the rows on screen are rendered (and cached per card), so a column of thousands
of cards costs what a screenful costs. The list knows which card is selected but not
how to move the selection: the board screen owns the cursor.
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import date
from itertools import accumulate, compress, count
from operator import is_not

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.events import Click
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.core.board_view import ColumnView, LaneCell
from tui.core.models import Card, Column
from tui.ui.widgets.card_tile import TileStyles, tile_height, tile_lines

GAP = 1
"""Blank rows after each tile."""

STRIPS_KEPT = 2000
"""Drawn lines kept before those far from the screen are forgotten."""

_NOTHING = ColumnView(Column(id="", name=""), ())
"""What a list shows before it is given a column."""


def _kept(
    heights: dict[int, tuple[tuple[Card, ...], list[int]]], cells: tuple[LaneCell, ...], index: int
) -> tuple[tuple[Card, ...], list[int]]:
    """What the last layout measured in the lane at `index`, if it had one."""
    if index >= len(cells):
        return (), []
    return heights.get(id(cells[index].cards)) or ((), [])


def _measured(cards: tuple[Card, ...], before: tuple[tuple[Card, ...], list[int]]) -> list[int]:
    """The rows each card's tile takes, gap included, taking what is known of the cards
    that begin and end the lane as before (a move changes a card or two in the middle)."""
    known, heights = before
    common = min(len(cards), len(known))
    head = next(compress(count(), map(is_not, cards, known)), common)
    tail = min(
        next(compress(count(), map(is_not, reversed(cards), reversed(known))), common),
        common - head,
    )
    middle = [tile_height(card) + GAP for card in cards[head : len(cards) - tail]]
    return heights[:head] + middle + heights[len(known) - tail :]


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
        self._view = _NOTHING
        self._show_lanes = False
        self._selected: str | None = None
        self._marked: frozenset[str] = frozenset()
        """Cards the user marked for a bulk action: "✓" in the gutter, not a colour."""
        self._today = date.today()
        self._items: list[LaneCell | Card | None] = []
        """What the list shows, top to bottom: lane headers, cards; None for "no cards"."""
        self._starts: list[int] = [0]
        """The first row of each item, then the row after the last: for finding the item
        on a row by bisection."""
        self._cell_starts: list[int] = [0]
        """Where each lane's cards start in the column's cards, for counting the lane
        headers above a card."""
        self._heights: dict[int, tuple[tuple[Card, ...], list[int]]] = {}
        self._heights_before: dict[int, tuple[tuple[Card, ...], list[int]]] = {}
        """id(a lane's cards) -> (those cards, the rows each tile takes, gap included), for
        the cells of the last layout and of the one before: a cell that comes back (the
        whole column, once a filter is cleared) is not measured again, and one that
        changed is measured only where it did."""
        self._tiles: dict[int, tuple[Card, list[Text]]] = {}
        """id(card) -> (card, its lines). Cards are immutable, so the same object always
        draws the same; the card is kept to tell it from a new object that reuses its id."""
        self._strips: dict[tuple[int, int, bool, bool, int], tuple[Card, Strip]] = {}
        self._marks: dict[str, str] = {}
        """card id -> the sign before its title: a change on its way, or refused."""
        self.drawn = False
        """True once the list has drawn lines: they are in the frame being written."""

    # --- content --------------------------------------------------------------------

    def show(
        self,
        view: ColumnView,
        *,
        show_lanes: bool,
        selected: str | None,
        today: date,
        selected_row: int | None = None,
    ) -> None:
        """`selected_row`: where the selected card is in the column's cards, if known."""
        # The same view as an object, not an equal one: comparing thousands of cards field
        # by field costs more than laying them out, and the board keeps what did not change.
        if view is self._view and show_lanes == self._show_lanes and today == self._today:
            self.select(selected, selected_row)
            return
        if today != self._today:
            self._tiles.clear()  # "overdue" depends on the day
            self._strips.clear()
        self._view, self._show_lanes, self._today = view, show_lanes, today
        self._selected, self._selected_row = selected, selected_row
        if self.is_mounted:  # tiles need the stylesheet, which applies once mounted
            self._layout_rows()
            self.refresh()

    def on_mount(self) -> None:
        self._layout_rows()

    def select(self, card_id: str | None, row: int | None = None) -> None:
        """`row`: where the card is in the column's cards, if known (else it is looked up)."""
        if card_id == self._selected:
            self._selected_row = row
            return
        self._refresh_card(self._selected)
        self._selected, self._selected_row = card_id, row
        self._refresh_card(card_id)

    _selected_row: int | None = None

    def mark(
        self, pending: frozenset[str], conflicts: frozenset[str], changed: frozenset[str]
    ) -> None:
        """Sign the cards changed on the service since the user looked (●), with changes
        still on their way (⟳) or refused by the service (✗): the user's own come first."""
        marks = (
            {card_id: "●" for card_id in changed}
            | {card_id: "⟳" for card_id in pending}
            | {card_id: "✗" for card_id in conflicts}
        )
        redraw = {card_id for card_id, _ in set(marks.items()) ^ set(self._marks.items())}
        self._marks = marks
        if not redraw:
            return
        self._strips = {key: kept for key, kept in self._strips.items() if kept[0].id not in redraw}
        for card_id in redraw:
            self._refresh_card(card_id)

    def show_marked(self, marked: frozenset[str]) -> None:
        """Show these cards as marked; only the cards whose mark changed redraw."""
        changed, self._marked = marked ^ self._marked, marked
        for card_id in changed:
            self._refresh_card(card_id)

    def card_region(self, card_id: str) -> Region | None:
        """Where the card's rows are, in the list's virtual space (for scrolling to it)."""
        index = self._item_of(card_id)
        if index is None:
            return None
        top = self._starts[index]
        return Region(0, top, self.size.width or 1, self._starts[index + 1] - top)

    def scroll_to_card(self, card_id: str | None, *, animate: bool = False) -> None:
        region = self.card_region(card_id) if card_id else None
        if region is not None:
            self.scroll_to_region(region, animate=animate, immediate=True)

    def _item_of(self, card_id: str | None) -> int | None:
        """The index in `_items` of the card with this id (the first, should two share it)."""
        if card_id is None:
            return None
        row = self._selected_row if card_id == self._selected else None
        cards = self._laid.cards
        if row is None or not (row < len(cards) and cards[row].id == card_id):
            # An index of every id in the column: made once per column shown, and not
            # for the selected card, whose place the board knows.
            row = self._laid.rows.get(card_id)
        if row is None or not self._show_lanes:
            return row
        return row + bisect_right(self._cell_starts, row)  # after the headers of its lane and above

    def _layout_rows(self) -> None:
        """Where each item starts; tiles themselves are drawn only when they come on screen.

        Done for every card of the column (thousands), so in bulk operations rather than
        a step per card: only the cards new to a lane are measured one by one.
        """
        cells = self._view.cells
        before = self._heights
        heights: dict[int, tuple[tuple[Card, ...], list[int]]] = {}
        items: list[LaneCell | Card | None] = []
        rows: list[int] = []
        for index, cell in enumerate(cells):
            if self._show_lanes:
                items.append(cell)
                rows.append(1)
            cards = cell.cards
            known = before.get(id(cards)) or self._heights_before.get(id(cards))
            if known is None or known[0] is not cards:
                known = (cards, _measured(cards, _kept(before, self._laid.cells, index)))
            heights[id(cards)] = known
            items += cards
            rows += known[1]
        if not self._view.card_count:
            items.append(None)
            rows.append(1)
        self._heights_before, self._heights, self._laid = before, heights, self._view
        self._items = items
        self._starts = list(accumulate(rows, initial=0))
        self._cell_starts = list(accumulate((len(cell.cards) for cell in cells), initial=0))
        self._forget_far()
        self._set_height(self._starts[-1])

    _laid = _NOTHING
    """The column as last laid out (the one shown; `show` may have given one since)."""

    def _forget_far(self) -> None:
        """Keep the drawn tiles of the cards on screen and a screen above and below only:
        a long column scrolled through would otherwise keep thousands of them."""
        top, height = int(self.scroll_y), max(self.size.height, 1)
        first = max(bisect_right(self._starts, top - height) - 1, 0)
        near = {
            id(item) for item in self._items[first : bisect_right(self._starts, top + 2 * height)]
        }
        self._tiles = {key: kept for key, kept in self._tiles.items() if key in near}
        self._strips = {key: kept for key, kept in self._strips.items() if key[0] in near}

    def _set_height(self, height: int) -> None:
        """Make the list `height` rows long. Without a change to whether it needs its
        scrollbar, nothing around it moves, so it is not laid out again: a layout
        redraws every widget of the board, and each move of a card changes two lists."""
        room = self.container_size.height
        bar_stays = room > 0 and (height > room) == (self.virtual_size.height > room)
        if not bar_stays:
            self.virtual_size = Size(self.size.width, height)
            return
        self.set_reactive(CardList.virtual_size, Size(self.size.width, height))
        if self.show_vertical_scrollbar:
            self.vertical_scrollbar.window_virtual_size = height
        self.scroll_y = min(self.scroll_y, self.max_scroll_y)
        self.refresh()

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

    def _refresh_card(self, card_id: str | None) -> None:
        index = self._item_of(card_id)
        if index is not None:
            top = self._starts[index]
            height = self._starts[index + 1] - top - GAP
            self.refresh(Region(0, top - int(self.scroll_y), self.size.width, height))

    def notify_style_update(self) -> None:
        """The theme changed: every cached line was drawn in the old colours."""
        super().notify_style_update()
        self._tiles.clear()
        self._strips.clear()
        self._rich_style = None

    _rich_style: Style | None = None

    @property
    def _style(self) -> Style:
        """`rich_style`, kept: Textual works it out anew on every call from the styles of
        every widget above, which each line drawn would pay for."""
        if self._rich_style is None:
            self._rich_style = self.rich_style
        return self._rich_style

    def on_resize(self) -> None:
        self._strips.clear()
        self.virtual_size = Size(self.size.width, self._starts[-1])

    # --- drawing --------------------------------------------------------------------

    def render_lines(self, crop: Region) -> list[Strip]:
        self.drawn = True
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        item, line = self._item_at(int(self.scroll_y) + y)
        width = self.size.width
        if isinstance(item, Card) and line < len(self._tile(item)):
            selected, marked = item.id == self._selected, item.id in self._marked
            key = (id(item), line, selected, marked, width)
            cached = self._strips.get(key)
            if cached is None or cached[0] is not item:
                if len(self._strips) > STRIPS_KEPT:
                    self._forget_far()
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
        return Strip.blank(width, self._style)

    def _item_at(self, row: int) -> tuple[LaneCell | Card | None, int]:
        """The item on a row and the row's line within it; (None, -1) past the end."""
        index = bisect_right(self._starts, row) - 1
        if index < 0 or row >= self._starts[-1]:
            return None, -1
        return self._items[index], row - self._starts[index]

    def _card_strip(self, card: Card, line: int, selected: bool, marked: bool, width: int) -> Strip:
        style = self._style
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
            Strip(segments).apply_style(self._style + style).adjust_cell_length(width, self._style)
        )

    def on_click(self, event: Click) -> None:
        item, _ = self._item_at(int(self.scroll_y) + event.y)
        if isinstance(item, Card):
            self.post_message(self.CardClicked(self, item))
