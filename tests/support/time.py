"""Time in tests: a machine-local time zone for a block."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from tests.support.clock import FakeClock

Clock = FakeClock
"""The old name of the one clock, until every test says FakeClock."""


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
