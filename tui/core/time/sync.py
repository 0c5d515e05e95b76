"""Sending journal entries to the services that log time; never dropped, never twice.

`TimeSync` pushes entries to the services that log time (Kaiten time-logs, KanbanTool
time trackers). It never drops an entry and never logs one twice:

- The service's id for the log is remembered; later edits update that log, and a
  deleted entry stays as a tombstone until its log is deleted on the service.
- Before a log is posted the entry is marked in doubt (committed). A post whose answer
  never came (a dropped connection, a 5xx, a kill) leaves that mark, and the next
  attempt lists the card's logs before posting again: a log whose note carries the
  entry's marker `[cardboard:<entry id>]` is the one that landed. KanbanTool trackers
  keep no note; there, the log of the same day and length that no other entry owns is.
- A transient failure (the service down, a rate limit, a rejected token, an account
  missing from the config) keeps the entry PENDING, retried 1, 2, 4 ... minutes later,
  at most an hour apart. A refusal (the service answered 4xx: invalid, forbidden, the
  card gone) marks it FAILED with the service's message; it is retried once a day, and
  at once when the user edits it (`edit(entry_id)` with no changes is "retry now").
- A pass claims each entry it pushes for a few minutes, so the TUI and the CLI never
  push the same entry at the same time.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from contextlib import suppress
from datetime import datetime, timedelta

from tui.core.errors import (
    ConfigError,
    Conflict,
    NotFound,
    PermissionDenied,
    ProviderError,
    RateLimited,
    Unsupported,
    ValidationError,
)
from tui.core.models import SyncState, TimeEntry, TimeLog, Timer
from tui.core.provider import Capability, Provider
from tui.core.time.journal import TimeJournal, Work
from tui.core.time.moments import local_day, utc, utc_now
from tui.core.time.rounding import Rounding, service_minutes

log = logging.getLogger(__name__)

RETRY_FIRST = timedelta(minutes=1)
RETRY_MAX = timedelta(hours=1)
REFUSED_RETRY = timedelta(days=1)
"""A refusal rarely mends itself; once a day is enough to notice when it has."""

_REFUSALS = (ValidationError, PermissionDenied, NotFound, Conflict, Unsupported)
"""The service understood and said no: trying again soon would get the same answer."""


class TimeSync:
    """Pushes journal entries to the services that log time. Never drops, never duplicates."""

    def __init__(
        self,
        journal: TimeJournal,
        provider_for: Callable[[str], Awaitable[Provider]],
        *,
        now: Callable[[], datetime] = utc_now,
        rounding: Rounding = "nearest",
    ):
        self._journal = journal
        self._provider_for = provider_for
        self._now = now
        self._rounding = rounding
        """How seconds become the service's minutes (tui.core.time.rounding)."""

    async def push_pending(self) -> list[TimeEntry]:
        """One pass over entries that are PENDING or FAILED and due for a retry (exponential backoff
        kept per entry in the journal); returns the entries whose state changed."""
        changed = []
        for entry_id in self._journal._due(utc(self._now())):
            work = self._journal._claim(entry_id, utc(self._now()))
            if work is None:  # another pass (the CLI, another window) took it
                continue
            after = await self._push(work)
            if after is not None and after != work.entry:
                changed.append(after)
        return changed

    async def timer_started(self, timer: Timer) -> None:
        """Where the provider has LIVE_TIMER (KanbanTool), start its timer too (remember its id).

        A failure is logged and otherwise ignored: the timer runs here all the same, and
        its entry is logged on the service when it stops.
        """
        try:
            provider = await self._provider_for(timer.account)
            if not provider.supports(Capability.LIVE_TIMER):
                return
            tracker_id = await provider.start_timer(timer.board_id, timer.card_id)
            if not self._journal._attach_tracker(timer, tracker_id):
                # Stopped while the service was starting its timer: the entry is logged
                # on its own, so this tracker would count the time twice.
                await provider.delete_time_log(timer.board_id, timer.card_id, tracker_id)
        except (ProviderError, ConfigError) as error:
            log.warning("%s: the service's timer did not start: %s", timer.account, error)

    async def timer_stopped(self, entry: TimeEntry) -> TimeEntry:
        """Stop the service's timer (LIVE_TIMER: the entry's remote_id is the tracker's) or queue
        the log (TIME_LOGGING) and try to push it now; returns the entry with its new state."""
        work = self._journal._claim(entry.id, utc(self._now()))
        if work is not None:
            await self._push(work, stopping=True)
        return self._journal._entry(entry.id) or entry

    # --- one push ---------------------------------------------------------------------

    async def _push(self, work: Work, *, stopping: bool = False) -> TimeEntry | None:
        """One attempt at one claimed entry; the entry as it is afterwards (None once deleted)."""
        entry = work.entry
        try:
            provider = await self._provider_for(entry.account)
            logs_time = provider.supports(Capability.TIME_LOGGING)
            if work.deleted:
                if logs_time:
                    await self._unlog(provider, work)
                self._journal._forget(work)
            elif not logs_time:
                self._journal._kept_local(work)
            elif self._minutes(entry) == 0:  # under a minute: never sent as one
                await self._unlog(provider, work)
                self._journal._kept_local(work)
            else:
                remote_id = await self._log(provider, work, stopping=stopping)
                if remote_id is not None:
                    self._journal._synced(work, remote_id)
        except (ProviderError, ConfigError) as error:
            self._record_failure(work, error)
        return self._journal._entry(entry.id)

    async def _log(self, provider: Provider, work: Work, *, stopping: bool) -> str | None:
        """Make the service's log match the entry; its id, or None if the entry went meanwhile."""
        entry = work.entry
        minutes, day, note = (
            self._minutes(entry),
            local_day(entry.started_at),
            _marked_note(entry),
        )
        remote_id = entry.remote_id
        if remote_id is None and work.in_doubt:
            landed = await self._landed(provider, entry)
            if landed is not None:
                self._journal._set_remote_id(entry.id, landed.id)
                if (landed.minutes, landed.day) == (minutes, day):
                    return landed.id
                remote_id = landed.id
        if remote_id is not None:
            try:
                if stopping and provider.supports(Capability.LIVE_TIMER):
                    stopped = await provider.stop_timer(entry.board_id, entry.card_id, remote_id)
                    if (stopped.minutes, stopped.day) == (minutes, day):
                        return remote_id
                await provider.update_time_log(
                    entry.board_id, entry.card_id, remote_id, minutes, day, note
                )
                return remote_id
            except NotFound:  # deleted on the service: log it again rather than lose it
                self._journal._set_remote_id(entry.id, None)
        if not self._journal._posting(entry.id):
            return None
        return await provider.log_time(entry.board_id, entry.card_id, minutes, day, note)

    async def _unlog(self, provider: Provider, work: Work) -> None:
        entry = work.entry
        remote_id = entry.remote_id
        if remote_id is None and work.in_doubt:
            landed = await self._landed(provider, entry)
            remote_id = landed.id if landed else None
        if remote_id is not None:
            with suppress(NotFound):  # already gone, which is what was wanted
                await provider.delete_time_log(entry.board_id, entry.card_id, remote_id)

    async def _landed(self, provider: Provider, entry: TimeEntry) -> TimeLog | None:
        """The log an earlier post made although its answer was lost, if it did land."""
        logs = await provider.list_time_logs(entry.board_id, entry.card_id)
        marker = _marker(entry.id)
        for time_log in logs:
            if marker in time_log.note:
                return time_log
        # The one service with live timers (KanbanTool) keeps no note on its trackers.
        if not provider.supports(Capability.LIVE_TIMER):
            return None
        owned = self._journal._remote_ids(entry.account)
        wanted = (self._minutes(entry), local_day(entry.started_at))
        return next((t for t in logs if t.id not in owned and (t.minutes, t.day) == wanted), None)

    def _minutes(self, entry: TimeEntry) -> int:
        return service_minutes(entry.seconds, self._rounding)

    def _record_failure(self, work: Work, error: ProviderError | ConfigError) -> None:
        now = utc(self._now())
        refused = isinstance(error, _REFUSALS)
        if refused:
            state, retry_at = SyncState.FAILED, now + REFUSED_RETRY
        else:
            state, retry_at = SyncState.PENDING, now + _backoff(work.attempts + 1)
            if isinstance(error, RateLimited) and error.retry_after:
                retry_at = max(retry_at, now + timedelta(seconds=error.retry_after))
        message = str(error)
        if refused and work.deleted:
            message = f"still on the service, which refused to delete it: {message}"
        log.info("time entry %s not synced: %s", work.entry.id, message)
        self._journal._failed(work, message, state, retry_at, refused=refused)


def _marker(entry_id: str) -> str:
    return f"[cardboard:{entry_id}]"


def _marked_note(entry: TimeEntry) -> str:
    """The note as the service gets it: with the marker that lets a retry find the log."""
    return f"{entry.note} {_marker(entry.id)}".strip()


def _backoff(attempts: int) -> timedelta:
    doubled: timedelta = RETRY_FIRST * 2 ** min(attempts - 1, 16)
    return min(RETRY_MAX, doubled)


class AccountProviders:
    """The provider for an account's time: the open account's own, others connected once.

    TimeSync pushes entries of every account, not just the one open; the app and the
    CLI both hand it one of these as `provider_for`.
    """

    def __init__(self, current: Callable[[], Provider | None], connect: Callable[[str], Provider]):
        self._current = current
        self._connect = connect
        self._others: dict[str, Provider] = {}

    async def __call__(self, account: str) -> Provider:
        current = self._current()
        if current is not None and current.connection.account == account:
            return current
        if account not in self._others:
            # A token_cmd may take seconds: resolve it off the event loop.
            self._others[account] = await asyncio.to_thread(self._connect, account)
        return self._others[account]

    async def aclose(self) -> None:
        for provider in self._others.values():
            await provider.aclose()
        self._others.clear()
