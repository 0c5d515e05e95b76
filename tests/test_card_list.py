"""A column's list measures again only the cards new to a lane: what it takes from the
lane as it was must be what measuring every card gives; and a tile's height, worked
out without drawing it, is the number of lines it is drawn in."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from hypothesis import given
from hypothesis import strategies as st
from rich.style import Style

from tui.core.models import Card, ChecklistItem, Label, Priority, User
from tui.ui.widgets.card_list import GAP, _measured
from tui.ui.widgets.card_tile import TileStyles, tile_height, tile_lines


def card(number: int) -> Card:
    # Tiles of one, two and three lines.
    labels = (Label(id="l", name="bug"),) if number % 2 else ()
    return Card(
        id=f"k{number}",
        board_id="b",
        title=f"card {number}",
        column_id="c",
        labels=labels,
        comment_count=number % 3,
    )


edits = st.lists(
    st.tuples(st.sampled_from(["insert", "delete", "replace"]), st.integers(0, 1000)),
    max_size=6,
)


@given(before=st.lists(st.integers(0, 50), max_size=30), edits=edits)
def test_heights_taken_from_the_lane_as_it_was_are_the_heights(before, edits):
    known = tuple(card(number) for number in before)
    cards = list(known)
    for edit, at in edits:
        if edit == "insert":
            cards.insert(at % (len(cards) + 1), card(at))
        elif cards and edit == "delete":
            del cards[at % len(cards)]
        elif cards:  # the same card, moved: another object
            cards[at % len(cards)] = replace(cards[at % len(cards)], comment_count=at % 3)
    heights = [tile_height(c) + GAP for c in known]
    assert _measured(tuple(cards), (known, heights)) == [tile_height(c) + GAP for c in cards]


@given(
    labels=st.booleans(),
    assignee=st.booleans(),
    due=st.booleans(),
    checklist=st.booleans(),
    comments=st.integers(0, 2),
    priority=st.sampled_from([None, *Priority]),
)
def test_a_tile_is_as_high_as_it_is_drawn(labels, assignee, due, checklist, comments, priority):
    shown = Card(
        id="k",
        board_id="b",
        title="t",
        column_id="c",
        labels=(Label(id="l", name="bug"),) if labels else (),
        assignee=User(id="u", name="Ada") if assignee else None,
        due=date(2026, 11, 20) if due else None,
        checklist=(ChecklistItem(id="i", text="step"),) if checklist else (),
        comment_count=comments,
        priority=priority,
    )
    plain = Style()
    styles = TileStyles(title=plain, muted=plain, overdue=plain, blocked=plain, urgent=plain)
    assert tile_height(shown) == len(tile_lines(shown, date(2026, 11, 20), styles))
