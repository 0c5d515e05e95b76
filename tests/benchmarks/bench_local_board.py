"""Time to first paint, `j`, `L` and peak memory on a 5,000-card local board.

    .venv/bin/python -m tests.benchmarks.bench_local_board [--cards 5000]

Runs the app headless (Textual's test driver) at 160x48 in one process and prints one
line per figure. A key's time runs from posting the key event to the first frame
written that shows its effect (for L: the card in its new column), so the test
harness's own idle waits are not counted. The real-terminal first paint, as a ratio to a bare Textual app, is
measured by tests/benchmarks/first_paint.sh.
Targets (issue 2): first paint <= 1.0 s, j <= 20 ms, L <= 50 ms, peak RSS <= 250 MB.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import statistics
import tempfile
import time
from pathlib import Path

from textual import events

from tests.benchmarks.big_board import make_big_board


async def measure(cards: int) -> dict[str, float]:
    data_dir = Path(tempfile.mkdtemp(prefix="cardboard-bench-"))
    os.environ["CARDBOARD_DATA_DIR"] = str(data_dir)
    os.environ["CARDBOARD_CONFIG_DIR"] = str(data_dir / "config")
    board_id = await make_big_board(data_dir, cards)

    from tui.ui.app import build_app
    from tui.ui.screens.board import BoardScreen
    from tui.ui.widgets.card_list import CardList

    started = time.perf_counter()
    app = build_app(board_id=board_id, remember=False)
    frames: list[float] = []
    display = app._display  # private, and only wrapped here: when a frame is written

    def record_frame(*args, **kwargs):
        result = display(*args, **kwargs)
        frames.append(time.perf_counter())
        return result

    app._display = record_frame

    def board_laid_out() -> bool:
        screen = app.screen
        if not isinstance(screen, BoardScreen) or screen.card_id is None:
            return False
        return any(column.card_region(screen.card_id) for column in screen.query(CardList))

    async with app.run_test(size=(160, 48)) as pilot:
        while not board_laid_out():
            await asyncio.sleep(0.001)
        laid_out = time.perf_counter()
        while not frames or frames[-1] < laid_out:
            await asyncio.sleep(0.001)
        first_paint = frames[-1] - started
        assert len(app.state.board.cards) == cards

        async def timed(key: str, shown) -> float:
            """Seconds from the key event to the first frame written once `shown()` holds."""
            start = time.perf_counter()
            app.post_message(events.Key(key, key if len(key) == 1 else None))
            while True:
                await asyncio.sleep(0.0005)
                if shown() and frames and frames[-1] > start:
                    return frames[-1] - start

        screen = app.screen
        j_times, l_times = [], []
        for _ in range(30):
            before = screen.card_id
            j_times.append(await timed("j", lambda before=before: screen.card_id != before))
            await pilot.pause()
        for _ in range(15):
            card = app.state.card(screen.card_id)
            l_times.append(
                await timed(
                    "L", lambda card=card: app.state.card(card.id).column_id != card.column_id
                )
            )
            await app.workers.wait_for_complete()
            await pilot.press("h")  # back to the column the next card comes from
            await pilot.pause()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "first_paint_s": first_paint,
        "j_median_ms": statistics.median(j_times) * 1000,
        "j_max_ms": max(j_times) * 1000,
        "L_median_ms": statistics.median(l_times) * 1000,
        "L_max_ms": max(l_times) * 1000,
        "peak_rss_mb": peak_mb,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cards", type=int, default=5000)
    args = parser.parse_args()
    for name, value in asyncio.run(measure(args.cards)).items():
        print(
            f"{name:>14}: {value:8.1f}" if not name.endswith("_s") else f"{name:>14}: {value:8.3f}"
        )


if __name__ == "__main__":
    main()
