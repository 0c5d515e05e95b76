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
import time
import weakref
from collections import deque
from collections.abc import Callable
from typing import Protocol


class Clock(Protocol):
    """Time as the client sees it; tests pass a fake one so nothing really sleeps."""

    def monotonic(self) -> float: ...

    def time(self) -> float:
        """Seconds since the epoch, to read X-RateLimit-Reset and Retry-After dates."""
        ...

    async def sleep(self, seconds: float) -> None: ...


class SystemClock:
    """The machine's time: what every client uses outside tests."""

    def monotonic(self) -> float:
        return time.monotonic()

    def time(self) -> float:
        return time.time()

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


class RefusedSoFar:
    """How long one request has been refused for its rate: from its first 429 to now."""

    def __init__(self, monotonic: Callable[[], float]):
        self._monotonic = monotonic
        self._since: float | None = None
        self.count = 0

    def note(self) -> None:
        self.count += 1
        if self._since is None:
            self._since = self._monotonic()

    def waited(self) -> float:
        return 0.0 if self._since is None else self._monotonic() - self._since


UNDECLARED_RAMP = 8
"""A service that declares no rate is left unpaced again once this many go per period."""


class RateWindow:
    """At most `burst` requests in any `period` seconds, in the order they asked.

    After the service refused one for too many requests, the window narrows to one
    request per period and widens again by one with each request that goes through:
    the queue does not rush back all at once when the wait is over, and a service
    busier than it declared (other clients on the account) is not hammered. A service
    that declares no rate is paced that way only from its first refusal until the
    window has widened to `UNDECLARED_RAMP`.
    """

    def __init__(self, burst: int | None, period: float, clock: Clock):
        self._burst = burst
        """None: the service declares no limit."""
        self._allowed = burst
        """How many may go per period right now (narrowed after a refusal); None: any."""
        self._period = period
        self._clock = clock
        self._sent: deque[float] = deque(maxlen=burst or UNDECLARED_RAMP)
        self._hold_until = -math.inf
        self._queue = asyncio.Lock()  # first come, first served: asyncio.Lock is fair
        self._loop: asyncio.AbstractEventLoop | None = None

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
        loop = asyncio.get_running_loop()
        if loop is not self._loop:  # a lock serves one event loop (asyncio.run per command)
            self._loop, self._queue = loop, asyncio.Lock()
        async with self._queue:
            while (wait := self._ready_at() - self._clock.monotonic()) > 0:
                await self._clock.sleep(wait)  # a hold set meanwhile is seen on waking
            self._sent.append(self._clock.monotonic())

    def held_for(self) -> float:
        """Seconds until the service's last "wait" is over (0 when there is none)."""
        return max(0.0, self._hold_until - self._clock.monotonic())

    def hold(self, seconds: float) -> None:
        """Send nothing for `seconds`: the service asked everyone to wait."""
        self._hold_until = max(self._hold_until, self._clock.monotonic() + seconds)

    def refused(self, seconds: float) -> None:
        """The service answered 429: hold the queue and narrow the window."""
        self.hold(seconds)
        self._allowed = 1

    def went_through(self, remaining: int | None) -> None:
        """A request was answered, not refused for its rate: widen the window again by one,
        unless the service said (X-RateLimit-Remaining) that its window has no room left."""
        if self._allowed is None or remaining == 0:
            return
        if self._burst is not None:
            self._allowed = min(self._burst, self._allowed + 1)
        else:
            self._allowed = self._allowed + 1 if self._allowed < UNDECLARED_RAMP else None

    def _ready_at(self) -> float:
        ready = self._hold_until
        if self._allowed is not None and len(self._sent) >= self._allowed:
            ready = max(ready, self._sent[-self._allowed] + self._period)
        return ready


_WINDOWS: weakref.WeakValueDictionary[tuple[str, str, str, int | str], RateWindow] = (
    weakref.WeakValueDictionary()
)


def shared_window(
    service: str, url: str, account: str, rate: float | None, clock: Clock, period: float = 1.0
) -> RateWindow:
    """The one window of an account: every client of it in this process shares it.

    Kept while a client holds it. Every SystemClock is the same time; any other clock
    (a test's) has windows of its own, so tests never share one.
    """
    system = isinstance(clock, SystemClock)
    key = (service, url, account, "system" if system else id(clock))
    window = _WINDOWS.get(key)
    if window is None or not (system or window.clock is clock):  # id reused by a new clock
        window = RateWindow.per_second(rate, clock, period=period)
        _WINDOWS[key] = window
    return window
