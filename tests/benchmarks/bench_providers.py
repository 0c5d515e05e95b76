"""Every remote provider opening a 2,000-card board through its fake, with latency.

    .venv/bin/python -m tests.benchmarks.bench_providers [--cards 2000] [--latency 0.05]
        [--only kaiten,kitchen] [--export]

For each provider: the requests it made to open the board, the wall time, and the
cards it shows (Kitemaker's API places only the recent ones; the rest are listed by
title). With --export, the same for `export` of the board, which reads every card's
details (the board is then --export-cards cards, as a 2,000-card export at Kaiten's
5 requests a second takes minutes). The fakes run on the real clock, so the
documented rate limits (Kaiten 5/s, Kitemaker's) are enforced and paced.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass

from tests.fakes.kaiten import KaitenFake
from tests.fakes.kanbantool import KanbanToolFake
from tests.fakes.kanbert import KanbertFake
from tests.fakes.kitchen import KitchenFake
from tests.fakes.kitemaker import KitemakerFake
from tests.fakes.service import FakeService
from tui.core.exchange import export_board
from tui.core.provider import Connection, Provider
from tui.core.secret import Secret
from tui.providers.kaiten import KaitenProvider
from tui.providers.kanbantool import KanbanToolProvider
from tui.providers.kanbert import KanbertProvider
from tui.providers.kitchen import BOARD as KITCHEN_BOARD
from tui.providers.kitchen import KitchenProvider
from tui.providers.kitemaker import KitemakerProvider


@dataclass(frozen=True)
class Subject:
    provider: type[Provider]
    seed: Callable[[int], tuple[FakeService, str]]
    """A fake holding a board of n cards more than its seed, and that board's id."""
    options: dict[str, str]


def _kaiten(cards: int) -> tuple[FakeService, str]:
    fake = KaitenFake(seed=False)
    return fake, str(fake.seed_board(cards))


def _kanbantool(cards: int) -> tuple[FakeService, str]:
    fake = KanbanToolFake(seed=False)
    return fake, str(fake.seed_board(cards))


def _kanbert(cards: int) -> tuple[FakeService, str]:
    fake = KanbertFake()
    project = fake.seed_many(cards)[0]["project_id"]
    return fake, str(project)


def _kitemaker(cards: int) -> tuple[FakeService, str]:
    fake = KitemakerFake()
    space = next(iter(fake.spaces))
    fake.seed_many(space, cards)
    return fake, space


def _kitchen(cards: int) -> tuple[FakeService, str]:
    fake = KitchenFake()
    fake.seed_many(cards)
    return fake, KITCHEN_BOARD.id


SUBJECTS: dict[str, Subject] = {
    "kaiten": Subject(KaitenProvider, _kaiten, {}),
    "kanbantool": Subject(KanbanToolProvider, _kanbantool, {}),
    "kanbert": Subject(KanbertProvider, _kanbert, {}),
    "kitemaker": Subject(KitemakerProvider, _kitemaker, {}),
    "kitchen": Subject(KitchenProvider, _kitchen, {}),
}


async def measure(name: str, cards: int, latency: float, export: bool) -> dict[str, object]:
    subject = SUBJECTS[name]
    fake, board_id = subject.seed(cards)
    fake.faults.latency = latency
    connection = Connection(
        account="bench",
        url=fake.base_url,
        token=Secret(fake.token),
        options=subject.options,
        transport=fake.transport(),
    )
    provider = subject.provider(connection)
    try:
        fake.requests.clear()
        start = time.perf_counter()
        if export:
            document = await export_board(provider, board_id)
            shown = len(document.cards)
        else:
            shown = len((await provider.load_board(board_id)).cards)
        wall = time.perf_counter() - start
    finally:
        await provider.aclose()
    return {"provider": name, "cards": shown, "requests": len(fake.requests), "wall_s": wall}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cards", type=int, default=2000)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--only", default=",".join(SUBJECTS))
    parser.add_argument("--export", action="store_true", help="measure export_board instead")
    parser.add_argument("--export-cards", type=int, default=100)
    args = parser.parse_args()
    cards = args.export_cards if args.export else args.cards
    what = "export" if args.export else "open the board"
    print(f"{what}: {cards} cards added to each fake, {args.latency * 1000:.0f} ms latency")
    print(f"{'provider':<11} {'cards':>6} {'requests':>9} {'wall s':>8}")
    for name in args.only.split(","):
        row = asyncio.run(measure(name, cards, args.latency, args.export))
        print(f"{name:<11} {row['cards']:>6} {row['requests']:>9} {row['wall_s']:>8.2f}")


if __name__ == "__main__":
    main()
