"""Make the README's screenshots from the app itself: `python -m tests.screenshots`.

The demo board on a throwaway data dir, the clock frozen like the snapshot tests, so
the pictures change only when the app does.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
from pathlib import Path

import time_machine

from tests.conftest import NOW

SCREENSHOTS = Path(__file__).parent.parent / "screenshots"
SHOTS = {
    "board": ("l", "j"),
    "card": ("l", "enter"),
    "help": ("question_mark",),
}


async def shoot(name: str, keys: tuple[str, ...], size: tuple[int, int]) -> None:
    from tui.ui.app import build_app

    app = build_app(remember=False)
    async with app.run_test(size=size) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        for key in keys:
            await pilot.press(key)
            await app.workers.wait_for_complete()
            await pilot.pause()
        (SCREENSHOTS / f"{name}.svg").write_text(app.export_screenshot(title="Cardboard"))


def main() -> None:
    os.environ["TZ"] = "UTC"
    with tempfile.TemporaryDirectory() as home, time_machine.travel(NOW, tick=False):
        os.environ["CARDBOARD_DATA_DIR"] = str(Path(home) / "data")
        os.environ["CARDBOARD_CONFIG_DIR"] = str(Path(home) / "config")
        for name, keys in SHOTS.items():
            asyncio.run(shoot(name, keys, (120, 34)))
            print(SCREENSHOTS / f"{name}.svg")


if __name__ == "__main__":
    main()
