"""Time in tests: a machine-local time zone for a block."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest


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
