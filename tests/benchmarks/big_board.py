"""A local board of N cards over 6 columns and 2 lanes, made through the import path."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from tui.core.exchange import (
    ExportDocument,
    ExportedBoard,
    ExportedCard,
    ExportedChecklistItem,
    ExportedColumn,
    ExportedLabel,
    ExportedLane,
    ExportedUser,
)
from tui.core.provider import Connection
from tui.providers.local import LocalProvider

COLUMNS = ("Inbox", "Backlog", "Ready", "Doing", "Review", "Done")
LABELS = (("bug", "#d73a4a"), ("feature", "#2ea043"), ("chore", "#bf8700"), ("docs", "#1f6feb"))
USERS = ("Ada", "Bruno", "Chen", "Dana")


def big_board(cards: int) -> ExportDocument:
    """Deterministic: card i lands in column i % 6, lane i % 2, with every kind of detail."""
    today = date(2026, 11, 20)
    return ExportDocument(
        exported_at=datetime(2026, 11, 20, tzinfo=UTC),
        board=ExportedBoard(name=f"Benchmark {cards}"),
        columns=tuple(
            ExportedColumn(id=f"c{i}", name=name, wip_limit=None) for i, name in enumerate(COLUMNS)
        ),
        lanes=(ExportedLane(id="l0", name="Expedite"), ExportedLane(id="l1", name="Standard")),
        labels=tuple(ExportedLabel(id=name, name=name, color=color) for name, color in LABELS),
        users=tuple(ExportedUser(id=name, name=name) for name in USERS),
        cards=tuple(
            ExportedCard(
                id=str(i),
                title=f"bench card {i:05d}: something that needs doing on the website",
                column_id=f"c{i % len(COLUMNS)}",
                lane_id=f"l{i % 2}",
                label_ids=(LABELS[i % len(LABELS)][0],),
                assignee_id=USERS[i % len(USERS)],
                due=today + timedelta(days=i % 30 - 10),
                checklist=tuple(
                    ExportedChecklistItem(text=f"step {k}", done=k < i % 3) for k in range(i % 4)
                ),
            )
            for i in range(cards)
        ),
    )


async def make_big_board(data_dir: Path, cards: int) -> str:
    """Create the board in data_dir's local database; returns its id."""
    provider = LocalProvider(Connection(account="local", data_dir=data_dir))
    try:
        board = await provider.import_board(big_board(cards))
    finally:
        await provider.aclose()
    return board.id
