"""Virtual time for tests of anything that takes a `tui.providers.http.Clock`."""

from __future__ import annotations

import asyncio


class FakeClock:
    """Virtual time for the client: sleeping moves it forward at once, nothing waits."""

    def __init__(self, start: float = 1_700_000_000.0):
        self.now = start
        self.sleeps: list[float] = []
        self.wakes: list[float] = []
        """When each sleeper asked to wake, in virtual time."""

    def monotonic(self) -> float:
        return self.now

    def time(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        wake = self.now + seconds
        self.sleeps.append(seconds)
        self.wakes.append(wake)
        self.now = max(self.now, wake)
        await asyncio.sleep(0)
