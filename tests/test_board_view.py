"""The board's grouping, kept and moved from one board to the next, always equals a
grouping of the whole board made afresh: whatever the changes between two boards."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core import board_view
from tui.core.board_view import FilteredViews, group_cards, grouped
from tui.core.models import Board, BoardContent, Card, Column, Lane

COLUMNS = (Column(id="c1", name="Todo", position=1), Column(id="c2", name="Done", position=2))
LANES = (Lane(id="l2", name="Standard", position=2), Lane(id="l1", name="Expedite", position=1))


def reference(content: BoardContent, keep: Callable[[Card], bool] | None = None) -> list:
    """Every card sorted anew, then filtered (a filter never changes the order, not even
    of cards at a NaN position), as (column, [(lane, [ids of the card objects])])."""
    lanes = sorted(content.lanes, key=lambda lane: lane.position) or [board_view.NO_LANE]
    known = {lane.id for lane in lanes}
    cells = defaultdict(list)
    for card in content.cards:
        lane_id = card.lane_id if card.lane_id in known else lanes[0].id
        cells[(card.column_id, lane_id)].append(card)
    return [
        (
            column.id,
            [
                (
                    lane.id,
                    [
                        id(card)
                        for card in sorted(cells[(column.id, lane.id)], key=board_view._order)
                        if keep is None or keep(card)
                    ],
                )
                for lane in lanes
            ],
        )
        for column in sorted(content.columns, key=lambda column: column.position)
    ]


def plain(views: tuple[board_view.ColumnView, ...]) -> list:
    return [
        (view.column.id, [(cell.lane.id, [id(c) for c in cell.cards]) for cell in view.cells])
        for view in views
    ]


def make_card(number: int, card_id: str, column: str, lane: str | None, position: float) -> Card:
    return Card(
        id=card_id,
        board_id="b",
        title=f"card {number}" + (" bug" if number % 3 == 0 else ""),
        column_id=column,
        lane_id=lane,
        position=position,
    )


def has_bug(card: Card) -> bool:
    return "bug" in card.title


ids = st.integers(min_value=0, max_value=500).map(lambda n: f"k{n}")  # now and then twice
columns = st.sampled_from(["c1", "c2", "gone"])  # "gone": a column the board lacks
lanes = st.sampled_from(["l1", "l2", None, "nowhere"])
positions = st.one_of(st.sampled_from([0.0, 1.0, 2.0, 2.5]), st.floats(allow_nan=False))
steps = st.lists(
    st.tuples(
        st.sampled_from(["move", "add", "remove", "copy", "swap", "lanes", "same", "nan"]),
        st.integers(min_value=0, max_value=10_000),
        ids,
        columns,
        lanes,
        positions,
    ),
    max_size=25,
)


@settings(max_examples=300)
@given(
    start=st.lists(st.tuples(ids, columns, lanes, positions), max_size=30),
    steps=steps,
    laned=st.booleans(),
)
def test_a_grouping_moved_from_the_last_equals_one_made_afresh(start, steps, laned):
    cards = [make_card(n, *fields) for n, fields in enumerate(start)]
    content = BoardContent(
        board=Board(id="b", name="B"), columns=COLUMNS, lanes=LANES if laned else (), cards=()
    )
    content = replace(content, cards=tuple(cards))
    filters = FilteredViews(has_bug)
    for kind, number, card_id, column, lane, position in [("same", 0, "", "", None, 0.0), *steps]:
        if kind == "move" and cards:
            at = number % len(cards)
            cards[at] = replace(cards[at], column_id=column, lane_id=lane, position=position)
        elif kind == "add":
            cards.insert(
                number % (len(cards) + 1), make_card(number, card_id, column, lane, position)
            )
        elif kind == "remove" and cards:
            del cards[number % len(cards)]
        elif kind == "copy" and cards:  # an equal card, but another object
            at = number % len(cards)
            cards[at] = replace(cards[at])
        elif kind == "swap" and len(cards) > 1:
            at = number % (len(cards) - 1)
            cards[at], cards[at + 1] = cards[at + 1], cards[at]
        elif kind == "nan" and cards:  # no order at all: the grouping is made afresh
            at = number % len(cards)
            cards[at] = replace(cards[at], position=math.nan)
        elif kind == "lanes":
            content = replace(content, lanes=LANES[: number % 3])
        content = replace(content, cards=tuple(cards))
        views = group_cards(content)
        assert plain(views) == reference(content)
        assert plain(filters.views(content)) == reference(content, has_bug)
        assert plain(group_cards(content, has_bug)) == reference(content, has_bug)
        first = {}
        for card in content.cards:
            first.setdefault(card.id, card)
        assert grouped(content).by_id == first
        movable = grouped(content).movable
        for view in views:
            shown = [card.id for card in view.cards]
            assert view.rows == {card_id: shown.index(card_id) for card_id in shown}
            for row, card in enumerate(view.cards):  # found by its key, or (NaN) not at all
                assert view.row_of(card) == row or (not movable and view.row_of(card) is None)


def board_of(count: int) -> BoardContent:
    cards = tuple(
        make_card(n, f"k{n}", COLUMNS[n % 2].id, LANES[n % 3 % 2].id, float(n))
        for n in range(count)
    )
    return BoardContent(board=Board(id="b", name="B"), columns=COLUMNS, lanes=LANES, cards=cards)


def test_a_move_keeps_the_columns_and_cells_it_does_not_touch():
    before = board_of(60)
    old = group_cards(before)
    cards = list(before.cards)
    cards[4] = replace(cards[4], lane_id="l1", position=-1.0)  # to the top of c1
    after = replace(before, cards=tuple(cards))
    new = group_cards(after)
    assert new[1] is old[1]  # the other column: the same object, nothing to redraw
    assert new[0] is not old[0]
    assert new[0].cells[0].cards[0] is cards[4]
    assert grouped(after).by_id["k4"] is cards[4]


def test_filtered_columns_are_filtered_again_only_where_a_card_changed():
    seen: list[str] = []

    def keep(card: Card) -> bool:
        seen.append(card.id)
        return has_bug(card)

    filters = FilteredViews(keep)
    before = board_of(60)
    old = filters.views(before)
    cards = list(before.cards)
    cards[3] = replace(cards[3], position=100.0)  # in c2, lane l2
    seen.clear()
    new = filters.views(replace(before, cards=tuple(cards)))
    assert new[0] is old[0]
    assert sorted(seen) == sorted(c.id for c in cards if c.column_id == "c2" and c.lane_id == "l2")
