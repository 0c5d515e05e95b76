"""Derived views of a board: cards grouped by column and lane, in order.

Pure functions of a BoardContent, shared by the store (to place a moved card) and the
UI (to draw columns), so both agree on what "the third card of In progress" is.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from tui.core.models import BoardContent, Card, Column, Lane, Placement

NO_LANE = Lane(id="", name="")
"""The one lane of a board whose service has no lanes."""


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


def cards_of(view: ColumnView) -> list[Card]:
    """A column's cards, lane after lane, as the board draws them top to bottom."""
    return [card for cell in view.cells for card in cell.cards]


def column_totals(content: BoardContent | None) -> dict[str, int]:
    """Cards per column, filter or not: what a WIP limit counts."""
    totals: dict[str, int] = {}
    for card in content.cards if content else ():
        totals[card.column_id] = totals.get(card.column_id, 0) + 1
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
    for card in content.cards:
        counts[lane_key(content, card)] += 1
    return max(lanes, key=lambda lane: counts[lane.id]).id  # max keeps the first of equals


def lane_key(content: BoardContent, card: Card) -> str:
    """The lane a card is drawn in; a card with no (or an unknown) lane goes to the first."""
    lanes = board_lanes(content)
    if card.lane_id and any(lane.id == card.lane_id for lane in lanes):
        return card.lane_id
    return lanes[0].id


def group_cards(
    content: BoardContent, keep: Callable[[Card], bool] | None = None
) -> tuple[ColumnView, ...]:
    """Columns in order, each with its lanes' cards sorted by position."""
    lanes = board_lanes(content)
    known_lanes = {lane.id for lane in lanes}
    cells: dict[tuple[str, str], list[Card]] = defaultdict(list)
    for card in content.cards:
        if keep is not None and not keep(card):
            continue
        lane_id = card.lane_id if card.lane_id in known_lanes else lanes[0].id
        cells[(card.column_id, lane_id)].append(card)
    views = []
    for column in sorted(content.columns, key=lambda column: column.position):
        views.append(
            ColumnView(
                column,
                tuple(
                    LaneCell(lane, tuple(sorted(cells[(column.id, lane.id)], key=_order)))
                    for lane in lanes
                ),
            )
        )
    return tuple(views)


def _order(card: Card) -> tuple[float, str]:
    return (card.position, card.id)


def cards_in_cell(content: BoardContent, column_id: str, lane_id: str) -> list[Card]:
    return sorted(
        (
            card
            for card in content.cards
            if card.column_id == column_id and lane_key(content, card) == lane_id
        ),
        key=_order,
    )


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
