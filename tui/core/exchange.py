"""The board export: one JSON document that holds a whole board, from any provider.

A document looks like this (every field is described on the models below)::

    {
      "format": "cardboard-board",
      "version": 2,
      "exported_at": "2025-03-01T09:30:00Z",
      "board": {"name": "Website", "description": ""},
      "columns": [{"id": "c1", "name": "To do", "wip_limit": null, "kind": "queue", "group": null}],
      "lanes": [{"id": "l1", "name": "Standard"}],
      "labels": [{"id": "b1", "name": "bug", "color": "#d73a4a"}],
      "users": [{"id": "u1", "name": "Ada", "email": null}],
      "cards": [{
        "id": "42", "title": "Fix login", "description": "markdown",
        "column_id": "c1", "lane_id": "l1", "label_ids": ["b1"], "assignee_id": "u1",
        "member_ids": [], "owner_id": "u1", "card_type": "Bug", "size": "3",
        "due": "2025-03-07", "priority": "high", "blocked": false, "block_reason": null,
        "url": "https://...",
        "created_at": "...", "updated_at": "...",
        "checklist": [{"text": "write a test", "done": true}],
        "comments": [{"author": "Ada", "text": "on it", "created_at": "..."}]
      }]
    }

Ids are the exporting service's and only link the parts of one document together (a
card's `column_id` names an entry of `columns`); an import gives everything new ids.
The order of `columns`, `lanes`, `labels` and `users` is the board's; `cards` are in
board order (by column, then lane, then position), so a card's place needs no sort
key. Archived cards are not exported. A change to the format bumps `version`; version
1 (without members, owner, card type, size, block reason and url) is still read.

A card is exported with what its card screen shows: the export reads each card's
details (and comments) from the provider, a few cards at a time, reporting progress.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, ClassVar, Final, Literal

from tui.core import codec
from tui.core.errors import ConfigError
from tui.core.models import BoardContent, Card, ColumnKind, Priority
from tui.core.provider import Capability, Provider

if TYPE_CHECKING:
    import pydantic

FORMAT: Final = "cardboard-board"
VERSION: Final = 2
READABLE_VERSIONS: Final = (1, 2)
DETAILS_IN_FLIGHT: Final = 8
"""Cards whose details the export reads at once; the provider's rate limit paces them."""

Progress = Callable[[int, int], None]
"""Called with (cards done, cards in all) as the export reads card details."""


# Plain dataclasses, so that seeding the demo board on a first start does not wait for
# pydantic (~90 ms); `parse_document` checks a file through pydantic all the same.
@dataclass(frozen=True, slots=True, kw_only=True)
class _Part:
    __pydantic_config__: ClassVar[dict[str, str]] = {"extra": "forbid"}


@dataclass(frozen=True, slots=True, kw_only=True)
class ExportedBoard(_Part):
    name: str
    """The board's name."""
    description: str = ""
    """The board's description (markdown)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ExportedColumn(_Part):
    id: str
    """Links cards to this column within the document."""
    name: str
    wip_limit: int | None = None
    """How many cards the column should hold at most (0 or more); null for no limit."""
    kind: ColumnKind | None = None
    """"queue", "in_progress" or "done", where the service says so."""
    group: str | None = None
    """The parent heading of a sub-column, where the service has them."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ExportedLane(_Part):
    id: str
    """Links cards to this lane (swimlane) within the document."""
    name: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ExportedLabel(_Part):
    id: str
    """Links cards to this label within the document."""
    name: str
    color: str | None = None
    """A CSS-style colour ("#d73a4a" or a name); null for the theme's default."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ExportedUser(_Part):
    id: str
    """Links cards to their assignee within the document."""
    name: str
    """How the person is shown; an import matches existing people by this name."""
    email: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ExportedChecklistItem(_Part):
    text: str
    done: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class ExportedComment(_Part):
    author: str | None = None
    """The author's name, as the service showed it; null when unknown."""
    text: str
    """The comment (markdown)."""
    created_at: datetime | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ExportedCard(_Part):
    id: str
    """The card's id at the exporting service (for reference; an import makes a new one)."""
    title: str
    description: str = ""
    """The card's description (markdown)."""
    column_id: str
    """An id from `columns`."""
    lane_id: str | None = None
    """An id from `lanes`, or null on a board without lanes."""
    label_ids: tuple[str, ...] = ()
    """Ids from `labels`, in the board's label order."""
    assignee_id: str | None = None
    """An id from `users`, or null."""
    member_ids: tuple[str, ...] = ()
    """Ids from `users`: other people on the card besides the assignee."""
    owner_id: str | None = None
    """An id from `users`: who the card belongs to, where the service names someone."""
    card_type: str | None = None
    """The service's kind of card ("Bug"), where it has them."""
    size: str | None = None
    """The estimate in the service's words ("3", "5 SP", "2.5 h")."""
    due: date | None = None
    priority: Priority | None = None
    """"low", "normal", "high" or "urgent"; null when not set."""
    blocked: bool = False
    block_reason: str | None = None
    url: str | None = None
    """The card on the exporting service's web UI."""
    created_at: datetime | None = None
    updated_at: datetime | None = None
    checklist: tuple[ExportedChecklistItem, ...] = ()
    """The checklist, in order."""
    comments: tuple[ExportedComment, ...] = ()
    """The comments, oldest first."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ExportDocument(_Part):
    format: Literal["cardboard-board"] = FORMAT
    """Always "cardboard-board": what this file is."""
    version: Literal[1, 2] = VERSION
    """The version of this format."""
    exported_at: datetime
    """When the export was made."""
    board: ExportedBoard
    columns: tuple[ExportedColumn, ...]
    """The board's columns, left to right."""
    lanes: tuple[ExportedLane, ...] = ()
    """The board's lanes, top to bottom; empty for a board without lanes."""
    labels: tuple[ExportedLabel, ...] = ()
    """The labels cards of this board can carry."""
    users: tuple[ExportedUser, ...] = ()
    """The people cards of this board can be assigned to."""
    cards: tuple[ExportedCard, ...] = ()
    """The board's cards (archived ones excluded), in board order."""


# --- export -------------------------------------------------------------------------


async def export_board(
    provider: Provider,
    board_id: str,
    *,
    now: datetime | None = None,
    progress: Progress | None = None,
) -> ExportDocument:
    """The board as a document, through the generic provider contract.

    Each card is exported as its card screen shows it: read with `get_card` (unless
    the provider's board cards are complete already) and its comments listed, a few
    cards at a time. `progress` hears (done, total) before the first and after each card.
    """
    content = await provider.load_board(board_id)
    in_order = _in_board_order(content)
    detailed = await _with_details(provider, board_id, in_order, progress)
    content = replace(content, cards=tuple(card for card, _ in detailed))
    labels = _labels(content)
    label_order = {label.id: index for index, label in enumerate(labels)}
    cards = [_exported_card(card, label_order, comments) for card, comments in detailed]
    return ExportDocument(
        exported_at=now or datetime.now(UTC),
        board=ExportedBoard(name=content.board.name, description=content.board.description),
        columns=tuple(
            ExportedColumn(
                id=column.id,
                name=column.name,
                wip_limit=column.wip_limit,
                kind=column.kind,
                group=column.group,
            )
            for column in content.columns
        ),
        lanes=tuple(ExportedLane(id=lane.id, name=lane.name) for lane in content.lanes),
        labels=labels,
        users=_users(content),
        cards=tuple(cards),
    )


async def _with_details(
    provider: Provider, board_id: str, cards: list[Card], progress: Progress | None
) -> list[tuple[Card, tuple[ExportedComment, ...]]]:
    """Each card as `get_card` gives it, with its comments, in the order given."""
    total, done = len(cards), 0
    gate = asyncio.Semaphore(DETAILS_IN_FLIGHT)
    wants_comments = provider.supports(Capability.COMMENTS)
    if progress is not None:
        progress(0, total)

    async def detail(card: Card) -> tuple[Card, tuple[ExportedComment, ...]]:
        nonlocal done
        async with gate:
            full = card
            if not provider.complete_board_cards:
                full = await provider.get_card(board_id, card.id)
            comments: tuple[ExportedComment, ...] = ()
            if wants_comments and full.comment_count > 0:
                comments = tuple(
                    ExportedComment(
                        author=comment.author.name if comment.author else None,
                        text=comment.text,
                        created_at=comment.created_at,
                    )
                    for comment in await provider.list_comments(board_id, card.id)
                )
        done += 1
        if progress is not None:
            progress(done, total)
        # The board's place wins: a detail read later may see the card moved since.
        placed = replace(
            full, column_id=card.column_id, lane_id=card.lane_id, position=card.position
        )
        return placed, comments

    return list(await asyncio.gather(*(detail(card) for card in cards)))


def _in_board_order(content: BoardContent) -> list[Card]:
    column_order = {column.id: index for index, column in enumerate(content.columns)}
    lane_order = {lane.id: index for index, lane in enumerate(content.lanes)}
    return sorted(
        content.cards,
        key=lambda card: (
            column_order.get(card.column_id, len(column_order)),
            -1 if card.lane_id is None else lane_order.get(card.lane_id, -1),
            card.position,
        ),
    )


def _labels(content: BoardContent) -> tuple[ExportedLabel, ...]:
    # A service may put a label on a card that its board list leaves out; the
    # document must still resolve it.
    labels = {label.id: label for label in content.labels}
    for card in content.cards:
        for label in card.labels:
            labels.setdefault(label.id, label)
    return tuple(
        ExportedLabel(id=label.id, name=label.name, color=label.color) for label in labels.values()
    )


def _users(content: BoardContent) -> tuple[ExportedUser, ...]:
    users = {user.id: user for user in content.users}
    for card in content.cards:
        for person in (card.assignee, card.owner, *card.members):
            if person is not None:
                users.setdefault(person.id, person)
    return tuple(
        ExportedUser(id=user.id, name=user.name, email=user.email) for user in users.values()
    )


def _exported_card(
    card: Card, label_order: dict[str, int], comments: tuple[ExportedComment, ...]
) -> ExportedCard:
    return ExportedCard(
        id=card.id,
        title=card.title,
        description=card.description,
        column_id=card.column_id,
        lane_id=card.lane_id,
        label_ids=tuple(sorted({label.id for label in card.labels}, key=label_order.__getitem__)),
        assignee_id=card.assignee.id if card.assignee else None,
        member_ids=tuple(dict.fromkeys(member.id for member in card.members)),
        owner_id=card.owner.id if card.owner else None,
        card_type=card.card_type,
        size=card.size,
        due=card.due,
        priority=card.priority,
        blocked=card.blocked,
        block_reason=card.block_reason,
        url=card.url,
        created_at=card.created_at,
        updated_at=card.updated_at,
        checklist=tuple(
            ExportedChecklistItem(text=item.text, done=item.done)
            for item in sorted(card.checklist, key=lambda item: item.position)
        ),
        comments=comments,
    )


# --- reading and writing files ------------------------------------------------------


def dump_document(document: ExportDocument) -> str:
    """The document as the JSON text of an export file (no final newline)."""
    return codec.dump_json(document, indent=2)


def parse_document(text: str, source: str) -> ExportDocument:
    """Read an export file; `ConfigError` names `source` and the field at fault."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        where = f"{source}:{error.lineno}:{error.colno}"
        raise ConfigError(f"{where}: not valid JSON: {error.msg}") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ConfigError(f'{source}: not a Cardboard board export (no "format": "{FORMAT}")')
    if data.get("version") not in READABLE_VERSIONS:
        readable = " and ".join(str(version) for version in READABLE_VERSIONS)
        raise ConfigError(
            f"{source}: board export version {data.get('version')!r} is not supported; "
            f"this Cardboard reads versions {readable}"
        )
    from pydantic import ValidationError

    try:
        document = codec.validated(ExportDocument, **data)
    except ValidationError as error:
        raise ConfigError(f"{source}: {_first_problem(error)}") from None
    problem = _inconsistency(document)
    if problem is not None:
        raise ConfigError(f"{source}: {problem}")
    return document


def _inconsistency(document: ExportDocument) -> str | None:
    """What pydantic cannot check field by field: that ids link up, and limits."""
    try:
        for index, column in enumerate(document.columns):
            if column.wip_limit is not None and column.wip_limit < 0:
                return f"columns.{index}.wip_limit: a limit is 0 or more"
        columns = _unique_ids("columns", [column.id for column in document.columns])
        lanes = _unique_ids("lanes", [lane.id for lane in document.lanes])
        labels = _unique_ids("labels", [label.id for label in document.labels])
        users = _unique_ids("users", [user.id for user in document.users])
        for index, card in enumerate(document.cards):
            where = f"cards.{index}"
            _known(f"{where}.column_id", card.column_id, columns, "column")
            _known(f"{where}.lane_id", card.lane_id, lanes, "lane")
            _known(f"{where}.assignee_id", card.assignee_id, users, "user")
            _known(f"{where}.owner_id", card.owner_id, users, "user")
            for member_id in card.member_ids:
                _known(f"{where}.member_ids", member_id, users, "user")
            for label_id in card.label_ids:
                _known(f"{where}.label_ids", label_id, labels, "label")
            if len(set(card.label_ids)) != len(card.label_ids):
                return f"{where}.label_ids: a label is listed twice"
    except _Broken as broken:
        return str(broken)
    return None


class _Broken(Exception):
    """A link in the document that leads nowhere; its text says where."""


def _unique_ids(where: str, ids: list[str]) -> set[str]:
    seen: set[str] = set()
    for index, part_id in enumerate(ids):
        if part_id in seen:
            raise _Broken(f"{where}.{index}.id: id {part_id!r} is used twice")
        seen.add(part_id)
    return seen


def _known(where: str, value: str | None, known: set[str], kind: str) -> None:
    if value is not None and value not in known:
        raise _Broken(f"{where}: no {kind} has id {value!r}")


def _first_problem(error: pydantic.ValidationError) -> str:
    problems = error.errors(include_url=False)
    first = problems[0]
    where = ".".join(str(part) for part in first["loc"])
    # Said as the config files say it: pydantic's words are about a dataclass's arguments.
    problem = "unknown key" if first["type"] == "unexpected_keyword_argument" else first["msg"]
    message = f"{where}: {problem}" if where else problem
    if len(problems) > 1:
        message += f" (and {len(problems) - 1} more)"
    return message
