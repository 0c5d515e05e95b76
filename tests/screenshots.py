"""Make the README's screenshots from the app itself: `python -m tests.screenshots`.

The demo board on a throwaway data dir, the clock frozen like the snapshot tests, and a
week of time logged on the demo's cards, so the pictures change only when the app does.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
from datetime import timedelta
from pathlib import Path

from tests.support.clock import NOW, FakeClock
from tests.support.pilot import press, settled
from tui.core.models import SyncState
from tui.core.provider import Connection
from tui.core.time import CardRef, TimeJournal
from tui.providers.local import LocalProvider

SCREENSHOTS = Path(__file__).parent.parent / "screenshots"
SHOTS = {
    "board": ("l", "j"),
    "card": ("l", "enter"),
    "help": ("question_mark",),
    "triage": ("exclamation_mark",),
    "time": ("T",),
    "accounts": ("A",),
}
WEEK = [(4, 9, 95), (4, 14, 40), (3, 10, 130), (2, 9, 50), (2, 13, 75), (1, 11, 160), (0, 8, 45)]
"""(days before NOW, hour, minutes) of the time logged on the demo's cards."""


async def log_a_week(data_dir: Path) -> None:
    provider = LocalProvider(Connection(account="local", data_dir=data_dir))
    provider.clock = FakeClock()
    board = (await provider.list_boards())[0]
    cards = (await provider.load_board(board.id)).cards
    await provider.aclose()
    journal = TimeJournal(now=FakeClock(NOW - timedelta(minutes=25)))
    for index, (days, hour, minutes) in enumerate(WEEK):
        card = cards[index % 4]
        started = (NOW - timedelta(days=days)).replace(hour=hour, minute=0)
        journal.add(
            CardRef("local", board.id, card.id, card.title),
            started,
            minutes * 60,
            sync=SyncState.LOCAL,
        )
    running = cards[5]
    journal.start(CardRef("local", board.id, running.id, running.title), sync=SyncState.LOCAL)
    journal.close()


async def shoot(name: str, keys: tuple[str, ...], size: tuple[int, int]) -> None:
    from tui.ui.app import build_app

    app = build_app(remember=False)
    async with app.run_test(size=size) as pilot:
        await settled(pilot)
        await press(pilot, *keys)
        (SCREENSHOTS / f"{name}.svg").write_text(app.export_screenshot(title="Cardboard"))


def main() -> None:
    os.environ["TZ"] = "UTC"
    with tempfile.TemporaryDirectory() as home, FakeClock().frozen():
        os.environ["CARDBOARD_DATA_DIR"] = str(Path(home) / "data")
        os.environ["CARDBOARD_CONFIG_DIR"] = str(Path(home) / "config")
        asyncio.run(log_a_week(Path(home) / "data"))
        for name, keys in SHOTS.items():
            asyncio.run(shoot(name, keys, (120, 34)))
            print(SCREENSHOTS / f"{name}.svg")


if __name__ == "__main__":
    main()
