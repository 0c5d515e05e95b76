"""What the screen shows: the server's state with the pending operations laid over it.

Two pure halves:
- `shown_board` / `shown_detail` apply operations still in the outbox to the last
  state read from the service, in order. They never touch cards the operations do
  not name, so an unchanged card stays the same object and its tile is not redrawn.
- `board_with_answer` / `detail_with_answer` fold a confirmed operation's answer into
  the server state. They are idempotent (an answer may be folded again into a board
  read while it was on its way: see `Store`), except a board tile's comment count.

An operation the service refused (a conflict) is not laid over the board: the card
shows where the service has it, with a conflict marker. A refused create is the
exception: the card stays visible, so what the user typed is not lost from sight.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from tui.core import codec
from tui.core.models import BoardContent, Card, ChecklistItem, Comment, Placement
from tui.core.outbox import Kind, Operation, OpState

if TYPE_CHECKING:  # sending is a write's: a read lays operations over, never sends them
    from tui.core.replay import Applied


@dataclass(frozen=True)
class CardDetail:
    card: Card
    comments: tuple[Comment, ...] = ()
    loading: bool = False


def laid_over(op: Operation) -> bool:
    return op.state is not OpState.CONFLICT or op.kind is Kind.CREATE


# --- pending operations over the server state -------------------------------------------


def shown_board(server: BoardContent, ops: Iterable[Operation]) -> BoardContent:
    cards = list(server.cards)
    changed = False
    for op in ops:
        if op.board_id != server.board.id or not laid_over(op):
            continue
        if op.kind is Kind.CREATE:
            if not any(card.id == op.card_id or _made_by(op, card) for card in cards):
                cards.append(codec.load(Card, op.payload["placeholder"]))
                changed = True
            continue
        if op.kind is Kind.RESTORE:  # back on the board at once, as it was archived
            if not any(card.id == op.card_id for card in cards):
                cards.append(codec.load(Card, op.payload["card"]))
                changed = True
            continue
        index = next((i for i, card in enumerate(cards) if card.id == op.card_id), None)
        if index is None:
            continue
        changed = True
        if op.kind in (Kind.ARCHIVE, Kind.DELETE):
            del cards[index]
        else:
            cards[index] = pending_card(cards[index], op)
    return replace(server, cards=tuple(cards)) if changed else server


def _made_by(op: Operation, card: Card) -> bool:
    """Whether a card read from the service looks like the one an in-doubt create made.

    Only for showing: the queue still verifies before it sends again. Without this, a
    create that landed before a crash would show twice until then.
    """
    if op.state not in (OpState.IN_DOUBT, OpState.SENDING):
        return False
    if card.external_id is not None:
        return card.external_id == op.id
    title = op.payload["placeholder"]["title"]
    return card.title == title and card.id not in op.payload.get("siblings", ())


def shown_detail(server: CardDetail, ops: Iterable[Operation]) -> CardDetail:
    card, comments = server.card, server.comments
    for op in ops:
        if op.card_id != card.id or not laid_over(op) or op.kind is Kind.CREATE:
            continue
        if op.kind is Kind.COMMENT:
            comments = (*comments, pending_comment(op))
        if op.kind not in (Kind.ARCHIVE, Kind.DELETE):
            card = pending_card(card, op)
    if card is server.card and comments is server.comments:
        return server
    return replace(server, card=card, comments=comments)


def pending_card(card: Card, op: Operation) -> Card:
    """`card` as it will be once `op` is applied."""
    payload = op.payload
    match op.kind:
        case Kind.EDIT:
            shown: Card = codec.load(Card, {**codec.dump(card), **payload["shown"]})
            return shown
        case Kind.MOVE:
            placement: Placement = codec.load(Placement, payload["placement"])
            return replace(
                card,
                column_id=placement.column_id,
                lane_id=placement.lane_id,
                position=placement.position,
            )
        case Kind.COMMENT:
            return replace(card, comment_count=card.comment_count + 1)
        case Kind.CHECKLIST_ADD:
            last = max((item.position for item in card.checklist), default=0.0)
            item = ChecklistItem(id=op.temporary_id, text=payload["text"], position=last + 1)
            return replace(card, checklist=(*card.checklist, item))
        case Kind.CHECKLIST_TOGGLE:
            return _with_item(card, payload["item_id"], lambda i: replace(i, done=payload["done"]))
    return card


def pending_comment(op: Operation) -> Comment:
    return Comment(id=op.temporary_id, text=op.payload["text"], created_at=op.created_at)


# --- answers into the server state ------------------------------------------------------


def board_with_answer(
    server: BoardContent, op: Operation, applied: Applied, *, again: bool = False
) -> BoardContent:
    """The server board once `op` is confirmed; `again`: folded into a newer read."""
    if op.board_id != server.board.id:
        return server
    answer = applied.answer
    card_id = applied.renamed.get(op.card_id, op.card_id)
    cards = server.cards
    if op.kind in (Kind.ARCHIVE, Kind.DELETE):
        cards = tuple(card for card in cards if card.id != card_id)
    elif isinstance(answer, Card):
        cards = _upserted(cards, answer, add=op.kind in (Kind.CREATE, Kind.RESTORE))
    else:
        cards = tuple(
            _card_with_answer(card, op, answer, again=again) if card.id == card_id else card
            for card in cards
        )
    return server if cards == server.cards else replace(server, cards=cards)


def detail_with_answer(server: CardDetail, op: Operation, applied: Applied) -> CardDetail:
    answer = applied.answer
    if applied.renamed.get(op.card_id, op.card_id) != server.card.id:
        return server
    if isinstance(answer, Card):
        return replace(server, card=answer)
    if isinstance(answer, Comment):
        if any(comment.id == answer.id for comment in server.comments):
            return server
        return replace(server, comments=(*server.comments, answer))
    return replace(server, card=_card_with_answer(server.card, op, answer, again=True))


def _card_with_answer(card: Card, op: Operation, answer: Any, *, again: bool) -> Card:
    if isinstance(answer, Comment) and not again:
        return replace(card, comment_count=card.comment_count + 1)
    if isinstance(answer, ChecklistItem):
        if op.kind is Kind.CHECKLIST_ADD:
            if any(item.id == answer.id for item in card.checklist):
                return card
            return replace(card, checklist=(*card.checklist, answer))
        return _with_item(card, answer.id, lambda _: answer)
    return card


def with_card(server: BoardContent, card: Card) -> BoardContent:
    """The server board with a freshly read copy of one of its cards."""
    cards = _upserted(server.cards, card, add=False)
    return server if cards == server.cards else replace(server, cards=cards)


def _upserted(cards: Sequence[Card], card: Card, *, add: bool) -> tuple[Card, ...]:
    # One pass and two slices: on a 50,000-card board every answer comes through here.
    for index, old in enumerate(cards):
        if old.id == card.id:
            return (*cards[:index], card, *cards[index + 1 :])
    return (*cards, card) if add else tuple(cards)


def _with_item(card: Card, item_id: str, change: Callable[[ChecklistItem], ChecklistItem]) -> Card:
    checklist = tuple(change(item) if item.id == item_id else item for item in card.checklist)
    return replace(card, checklist=checklist)
