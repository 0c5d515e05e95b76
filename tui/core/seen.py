"""Which cards changed on the service since the user last looked at them.

A card's fingerprint is what the board shows of it. The cache keeps, per card, the
fingerprint it had when the user last saw it; after a read from the service a card
whose fingerprint differs, or that is new on a board seen before, is marked until the
cursor rests on it. The user's own changes count as seen: they made them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping

from tui.core.models import Card


def fingerprint(card: Card) -> str:
    """What the board shows of `card`, hashed stably (the same in every process).

    Not the description nor the checklist's items: a board's listing may leave them
    out where the card's own page has them, and opening a card is no change.
    """
    shown = (
        card.title,
        card.column_id,
        card.lane_id,
        tuple(label.id for label in card.labels),
        card.assignee.id if card.assignee else None,
        tuple(member.id for member in card.members),
        card.due,
        card.priority,
        card.blocked,
        card.block_reason,
        card.comment_count,
        card.archived,
    )
    return hashlib.blake2b(repr(shown).encode(), digest_size=8).hexdigest()


def fingerprints(cards: Iterable[Card]) -> dict[str, str]:
    return {card.id: fingerprint(card) for card in cards}


def changed_cards(cards: Iterable[Card], seen: Mapping[str, str]) -> frozenset[str]:
    """The cards that differ from what was seen; none on a board never seen before."""
    if not seen:
        return frozenset()
    return frozenset(card.id for card in cards if seen.get(card.id) != fingerprint(card))
