"""The one immutable snapshot of what the user sees, as the store publishes it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from tui.core.board_view import grouped
from tui.core.filtering import CardFilter
from tui.core.models import Board, BoardContent, Card
from tui.core.outbox import Operation, OpState
from tui.core.overlay import CardDetail


class Activity(StrEnum):
    IDLE = "idle"
    LOADING = "loading"
    SAVING = "saving"


@dataclass(frozen=True)
class State:
    account: str
    provider_title: str
    boards: tuple[Board, ...] = ()
    board: BoardContent | None = None
    """The open board as the server has it, with the pending operations applied."""
    filter: CardFilter = field(default_factory=CardFilter)
    matches: frozenset[str] | None = None
    """Ids of the cards the service found for the filter; None when it is applied here."""
    detail: CardDetail | None = None
    loading: bool = False
    saving: int = 0
    """Operations on their way to the service right now."""
    error: str | None = None
    """The last failure, in one line, until the next action succeeds."""
    online: bool = True
    offline_reason: str | None = None
    """Why the service could not be reached, while it cannot."""
    operations: tuple[Operation, ...] = ()
    """Every operation of the account still in the outbox, oldest first."""
    cached_at: datetime | None = None
    """Set while the board shown comes from the cache: when it was read from the service."""
    column_totals: Mapping[str, int] | None = None
    """Set while a big board shows only its first cards: every column's card count."""
    changed: frozenset[str] = frozenset()
    """Cards that changed on the service since the user last looked at them."""

    @property
    def activity(self) -> Activity:
        if self.loading:
            return Activity.LOADING
        return Activity.SAVING if self.saving else Activity.IDLE

    @property
    def pending(self) -> int:
        """Operations not yet confirmed by the service (conflicts excluded)."""
        return sum(op.state is not OpState.CONFLICT for op in self.operations)

    @property
    def conflicts(self) -> int:
        return sum(op.state is OpState.CONFLICT for op in self.operations)

    @property
    def pending_cards(self) -> frozenset[str]:
        """Cards of the open board with a change still on its way."""
        return self._cards(lambda op: op.state is not OpState.CONFLICT)

    @property
    def conflict_cards(self) -> frozenset[str]:
        """Cards of the open board with a change the service refused."""
        return self._cards(lambda op: op.state is OpState.CONFLICT)

    def _cards(self, wanted: Callable[[Operation], bool]) -> frozenset[str]:
        if self.board is None:
            return frozenset()
        board_id = self.board.board.id
        return frozenset(
            op.card_id for op in self.operations if op.board_id == board_id and wanted(op)
        )

    def cached_age(self, now: datetime) -> str | None:
        """The age of the board shown while it is the cached one ("cached · 3 min ago")."""
        if self.cached_at is None:
            return None
        minutes = max(0, int((now - self.cached_at).total_seconds() // 60))
        if minutes < 1:
            return "cached · just now"
        if minutes < 120:
            return f"cached · {minutes} min ago"
        return f"cached · {minutes // 60} h ago"

    def shows(self, card: Card) -> bool:
        """Whether the filter keeps `card` (on the board screen, in `cards`)."""
        if self.matches is not None:
            return card.id in self.matches
        return self.filter.matches(card)

    @property
    def keep(self) -> Callable[[Card], bool] | None:
        """`shows` as a function that does not hold on to this state, for filtering one
        board after another; None without a filter."""
        if not self.filter:
            return None
        if self.matches is not None:
            found = self.matches
            return lambda card: card.id in found
        return self.filter.matches

    def card(self, card_id: str) -> Card | None:
        # From the board's grouping, which keeps an index by id from one board to the
        # next: every key on the board asks for a card by id, and neither a scan of
        # 50,000 cards nor an index built anew for each state would go unfelt.
        return grouped(self.board).by_id.get(card_id) if self.board else None
