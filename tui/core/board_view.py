"""Derived views of a board: cards grouped by column and lane, in order.

Pure functions of a BoardContent, shared by the store (to place a moved card) and the
UI (to draw columns), so both agree on what "the third card of In progress" is.

Grouping 50,000 cards costs some 50 ms, and each change makes a new BoardContent in
which all but a card or two are the very objects of the last one. So the grouping of
the board last asked about is kept, and the next board's is made from it by moving
only the cards that are not the same objects: a move re-sorts nothing, and a cell or
column nothing touched stays the same object (which is how the UI knows to keep it).
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property
from itertools import chain, compress
from math import isnan
from operator import attrgetter, is_not, not_

from tui.core.models import BoardContent, Card, Column, Lane, Placement

NO_LANE = Lane(id="", name="")
"""The one lane of a board whose service has no lanes."""

CHANGES_MOVED = 256
"""Past this many changed cards, grouping anew is as quick as moving them one by one."""

_order = attrgetter("position", "id")
"""How a cell sorts its cards."""
_card_id = attrgetter("id")
_position = attrgetter("position")


@dataclass(frozen=True)
class LaneCell:
    lane: Lane
    cards: tuple[Card, ...]


@dataclass(frozen=True)
class ColumnView:
    column: Column
    cells: tuple[LaneCell, ...]
    """One per lane of the board, in lane order, empty ones included."""

    @property
    def card_count(self) -> int:
        return sum(len(cell.cards) for cell in self.cells)

    @cached_property
    def cards(self) -> tuple[Card, ...]:
        """The column's cards, lane after lane, as the board draws them top to bottom."""
        return tuple(chain.from_iterable(cell.cards for cell in self.cells))

    @cached_property
    def rows(self) -> dict[str, int]:
        """Card id -> its place in `cards` (the first, should two cards share an id)."""
        cards = self.cards
        return dict(zip(map(_card_id, reversed(cards)), range(len(cards) - 1, -1, -1), strict=True))

    def row_of(self, card: Card) -> int | None:
        """Where this very card is in `cards`, found by its sort key in its lane; None
        if it is not there (or its position is NaN, which no sort places)."""
        cells = self.cells
        lane = next((i for i, cell in enumerate(cells) if cell.lane.id == card.lane_id), 0)
        cards = cells[lane].cards if cells else ()
        index = bisect_left(cards, _order(card), key=_order)
        if index < len(cards) and cards[index] is card:
            return sum(len(cell.cards) for cell in cells[:lane]) + index
        return None


def column_totals(content: BoardContent | None) -> dict[str, int]:
    """Cards per column, filter or not: what a WIP limit counts."""
    totals: dict[str, int] = {}
    for (column_id, _), cards in grouped(content).cells.items() if content else ():
        totals[column_id] = totals.get(column_id, 0) + len(cards)
    return totals


def over_limit(column: Column, total: int) -> bool:
    """Whether `total` cards break the column's WIP limit (a column without one never is)."""
    return column.wip_limit is not None and total > column.wip_limit


def wip_count(column: Column, total: int) -> str:
    """The count a header shows, saying in words when it is over the limit: "6/5 over"."""
    if column.wip_limit is None:
        return str(total)
    return f"{total}/{column.wip_limit}" + (" over" if over_limit(column, total) else "")


def board_lanes(content: BoardContent) -> tuple[Lane, ...]:
    return tuple(sorted(content.lanes, key=lambda lane: lane.position)) or (NO_LANE,)


def default_lane(content: BoardContent, near: Card | None = None) -> str | None:
    """The lane a new card goes to, in the TUI's form and in `card create` alike.

    Next to `near` (the card under the cursor) when it has a lane of the board; else the
    board's default lane: the one holding the most cards, the everyday lane (an
    Expedite lane above it holds few), the first by position on a tie. None for a
    board without lanes.
    """
    if not content.lanes:
        return None
    lanes = board_lanes(content)
    if near is not None and near.lane_id and any(lane.id == near.lane_id for lane in lanes):
        return near.lane_id
    counts = {lane.id: 0 for lane in lanes}
    for (_, lane_id), cards in grouped(content).cells.items():
        counts[lane_id] += len(cards)
    return max(lanes, key=lambda lane: counts[lane.id]).id  # max keeps the first of equals


def lane_key(content: BoardContent, card: Card) -> str:
    """The lane a card is drawn in; a card with no (or an unknown) lane goes to the first."""
    return _lane_of(board_lanes(content), card)


def _lane_of(lanes: Sequence[Lane], card: Card) -> str:
    if card.lane_id and any(lane.id == card.lane_id for lane in lanes):
        return card.lane_id
    return lanes[0].id


def group_cards(
    content: BoardContent, keep: Callable[[Card], bool] | None = None
) -> tuple[ColumnView, ...]:
    """Columns in order, each with its lanes' cards sorted by position."""
    views = grouped(content).views
    if keep is None:
        return views
    return tuple(
        ColumnView(
            view.column,
            tuple(LaneCell(cell.lane, tuple(filter(keep, cell.cards))) for cell in view.cells),
        )
        for view in views
    )


class FilteredViews:
    """`group_cards` with one filter over one board after another: only the cells that
    changed are filtered again (the board screen makes a new one for a new filter)."""

    def __init__(self, keep: Callable[[Card], bool] | None) -> None:
        self.keep = keep
        self._lanes: tuple[Lane, ...] = ()
        self._views: dict[str, ColumnView] = {}
        """Column id -> the column as last shown."""
        self._sources: dict[tuple[str, str], tuple[Card, ...]] = {}
        """(column, lane) -> the cards, unfiltered, that the cell was last filtered from."""

    def views(self, content: BoardContent) -> tuple[ColumnView, ...]:
        grouping = grouped(content)
        if self.keep is None:
            return grouping.views
        if grouping.lanes is not self._lanes:  # other lanes: no cell is what it was
            self._lanes, self._views, self._sources = grouping.lanes, {}, {}
        shown = tuple(self._filtered(view, self.keep) for view in grouping.views)
        self._views = {view.column.id: view for view in shown}
        return shown

    def _filtered(self, view: ColumnView, keep: Callable[[Card], bool]) -> ColumnView:
        last = self._views.get(view.column.id)
        cells = []
        for index, cell in enumerate(view.cells):
            where = (view.column.id, cell.lane.id)
            if last is not None and self._sources.get(where) is cell.cards:
                cells.append(last.cells[index])
            else:
                cells.append(LaneCell(cell.lane, tuple(filter(keep, cell.cards))))
                self._sources[where] = cell.cards
        if last is not None and not any(map(is_not, cells, last.cells)):
            return last
        return ColumnView(view.column, tuple(cells))


def cards_in_cell(content: BoardContent, column_id: str, lane_id: str) -> list[Card]:
    return list(grouped(content).cells.get((column_id, lane_id), ()))


def placement(
    content: BoardContent, card_id: str, column_id: str, lane_id: str, index: int
) -> Placement:
    """Where `card_id` lands when put at `index` of a cell, in every form a service wants."""
    others = [card for card in cards_in_cell(content, column_id, lane_id) if card.id != card_id]
    index = max(0, min(index, len(others)))
    before = others[index] if index < len(others) else None
    after = others[index - 1] if index > 0 else None
    position = _between(after.position if after else None, before.position if before else None)
    return Placement(
        column_id=column_id,
        lane_id=lane_id or None,
        index=index,
        position=position,
        before_id=before.id if before else None,
        after_id=after.id if after else None,
    )


def next_column_target(content: BoardContent, card: Card, step: int) -> tuple[str, str, int] | None:
    """Where H/L puts a card: the top of the neighbouring column, same lane; None at an edge."""
    columns = sorted(content.columns, key=lambda column: column.position)
    index = next(i for i, column in enumerate(columns) if column.id == card.column_id)
    if not 0 <= index + step < len(columns):
        return None
    return columns[index + step].id, lane_key(content, card), 0


def reorder_target(content: BoardContent, card: Card, step: int) -> tuple[str, str, int] | None:
    """Where J/K puts a card: one place down/up in its cell; None at either end."""
    lane_id = lane_key(content, card)
    cell = cards_in_cell(content, card.column_id, lane_id)
    index = next(i for i, other in enumerate(cell) if other.id == card.id)
    if not 0 <= index + step < len(cell):
        return None
    return card.column_id, lane_id, index + step


def _between(low: float | None, high: float | None) -> float:
    if low is None:
        return 1.0 if high is None else high - 1.0
    if high is None:
        return low + 1.0
    return (low + high) / 2


# --- the grouping, kept from one board to the next ---------------------------------------


@dataclass(frozen=True)
class Grouped:
    """A board's cards in their cells, every card, each cell sorted."""

    content: BoardContent
    lanes: tuple[Lane, ...]
    cells: dict[tuple[str, str], tuple[Card, ...]]
    """(column id, lane id) -> its cards in order; columns the board lacks included."""
    views: tuple[ColumnView, ...]
    by_id: dict[str, Card]
    """Card id -> the card (the first, should two cards share an id)."""
    movable: bool
    """Whether the next board's grouping may be made from this one by moving cards: not
    when two cards share an id or a position is NaN, as then no two cards sort the same
    way twice and only a sort of the whole board says where each goes."""


class _Latest:
    """The grouping last made: of the board on screen, which the store and the screen
    ask about in turn (one board: the one before it is what the next is made from)."""

    grouped: Grouped | None = None


def grouped(content: BoardContent) -> Grouped:
    """The board's grouping: kept from the last call, or made from it when it can be."""
    last = _Latest.grouped
    if last is not None and last.content is content:
        return last
    made = (_moved(last, content) if last is not None and last.movable else None) or _group(content)
    _Latest.grouped = made
    return made


def _group(content: BoardContent) -> Grouped:
    lanes = board_lanes(content)
    known, first = {lane.id for lane in lanes}, lanes[0].id
    buckets: dict[tuple[str, str], list[Card]] = {}
    for card in content.cards:
        where = (card.column_id, card.lane_id if card.lane_id in known else first)
        bucket = buckets.get(where)
        if bucket is None:
            buckets[where] = [card]
        else:
            bucket.append(card)
    cells = {where: tuple(sorted(cards, key=_order)) for where, cards in buckets.items()}
    cards = content.cards
    by_id = dict(zip(map(_card_id, reversed(cards)), reversed(cards), strict=True))
    movable = len(by_id) == len(cards) and not any(map(isnan, map(_position, cards)))
    views = _views(content, lanes, cells, None)
    return Grouped(content, lanes, cells, views, by_id, movable)


def _moved(last: Grouped, content: BoardContent) -> Grouped | None:
    """The grouping of `content` made from `last` by moving the cards that changed;
    None when it cannot be (see `Grouped.movable`) or would not be quicker."""
    if content.columns != last.content.columns or content.lanes != last.content.lanes:
        return None
    changes = _changes(last.content.cards, content.cards)
    if changes is None:
        return None
    gone, came = changes
    by_id = last.by_id.copy()
    for card in gone:
        del by_id[card.id]
    for card in came:
        if card.id in by_id or isnan(card.position):
            return None
        by_id[card.id] = card
    lanes = last.lanes
    cells = dict(last.cells)
    touched: dict[tuple[str, str], list[Card]] = {}
    for card in gone:
        where = (card.column_id, _lane_of(lanes, card))
        cell = touched.setdefault(where, list(cells[where]))
        del cell[bisect_left(cell, _order(card), key=_order)]
    for card in came:
        where = (card.column_id, _lane_of(lanes, card))
        insort(touched.setdefault(where, list(cells.get(where, ()))), card, key=_order)
    for where, cell in touched.items():
        cells[where] = tuple(cell)
    views = _views(content, lanes, cells, last)
    return Grouped(content, lanes, cells, views, by_id, movable=True)


def _changes(old: tuple[Card, ...], new: tuple[Card, ...]) -> tuple[list[Card], list[Card]] | None:
    """The cards of `old` that are not in `new` and those of `new` not in `old`, as
    objects; None when there are too many to be worth moving one by one."""
    if len(old) == len(new):
        at = list(compress(range(len(new)), map(is_not, old, new)))
        if len(at) > CHANGES_MOVED:
            return None
        return [old[i] for i in at], [new[i] for i in at]
    old_ids, new_ids = set(map(id, old)), set(map(id, new))
    gone = list(compress(old, map(not_, map(new_ids.__contains__, map(id, old)))))
    came = list(compress(new, map(not_, map(old_ids.__contains__, map(id, new)))))
    # The same object twice in one board would not show in sets of objects.
    if len(gone) + len(came) > CHANGES_MOVED or len(new) - len(old) != len(came) - len(gone):
        return None
    return gone, came


def _views(
    content: BoardContent,
    lanes: tuple[Lane, ...],
    cells: dict[tuple[str, str], tuple[Card, ...]],
    last: Grouped | None,
) -> tuple[ColumnView, ...]:
    """The columns in order; each one whose cells are all as in `last` is `last`'s own."""
    before = {view.column.id: view for view in last.views} if last is not None else {}
    views = []
    for column in sorted(content.columns, key=lambda column: column.position):
        view = before.get(column.id)
        kept = view.cells if view is not None else (None,) * len(lanes)
        cells_shown = tuple(
            cell if cell is not None and cell.cards is cards else LaneCell(lane, cards)
            for lane, cell, cards in zip(
                lanes, kept, (cells.get((column.id, lane.id), ()) for lane in lanes), strict=True
            )
        )
        if view is None or any(map(is_not, cells_shown, view.cells)):
            view = ColumnView(column, cells_shown)
        views.append(view)
    return tuple(views)
