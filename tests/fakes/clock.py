"""The old home of the tests' one clock, until every test imports tests.support.clock."""

from __future__ import annotations

from tests.support.clock import FakeClock

__all__ = ["FakeClock"]
