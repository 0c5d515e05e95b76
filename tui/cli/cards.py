"""`cardboard cards` and `cardboard card show|create|edit|move|comment|archive|restore|delete`:
the cards of a board."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

from tui.cli.common import board_card, confirmed, with_store
from tui.cli.output import (
    card_detail_json,
    card_json,
    deleted_json,
    emit,
    new_comment_json,
)
from tui.core.board_view import default_lane, group_cards
from tui.core.errors import ConfigError, Conflict
from tui.core.filtering import CardFilter
from tui.core.lookup import open_board, pick
from tui.core.models import BoardContent, Card, CardChanges, CardDraft, Priority
from tui.core.provider import Capability
from tui.core.store import Store


async def list_cards(args: argparse.Namespace) -> int:
    async def work(store: Store) -> int:
        content = await open_board(store, args.board)
        if args.archived:
            content, keep = await _archived(store, content, args.filter)
        else:
            try:
                await store.apply_filter(args.filter)
            except ValueError as problem:
                raise ConfigError(f"--filter: {problem}") from None
            keep = store.state.shows if store.state.filter else None
        ordered: list[Card] = []
        lines: list[str] = []
        for view in group_cards(content, keep):
            limit = f"/{view.column.wip_limit}" if view.column.wip_limit is not None else ""
            lines.append(f"{view.column.name} ({view.card_count}{limit})")
            for cell in view.cells:
                ordered += cell.cards
                lines += [f"  {card.id}\t{card.title}" for card in cell.cards]
        return emit(args.json, [card_json(content, card) for card in ordered], "\n".join(lines))

    return await with_store(args, work)


async def _archived(
    store: Store, content: BoardContent, query: str
) -> tuple[BoardContent, Callable[[Card], bool] | None]:
    """The board with its archived cards in place of the live ones, and the filter's test."""
    store.require(Capability.RESTORE)
    try:
        wanted = CardFilter.parse(query)
    except ValueError as problem:
        raise ConfigError(f"--filter: {problem}") from None
    archived = await store.provider.list_archived_cards(content.board.id)
    content = replace(content, cards=tuple(archived))
    return content, (wanted.matches if wanted else None)


async def show(args: argparse.Namespace) -> int:
    from tui.core.html_text import readable  # `card show`'s alone: html.parser, 2 ms

    async def work(store: Store) -> int:
        content = await open_board(store, args.board)
        detail = await store.open_card(args.card)
        document = card_detail_json(content, detail.card, detail.comments)
        text = [f"{detail.card.title}  [{document['column']}]", *_fields(document), ""]
        # As the card screen shows them: HTML from a service as readable text (--json
        # keeps the service's own).
        text.append(readable(detail.card.description))
        text += [f"- [{'x' if i.done else ' '}] {i.text}" for i in detail.card.checklist]
        text += [
            f"\n{c.author.name if c.author else '?'} ({local_time(c.created_at)}):\n"
            + readable(c.text)
            for c in detail.comments
        ]
        return emit(args.json, document, "\n".join(text).strip())

    return await with_store(args, work)


def _fields(document: dict[str, Any]) -> list[str]:
    """`card show`'s lines "name: value", for each field the card has."""
    blocked = None
    if document["blocked"]:
        blocked = f"yes ({document['block_reason']})" if document["block_reason"] else "yes"
    checklist = document["checklist"]
    fields = [
        ("id", document["id"]),
        ("lane", document["lane"]),
        ("labels", ", ".join(document["labels"])),
        ("assignee", document["assignee"]),
        ("owner", document["owner"]),
        ("members", ", ".join(document["members"])),
        ("due", document["due"]),
        ("priority", document["priority"]),
        ("blocked", blocked),
        ("type", document["card_type"]),
        ("size", document["size"]),
        ("checklist", f"{checklist['done']}/{checklist['total']}" if checklist["total"] else None),
        ("archived", "yes" if document["archived"] else None),
        ("url", document["url"]),
        ("created", local_time(_moment(document["created_at"]))),
        ("updated", local_time(_moment(document["updated_at"]))),
    ]
    return [f"{name}: {value}" for name, value in fields if value]


def _moment(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def local_time(moment: datetime | None) -> str:
    """A moment in the user's local time, to the minute; a service's zoneless one is UTC."""
    if moment is None:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


async def create(args: argparse.Namespace) -> int:
    if not args.title.strip():
        raise ConfigError("--title must not be empty")

    async def work(store: Store) -> int:
        content = await open_board(store, args.board)
        if args.column:
            column = pick(content.columns, args.column, "column", lambda c: c.name)
        elif content.columns:
            column = min(content.columns, key=lambda column: column.position)
        else:
            raise ConfigError(f"board {content.board.name!r} has no columns")
        lane = pick(content.lanes, args.lane, "lane", lambda lane: lane.name) if args.lane else None
        draft = CardDraft(
            title=args.title.strip(),
            column_id=column.id,
            lane_id=lane.id if lane else default_lane(content),
            description=args.description,
        )
        card = await store.create_card(draft)
        return emit(args.json, card_json(content, card), card.id)

    return await with_store(args, work)


async def move(args: argparse.Namespace) -> int:
    async def work(store: Store) -> int:
        content = await open_board(store, args.board)
        card = board_card(store, content, args.card)
        column = pick(content.columns, args.column, "column", lambda c: c.name)
        lane_id = (
            pick(content.lanes, args.lane, "lane", lambda lane: lane.name).id
            if args.lane
            else card.lane_id
        )
        try:
            moved = await store.move_card(
                card.id, column.id, lane_id or "", args.position, override_reason=args.override
            )
        except Conflict as refusal:
            if not refusal.overridable or args.override:
                raise
            raise Conflict(
                f"{refusal}; to move it all the same, add --override REASON",
                overridable=True,
                status=refusal.status,
            ) from None
        return emit(args.json, card_json(content, moved), f"{moved.id} -> {column.name}")

    return await with_store(args, work)


async def comment(args: argparse.Namespace) -> int:
    if not args.text.strip():
        raise ConfigError("the comment must not be empty")

    async def work(store: Store) -> int:
        content = await open_board(store, args.board)
        board_card(store, content, args.card)
        written = await store.add_comment(args.card, args.text)
        return emit(args.json, new_comment_json(args.card, written), written.id)

    return await with_store(args, work)


# --- edit, archive, restore, delete ------------------------------------------------------


async def edit(args: argparse.Namespace) -> int:
    from tui.core.due_input import parse_due  # `card edit`'s alone: the other commands skip it

    fields_asked = any(
        value is not None
        for value in (
            args.title, args.description, args.assignee, args.label, args.no_labels or None,
            args.due, args.priority, args.blocked,
        )
    )  # fmt: skip
    if not fields_asked and args.lane is None:
        raise ConfigError(
            "card edit: nothing to change; give --title, --description, --assignee, --label,"
            " --no-labels, --due, --priority, --lane, --blocked or --not-blocked"
        )
    if args.title is not None and not args.title.strip():
        raise ConfigError("--title must not be empty")
    due: date | None = None
    if args.due is not None:
        try:
            due = parse_due(args.due, date.today())
        except ValueError as problem:
            raise ConfigError(f"--due: {problem}") from None

    async def work(store: Store) -> int:
        content = await open_board(store, args.board)
        card = board_card(store, content, args.card)
        if fields_asked:
            store.require(Capability.EDIT)
        fields = _edited_fields(store, content, args, due)
        lane = None
        if args.lane is not None:
            store.require(Capability.LANES)
            store.require(Capability.MOVE)
            lane = pick(content.lanes, args.lane, "lane", lambda lane: lane.name)
        edited = card
        if fields:
            edited = await store.update_card(card.id, CardChanges(**fields))
        if lane is not None and lane.id != edited.lane_id:
            edited = await store.move_card(edited.id, edited.column_id, lane.id, 0)
        return emit(args.json, card_json(content, edited), f"{edited.id} edited")

    return await with_store(args, work)


def _edited_fields(
    store: Store, content: BoardContent, args: argparse.Namespace, due: date | None
) -> dict[str, Any]:
    """The CardChanges fields `card edit` was given, each checked against the provider."""
    fields: dict[str, Any] = {}
    if args.title is not None:
        fields["title"] = args.title.strip()
    if args.description is not None:
        fields["description"] = args.description
    if args.assignee is not None:
        store.require(Capability.ASSIGNEES)
        fields["assignee_id"] = (
            None
            if args.assignee.casefold() == "none"
            else pick(content.users, args.assignee, "person", lambda user: user.name).id
        )
    if args.label is not None or args.no_labels:
        store.require(Capability.LABELS)
        fields["label_ids"] = tuple(
            pick(content.labels, name, "label", lambda label: label.name).id
            for name in args.label or ()
        )
    if args.due is not None:
        store.require(Capability.DUE_DATES)
        fields["due"] = due
    if args.priority is not None:
        store.require(Capability.PRIORITY)
        fields["priority"] = None if args.priority == "none" else Priority(args.priority)
    if args.blocked is not None:
        store.require(Capability.BLOCKING)
        fields["blocked"] = args.blocked
    return fields


async def archive(args: argparse.Namespace) -> int:
    async def work(store: Store) -> int:
        content = await open_board(store, args.board)
        card = board_card(store, content, args.card)
        await store.archive_card(card.id)
        archived = replace(card, archived=True)
        return emit(args.json, card_json(content, archived), f"{card.id} archived")

    return await with_store(args, work)


async def restore(args: argparse.Namespace) -> int:
    """Like every write, through the outbox: it waits there if the service cannot be reached."""

    async def work(store: Store) -> int:
        content = await open_board(store, args.board)
        live = store.state.card(args.card)
        if live is None:  # not on the board: find it among the archived
            archived = {card.id: card for card in await store.archived_cards()}
            if args.card not in archived:
                raise ConfigError(f"card {args.card!r} is not archived on {content.board.name!r}")
            live = await store.restore_card(archived[args.card])
        board = store.state.board or content
        return emit(args.json, card_json(board, live), f"{live.id} restored")

    return await with_store(args, work)


async def delete(args: argparse.Namespace) -> int:
    refusal = f"card delete {args.card}: add --yes to delete it without asking"
    if not args.yes and not sys.stdin.isatty():
        raise ConfigError(refusal)  # before anything is read from the service

    async def work(store: Store) -> int:
        content = await open_board(store, args.board)
        card = board_card(store, content, args.card)
        store.require(Capability.DELETE)
        question = f"Delete card {card.id} {card.title!r} for good?"
        if not confirmed(question, yes=args.yes, refusal=refusal):
            print("kept", file=sys.stderr)
            return 0
        await store.delete_card(card.id)
        return emit(args.json, deleted_json(card.id), f"{card.id} deleted")

    return await with_store(args, work)
