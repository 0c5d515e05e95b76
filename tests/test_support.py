"""The test helpers themselves: a wait that cannot end fails with what it waited for, the
notifications are heard, and the one clock reads the same moment every way."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta

import pytest
from textual.app import App

from tests.support.clock import NOW, FakeClock
from tests.support.pilot import notifications, record_notifications, settled, until


class Idle(App[None]):
    """An app with nothing on screen."""


async def test_until_fails_saying_what_never_came():
    app = Idle()
    async with app.run_test() as pilot:
        await until(pilot, lambda: True, "this is so at once")
        with pytest.raises(AssertionError, match="the door to open: still not so after 3"):
            await until(pilot, lambda: False, "the door to open", pauses=3)


async def test_settled_fails_naming_a_worker_that_never_ends():
    app = Idle()
    async with app.run_test() as pilot:
        app.run_worker(asyncio.Event().wait(), name="forever")
        with pytest.raises(AssertionError, match=r"did not settle in 0\.05 s; workers: .*forever"):
            await settled(pilot, timeout=0.05)


async def test_notifications_are_heard_from_the_app_and_its_screens():
    app = record_notifications(Idle())
    assert record_notifications(app) is app  # a second call changes nothing
    async with app.run_test() as pilot:
        app.notify("from the app")
        app.screen.notify("from a screen", severity="warning")
        await pilot.pause()
    assert notifications(app) == ["from the app", "from a screen"]
    with pytest.raises(AssertionError, match="call record_notifications"):
        notifications(Idle())


async def test_the_clock_is_one_moment_read_as_a_datetime_and_as_seconds():
    clock = FakeClock()
    assert clock() == NOW and clock.time() == clock.monotonic() == NOW.timestamp()
    assert clock.advance(minutes=5) == NOW + timedelta(minutes=5)
    await clock.sleep(1.5)
    assert clock.sleeps == [1.5] and clock.wakes == [clock.now]
    assert clock() == NOW + timedelta(minutes=5, seconds=1.5)
    assert FakeClock(1000.0).monotonic() == 1000.0


def test_frozen_pins_the_machine_clock_and_follows_the_fake_one():
    clock = FakeClock()
    with clock.frozen():
        assert datetime.now(UTC) == NOW
        clock.advance(hours=1)
        assert datetime.now(UTC) == NOW + timedelta(hours=1) and time.time() == clock.time()
        clock.move_to(NOW - timedelta(days=1))
        assert datetime.now(UTC) == NOW - timedelta(days=1)
    assert datetime.now(UTC) != clock()  # the machine's own clock again
