"""Driving a running app in Pilot tests: waiting until it settles, pressing keys, and
hearing what it told the user.

Every wait here is bounded: a condition that never comes true fails the test with what
it waited for, instead of hanging the run.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from typing import Any, TypeVar
from weakref import WeakKeyDictionary

from textual.app import App
from textual.pilot import Pilot
from textual.worker import WorkerCancelled

MAX_PAUSES = 100
"""How many screen refreshes `until` waits for a condition before failing the test."""

SETTLE_TIMEOUT = 30.0
"""Real seconds `settled` gives the app's workers: far more than any test needs, even on
a loaded machine; reached only by a worker that never ends."""

MAX_TURNS = 10
"""How many event-loop turns `let_tasks_run` gives the tasks started so far."""


async def settled(pilot: Pilot[Any], *, timeout: float = SETTLE_TIMEOUT) -> None:
    """Let the app finish what it started: its workers, then the messages they posted.

    A worker that never ends (a loop the app forgot to stop, a provider call that never
    answers) fails the test after `timeout` real seconds, naming the workers still running.
    """
    waiting = asyncio.ensure_future(pilot.app.workers.wait_for_complete())
    done, _ = await asyncio.wait({waiting}, timeout=timeout)
    if not done:
        running = ", ".join(repr(worker) for worker in pilot.app.workers)
        waiting.cancel()  # and with it the workers, so that the app can still close
        with contextlib.suppress(asyncio.CancelledError, WorkerCancelled):
            await waiting
        raise AssertionError(f"the app did not settle in {timeout} s; workers: {running}")
    waiting.result()  # a worker's error, as wait_for_complete raises it
    await pilot.pause()


async def press(pilot: Pilot[Any], *keys: str) -> None:
    """Press `keys` one at a time, letting the app settle after each."""
    for key in keys:
        await pilot.press(key)
        await settled(pilot)


async def until(
    pilot: Pilot[Any], condition: Callable[[], bool], what: str, *, pauses: int = MAX_PAUSES
) -> None:
    """Let the app run until `condition()` holds; fail the test saying `what` never came."""
    for _ in range(pauses):
        if condition():
            return
        await pilot.pause()
    assert condition(), f"{what}: still not so after {pauses} pauses"


async def let_tasks_run(turns: int = MAX_TURNS) -> None:
    """Without an app: let the tasks started so far run up to their next real wait."""
    for _ in range(turns):
        await asyncio.sleep(0)


# --- notifications ---------------------------------------------------------------------

AppT = TypeVar("AppT", bound="App[Any]")

_sent: WeakKeyDictionary[App[Any], list[str]] = WeakKeyDictionary()


def record_notifications(app: AppT) -> AppT:
    """From now on, keep every message `app.notify` shows (read them with `notifications`).

    Through the public `notify` (which widgets and screens reach too), so a test reads
    what the user was told, not Textual's private toast list. Call it before the app
    runs, so that nothing said while it starts is missed. Returns the app.
    """
    if app in _sent:
        return app
    sent: list[str] = []
    show = app.notify

    def notify(message: str, **options: Any) -> None:
        sent.append(message)
        show(message, **options)

    app.notify = notify  # type: ignore[method-assign]
    _sent[app] = sent
    return app


def notifications(app: App[Any]) -> list[str]:
    """The messages `app` has shown, oldest first, since `record_notifications(app)`."""
    assert app in _sent, "call record_notifications(app) before running the app"
    return _sent[app]
