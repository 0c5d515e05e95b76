"""What the board says after an action, in words: a toast's text, or None when all is as expected.

Kept apart from the screen so each sentence is one small function of the state, and
the words do not depend on colour (a WIP limit broken reads "over" under NO_COLOR too).
"""

from __future__ import annotations

from typing import Any

from textual.screen import Screen

from tui.core.board_view import column_totals, over_limit
from tui.core.models import Card
from tui.core.store import State
from tui.ui.commands import keyed_actions


def quoted(title: str) -> str:
    return f"“{title}”"


def undo_hint(screen: Screen[Any]) -> str:
    """ " · u undoes" with the key the keymap gives undo here; "" where nothing undoes."""
    keys = next(
        (
            action.key_text
            for action in keyed_actions(screen)
            if action.binding.action == "undo" and action.enabled
        ),
        None,
    )
    return f" · {keys} undoes" if keys else ""


def over_limit_after_move(state: State, column_id: str) -> str | None:
    """A move that broke the column's WIP limit says so."""
    board = state.board
    if board is None:
        return None
    column = next((column for column in board.columns if column.id == column_id), None)
    total = column_totals(board).get(column_id, 0)
    if column is None or not over_limit(column, total):
        return None
    return f"{column.name} is now over its WIP limit: {total} cards, {column.wip_limit} allowed"


def hidden_by_filter(state: State, card: Card, *, created: bool) -> str | None:
    """A card saved while the filter hides it would vanish without a word: say where it is."""
    shown = state.card(card.id)
    if not state.filter or shown is None or state.shows(shown):
        return None
    done = "Added" if created else "Saved"
    return f"{done} {quoted(card.title)}; the filter hides it (esc clears the filter)"
