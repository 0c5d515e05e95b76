"""gather_bounded: requests together, never more than the bound at once, results in order."""

from __future__ import annotations

import asyncio

import pytest

from tui.providers.concurrency import gather_bounded


async def test_results_come_in_item_order_with_at_most_limit_in_flight():
    in_flight = most = 0

    async def fetch(number: int) -> int:
        nonlocal in_flight, most
        in_flight += 1
        most = max(most, in_flight)
        for _ in range(10 - number % 10):  # later items finish first
            await asyncio.sleep(0)
        in_flight -= 1
        return number * 2

    assert await gather_bounded(range(25), fetch, limit=4) == [n * 2 for n in range(25)]
    assert most == 4


async def test_the_first_failure_is_raised():
    async def fetch(number: int) -> int:
        if number == 3:
            raise ValueError("page 3 is gone")
        return number

    with pytest.raises(ValueError, match="page 3 is gone"):
        await gather_bounded(range(6), fetch)
