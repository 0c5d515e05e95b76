"""Full garbage collections while the user is not typing.

A full collection walks every object the collector tracks. With a board drawn (its
cards frozen out of sight after each load, the screen's cached lines not) that takes
30-90 ms, felt as a stutter when it lands inside a key. So while the app runs it makes
no full collection on its own: young objects are still collected as usual, and the
full ones happen after a pause in input.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

NEVER = 2**31 - 1
"""A threshold the count of young collections never reaches."""
IDLE_BEFORE_COLLECTING = 2.0
"""Seconds without a key or a click after which a full collection cannot be in the way."""
CHECK_EVERY = 5.0


class IdleCollector:
    def __init__(self, clock: Callable[[], float] = time.monotonic):
        self.clock = clock
        self._last_input = clock()
        self._saved: tuple[int, int, int] | None = None

    def start(self) -> None:
        """Hand full collections to `collect_if_idle` until `stop`."""
        self._saved = gc.get_threshold()
        young, middle, _ = self._saved
        gc.set_threshold(young, middle, NEVER)

    def stop(self) -> None:
        if self._saved is not None:
            gc.set_threshold(*self._saved)
            self._saved = None

    def input_seen(self) -> None:
        self._last_input = self.clock()

    def collect_if_idle(self) -> bool:
        """A full collection, unless input came in the last IDLE_BEFORE_COLLECTING s."""
        if self.clock() - self._last_input < IDLE_BEFORE_COLLECTING:
            return False
        gc.collect()
        return True
