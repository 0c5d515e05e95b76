"""Pacing one account's requests to its service's rate window, queue-wide.

A service that allows N requests a second allows N at once, then none until that second
is over: requests go out in bursts of up to N per window, not one every 1/N seconds.
Every request of an account waits its turn in one first-come queue, so when the service
says "wait" (a 429, or an exhausted window) the whole queue waits, and when the wait is
over the queue drains at the service's pace instead of every waiter retrying at once.
"""

from __future__ import annotations

import asyncio
import math
import weakref
from collections import deque
from typing import Protocol


class Clock(Protocol):
    """Time as the client sees it; tests pass a fake one so nothing really sleeps."""

    def monotonic(self) -> float: ...

    def time(self) -> float:
        """Seconds since the epoch, to read X-RateLimit-Reset and Retry-After dates."""
        ...

    async def sleep(self, seconds: float) -> None: ...


class RateWindow:
    """At most `burst` requests in any `period` seconds, in the order they asked.

    After the service refused one for too many requests, the window narrows to one
    request per period and widens again by one with each request that goes through:
    a service busier than it declared (other clients on the account) is not hammered.
    """

    def __init__(self, burst: int | None, period: float, clock: Clock):
        self._burst = burst
        """None: the service declares no limit; only its own waits are kept."""
        self._allowed = burst
        """How many may go per period right now (narrowed after a refusal)."""
        self._period = period
        self._clock = clock
        self._sent: deque[float] = deque(maxlen=burst or 1)
        self._hold_until = -math.inf
        self._queue = asyncio.Lock()  # first come, first served: asyncio.Lock is fair

    @classmethod
    def per_second(cls, rate: float | None, clock: Clock, *, period: float = 1.0) -> RateWindow:
        """The window of a service that declares `rate` requests a second (None: no limit)."""
        burst = max(1, math.floor(rate * period)) if rate else None
        return cls(burst, period, clock)

    @property
    def clock(self) -> Clock:
        return self._clock

    async def acquire(self) -> None:
        """Wait for this request's turn; returns when it may be sent."""
        async with self._queue:
            while (wait := self._ready_at() - self._clock.monotonic()) > 0:
                await self._clock.sleep(wait)  # a hold set meanwhile is seen on waking
            self._sent.append(self._clock.monotonic())

    def hold(self, seconds: float) -> None:
        """Send nothing for `seconds`: the service asked everyone to wait."""
        self._hold_until = max(self._hold_until, self._clock.monotonic() + seconds)

    def refused(self, seconds: float) -> None:
        """The service answered 429: hold the queue and narrow the window."""
        self.hold(seconds)
        if self._burst is not None:
            self._allowed = 1

    def went_through(self, remaining: int | None) -> None:
        """A request was answered, not refused for its rate: widen the window again by one,
        unless the service said (X-RateLimit-Remaining) that its window has no room left."""
        if self._burst is not None and self._allowed is not None and remaining != 0:
            self._allowed = min(self._burst, self._allowed + 1)

    def _ready_at(self) -> float:
        ready = self._hold_until
        if self._allowed is not None and len(self._sent) >= self._allowed:
            ready = max(ready, self._sent[-self._allowed] + self._period)
        return ready


_WINDOWS: weakref.WeakValueDictionary[tuple[str, str, str, int], RateWindow] = (
    weakref.WeakValueDictionary()
)


def shared_window(
    service: str, url: str, account: str, rate: float | None, clock: Clock, period: float = 1.0
) -> RateWindow:
    """The one window of an account: every client of it in this process shares it.

    Kept while a client holds it; keyed by the clock too, so tests with their own fake
    clocks never share one.
    """
    key = (service, url, account, id(clock))
    window = _WINDOWS.get(key)
    if window is None or window.clock is not clock:  # an id reused by a new clock
        window = RateWindow.per_second(rate, clock, period=period)
        _WINDOWS[key] = window
    return window
