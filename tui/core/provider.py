"""The provider contract: what a backend must do, may do, and how it fails.

A provider turns one service's API into the domain model of `tui.core.models`. The
docstrings of `Provider` are the contract the contract suite in
tests/test_provider_contract.py holds every installed provider to. A third-party
provider imports everything it needs from here, `tui.core.models` and `tui.core.errors`.

A provider declares what it can do in `capabilities`; the UI and the CLI check a
capability before they offer an action and show `Capabilities.why_not()` instead.
Calling a method the provider did not declare raises `Unsupported`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any, ClassVar

from tui.core.errors import Unsupported
from tui.core.filtering import CardFilter
from tui.core.models import (
    Board,
    BoardContent,
    Card,
    CardChanges,
    CardDraft,
    ChecklistItem,
    Comment,
    Placement,
    TimeLog,
    User,
)
from tui.core.secret import Secret

# --- capabilities -------------------------------------------------------------------


class Capability(StrEnum):
    CREATE = "create"
    EDIT = "edit"
    MOVE = "move"
    REORDER = "reorder"
    DELETE = "delete"
    ARCHIVE = "archive"
    RESTORE = "restore"
    """Archived cards can be listed (`list_archived_cards`) and brought back (`restore_card`)."""
    LANES = "lanes"
    COMMENTS = "comments"
    CHECKLISTS = "checklists"
    LABELS = "labels"
    ASSIGNEES = "assignees"
    DUE_DATES = "due_dates"
    PRIORITY = "priority"
    WIP_LIMITS = "wip_limits"
    TIME_LOGGING = "time_logging"
    """Time entries are pushed to the service (otherwise they stay in the journal)."""
    SEARCH = "search"
    """The service filters a board's cards itself (`search_cards`), beyond what is loaded."""
    LIVE_TIMER = "live_timer"
    """The service runs timers itself (KanbanTool): a timer started here runs there too."""
    BLOCKING = "blocking"
    """A card's blocked flag can be set and cleared (`CardChanges.blocked`)."""
    BOARDS = "boards"
    """Boards can be created, renamed and deleted (`create_board`, `rename_board`, ...)."""


@dataclass(frozen=True)
class Capabilities:
    supported: frozenset[Capability]
    reasons: Mapping[Capability, str] = field(default_factory=dict)
    """Why a capability is missing, in the user's words, where there is more to say."""

    def __contains__(self, capability: object) -> bool:
        return capability in self.supported

    def why_not(self, capability: Capability, provider_title: str) -> str | None:
        """None when supported; otherwise the sentence the UI shows."""
        if capability in self.supported:
            return None
        return self.reasons.get(
            capability, f"{provider_title} does not support {capability.value.replace('_', ' ')}"
        )


# --- options and connection ---------------------------------------------------------


@dataclass(frozen=True)
class ProviderOption:
    """One setting an account of this provider takes.

    Declared once on the provider; the CLI's `accounts add` flags and the account
    form are both built from these declarations.
    """

    name: str
    label: str
    description: str
    required: bool = False
    secret: bool = False
    default: str | None = None


@dataclass(frozen=True)
class BoardStart:
    """A big board's first cards, for a first frame before the whole board is read."""

    content: BoardContent
    """The board with the first cards of each column and lane, in their order."""
    column_totals: Mapping[str, int]
    """Every column's card count on the whole board (what a WIP limit counts)."""


@dataclass(frozen=True)
class Connection:
    """What a provider instance is built from: one account, resolved."""

    account: str
    url: str | None = None
    token: Secret | None = None
    options: Mapping[str, str] = field(default_factory=dict)
    data_dir: Path | None = None
    """Where a provider may keep files of its own (the local provider's database)."""
    transport: Any = None
    """An httpx transport to use instead of the network (tests and fakes)."""


# --- the provider -------------------------------------------------------------------

CREATE_CLOCK_SKEW = timedelta(minutes=5)
"""How far a service's clock may be behind ours when a created card is looked for."""


def _utc(moment: datetime | None) -> datetime | None:
    """A service's moment without a zone is taken as UTC, so moments compare."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


def _newest_first(card: Card) -> tuple[bool, datetime]:
    """Sort key: dated cards by date, undated ones before them."""
    created = _utc(card.created_at)
    return (created is not None, created or datetime.min.replace(tzinfo=UTC))


class Provider(ABC):
    """One service, for one account.

    Every method is a coroutine and raises only `ProviderError` subclasses. Ids are
    strings. Methods for capabilities the provider does not declare keep the default
    implementation, which raises `Unsupported`.
    """

    name: ClassVar[str]
    """The entry-point name ("kaiten"): what accounts.toml says in `provider`."""
    title: ClassVar[str]
    """The service's name as users know it ("Kaiten")."""
    capabilities: ClassVar[Capabilities]
    options: ClassVar[tuple[ProviderOption, ...]] = ()
    default_url: ClassVar[str | None] = None
    complete_board_cards: ClassVar[bool] = False
    """True when `load_board`'s cards carry all that `get_card` would (descriptions,
    checklists, labels): an export then reads no card one by one."""
    on_this_machine: ClassVar[bool] = False
    """True when the boards are files here (the local provider): reading them is as
    quick as reading a cache, so the store keeps no copy of their cards."""

    def __init__(self, connection: Connection):
        self.connection = connection

    def __repr__(self) -> str:
        return f"<{type(self).__name__} account={self.connection.account!r}>"

    def supports(self, capability: Capability) -> bool:
        return capability in self.capabilities

    def why_not(self, capability: Capability) -> str | None:
        return self.capabilities.why_not(capability, self.title)

    def _unsupported(self, capability: Capability) -> Unsupported:
        return Unsupported(self.why_not(capability) or f"{self.title}: {capability} failed")

    async def aclose(self) -> None:  # noqa: B027 - optional: most providers hold nothing
        """Release connections and files. The instance is not used afterwards."""

    # reading

    @abstractmethod
    async def whoami(self) -> User:
        """The user the credentials belong to; the cheapest call that proves they work."""

    @abstractmethod
    async def list_boards(self) -> list[Board]:
        """Every board the account can open, in the service's order."""

    @abstractmethod
    async def load_board(self, board_id: str) -> BoardContent:
        """The board with all its columns, lanes and cards (archived cards excluded)."""

    async def load_board_start(self, board_id: str, per_cell: int) -> BoardStart | None:
        """The first `per_cell` cards of each column and lane, where the service can give
        them much quicker than the whole board; None otherwise (a small board too)."""
        return None

    @abstractmethod
    async def get_card(self, board_id: str, card_id: str) -> Card:
        """One card with everything the detail screen shows (full description, checklist)."""

    async def list_comments(self, board_id: str, card_id: str) -> list[Comment]:
        """The card's comments, oldest first."""
        raise self._unsupported(Capability.COMMENTS)

    async def search_cards(self, board_id: str, query: CardFilter) -> list[Card]:
        """The board's cards that match `query`, as the service filters them."""
        raise self._unsupported(Capability.SEARCH)

    # writing

    async def create_card(self, board_id: str, draft: CardDraft) -> Card:
        """Providers whose service keeps an external id send `draft.external_id` with it."""
        raise self._unsupported(Capability.CREATE)

    async def find_created_card(
        self, board_id: str, draft: CardDraft, since: datetime | None
    ) -> Card | None:
        """The card a create of `draft` made, or None: did a create whose outcome was
        unclear (`Unavailable.in_doubt`) land? Asked before it is ever sent again.

        This default reads the board: a card carrying an external id matches on it alone;
        one without matches on the title, if the service dates it no earlier than `since`
        (the first send, less `CREATE_CLOCK_SKEW`). The newest match wins. A provider
        whose service looks cards up by external id does that instead.
        """
        title = " ".join(draft.title.split())
        earliest = _utc(since - CREATE_CLOCK_SKEW) if since is not None else None

        def made_by_draft(card: Card) -> bool:
            if card.external_id is not None and draft.external_id is not None:
                return card.external_id == draft.external_id
            if " ".join(card.title.split()) != title:
                return False
            created = _utc(card.created_at)
            return earliest is None or created is None or created >= earliest

        content = await self.load_board(board_id)
        matches = [card for card in content.cards if made_by_draft(card)]
        return max(matches, key=_newest_first, default=None)

    async def update_card(self, board_id: str, card_id: str, changes: CardChanges) -> Card:
        """Apply the fields set on `changes` (see `CardChanges.fields_set`)."""
        raise self._unsupported(Capability.EDIT)

    async def move_card(self, board_id: str, card_id: str, placement: Placement) -> Card:
        """Move a card to another column/lane or position; raises `Conflict` on a WIP refusal."""
        raise self._unsupported(Capability.MOVE)

    async def archive_card(self, board_id: str, card_id: str) -> None:
        raise self._unsupported(Capability.ARCHIVE)

    async def delete_card(self, board_id: str, card_id: str) -> None:
        raise self._unsupported(Capability.DELETE)

    async def list_archived_cards(self, board_id: str) -> list[Card]:
        """The board's archived cards (each with `archived=True`), in the service's order."""
        raise self._unsupported(Capability.RESTORE)

    async def restore_card(self, board_id: str, card_id: str) -> None:
        """Bring an archived card back onto the board, where the service puts it."""
        raise self._unsupported(Capability.RESTORE)

    async def add_comment(self, board_id: str, card_id: str, text: str) -> Comment:
        raise self._unsupported(Capability.COMMENTS)

    async def add_checklist_item(self, board_id: str, card_id: str, text: str) -> ChecklistItem:
        raise self._unsupported(Capability.CHECKLISTS)

    async def set_checklist_item(
        self, board_id: str, card_id: str, item_id: str, done: bool
    ) -> ChecklistItem:
        raise self._unsupported(Capability.CHECKLISTS)

    # time (TIME_LOGGING, LIVE_TIMER)

    async def log_time(
        self, board_id: str, card_id: str, minutes: int, day: date, note: str
    ) -> str:
        """Record time spent on the service; returns the service's id for the entry."""
        raise self._unsupported(Capability.TIME_LOGGING)

    async def list_time_logs(self, board_id: str, card_id: str) -> list[TimeLog]:
        """The card's time logs on the service: how a retry finds out whether a log landed."""
        raise self._unsupported(Capability.TIME_LOGGING)

    async def update_time_log(
        self, board_id: str, card_id: str, log_id: str, minutes: int, day: date, note: str
    ) -> None:
        raise self._unsupported(Capability.TIME_LOGGING)

    async def delete_time_log(self, board_id: str, card_id: str, log_id: str) -> None:
        raise self._unsupported(Capability.TIME_LOGGING)

    async def start_timer(self, board_id: str, card_id: str) -> str:
        """Start the service's own timer on a card; returns its id."""
        raise self._unsupported(Capability.LIVE_TIMER)

    async def stop_timer(self, board_id: str, card_id: str, timer_id: str) -> TimeLog:
        """Stop a timer started with `start_timer`; returns the time it recorded."""
        raise self._unsupported(Capability.LIVE_TIMER)

    # boards (BOARDS)

    async def create_board(
        self, name: str, columns: list[tuple[str, int | None]], lanes: list[str]
    ) -> Board:
        """A new empty board with `columns` (name, WIP limit or None) and `lanes`."""
        raise self._unsupported(Capability.BOARDS)

    async def rename_board(self, board_id: str, name: str) -> Board:
        raise self._unsupported(Capability.BOARDS)

    async def delete_board(self, board_id: str) -> None:
        """The board and everything on it, for good."""
        raise self._unsupported(Capability.BOARDS)
