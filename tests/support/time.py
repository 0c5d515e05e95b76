"""Time in tests: a clock a test moves, and a machine-local time zone for a block."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

import pytest

from tests.conftest import NOW


class Clock:
    """Now, for the journal; a test moves it."""

    def __init__(self, now: datetime = NOW):
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


@contextmanager
def local_timezone(rule: str) -> Iterator[None]:
    """Make the machine's local time `rule` (a POSIX TZ string) for the block."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TZ", rule)
        time.tzset()
        try:
            yield
        finally:
            patch.undo()
            time.tzset()
