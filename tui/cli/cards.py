"""`cardboard cards` and `cardboard card show|create|move|comment`: the cards of a board."""

from __future__ import annotations

import argparse

from tui.cli.common import board_card, open_board, pick, with_store
from tui.cli.output import card_detail_json, card_json, emit, new_comment_json
from tui.core.board_view import group_cards
from tui.core.errors import ConfigError
from tui.core.models import Card, CardDraft
from tui.core.store import Store


async def list_cards(args: argparse.Namespace) -> int:
    async def work(store: Store) -> int:
        content = await open_board(store, args.board)
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


async def show(args: argparse.Namespace) -> int:
    async def work(store: Store) -> int:
        content = await open_board(store, args.board)
        detail = await store.open_card(args.card)
        document = card_detail_json(content, detail.card, detail.comments)
        text = [f"{detail.card.title}  [{document['column']}]", "", detail.card.description]
        text += [f"- [{'x' if i.done else ' '}] {i.text}" for i in detail.card.checklist]
        text += [
            f"\n{c['author'] or '?'} ({c['created_at'] or ''}):\n{c['text']}"
            for c in document["comments"]
        ]
        return emit(args.json, document, "\n".join(text).strip())

    return await with_store(args, work)


async def create(args: argparse.Namespace) -> int:
    if not args.title.strip():
        raise ConfigError("--title must not be empty")

    async def work(store: Store) -> int:
        content = await open_board(store, args.board)
        column = pick(content.columns, args.column, "column", lambda c: c.name)
        lane = pick(content.lanes, args.lane, "lane", lambda lane: lane.name) if args.lane else None
        draft = CardDraft(
            title=args.title.strip(),
            column_id=column.id,
            lane_id=lane.id if lane else (content.lanes[0].id if content.lanes else None),
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
        moved = await store.move_card(
            card.id, column.id, lane_id or "", args.position, override_reason=args.override
        )
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
