"""The domain model every provider translates its service into.

Models are frozen: the store replaces them, it never mutates them, so two state
snapshots can be compared cheaply and a rollback is just the old object.
Ids are strings everywhere, whatever the service uses, so one card can be named the
same way on the command line, in a cache and in a test.

Every model is a slotted dataclass: a board of 50,000 cards is built quickly and in a
third of the memory pydantic models take, and importing this module costs no pydantic
(a start pays for it only where something is validated). A change is
`dataclasses.replace`. Built in code, a model is plain construction; what comes in from
outside (a service's answer, the cache, the outbox, the time journal's entries) goes
through `tui.core.codec`, which checks and converts every field as declared, and JSON
goes out through it too.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date, datetime
from enum import Enum, StrEnum
from typing import Any

from tui.core.sanitize import multi_line, one_line


# Service text is made safe to show as a model is built (tui.core.sanitize), so every
# provider, import and local read gets the same rule and no screen has to remember it.
def _make_safe(
    model: object, one_line_fields: tuple[str, ...], multi_line_fields: tuple[str, ...] = ()
) -> None:
    """Titles and names made one line, texts kept multi-line; both without control
    characters: the same one step for every model, as it is built."""
    for names, clean in ((one_line_fields, one_line), (multi_line_fields, multi_line)):
        for name in names:
            value = getattr(model, name)
            if value is not None and (safe := clean(value)) is not value:
                object.__setattr__(model, name, safe)  # frozen: only while being built


class Priority(StrEnum):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"


class ColumnKind(StrEnum):
    """What stage of work a column holds, where the service says so (Kaiten types)."""

    QUEUE = "queue"
    IN_PROGRESS = "in_progress"
    DONE = "done"


@dataclass(frozen=True, slots=True, kw_only=True)
class User:
    id: str
    name: str
    email: str | None = None

    def __post_init__(self) -> None:
        _make_safe(self, ("name", "email"))


@dataclass(frozen=True, slots=True, kw_only=True)
class Label:
    id: str
    name: str
    color: str | None = None
    """A CSS-style colour ("#d73a4a" or a name) or None for the theme's default."""

    def __post_init__(self) -> None:
        _make_safe(self, ("name",))


@dataclass(frozen=True, slots=True, kw_only=True)
class Column:
    id: str
    name: str
    position: float = 0
    wip_limit: int | None = None
    kind: ColumnKind | None = None
    group: str | None = None
    """The parent heading (Kaiten column, KanbanTool parent stage) of a sub-column."""

    def __post_init__(self) -> None:
        _make_safe(self, ("name", "group"))


@dataclass(frozen=True, slots=True, kw_only=True)
class Lane:
    id: str
    name: str
    position: float = 0

    def __post_init__(self) -> None:
        _make_safe(self, ("name",))


@dataclass(frozen=True, slots=True, kw_only=True)
class ChecklistItem:
    id: str
    text: str
    done: bool = False
    position: float = 0

    def __post_init__(self) -> None:
        _make_safe(self, ("text",))


@dataclass(frozen=True, slots=True, kw_only=True)
class Comment:
    id: str
    text: str
    author: User | None = None
    created_at: datetime | None = None

    def __post_init__(self) -> None:
        _make_safe(self, (), ("text",))


@dataclass(frozen=True, slots=True, kw_only=True)
class Card:
    id: str
    board_id: str
    title: str
    column_id: str
    lane_id: str | None = None
    position: float = 0
    """Sort key inside its column and lane; only the order matters."""
    description: str = ""
    labels: tuple[Label, ...] = ()
    assignee: User | None = None
    """The one person responsible for the card (Kaiten's responsible member)."""
    members: tuple[User, ...] = ()
    """Other people on the card besides the assignee (Kaiten members, Kanbert watchers)."""
    owner: User | None = None
    """Who the card belongs to where the service names someone besides the assignee
    (Kaiten's owner, a Kitchen.co project's author)."""
    card_type: str | None = None
    """The service's kind of card (Kaiten and KanbanTool card types, Kitchen.co project kind)."""
    size: str | None = None
    """The estimate in the service's own words ("3", "5 SP", "1.5")."""
    due: date | None = None
    priority: Priority | None = None
    checklist: tuple[ChecklistItem, ...] = ()
    comment_count: int = 0
    archived: bool = False
    blocked: bool = False
    block_reason: str | None = None
    url: str | None = None
    """The card on the service's web UI."""
    created_at: datetime | None = None
    updated_at: datetime | None = None
    external_id: str | None = None
    """Our id for the card, where the service stores one (how a retried create is found)."""

    def __post_init__(self) -> None:
        _make_safe(self, ("title", "card_type", "size", "block_reason", "url"), ("description",))

    @property
    def checklist_done(self) -> int:
        return sum(item.done for item in self.checklist)


@dataclass(frozen=True, slots=True, kw_only=True)
class Board:
    id: str
    name: str
    group: str | None = None
    """Where the service files the board: a Kaiten space, a KanbanTool folder."""
    description: str = ""

    def __post_init__(self) -> None:
        _make_safe(self, ("name", "group"), ("description",))


@dataclass(frozen=True, slots=True, kw_only=True)
class BoardContent:
    """Everything the board screen shows at once."""

    board: Board
    columns: tuple[Column, ...]
    lanes: tuple[Lane, ...] = ()
    cards: tuple[Card, ...] = ()
    labels: tuple[Label, ...] = ()
    """Labels that can be put on a card of this board."""
    users: tuple[User, ...] = ()
    """People a card of this board can be assigned to."""
    notice: str | None = None
    """What the provider could not show, in words for the user (e.g. unplaced items)."""

    def __post_init__(self) -> None:
        _make_safe(self, (), ("notice",))


@dataclass(frozen=True, slots=True, kw_only=True)
class CardDraft:
    """A new card as the user typed it."""

    title: str
    column_id: str
    lane_id: str | None = None
    description: str = ""
    label_ids: tuple[str, ...] = ()
    assignee_id: str | None = None
    due: date | None = None
    priority: Priority | None = None
    external_id: str | None = None
    """Set by the outbox to its operation id; providers whose service keeps one send it."""


class _Unset(Enum):
    """What a CardChanges field holds while it is built when no keyword gave it."""

    UNSET = "unset"

    def __repr__(self) -> str:
        return "<unset>"


# Typed Any so a field can default to it whatever its type; it never outlives __post_init__.
_UNSET: Any = _Unset.UNSET


@dataclass(frozen=True, slots=True, kw_only=True)
class CardChanges:
    """The fields of an edit; a field left unset is not changed.

    `fields_set` names the fields the edit sets, so "clear the due date" (due=None)
    differs from "leave the due date alone"; a field outside it reads None. It is made
    from the keywords given: `CardChanges(due=None)` sets `due`, and so does loading
    `{"due": null}` through `tui.core.codec` (the outbox stores just the fields set).
    Given explicitly (as `dataclasses.replace` and a full codec dump give it), it is
    kept and every field holding a value joins it: a None outside it stays "leave alone".
    """

    title: str | None = _UNSET
    description: str | None = _UNSET
    label_ids: tuple[str, ...] | None = _UNSET
    assignee_id: str | None = _UNSET
    due: date | None = _UNSET
    priority: Priority | None = _UNSET
    blocked: bool | None = _UNSET
    """Set or clear the blocked flag (providers with Capability.BLOCKING)."""
    fields_set: frozenset[str] = _UNSET

    def __post_init__(self) -> None:
        given = {name for name in _CHANGEABLE if getattr(self, name) is not _UNSET}
        for name in _CHANGEABLE - given:
            object.__setattr__(self, name, None)  # frozen: only while being built
        if self.fields_set is _UNSET:
            fields_set = frozenset(given)
        else:
            holding = {name for name in given if getattr(self, name) is not None}
            fields_set = frozenset(self.fields_set) | holding
        if unknown := fields_set - _CHANGEABLE:
            raise ValueError(f"CardChanges has no field {', '.join(sorted(unknown))}")
        object.__setattr__(self, "fields_set", fields_set)


_CHANGEABLE = frozenset(spec.name for spec in fields(CardChanges)) - {"fields_set"}


@dataclass(frozen=True, slots=True, kw_only=True)
class Placement:
    """Where a moved card lands, described every way a service may ask for it.

    The store computes all of it from the board it holds, so each provider takes the
    form its API wants: an index (KanbanTool), a sort key (Kaiten, local) or a
    neighbour (Kanbert's insert_before/insert_after).
    """

    column_id: str
    lane_id: str | None = None
    index: int
    position: float
    before_id: str | None = None
    """The card that will follow the moved one, if any."""
    after_id: str | None = None
    """The card that will precede the moved one, if any."""
    override_reason: str | None = None
    """Given when the user chose to break a WIP limit the service enforces."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Account:
    """One configured account; secrets never live on this object."""

    name: str
    provider: str
    url: str | None = None
    options: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True, kw_only=True)
class TimeLog:
    """Time recorded on a service (a Kaiten time-log, a KanbanTool time tracker)."""

    id: str
    card_id: str
    minutes: int
    day: date
    note: str = ""

    def __post_init__(self) -> None:
        _make_safe(self, (), ("note",))


@dataclass(frozen=True, slots=True, kw_only=True)
class Timer:
    account: str
    board_id: str
    card_id: str
    card_title: str
    started_at: datetime

    def __post_init__(self) -> None:
        _make_safe(self, ("card_title",))


class SyncState(StrEnum):
    LOCAL = "local"
    """The provider has no time logging: the entry lives in the journal only."""
    PENDING = "pending"
    SYNCED = "synced"
    FAILED = "failed"


@dataclass(frozen=True, slots=True, kw_only=True)
class TimeEntry:
    id: str
    account: str
    board_id: str
    card_id: str
    card_title: str
    started_at: datetime
    seconds: int
    note: str = ""
    sync: SyncState = SyncState.LOCAL
    remote_id: str | None = None
    sync_error: str | None = None

    def __post_init__(self) -> None:
        _make_safe(self, ("card_title", "sync_error"), ("note",))
