"""Reports: time spent, totalled by day, card, board or account (the TUI and the CLI)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from tui.core.cache import Cache
from tui.core.errors import DatabaseError
from tui.core.models import TimeEntry
from tui.core.time.moments import local_day


@dataclass(frozen=True)
class ReportRow:
    key: str
    """What the row groups by, unique among the rows: "2026-11-20", an account name,
    "account/board_id", or "account/board_id/card_id" (ids alone may repeat across accounts)."""
    label: str
    """What to show: the day, the card title, the board, the account."""
    seconds: int
    entries: int


ReportBy = Literal["day", "card", "board", "account"]


def report(
    entries: Iterable[TimeEntry], by: ReportBy, *, board_names: Mapping[str, str] | None = None
) -> list[ReportRow]:
    """Totals per group: days in order, anything else most time first.

    `board_names` ("account/board id" -> name) names the boards of a report by board;
    a board it lacks reads "board 1 (account)".
    """
    groups: dict[str, list[TimeEntry]] = {}
    for entry in entries:
        groups.setdefault(_report_key(entry, by), []).append(entry)
    rows = [
        ReportRow(
            key=key,
            label=(board_names or {}).get(key) or _report_label(group, by),
            seconds=sum(entry.seconds for entry in group),
            entries=len(group),
        )
        for key, group in groups.items()
    ]
    if by == "day":
        return sorted(rows, key=lambda row: row.key)
    return sorted(rows, key=lambda row: (-row.seconds, row.label, row.key))


def _report_key(entry: TimeEntry, by: ReportBy) -> str:
    match by:
        case "day":
            return local_day(entry.started_at).isoformat()
        case "account":
            return entry.account
        case "board":
            return f"{entry.account}/{entry.board_id}"
        case "card":
            return f"{entry.account}/{entry.board_id}/{entry.card_id}"
    raise ValueError(f"cannot report by {by!r}: expected day, card, board or account")


def _report_label(group: list[TimeEntry], by: ReportBy) -> str:
    first = group[0]
    match by:
        case "day":
            return local_day(first.started_at).strftime("%a %Y-%m-%d")
        case "account":
            return first.account
        case "board":
            return f"board {first.board_id} ({first.account})"
        case _:  # a card renamed over time is shown by its latest title
            return max(group, key=lambda entry: entry.started_at).card_title


def cached_board_names(accounts: Iterable[str]) -> dict[str, str]:
    """ "account/board id" -> the board's name with its account, from each account's cache.

    A report must not wait on services: the names are those last seen.
    """
    names: dict[str, str] = {}
    for account in accounts:
        try:
            cache = Cache.for_account(account)
        except DatabaseError:
            continue
        try:
            for board in cache.boards() or ():
                names[f"{account}/{board.id}"] = f"{account} › {board.name}"
        finally:
            cache.close()
    return names
