"""The board filter: what the user types after `/`.

Words match the title and description; `label:NAME` (or `#NAME`) keeps cards with that
label, `@NAME` cards assigned to someone whose name starts with NAME, `@none` unassigned
cards, `due:overdue|today|week|none|YYYY-MM-DD` cards by due date (a date keeps cards
due on or before it; the week runs Monday to Sunday). Everything is case-insensitive
and every term must match.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from datetime import date, timedelta

from tui.core.models import Card

DUE_WORDS = ("overdue", "today", "week", "none")


@dataclass(frozen=True)
class CardFilter:
    words: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    assignees: tuple[str, ...] = ()
    due: str | None = None
    """One of DUE_WORDS or an ISO date."""
    query: str = ""

    @classmethod
    def parse(cls, query: str) -> CardFilter:
        """Raises ValueError, saying what is expected, for a `due:` it cannot read."""
        try:
            terms = shlex.split(query)
        except ValueError:  # an unclosed quote: take the words as typed
            terms = query.split()
        words, labels, assignees, due = [], [], [], None
        for term in terms:
            lowered = term.casefold()
            if lowered.startswith("due:"):
                due = _due(lowered.removeprefix("due:"), term)
            elif lowered.startswith("label:") and len(lowered) > 6:
                labels.append(lowered[6:])
            elif lowered.startswith("#") and len(lowered) > 1:
                labels.append(lowered[1:])
            elif lowered.startswith("@") and len(lowered) > 1:
                assignees.append(lowered[1:])
            else:
                words.append(lowered)
        return cls(tuple(words), tuple(labels), tuple(assignees), due, query.strip())

    def __bool__(self) -> bool:
        return bool(self.words or self.labels or self.assignees or self.due)

    def matches(self, card: Card, today: date | None = None) -> bool:
        # Asked of every card of a board (50,000 of them) as a filter is applied: plain
        # loops, no generator or set made per card.
        if self.due is not None and not _due_matches(self.due, card.due, today or date.today()):
            return False
        if self.words:
            text = f"{card.title}\n{card.description}".casefold()
            for word in self.words:
                if word not in text:
                    return False
        for wanted in self.labels:
            for label in card.labels:
                if label.name.casefold() == wanted:
                    break
            else:
                return False
        for wanted in self.assignees:
            if wanted == "none":
                if card.assignee is not None:
                    return False
            elif card.assignee is None or not card.assignee.name.casefold().startswith(wanted):
                return False
        return True


def _due(spec: str, term: str) -> str:
    if spec in DUE_WORDS:
        return spec
    try:
        return date.fromisoformat(spec).isoformat()
    except ValueError:
        raise ValueError(
            f"{term!r}: after due: put overdue, today, week, none or a date (YYYY-MM-DD)"
        ) from None


def _due_matches(spec: str, due: date | None, today: date) -> bool:
    if spec == "none":
        return due is None
    if due is None:
        return False
    if spec == "overdue":
        return due < today
    if spec == "today":
        return due == today
    if spec == "week":
        monday = today - timedelta(days=today.weekday())
        return monday <= due <= monday + timedelta(days=6)
    return due <= date.fromisoformat(spec)
