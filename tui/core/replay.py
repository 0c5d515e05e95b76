"""Sending one outbox operation to the service, exactly once.

`deliver()` sends an operation and sorts what happened into an `Outcome`:

- applied: the service did it (the answer, and the ids it gave to temporary ones);
- refused: the service said no in a way the user can act on (WIP limit, validation,
  permission, not found): the operation becomes a conflict;
- failed: the service could not be asked (offline, 5xx, rate limited, bad token);
  `maybe_applied` says whether it may have acted anyway (a timeout or dropped
  connection after sending, a 5xx, a garbled 2xx answer: `Unavailable`).

An operation that may have been applied is never sent blindly again: `landed()` reads
the service first and looks for it: the `external_id` or the title of a created card,
the text of a comment or checklist item, the fields of a move or edit, the absence
of an archived or deleted card.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import timedelta
from typing import Any

from tui.core import codec
from tui.core.errors import AuthError, NotFound, ProviderError, RateLimited, Unavailable
from tui.core.models import Card, CardChanges, CardDraft, ChecklistItem, Comment, Placement
from tui.core.outbox import Kind, Operation, OpState, is_temporary
from tui.core.provider import Provider

CLOCK_SKEW = timedelta(minutes=10)
"""How far the service's clock may be behind ours when matching "created after we sent"."""

Answer = Card | Comment | ChecklistItem | None


@dataclass(frozen=True)
class Applied:
    answer: Answer
    renamed: Mapping[str, str] = field(default_factory=dict)
    """Temporary id -> the service's id (a created card, an added checklist item)."""


@dataclass(frozen=True)
class Outcome:
    applied: Applied | None = None
    refused: ProviderError | None = None
    failed: ProviderError | None = None
    maybe_applied: bool = False


async def deliver(provider: Provider, op: Operation, *, sending: Callable[[], None]) -> Outcome:
    """Send `op` unless it has landed already; `sending()` commits the mark before the request."""
    try:
        if op.state in (OpState.IN_DOUBT, OpState.SENDING):
            found = await landed(provider, op)
            if found is not None:
                return Outcome(applied=found)
        sending()
    except ProviderError as error:
        # Nothing was sent: what we knew of the operation before still holds.
        return _sorted(op, error, maybe_applied=op.state is not OpState.PENDING)
    try:
        return Outcome(applied=await send(provider, op))
    except ProviderError as error:
        # Only an unclear outcome (Unavailable.in_doubt) may hide an applied change.
        return _sorted(op, error, maybe_applied=isinstance(error, Unavailable) and error.in_doubt)


def _sorted(op: Operation, error: ProviderError, *, maybe_applied: bool) -> Outcome:
    if isinstance(error, Unavailable | RateLimited | AuthError):
        return Outcome(failed=error, maybe_applied=maybe_applied)
    if isinstance(error, NotFound) and op.kind in (Kind.ARCHIVE, Kind.DELETE):
        return Outcome(applied=Applied(None))  # gone is what the user wanted
    return Outcome(refused=error)


# --- sending ------------------------------------------------------------------------


async def send(provider: Provider, op: Operation) -> Applied:
    board, card, payload = op.board_id, op.card_id, op.payload
    match op.kind:
        case Kind.CREATE:
            created = await provider.create_card(board, codec.load(CardDraft, payload["draft"]))
            return Applied(created, {op.card_id: created.id})
        case Kind.EDIT:
            changes = codec.load(CardChanges, payload["changes"])
            return Applied(await provider.update_card(board, card, changes))
        case Kind.MOVE:
            return Applied(await provider.move_card(board, card, _placement(payload)))
        case Kind.COMMENT:
            return Applied(await provider.add_comment(board, card, payload["text"]))
        case Kind.CHECKLIST_ADD:
            item = await provider.add_checklist_item(board, card, payload["text"])
            return Applied(item, {op.temporary_id: item.id})
        case Kind.CHECKLIST_TOGGLE:
            toggled = await provider.set_checklist_item(
                board, card, payload["item_id"], payload["done"]
            )
            return Applied(toggled)
        case Kind.ARCHIVE:
            await provider.archive_card(board, card)
            return Applied(None)
        case Kind.DELETE:
            await provider.delete_card(board, card)
            return Applied(None)
        case Kind.RESTORE:
            await provider.restore_card(board, card)
            return Applied(await provider.get_card(board, card))  # back on the board, as it is


def _placement(payload: Mapping[str, Any]) -> Placement:
    placement: Placement = codec.load(Placement, payload["placement"])
    return replace(
        placement, before_id=_known(placement.before_id), after_id=_known(placement.after_id)
    )


def _known(neighbour_id: str | None) -> str | None:
    """A neighbour still being created has no id the service knows: place by position."""
    return None if neighbour_id is not None and is_temporary(neighbour_id) else neighbour_id


# --- verifying ----------------------------------------------------------------------


async def landed(provider: Provider, op: Operation) -> Applied | None:
    """What the service shows of `op` if it applied it; None if it did not."""
    board, payload = op.board_id, op.payload
    match op.kind:
        case Kind.CREATE:
            return await _created(provider, op)
        case Kind.COMMENT:
            comment = _newest_comment(op, await provider.list_comments(board, op.card_id))
            return Applied(comment) if comment else None
        case Kind.ARCHIVE | Kind.DELETE:
            try:
                card = await provider.get_card(board, op.card_id)
            except NotFound:
                return Applied(None)
            return Applied(None) if op.kind is Kind.ARCHIVE and card.archived else None
        case Kind.RESTORE:
            try:
                card = await provider.get_card(board, op.card_id)
            except NotFound:
                return None  # gone for good: sending it again gets the service's refusal
            return None if card.archived else Applied(card)
    card = await provider.get_card(board, op.card_id)
    match op.kind:
        case Kind.EDIT:
            return Applied(card) if _has_changes(card, payload["changes"]) else None
        case Kind.MOVE:
            placement: Placement = codec.load(Placement, payload["placement"])
            same_lane = placement.lane_id is None or card.lane_id == placement.lane_id
            return Applied(card) if card.column_id == placement.column_id and same_lane else None
        case Kind.CHECKLIST_ADD:
            item = next(
                (
                    i
                    for i in reversed(card.checklist)
                    if i.text.strip() == payload["text"].strip()
                    and i.id not in payload.get("siblings", ())
                ),
                None,
            )
            return Applied(item, {op.temporary_id: item.id}) if item else None
        case Kind.CHECKLIST_TOGGLE:
            item = next((i for i in card.checklist if i.id == payload["item_id"]), None)
            if item is None:
                raise NotFound(f"{provider.title}: the checklist item is gone")
            return Applied(item) if item.done == payload["done"] else None
    raise AssertionError(op.kind)


async def _created(provider: Provider, op: Operation) -> Applied | None:
    """The card the create made: the provider's own lookup (external id, or title and
    date), else a card of that title that was not on the board when the change was made
    (a service whose dates cannot be compared with ours must not get it twice)."""
    draft: CardDraft = codec.load(CardDraft, op.payload["draft"])
    siblings = set(op.payload.get("siblings", ()))
    card = await provider.find_created_card(op.board_id, draft, op.first_sent_at)
    if card is None or card.id in siblings:
        title = " ".join(draft.title.split())
        cards = (await provider.load_board(op.board_id)).cards
        newcomers = [c for c in cards if " ".join(c.title.split()) == title]
        card = next((c for c in reversed(newcomers) if c.id not in siblings), None)
    return Applied(card, {op.card_id: card.id}) if card is not None else None


def _newest_comment(op: Operation, comments: Iterable[Comment]) -> Comment | None:
    """The last comment of the operation's text that is not one we knew before.

    When the card's comments were known as the comment was made (`siblings`), any other
    comment of that text is ours, whatever the service's clock says; otherwise it must
    not be dated before the first send.
    """
    siblings = op.payload.get("siblings")
    text = op.payload["text"].strip()
    found: Comment | None = None
    for comment in comments:
        if comment.text.strip() == text and not _known_before(op, comment, siblings):
            found = comment
    return found


def _known_before(op: Operation, comment: Comment, siblings: list[str] | None) -> bool:
    if siblings is not None:
        return comment.id in siblings
    made, sent = comment.created_at, op.first_sent_at
    return made is not None and sent is not None and made < sent - CLOCK_SKEW


def _has_changes(card: Card, changes: Mapping[str, Any]) -> bool:
    """Whether `card` holds every field an edit set (compared as JSON, as it was stored)."""
    shown = codec.dump(card)
    for name, wanted in changes.items():
        if name == "label_ids":
            if sorted(label["id"] for label in shown["labels"]) != sorted(wanted or ()):
                return False
        elif name == "assignee_id":
            if (shown["assignee"] or {}).get("id") != wanted:
                return False
        elif shown.get(name) != wanted:
            return False
    return True
