"""TimeTracker: starting, stopping, switching and logging time, for the TUI and the CLI alike.

Each change is two steps. The journal is written first, synchronously, so the timer is
on disk before the key press (or the command) returns; then the services hear about it
(`announce_*`, async): the TUI runs that in a background worker, the CLI awaits it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from tui.core.durations import format_duration
from tui.core.models import SyncState, TimeEntry, Timer
from tui.core.provider import Capability, Provider
from tui.core.time.journal import CardRef, TimeJournal
from tui.core.time.moments import (
    WORKDAY_STARTS,
    clock,
    end_of,
    local_day,
    local_midnight,
    utc,
    utc_now,
)
from tui.core.time.rounding import Rounding
from tui.core.time.sync import TimeSync

DEFAULT_MAX_ENTRY = timedelta(hours=24)


class EntryRefused(ValueError):
    """An entry that is probably a mistake (too long, or in the future); forcing keeps it."""


def sync_state_for(provider: Provider) -> SyncState:
    """Where new time on this provider's cards starts: queued for the service, or local for good."""
    return SyncState.PENDING if provider.supports(Capability.TIME_LOGGING) else SyncState.LOCAL


@dataclass(frozen=True)
class Switch:
    """What starting a timer did."""

    timer: Timer
    """The timer now running."""
    stopped: TimeEntry | None = None
    """The timer that ran on another card, stopped and now an entry."""
    unchanged: bool = False
    """The timer already ran on this card: nothing was written."""
    first_local: bool = False
    """The first time on an account whose service logs no time: worth saying once."""


class TimeTracker:
    """The one way to start, stop, switch and log time; the journal and its sync underneath."""

    def __init__(
        self,
        journal: TimeJournal,
        provider_for: Callable[[str], Awaitable[Provider]],
        *,
        now: Callable[[], datetime] = utc_now,
        max_entry: timedelta = DEFAULT_MAX_ENTRY,
        rounding: Rounding = "nearest",
    ):
        self.journal = journal
        self.sync = TimeSync(journal, provider_for, now=now, rounding=rounding)
        self.max_entry = max_entry
        """The longest entry logged without forcing (config.toml [time] max_entry_hours)."""
        self._now = now

    @property
    def problem(self) -> str | None:
        """Why time tracking is off (the journal cannot be opened), or None."""
        return self.journal.problem

    def running(self) -> Timer | None:
        return self.journal.running()

    def runs_on(self, account: str, card_id: str) -> bool:
        running = self.journal.running()
        return running is not None and (running.account, running.card_id) == (account, card_id)

    # --- the timer --------------------------------------------------------------------

    def start(self, card: CardRef, provider: Provider) -> Switch:
        """Start the timer on `card` (a timer on another card stops first); on disk at once.

        Starting it on the card it already runs on changes nothing.
        """
        running = self.journal.running()
        if running is not None and (running.account, running.card_id) == (
            card.account,
            card.card_id,
        ):
            return Switch(running, unchanged=True)
        sync = sync_state_for(provider)
        timer, stopped = self.journal.start(card, sync=sync)
        first_local = sync is SyncState.LOCAL and not any(
            entry.account == card.account for entry in self.journal.entries()
        )
        return Switch(timer, stopped, first_local=first_local)

    async def announce_start(self, switch: Switch) -> Switch:
        """Tell the services: the stopped timer's entry is logged, and the new timer starts
        where the service has live timers. Returns the switch with the entry's new state."""
        if switch.unchanged:
            return switch
        stopped = switch.stopped
        if stopped is not None:
            stopped = await self.sync.timer_stopped(stopped)
        await self.sync.timer_started(switch.timer)
        return replace(switch, stopped=stopped)

    def stop(self, end: datetime | None = None) -> TimeEntry | None:
        """Stop the running timer (at `end`, to trim it); None if none runs."""
        return self.journal.stop(end=end)

    async def announce_stop(self, entry: TimeEntry) -> TimeEntry:
        """Log the stopped timer's entry on its service; the entry with its new state."""
        return await self.sync.timer_stopped(entry)

    # --- time logged afterwards -------------------------------------------------------

    def log(
        self,
        card: CardRef,
        provider: Provider,
        day: date,
        seconds: int,
        *,
        started_at: datetime | None = None,
        note: str = "",
        force: bool = False,
    ) -> TimeEntry:
        """Add an entry on `day`: from `started_at` (a span), or placed by `default_start`.

        Raises EntryRefused for an entry longer than `max_entry` or ending in the future,
        unless `force`.
        """
        if started_at is None:
            others = self.journal.entries(since=day, until=day)
            started_at = default_start(day, seconds, others, now=self._now())
        if not force:
            self.check(started_at, seconds)
        return self.journal.add(card, started_at, seconds, note, sync=sync_state_for(provider))

    def check(self, started_at: datetime, seconds: int) -> None:
        """Raise EntryRefused for an entry that is probably a mistake: longer than
        `max_entry`, or ending after now."""
        if seconds > self.max_entry.total_seconds():
            longest = format_duration(int(self.max_entry.total_seconds()))
            raise EntryRefused(
                f"{format_duration(seconds)} is longer than the {longest} an entry may last"
            )
        end = started_at + timedelta(seconds=seconds)
        if end > self._now():
            raise EntryRefused(
                f"{format_duration(seconds)} from {clock(started_at)} would end at "
                f"{clock(end)}, which is still to come"
            )

    async def push(self) -> list[TimeEntry]:
        """Send what waits for its service now; the entries whose state changed."""
        return await self.sync.push_pending()


def default_start(
    day: date, seconds: int, entries: Iterable[TimeEntry], *, now: datetime
) -> datetime:
    """Where time given only as a length ("1h30m" on `day`) starts.

    Right after the day's last entry, or at 09:00 on a day without any, so entries
    logged this way do not overlap; on today it ends by now at the latest (and then
    an overlap is real, and flagged).
    """
    ends = [end_of(entry) for entry in entries if local_day(entry.started_at) == day]
    start = max(ends, default=utc(datetime.combine(day, WORKDAY_STARTS)))
    if day == local_day(now):
        latest = utc(now) - timedelta(seconds=seconds)
        start = max(min(start, latest), local_midnight(day))
    return start
