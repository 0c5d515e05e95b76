"""The domain model every provider translates its service into.

Models are frozen: the store replaces them, it never mutates them, so two state
snapshots can be compared cheaply and a rollback is just the old object.
Ids are strings everywhere, whatever the service uses, so one card can be named the
same way on the command line, in a cache and in a test.

What a board holds (cards, columns, people...) are slotted dataclasses: a board of
50,000 cards is built quickly and in a third of the memory pydantic models take. A
change is `dataclasses.replace`; JSON goes through `tui.core.codec`. What the user
asks for (drafts, changes, placements) and the time journal's records are pydantic
models, validated where they come in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from tui.core.sanitize import multi_line, one_line


class Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


# Service text is made safe to show as a model is built (tui.core.sanitize), so every
# provider, import and local read gets the same rule and no screen has to remember it.
OneLine = Annotated[str, AfterValidator(one_line)]
"""A title or a name: one line, no control characters."""
MultiLine = Annotated[str, AfterValidator(multi_line)]
"""A description, comment or note: lines and tabs kept, no other control characters."""


def _make_safe(
    model: object, one_line_fields: tuple[str, ...], multi_line_fields: tuple[str, ...] = ()
) -> None:
    """The dataclasses' OneLine and MultiLine: the same one step, as they are built."""
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


class CardDraft(Model):
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


class CardChanges(Model):
    """The fields of an edit; a field left unset is not changed.

    `model_fields_set` says which fields the user touched, so "clear the due date"
    (due=None) differs from "leave the due date alone".
    """

    title: str | None = None
    description: str | None = None
    label_ids: tuple[str, ...] | None = None
    assignee_id: str | None = None
    due: date | None = None
    priority: Priority | None = None
    blocked: bool | None = None
    """Set or clear the blocked flag (providers with Capability.BLOCKING)."""


class Placement(Model):
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


class Account(Model):
    """One configured account; secrets never live on this object."""

    name: str
    provider: str
    url: str | None = None
    options: dict[str, str] = Field(default_factory=dict)


class TimeLog(Model):
    """Time recorded on a service (a Kaiten time-log, a KanbanTool time tracker)."""

    id: str
    card_id: str
    minutes: int
    day: date
    note: MultiLine = ""


class Timer(Model):
    account: str
    board_id: str
    card_id: str
    card_title: OneLine
    started_at: datetime


class SyncState(StrEnum):
    LOCAL = "local"
    """The provider has no time logging: the entry lives in the journal only."""
    PENDING = "pending"
    SYNCED = "synced"
    FAILED = "failed"


class TimeEntry(Model):
    id: str
    account: str
    board_id: str
    card_id: str
    card_title: OneLine
    started_at: datetime
    seconds: int
    note: MultiLine = ""
    sync: SyncState = SyncState.LOCAL
    remote_id: str | None = None
    sync_error: OneLine | None = None
