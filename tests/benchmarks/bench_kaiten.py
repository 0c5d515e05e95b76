"""A 2,000-card Kaiten board through the fake, with 50 ms latency and its 5 req/s limit.

    .venv/bin/python -m tests.benchmarks.bench_kaiten [--cards 2000] [--latency 0.05]

Prints the requests the provider made, the wall time to the complete board, the
rate-limit floor and how many 429s the fake answered. Target (issue 3): the fewest
requests the API allows, wall <= 1.15 x the floor, and no 429 reaching the user (the
provider's answer is the whole board, not an error).

The floor is a true lower bound on the wall time, not requests / 5: the fake counts
requests in fixed one-second windows, each opened by the first request after the
last one closed, and admits 5 per window, so 5 requests go through at once (a burst)
and only every further 5 cost a second. See floor_seconds().
"""

from __future__ import annotations

import argparse
import asyncio
import math
import time
from collections import Counter

import httpx

from tests.fakes.kaiten import KaitenFake
from tui.core.provider import Connection
from tui.core.secret import Secret
from tui.providers.kaiten import KaitenProvider


class CountingTransport(httpx.AsyncBaseTransport):
    """Counts the statuses the fake answered, 429s included, as they cross the wire."""

    def __init__(self, inner: httpx.AsyncBaseTransport):
        self.inner = inner
        self.statuses: Counter[int] = Counter()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        self.statuses[response.status_code] += 1
        return response


def floor_seconds(admitted: int, per_window: int | None, latency: float) -> float:
    """The least wall time in which the fake can answer `admitted` requests.

    Every request waits `latency` before the fake counts it (tests/fakes/service.py),
    so the first is counted `latency` after the start at the earliest. Window k opens
    at least k seconds after the first (each opens when a request comes after the
    previous one's second is over) and admits `per_window` requests, so the last of
    `admitted` is counted, and answered, in window ceil(admitted / per_window) - 1.
    Refused requests (429) take no place in a window and do not count. Without a
    limit (`per_window` None) only the latency is left.
    """
    if admitted == 0:
        return 0.0
    if per_window is None:
        return latency
    return latency + (math.ceil(admitted / per_window) - 1) * 1.0


async def measure(cards: int, latency: float) -> dict[str, float]:
    fake = KaitenFake(seed=False)  # real clock, the documented 5 requests/s enforced
    board_id = fake.seed_board(cards)
    fake.faults.latency = latency
    transport = CountingTransport(fake.transport())
    provider = KaitenProvider(
        Connection(
            account="bench", url=fake.base_url, token=Secret(fake.token), transport=transport
        )
    )
    try:
        start = time.perf_counter()
        content = await provider.load_board(str(board_id))
        wall = time.perf_counter() - start
    finally:
        await provider.aclose()
    assert len(content.cards) == cards, f"{len(content.cards)} of {cards} cards"
    requests = len(fake.requests)
    refused = transport.statuses[429]
    per_window = max(1, int(fake.rate_limit)) if fake.rate_limit else None  # as the fake
    floor = floor_seconds(requests - refused, per_window, latency)
    return {
        "cards": cards,
        "requests": requests,
        "429s": refused,
        "wall_s": wall,
        "floor_s": floor,
        "ratio": wall / floor,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cards", type=int, default=2000)
    parser.add_argument("--latency", type=float, default=0.05)
    args = parser.parse_args()
    for name, value in asyncio.run(measure(args.cards, args.latency)).items():
        print(f"{name:>9}: {value:.3f}" if isinstance(value, float) else f"{name:>9}: {value}")


if __name__ == "__main__":
    main()
