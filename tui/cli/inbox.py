"""`cardboard inbox`: my cards, and what is overdue or due soon, across every account."""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import date

from tui.cli.output import emit, inbox_entry_json
from tui.core.cache import Cache
from tui.core.connect import available_accounts, connect
from tui.core.errors import ConfigError
from tui.core.inbox import AccountInbox, collect, why
from tui.core.provider import Provider


async def inbox(args: argparse.Namespace) -> int:
    """Every account at once; one that fails is named on stderr and the run exits 1."""
    today = date.today()
    providers: dict[str, Provider] = {}
    failed: list[AccountInbox] = []
    for account in available_accounts():
        try:
            providers[account.name] = connect(account.name)
        except ConfigError as problem:  # a token that cannot be resolved: that account only
            failed.append(AccountInbox(account.name, None, (), error=str(problem)))
    # What is read is left in each account's cache, so the TUI's inbox paints at once.
    caches = {name: Cache.for_account(name) for name in providers}
    try:
        read = await asyncio.gather(
            *(
                collect(name, provider, today, cache=caches[name])
                for name, provider in providers.items()
            )
        )
    finally:
        for provider in providers.values():
            await provider.aclose()
        for cache in caches.values():
            cache.close()
    entries = [entry for account in read for entry in account.entries]
    lines: list[str] = []
    group = None
    for entry in entries:
        if (entry.account, entry.board.id) != group:
            group = (entry.account, entry.board.id)
            lines.append(f"{entry.account} · {entry.board.name}")
        column = entry.column.name if entry.column else entry.card.column_id
        lines.append(f"  {entry.card.id}\t{entry.card.title} · {column} · {why(entry, today)}")
    code = emit(args.json, [inbox_entry_json(e) for e in entries], "\n".join(lines) or "(empty)")
    unread = [*failed, *(part for part in read if part.error)]
    for part in unread:
        print(f"cardboard: inbox: {part.account}: {part.error}", file=sys.stderr)
    return 1 if unread else code
