"""The inbox: what is mine, or slipping, on every board of every account, in one list.

A card is in the inbox when it is assigned to the account's own user (each provider
says who that is through `whoami`), or when it is overdue or due within a few days and
nobody else has it. Cards in done columns and archived cards are not. Entries are
grouped by account, then board, most urgent first, so the list reads as a to-do list.

`entries_of` is pure: the same rule paints the inbox from cached boards at once
(`from_cache`) and from fresh ones when they arrive (`collect`, which reads one account
through its provider and leaves what it read in the cache for next time).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum

from tui.core.cache import Cache
from tui.core.due_input import due_words
from tui.core.errors import ProviderError
from tui.core.models import Board, BoardContent, Card, Column, ColumnKind, User
from tui.core.provider import Provider

DUE_SOON_DAYS = 3
"""How many days ahead "due soon" looks (today counts as day 0)."""

BOARD_READS_AT_ONCE = 4
"""Boards read concurrently per account; the HTTP layer paces them within the rate limit."""


class Reason(StrEnum):
    """Why a card is in the inbox; a card can have several."""

    ASSIGNED = "assigned"
    OVERDUE = "overdue"
    DUE_SOON = "due soon"


@dataclass(frozen=True, slots=True)
class InboxEntry:
    account: str
    board: Board
    column: Column | None
    card: Card
    reasons: frozenset[Reason]


@dataclass(frozen=True, slots=True)
class AccountInbox:
    """One account's part of the inbox; `error` says why it is missing or incomplete."""

    account: str
    me: User | None
    entries: tuple[InboxEntry, ...]
    error: str | None = None


def why(entry: InboxEntry, today: date) -> str:
    """Why the entry is in the inbox, in words: "overdue by 2 days, mine"."""
    words = []
    if entry.card.due is not None and entry.reasons & {Reason.OVERDUE, Reason.DUE_SOON}:
        words.append(due_words(entry.card.due, today))
    if Reason.ASSIGNED in entry.reasons:
        words.append("mine")
    return ", ".join(words)


def reasons_for(card: Card, me: User | None, today: date, *, due_soon_days: int) -> set[Reason]:
    """Why `card` belongs in `me`'s inbox; empty when it does not."""
    reasons: set[Reason] = set()
    mine = me is not None and card.assignee is not None and card.assignee.id == me.id
    if mine:
        reasons.add(Reason.ASSIGNED)
    if card.due is not None and (mine or card.assignee is None):
        if card.due < today:
            reasons.add(Reason.OVERDUE)
        elif card.due <= today + timedelta(days=due_soon_days):
            reasons.add(Reason.DUE_SOON)
    return reasons


def entries_of(
    account: str,
    me: User | None,
    boards: Iterable[BoardContent],
    today: date,
    *,
    due_soon_days: int = DUE_SOON_DAYS,
) -> tuple[InboxEntry, ...]:
    """The inbox entries of one account's boards, grouped by board, most urgent first."""
    entries: list[InboxEntry] = []
    for content in boards:
        columns = {column.id: column for column in content.columns}
        found = []
        for card in content.cards:
            column = columns.get(card.column_id)
            if card.archived or (column is not None and column.kind == ColumnKind.DONE):
                continue
            reasons = reasons_for(card, me, today, due_soon_days=due_soon_days)
            if reasons:
                found.append(InboxEntry(account, content.board, column, card, frozenset(reasons)))
        found.sort(key=_urgency)
        entries.extend(found)
    return tuple(entries)


def _urgency(entry: InboxEntry) -> tuple[int, date, float]:
    overdue = Reason.OVERDUE in entry.reasons
    due = entry.card.due or date.max
    return (0 if overdue else 1, due, entry.card.position)


def from_cache(
    account: str, cache: Cache, today: date, *, due_soon_days: int = DUE_SOON_DAYS
) -> AccountInbox | None:
    """The inbox as the boards last read show it; None when nothing is cached yet."""
    boards = cache.boards()
    if boards is None:
        return None
    contents = [cached[0] for board in boards if (cached := cache.board(board.id))]
    me = cache.me()
    entries = entries_of(account, me, contents, today, due_soon_days=due_soon_days)
    return AccountInbox(account, me, entries)


async def collect(
    account: str,
    provider: Provider,
    today: date,
    *,
    cache: Cache | None = None,
    due_soon_days: int = DUE_SOON_DAYS,
) -> AccountInbox:
    """Read every board of one account; a failure is kept as the account's `error`.

    A board that fails to load leaves the others in the inbox, and says which. What
    was read goes into `cache`, so the next inbox paints at once.
    """
    try:
        me = await provider.whoami()
        boards = await provider.list_boards()
    except ProviderError as error:
        return AccountInbox(account, None, (), error=str(error))
    if cache is not None:
        cache.save_me(me)
        cache.save_boards(tuple(boards), datetime.now(UTC))
    gate = asyncio.Semaphore(BOARD_READS_AT_ONCE)

    async def load(board: Board) -> BoardContent | ProviderError:
        async with gate:
            try:
                return await provider.load_board(board.id)
            except ProviderError as error:
                return error

    loaded = await asyncio.gather(*(load(board) for board in boards))
    contents = [content for content in loaded if isinstance(content, BoardContent)]
    if cache is not None and not provider.on_this_machine:
        for content in contents:
            cache.save_board(content, datetime.now(UTC))
    failed = [
        f"{board.name}: {result}"
        for board, result in zip(boards, loaded, strict=True)
        if isinstance(result, ProviderError)
    ]
    entries = entries_of(account, me, contents, today, due_soon_days=due_soon_days)
    return AccountInbox(account, me, entries, error="; ".join(failed) or None)
