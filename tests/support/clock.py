"""The tests' one clock: a virtual moment that moves only when a test moves it."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import time_machine

NOW = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
"""The moment every deterministic test lives in (a Friday)."""


class FakeClock:
    """One virtual moment, read the way each part of the code reads time.

    - `clock()`: an aware datetime, for what takes a `now` callable (the time journal,
      time sync, the local provider's `clock`);
    - `monotonic()`, `time()`, `sleep()`: seconds, for `tui.providers.http.Clock` (the
      rate limiter and retries) and the fakes' rate windows; `sleep` moves the clock
      forward at once and records the wait, so nothing really waits;
    - inside `frozen()`: the machine's own clock, for code that reads `datetime.now()`
      (the UI's badges, prompts and forms).

    `now` is the moment in epoch seconds; `advance` and `move_to` move it.
    """

    def __init__(self, start: datetime | float = NOW):
        self._now = start.timestamp() if isinstance(start, datetime) else float(start)
        self._traveller: time_machine.Traveller | None = None
        self.sleeps: list[float] = []
        self.wakes: list[float] = []
        """When each sleeper asked to wake, in virtual time."""

    @property
    def now(self) -> float:
        return self._now

    @now.setter
    def now(self, seconds: float) -> None:
        self._now = seconds
        if self._traveller is not None:
            self._traveller.move_to(self())

    def __call__(self) -> datetime:
        return datetime.fromtimestamp(self._now, UTC)

    def advance(self, **delta: float) -> datetime:
        """Move on by `timedelta(**delta)`; the new moment."""
        self.now += timedelta(**delta).total_seconds()
        return self()

    def move_to(self, moment: datetime) -> datetime:
        self.now = moment.timestamp()
        return self()

    def monotonic(self) -> float:
        return self._now

    def time(self) -> float:
        return self._now

    async def sleep(self, seconds: float) -> None:
        wake = self._now + seconds
        self.sleeps.append(seconds)
        self.wakes.append(wake)
        self.now = max(self._now, wake)
        await asyncio.sleep(0)  # a turn for the other tasks, as a real sleep gives

    @contextmanager
    def frozen(self) -> Iterator[FakeClock]:
        """Pin the machine's clock (datetime.now, time.time) to this one for the block."""
        assert self._traveller is None, "the clock is frozen already"
        with time_machine.travel(self(), tick=False) as traveller:
            self._traveller = traveller
            try:
                yield self
            finally:
                self._traveller = None
