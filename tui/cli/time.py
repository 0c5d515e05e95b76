"""`cardboard time start|stop|status|log|report`: the timer and the journal, via TimeTracker."""

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, closing
from datetime import UTC, date, datetime, timedelta

from tui.cli.common import board_card, connect_account, with_store
from tui.cli.output import emit, entry_json, report_row_json, timer_json
from tui.core.config import load_settings
from tui.core.connect import LOCAL
from tui.core.durations import format_duration, parse_duration_or_span
from tui.core.errors import ConfigError, ProviderError
from tui.core.lookup import open_board
from tui.core.models import SyncState, TimeEntry, Timer
from tui.core.provider import Provider
from tui.core.store import Store
from tui.core.time import (
    AccountProviders,
    CardRef,
    EntryRefused,
    TimeJournal,
    TimeTracker,
    report,
)
from tui.core.time.reports import cached_board_names


@asynccontextmanager
async def time_tracker(open_provider: Provider | None = None) -> AsyncIterator[TimeTracker]:
    """The tracker on the journal, syncing through the command's own provider and connecting
    other accounts' as needed; config.toml's [time] settings apply."""
    settings = load_settings().time
    journal = TimeJournal()
    providers = AccountProviders(lambda: open_provider, connect_account)
    try:
        yield TimeTracker(
            journal,
            providers,
            max_entry=timedelta(hours=settings.max_entry_hours),
            rounding=settings.rounding,
        )
    finally:
        await providers.aclose()
        journal.close()


async def time_card(store: Store, args: argparse.Namespace) -> CardRef:
    """The card named by CARD on --board, read from the service for its title."""
    content = await open_board(store, args.board)
    card = board_card(store, content, args.card)
    account = store.provider.connection.account
    return CardRef(
        account=account, board_id=content.board.id, card_id=card.id, card_title=card.title
    )


async def start(args: argparse.Namespace) -> int:
    async def work(store: Store) -> int:
        card = await time_card(store, args)
        async with time_tracker(store.provider) as tracker:
            switch = await tracker.announce_start(tracker.start(card, store.provider))
        stopped = switch.stopped
        lines = [entry_line("stopped", stopped)] if stopped is not None else []
        document = {
            "timer": timer_json(switch.timer),
            "stopped": entry_json(stopped) if stopped else None,
        }
        return emit(args.json, document, "\n".join([*lines, timer_line(switch.timer)]))

    return await with_store(args, work)


async def stop(args: argparse.Namespace) -> int:
    async with time_tracker() as tracker:
        entry = tracker.stop()
        if entry is None:
            return emit(args.json, None, "no timer is running")
        entry = await tracker.announce_stop(entry)
    return emit(args.json, entry_json(entry), entry_line("stopped", entry))


async def status(args: argparse.Namespace) -> int:
    with closing(TimeJournal()) as journal:
        timer = journal.running()
        waiting = [e for e in journal.entries() if e.sync in (SyncState.PENDING, SyncState.FAILED)]
    lines = [timer_line(timer) if timer else "no timer is running"]
    if waiting:
        lines.append(f"{len(waiting)} time entr{'y' if len(waiting) == 1 else 'ies'} not synced:")
        lines += [f"  {entry_line(entry.id, entry)}" for entry in waiting]
    document = {
        "timer": timer_json(timer) if timer else None,
        "unsynced": [entry_json(entry) for entry in waiting],
    }
    return emit(args.json, document, "\n".join(lines))


async def log(args: argparse.Namespace) -> int:
    day = args.date or date.today()
    try:
        started_at, seconds = parse_duration_or_span(args.duration, day, None)
    except ValueError as exc:
        raise ConfigError(f"DURATION: {exc}") from None

    async def work(store: Store) -> int:
        card = await time_card(store, args)
        async with time_tracker(store.provider) as tracker:
            try:
                entry = tracker.log(
                    card,
                    store.provider,
                    day,
                    seconds,
                    started_at=started_at,
                    note=args.note,
                    force=args.force,
                )
            except EntryRefused as refused:
                raise ConfigError(f"{refused}; --force logs it anyway") from None
            pushed = await tracker.push()
        entry = next((e for e in pushed if e.id == entry.id), entry)
        return emit(args.json, entry_json(entry), entry_line("logged", entry))

    return await with_store(args, work)


async def report_time(args: argparse.Namespace) -> int:
    if args.since and args.until and args.since > args.until:
        raise ConfigError(f"--since {args.since} is after --until {args.until}")
    with closing(TimeJournal()) as journal:
        entries = journal.entries(since=args.since, until=args.until)
    names = await _board_names({entry.account for entry in entries}) if args.by == "board" else {}
    rows = report(entries, args.by, board_names=names)
    document = [report_row_json(row) for row in rows]
    if args.csv:
        fields = ["key", "label", "seconds", "entries"]
        writer = csv.DictWriter(sys.stdout, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(document)
        return 0
    width = max((len(row.label) for row in rows), default=0)
    lines = [
        f"{row.label:<{width}}  {format_duration(row.seconds):>8}  {row.entries:>3}" for row in rows
    ]
    total = sum(row.seconds for row in rows)
    lines.append(
        f"{'total':<{width}}  {format_duration(total):>8}  {sum(row.entries for row in rows):>3}"
    )
    return emit(args.json, document, "\n".join(lines))


def timer_line(timer: Timer) -> str:
    elapsed = format_duration(max(0, int((datetime.now(UTC) - timer.started_at).total_seconds())))
    since = timer.started_at.astimezone().strftime("%H:%M")
    return f"running on {timer.card_title} ({timer.account}, card {timer.card_id}) since {since}: {elapsed}"


def entry_line(what: str, entry: TimeEntry) -> str:
    state = entry.sync.value + (f" ({entry.sync_error})" if entry.sync_error else "")
    return f"{what} {entry.card_title} ({entry.account}): {format_duration(entry.seconds)}, {state}"


async def _board_names(accounts: set[str]) -> dict[str, str]:
    """Board names as last seen (the caches); the local board's read, as it costs nothing."""
    names = cached_board_names(accounts)
    if LOCAL in accounts:
        local = connect_account(LOCAL)
        try:
            for board in await local.list_boards():
                names[f"{LOCAL}/{board.id}"] = f"{LOCAL} › {board.name}"
        except ProviderError:
            pass  # a damaged local.db: the report still prints, with board ids
        finally:
            await local.aclose()
    return names
