"""What the UI does with the timer: start, stop, trim, and tell the services in the background.

TimeTracker (tui.core.time) does the work, as it does for the CLI: the journal is
written first, synchronously, so the timer is on disk before the key press returns;
the services hear about it afterwards in an app worker, which leaving a screen does
not cancel. A failed push is kept in the journal by TimeSync and shown
on the time screen; only a bug surfaces here.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TypeVar, cast

from textual.screen import Screen
from textual.worker import Worker

from tui.core.durations import format_duration
from tui.core.errors import ConfigError, ProviderError
from tui.core.models import Card, TimeEntry
from tui.core.time import CardRef, Switch
from tui.ui.screens.timer_prompt import LONG_TIMER, TimerPromptScreen
from tui.ui.widgets.timer_badge import TimerBadge

if TYPE_CHECKING:
    from tui.ui.app import CardboardApp

log = logging.getLogger(__name__)

T = TypeVar("T")


def toggle_timer(screen: Screen[Any], card: Card | None) -> None:
    """`t`: stop the timer if it runs on `card`; otherwise start it there (stopping any other)."""
    app = cast("CardboardApp", screen.app)
    if card is None:
        app.notify("No card selected", severity="warning")
        return
    account = app.store.state.account
    try:
        if app.tracker.runs_on(account, card.id):
            stop_timer(app)
        else:
            start_timer(app, CardRef(account, card.board_id, card.id, card.title))
    except (ConfigError, ProviderError) as problem:  # the journal cannot be written: say so
        app.notify(str(problem), title="Timer not changed", severity="error")
    for badge in screen.query(TimerBadge):
        badge.tick()


def start_timer(app: CardboardApp, card: CardRef) -> Switch:
    provider = app.store.provider
    switch = app.tracker.start(card, provider)
    if switch.unchanged:
        return switch
    message = f"Timer started on “{card.card_title}”"
    if switch.stopped is not None:
        stopped = switch.stopped
        message += f"; {format_duration(stopped.seconds)} logged on “{stopped.card_title}”"
    app.notify(message)
    if switch.first_local:  # said once: while the account has no entry yet
        app.notify(
            f"Time for {card.account} ({provider.title}) is kept in Cardboard's journal: "
            "the service does not log time.",
            title="Time stays local",
        )
    run_in_background(app, app.tracker.announce_start(switch), "tell the service about the timer")
    return switch


def stop_timer(app: CardboardApp, end: datetime | None = None) -> TimeEntry | None:
    """Stop the running timer (at `end`, to trim it); the entry goes to its service after."""
    entry = app.tracker.stop(end)
    if entry is None:
        return None
    app.notify(f"Timer stopped: {format_duration(entry.seconds)} on “{entry.card_title}”")

    async def tell_services() -> None:
        await app.tracker.announce_stop(entry)
        app.sync_time()

    run_in_background(app, tell_services(), "log the time on the service")
    return entry


def ask_about_long_timer(app: CardboardApp) -> None:
    """A timer running for hours was probably forgotten: ask whether to keep or trim it."""
    timer = app.tracker.running()
    now = datetime.now(UTC)
    if timer is None or now - timer.started_at < LONG_TIMER:
        return

    def answered(end: datetime | None) -> None:
        if end is None:
            return
        try:
            stop_timer(app, end)
        except (ValueError, ConfigError, ProviderError) as problem:  # stopped elsewhere, no disk
            app.notify(str(problem), title="Timer not trimmed", severity="error")

    app.push_screen(TimerPromptScreen(timer, now), answered)


def run_in_background(app: CardboardApp, work: Awaitable[T], description: str) -> Worker[T | None]:
    async def reported() -> T | None:
        try:
            return await work
        except (ProviderError, ConfigError) as error:
            app.notify(str(error), title=f"Could not {description}", severity="warning")
        except Exception as error:
            log.error("%s failed", description, exc_info=error)
            app.notify(
                f"{error}", title=f"Could not {description} (a bug: see the log)", severity="error"
            )
        return None

    return app.run_worker(reported(), group="time", description=description, exit_on_error=False)
