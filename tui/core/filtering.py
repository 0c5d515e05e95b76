"""The board filter: what the user types after `/`.

Words match the title and description; `label:NAME` (or `#NAME`) keeps cards with that
label, `@NAME` cards assigned to someone whose name starts with NAME, `@none` unassigned
cards. Everything is case-insensitive and every term must match.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass

from tui.core.models import Card


@dataclass(frozen=True)
class CardFilter:
    words: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    assignees: tuple[str, ...] = ()
    query: str = ""

    @classmethod
    def parse(cls, query: str) -> CardFilter:
        try:
            terms = shlex.split(query)
        except ValueError:  # an unclosed quote: take the words as typed
            terms = query.split()
        words, labels, assignees = [], [], []
        for term in terms:
            lowered = term.casefold()
            if lowered.startswith("label:") and len(lowered) > 6:
                labels.append(lowered[6:])
            elif lowered.startswith("#") and len(lowered) > 1:
                labels.append(lowered[1:])
            elif lowered.startswith("@") and len(lowered) > 1:
                assignees.append(lowered[1:])
            else:
                words.append(lowered)
        return cls(tuple(words), tuple(labels), tuple(assignees), query.strip())

    def __bool__(self) -> bool:
        return bool(self.words or self.labels or self.assignees)

    def matches(self, card: Card) -> bool:
        if self.words:
            text = f"{card.title}\n{card.description}".casefold()
            if not all(word in text for word in self.words):
                return False
        if self.labels:
            names = {label.name.casefold() for label in card.labels}
            if not all(label in names for label in self.labels):
                return False
        for wanted in self.assignees:
            if wanted == "none":
                if card.assignee is not None:
                    return False
            elif card.assignee is None or not card.assignee.name.casefold().startswith(wanted):
                return False
        return True
