"""First paint of a Kaiten board seen before, while the service takes seconds to answer.

    .venv/bin/python -m tests.benchmarks.bench_cached_paint [--latency 3]

A first session opens the board through the fake (every answer `latency` s late), so
it is cached. Then the app starts again, headless at 160x48, and the time to the first
frame showing a card is measured: from the cache (the default) and, for comparison,
with the cache file removed. Target (issue 10): the cached board paints at once,
not after the service's answer.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import time
from pathlib import Path

from tests.fakes.kaiten import KaitenFake
from tui.core import paths
from tui.core.provider import Connection
from tui.core.secret import Secret
from tui.providers.kaiten import KaitenProvider


def provider(fake: KaitenFake) -> KaitenProvider:
    return KaitenProvider(
        Connection(
            account="work",
            url=fake.base_url,
            token=Secret(fake.token),
            transport=fake.transport(),
        )
    )


async def paint_seconds(fake: KaitenFake, board_id: str) -> float:
    """Seconds from starting the app to the first frame with the board's cards."""
    from tui.core.store import Store
    from tui.ui.app import CardboardApp

    started = time.perf_counter()
    app = CardboardApp(Store(provider(fake)), remember=False, board_id=board_id)
    async with app.run_test(size=(160, 48)) as pilot:
        while app.state.board is None or not app.state.board.cards:
            await asyncio.sleep(0.005)
        await pilot.pause()  # the frame with the cards is written
        painted = time.perf_counter() - started
        app.exit()
    return painted


async def measure(latency: float) -> dict[str, float]:
    folder = Path(tempfile.mkdtemp(prefix="cardboard-bench-"))
    os.environ["CARDBOARD_DATA_DIR"] = str(folder)
    os.environ["CARDBOARD_CONFIG_DIR"] = str(folder / "config")
    fake = KaitenFake(rate_limit=None)
    fake.faults.latency = latency
    board_id = str(next(iter(fake.boards)))
    first = await paint_seconds(fake, board_id)  # nothing cached: waits for the service
    cached = await paint_seconds(fake, board_id)
    (paths.sync_dir("work") / "cache.db").unlink()
    uncached = await paint_seconds(fake, board_id)
    return {"first session": first, "from the cache": cached, "cache removed": uncached}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=3.0)
    args = parser.parse_args()
    for what, seconds in asyncio.run(measure(args.latency)).items():
        print(f"{what:>16}: {seconds:.2f} s (latency {args.latency} s per request)")


if __name__ == "__main__":
    main()
