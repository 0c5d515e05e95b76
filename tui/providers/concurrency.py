"""Requests sent together, a bounded number at a time.

Pages of a list and details of many cards are independent requests: sending them
together turns N round trips into about N / MAX_IN_FLIGHT. The HTTP client's rate
limiter still spaces them to the service's declared rate; the bound keeps a service
without a declared rate from seeing hundreds of requests at once, and keeps the
connection pool from queueing them itself.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

MAX_IN_FLIGHT = 8
"""Requests one provider has on the wire at once."""


async def gather_bounded(
    items: Iterable[T],
    fetch: Callable[[T], Awaitable[R]],
    *,
    limit: int = MAX_IN_FLIGHT,
) -> list[R]:
    """`fetch(item)` for every item, at most `limit` at a time; results in item order.

    The first failure is raised, as with asyncio.gather (the others still finish).
    """
    gate = asyncio.Semaphore(limit)

    async def one(item: T) -> R:
        async with gate:
            return await fetch(item)

    return list(await asyncio.gather(*(one(item) for item in items)))
