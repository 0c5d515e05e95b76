"""Time tracking: the running timer, the journal of time spent, and its sync to the services.

The journal is one SQLite file (`paths.journal_database()`). Every write is committed
before the method returns, so a `kill -9` loses nothing: a timer is on disk the moment
it starts and, in the next process, is still running from its original start. Times
are stored in UTC; days (report rows, `since`/`until`) are local dates.

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
import sqlite3
import uuid
from collections.abc import Awaitable, Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Literal

from tui.core import paths
from tui.core.errors import (
    ConfigError,
    Conflict,
    DatabaseError,
    NotFound,
    PermissionDenied,
    ProviderError,
    RateLimited,
    Unsupported,
    ValidationError,
)
from tui.core.models import SyncState, TimeEntry, TimeLog, Timer
from tui.core.provider import Capability, Provider
from tui.core.sqlite import open_database, transaction

log = logging.getLogger(__name__)

RETRY_FIRST = timedelta(minutes=1)
RETRY_MAX = timedelta(hours=1)
REFUSED_RETRY = timedelta(days=1)
"""A refusal rarely mends itself; once a day is enough to notice when it has."""
CLAIM_LEASE = timedelta(minutes=5)
"""How long a pass owns an entry it pushes; a pass killed midway frees it by expiring."""
WORKDAY_STARTS = time(9, 0)

_REFUSALS = (ValidationError, PermissionDenied, NotFound, Conflict, Unsupported)
"""The service understood and said no: trying again soon would get the same answer."""

_SCHEMA = """
CREATE TABLE timer (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    account TEXT NOT NULL,
    board_id TEXT NOT NULL,
    card_id TEXT NOT NULL,
    card_title TEXT NOT NULL,
    started_at TEXT NOT NULL,
    sync TEXT NOT NULL,
    remote_id TEXT
);
CREATE TABLE entries (
    id TEXT PRIMARY KEY,
    account TEXT NOT NULL,
    board_id TEXT NOT NULL,
    card_id TEXT NOT NULL,
    card_title TEXT NOT NULL,
    started_at TEXT NOT NULL,
    seconds INTEGER NOT NULL CHECK (seconds > 0),
    note TEXT NOT NULL DEFAULT '',
    sync TEXT NOT NULL,
    remote_id TEXT,
    sync_error TEXT,
    revision INTEGER NOT NULL DEFAULT 0,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT,
    claimed_until TEXT,
    in_doubt INTEGER NOT NULL DEFAULT 0,
    deleted INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX entries_by_start ON entries(started_at);
CREATE INDEX entries_to_push ON entries(sync, next_attempt_at);
"""
# timer: the one running timer; remote_id is the service's running timer (LIVE_TIMER).
# entries.revision: bumped by every edit, so a push marks SYNCED only what it sent.
# entries.in_doubt: a post may have landed; look before posting again.
# entries.deleted: a tombstone; the row goes once the service's log is deleted.

_DUE = (
    "sync IN ('pending', 'failed')"
    " AND (next_attempt_at IS NULL OR next_attempt_at <= :now)"
    " AND (claimed_until IS NULL OR claimed_until <= :now)"
)


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class CardRef:
    account: str
    board_id: str
    card_id: str
    card_title: str


@dataclass(frozen=True)
class _Work:
    """An entry a sync pass has claimed, with what the pass needs beyond the model."""

    entry: TimeEntry
    revision: int
    attempts: int
    in_doubt: bool
    deleted: bool


class TimeJournal:
    """The running timer and the journal of entries, in one SQLite file (paths: data_dir/journal.db).
    Every write is committed before the method returns (a kill -9 loses nothing)."""

    def __init__(self, path: Path | None = None, *, now: Callable[[], datetime] = _utc_now):
        self.path = path or paths.journal_database()
        self._now = now
        self._db = _open(self.path)

    def close(self) -> None:
        self._db.close()

    # --- the timer --------------------------------------------------------------------

    def running(self) -> Timer | None:
        with self._session() as db:
            row = db.execute("SELECT * FROM timer").fetchone()
        return _timer(row) if row else None

    def start(self, card: CardRef, *, sync: SyncState) -> tuple[Timer, TimeEntry | None]:
        """Start a timer on `card`; a timer already running (on any card) is stopped first and
        its entry returned. `sync` is the state the entries of this card's account start in
        (PENDING where the provider logs time, LOCAL where it does not)."""
        now = _utc(self._now())
        with self._session(write=True) as db:
            previous = _stop_timer(db, now)
            db.execute(
                "INSERT INTO timer (id, account, board_id, card_id, card_title, started_at, sync)"
                " VALUES (1, ?, ?, ?, ?, ?, ?)",
                (card.account, card.board_id, card.card_id, card.card_title, _stamp(now), sync),
            )
        timer = Timer(
            account=card.account,
            board_id=card.board_id,
            card_id=card.card_id,
            card_title=card.card_title,
            started_at=now,
        )
        return timer, previous

    def stop(self, *, end: datetime | None = None) -> TimeEntry | None:
        """Stop the running timer (at `end`, default now: "trim" passes an earlier end);
        None if none runs."""
        now = _utc(self._now())
        with self._session(write=True) as db:
            row = db.execute("SELECT started_at FROM timer").fetchone()
            if row is None:
                return None
            if end is not None:
                _check_end(_utc(end), _moment(row["started_at"]), now)
            return _stop_timer(db, _utc(end) if end is not None else now)

    # --- entries ----------------------------------------------------------------------

    def add(
        self, card: CardRef, started_at: datetime, seconds: int, note: str = "", *, sync: SyncState
    ) -> TimeEntry:
        _check_seconds(seconds)
        entry = TimeEntry(
            id=_new_id(),
            account=card.account,
            board_id=card.board_id,
            card_id=card.card_id,
            card_title=card.card_title,
            started_at=_utc(started_at),
            seconds=seconds,
            note=note,
            sync=sync,
        )
        with self._session(write=True) as db:
            _insert(db, entry)
        return entry

    def edit(
        self,
        entry_id: str,
        *,
        started_at: datetime | None = None,
        seconds: int | None = None,
        note: str | None = None,
    ) -> TimeEntry:
        """A synced entry that is edited becomes PENDING again (the change must reach the service).

        A FAILED or PENDING entry is queued to be tried at once; so `edit(entry_id)` with
        nothing changed is how to retry an entry now.
        """
        if seconds is not None:
            _check_seconds(seconds)
        with self._session(write=True) as db:
            entry = _entry(_live_row(db, entry_id))
            changed = entry.model_copy(
                update={
                    "started_at": _utc(started_at) if started_at is not None else entry.started_at,
                    "seconds": seconds if seconds is not None else entry.seconds,
                    "note": note if note is not None else entry.note,
                    "sync": SyncState.LOCAL if entry.sync is SyncState.LOCAL else SyncState.PENDING,
                    "sync_error": None,
                }
            )
            db.execute(
                "UPDATE entries SET started_at = ?, seconds = ?, note = ?, sync = ?,"
                " sync_error = NULL, attempts = 0, next_attempt_at = NULL,"
                " revision = revision + 1 WHERE id = ?",
                (_stamp(changed.started_at), changed.seconds, changed.note, changed.sync, entry_id),
            )
        return changed

    def delete(self, entry_id: str) -> None:
        """A synced entry is deleted on the service too at the next sync (tombstone), then here."""
        with self._session(write=True) as db:
            row = _live_row(db, entry_id)
            never_sent = row["remote_id"] is None and not row["in_doubt"]
            if row["sync"] == SyncState.LOCAL or never_sent:
                db.execute("DELETE FROM entries WHERE id = ?", (entry_id,))
                return
            db.execute(
                "UPDATE entries SET deleted = 1, sync = 'pending', sync_error = NULL, attempts = 0,"
                " next_attempt_at = NULL, revision = revision + 1 WHERE id = ?",
                (entry_id,),
            )

    def entries(self, *, since: date | None = None, until: date | None = None) -> list[TimeEntry]:
        """Oldest first; since/until are inclusive local dates of started_at."""
        clauses, values = ["deleted = 0"], []
        if since is not None:
            clauses.append("started_at >= ?")
            values.append(_stamp(_local_midnight(since)))
        if until is not None:
            clauses.append("started_at < ?")
            values.append(_stamp(_local_midnight(until + timedelta(days=1))))
        with self._session() as db:
            rows = db.execute(
                f"SELECT * FROM entries WHERE {' AND '.join(clauses)} ORDER BY started_at, id",
                values,
            ).fetchall()
        return [_entry(row) for row in rows]

    def overlapping(self, entries: Iterable[TimeEntry]) -> set[str]:
        """Ids of entries whose time overlaps another's (allowed, but flagged)."""
        ordered = sorted(entries, key=lambda entry: entry.started_at)
        flagged: set[str] = set()
        for index, entry in enumerate(ordered):
            end = _end(entry)
            # Later entries start no earlier: each one starting before `end` overlaps.
            for later in ordered[index + 1 :]:
                if later.started_at >= end:
                    break
                flagged |= {entry.id, later.id}
        return flagged

    # --- for TimeSync -----------------------------------------------------------------

    def _entry(self, entry_id: str) -> TimeEntry | None:
        with self._session() as db:
            row = db.execute(
                "SELECT * FROM entries WHERE id = ? AND deleted = 0", (entry_id,)
            ).fetchone()
        return _entry(row) if row else None

    def _due(self, now: datetime) -> list[str]:
        with self._session() as db:
            rows = db.execute(
                f"SELECT id FROM entries WHERE {_DUE} ORDER BY started_at, id",
                {"now": _stamp(now)},
            ).fetchall()
        return [row["id"] for row in rows]

    def _claim(self, entry_id: str, now: datetime) -> _Work | None:
        """Take the entry for one push, if it is due and nobody else has it."""
        with self._session(write=True) as db:
            claimed = db.execute(
                f"UPDATE entries SET claimed_until = :until WHERE id = :id AND {_DUE}",
                {"id": entry_id, "now": _stamp(now), "until": _stamp(now + CLAIM_LEASE)},
            ).rowcount
            if not claimed:
                return None
            row = db.execute("SELECT * FROM entries WHERE id = ?", (entry_id,)).fetchone()
        return _Work(
            entry=_entry(row),
            revision=row["revision"],
            attempts=row["attempts"],
            in_doubt=bool(row["in_doubt"]),
            deleted=bool(row["deleted"]),
        )

    def _remote_ids(self, account: str) -> set[str]:
        """The service ids the journal already owns, tombstones included."""
        with self._session() as db:
            rows = db.execute(
                "SELECT remote_id FROM entries WHERE account = ? AND remote_id IS NOT NULL",
                (account,),
            ).fetchall()
        return {row["remote_id"] for row in rows}

    def _set_remote_id(self, entry_id: str, remote_id: str | None) -> None:
        """The log found after a lost answer, or none when the service no longer has it."""
        with self._session(write=True) as db:
            db.execute(
                "UPDATE entries SET remote_id = ?, in_doubt = 0 WHERE id = ?",
                (remote_id, entry_id),
            )

    def _posting(self, entry_id: str) -> bool:
        """Mark the entry in doubt before its log is posted; False if it was deleted meanwhile."""
        with self._session(write=True) as db:
            return bool(
                db.execute(
                    "UPDATE entries SET in_doubt = 1 WHERE id = ? AND deleted = 0", (entry_id,)
                ).rowcount
            )

    def _synced(self, work: _Work, remote_id: str) -> None:
        """Logged: SYNCED, unless the entry was edited or deleted while it was sent."""
        with self._session(write=True) as db:
            db.execute(
                "UPDATE entries SET remote_id = ?, in_doubt = 0, attempts = 0, sync_error = NULL,"
                " next_attempt_at = NULL, claimed_until = NULL,"
                " sync = CASE WHEN revision = ? AND deleted = 0 THEN 'synced' ELSE 'pending' END"
                " WHERE id = ?",
                (remote_id, work.revision, work.entry.id),
            )

    def _kept_local(self, work: _Work) -> None:
        """The account's service keeps no time (any more): the entry lives here only."""
        with self._session(write=True) as db:
            db.execute(
                "UPDATE entries SET sync = 'local', sync_error = NULL, next_attempt_at = NULL,"
                " claimed_until = NULL WHERE id = ?",
                (work.entry.id,),
            )

    def _forget(self, work: _Work) -> None:
        """A tombstone whose log is gone from the service (or never reached one)."""
        with self._session(write=True) as db:
            db.execute("DELETE FROM entries WHERE id = ?", (work.entry.id,))

    def _failed(
        self, work: _Work, error: str, state: SyncState, retry_at: datetime, *, refused: bool
    ) -> None:
        """Record a failed attempt. A refused post did not land; a refused delete brings
        the entry back, FAILED, so the user sees that its log is still on the service."""
        with self._session(write=True) as db:
            db.execute(
                "UPDATE entries SET sync = ?, sync_error = ?, attempts = attempts + 1,"
                " next_attempt_at = ?, claimed_until = NULL,"
                " in_doubt = CASE WHEN ? THEN 0 ELSE in_doubt END,"
                " deleted = CASE WHEN ? THEN 0 ELSE deleted END"
                " WHERE id = ? AND revision = ?",
                (state, error, _stamp(retry_at), refused, refused, work.entry.id, work.revision),
            )
            # Edited while it failed: the edit queued it again, only the claim is ours.
            db.execute("UPDATE entries SET claimed_until = NULL WHERE id = ?", (work.entry.id,))

    def _attach_tracker(self, timer: Timer, remote_id: str) -> bool:
        """Remember the service's running timer; False if this timer has stopped meanwhile."""
        with self._session(write=True) as db:
            return bool(
                db.execute(
                    "UPDATE timer SET remote_id = ? WHERE account = ? AND card_id = ?"
                    " AND started_at = ?",
                    (remote_id, timer.account, timer.card_id, _stamp(timer.started_at)),
                ).rowcount
            )

    # --- the database -----------------------------------------------------------------

    @contextmanager
    def _session(self, *, write: bool = False) -> Iterator[sqlite3.Connection]:
        """One transaction, committed when the block ends; IMMEDIATE when it writes."""
        try:
            with transaction(self._db, write=write) as db:
                yield db
        except sqlite3.Error as error:
            raise DatabaseError(f"time journal {self.path}: {error}") from error


class TimeSync:
    """Pushes journal entries to the services that log time. Never drops, never duplicates."""

    def __init__(
        self,
        journal: TimeJournal,
        provider_for: Callable[[str], Awaitable[Provider]],
        *,
        now: Callable[[], datetime] = _utc_now,
    ):
        self._journal = journal
        self._provider_for = provider_for
        self._now = now

    async def push_pending(self) -> list[TimeEntry]:
        """One pass over entries that are PENDING or FAILED and due for a retry (exponential backoff
        kept per entry in the journal); returns the entries whose state changed."""
        changed = []
        for entry_id in self._journal._due(_utc(self._now())):
            work = self._journal._claim(entry_id, _utc(self._now()))
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
        work = self._journal._claim(entry.id, _utc(self._now()))
        if work is not None:
            await self._push(work, stopping=True)
        return self._journal._entry(entry.id) or entry

    # --- one push ---------------------------------------------------------------------

    async def _push(self, work: _Work, *, stopping: bool = False) -> TimeEntry | None:
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
            else:
                remote_id = await self._log(provider, work, stopping=stopping)
                if remote_id is not None:
                    self._journal._synced(work, remote_id)
        except (ProviderError, ConfigError) as error:
            self._record_failure(work, error)
        return self._journal._entry(entry.id)

    async def _log(self, provider: Provider, work: _Work, *, stopping: bool) -> str | None:
        """Make the service's log match the entry; its id, or None if the entry went meanwhile."""
        entry = work.entry
        minutes, day, note = _minutes(entry.seconds), _day(entry.started_at), _marked_note(entry)
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

    async def _unlog(self, provider: Provider, work: _Work) -> None:
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
        wanted = (_minutes(entry.seconds), _day(entry.started_at))
        return next((t for t in logs if t.id not in owned and (t.minutes, t.day) == wanted), None)

    def _record_failure(self, work: _Work, error: ProviderError | ConfigError) -> None:
        now = _utc(self._now())
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


# --- reports --------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportRow:
    key: str
    """What the row groups by, unique among the rows: "2026-11-20", an account name,
    "account/board_id", or "account/board_id/card_id" (ids alone may repeat across accounts)."""
    label: str
    """What to show: the day, the card title, the board, the account."""
    seconds: int
    entries: int


ReportBy = Literal["day", "card", "board", "account"]


def report(entries: Iterable[TimeEntry], by: ReportBy) -> list[ReportRow]:
    """Totals per group: days in order, anything else most time first."""
    groups: dict[str, list[TimeEntry]] = {}
    for entry in entries:
        groups.setdefault(_report_key(entry, by), []).append(entry)
    rows = [
        ReportRow(
            key=key,
            label=_report_label(group, by),
            seconds=sum(entry.seconds for entry in group),
            entries=len(group),
        )
        for key, group in groups.items()
    ]
    if by == "day":
        return sorted(rows, key=lambda row: row.key)
    return sorted(rows, key=lambda row: (-row.seconds, row.label, row.key))


def _report_key(entry: TimeEntry, by: ReportBy) -> str:
    match by:
        case "day":
            return _day(entry.started_at).isoformat()
        case "account":
            return entry.account
        case "board":
            return f"{entry.account}/{entry.board_id}"
        case "card":
            return f"{entry.account}/{entry.board_id}/{entry.card_id}"
    raise ValueError(f"cannot report by {by!r}: expected day, card, board or account")


def _report_label(group: list[TimeEntry], by: ReportBy) -> str:
    first = group[0]
    match by:
        case "day":
            return _day(first.started_at).strftime("%a %Y-%m-%d")
        case "account":
            return first.account
        case "board":
            return f"board {first.board_id} ({first.account})"
        case _:  # a card renamed over time is shown by its latest title
            return max(group, key=lambda entry: entry.started_at).card_title


def default_start(
    day: date, seconds: int, entries: Iterable[TimeEntry], *, now: datetime
) -> datetime:
    """Where time given only as a length ("1h30m" on `day`) starts.

    Right after the day's last entry, or at 09:00 on a day without any, so entries
    logged this way do not overlap; on today it ends by now at the latest (and then
    an overlap is real, and flagged).
    """
    ends = [_end(entry) for entry in entries if _day(entry.started_at) == day]
    start = max(ends, default=_utc(datetime.combine(day, WORKDAY_STARTS)))
    if day == _day(now):
        latest = _utc(now) - timedelta(seconds=seconds)
        start = max(min(start, latest), _local_midnight(day))
    return start


# --- helpers --------------------------------------------------------------------------


def _open(path: Path) -> sqlite3.Connection:
    """Open (or create) the journal; a file that is not ours, or newer, is left alone."""
    # The journal is used from worker threads too; every use holds `_session`'s lock.
    return open_database(
        path, what="time journal", migrations=[_SCHEMA], durable=True, check_same_thread=False
    )


def _stop_timer(db: sqlite3.Connection, end: datetime) -> TimeEntry | None:
    """Turn the running timer, if any, into an entry ending at `end`."""
    row = db.execute("SELECT * FROM timer").fetchone()
    if row is None:
        return None
    started_at = _moment(row["started_at"])
    entry = TimeEntry(
        id=_new_id(),
        account=row["account"],
        board_id=row["board_id"],
        card_id=row["card_id"],
        card_title=row["card_title"],
        started_at=started_at,
        # A timer stopped the instant it started still happened: never zero.
        seconds=max(1, round((end - started_at).total_seconds())),
        sync=SyncState(row["sync"]),
        remote_id=row["remote_id"],
    )
    _insert(db, entry)
    db.execute("DELETE FROM timer")
    return entry


def _insert(db: sqlite3.Connection, entry: TimeEntry) -> None:
    db.execute(
        "INSERT INTO entries (id, account, board_id, card_id, card_title, started_at, seconds,"
        " note, sync, remote_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            entry.id,
            entry.account,
            entry.board_id,
            entry.card_id,
            entry.card_title,
            _stamp(entry.started_at),
            entry.seconds,
            entry.note,
            entry.sync,
            entry.remote_id,
        ),
    )


def _live_row(db: sqlite3.Connection, entry_id: str) -> sqlite3.Row:
    row = db.execute("SELECT * FROM entries WHERE id = ? AND deleted = 0", (entry_id,)).fetchone()
    if row is None:
        raise ValueError(f"no time entry {entry_id!r} (deleted meanwhile?)")
    return row


def _timer(row: sqlite3.Row) -> Timer:
    return Timer(
        account=row["account"],
        board_id=row["board_id"],
        card_id=row["card_id"],
        card_title=row["card_title"],
        started_at=_moment(row["started_at"]),
    )


def _entry(row: sqlite3.Row) -> TimeEntry:
    return TimeEntry(
        id=row["id"],
        account=row["account"],
        board_id=row["board_id"],
        card_id=row["card_id"],
        card_title=row["card_title"],
        started_at=_moment(row["started_at"]),
        seconds=row["seconds"],
        note=row["note"],
        sync=SyncState(row["sync"]),
        remote_id=row["remote_id"],
        sync_error=row["sync_error"],
    )


def _check_seconds(seconds: int) -> None:
    if seconds <= 0:
        raise ValueError(f"a time entry must last longer than zero (got {seconds} s)")


def _check_end(end: datetime, started_at: datetime, now: datetime) -> None:
    if end <= started_at:
        raise ValueError(
            f"the timer started at {_clock(started_at)}: "
            f"it cannot end at {_clock(end)}, before that"
        )
    if end > now:
        raise ValueError(f"the timer cannot end at {_clock(end)}, which is still to come")


def _clock(moment: datetime) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def _new_id() -> str:
    return uuid.uuid4().hex[:12]


def _marker(entry_id: str) -> str:
    return f"[cardboard:{entry_id}]"


def _marked_note(entry: TimeEntry) -> str:
    """The note as the service gets it: with the marker that lets a retry find the log."""
    return f"{entry.note} {_marker(entry.id)}".strip()


def _minutes(seconds: int) -> int:
    """Services log whole minutes, and none takes zero."""
    return max(1, round(seconds / 60))


def _end(entry: TimeEntry) -> datetime:
    return entry.started_at + timedelta(seconds=entry.seconds)


def _backoff(attempts: int) -> timedelta:
    return min(RETRY_MAX, RETRY_FIRST * 2 ** min(attempts - 1, 16))


def _utc(moment: datetime) -> datetime:
    """UTC; a naive datetime is taken as local time."""
    return moment.astimezone(UTC)


def _day(moment: datetime) -> date:
    return moment.astimezone().date()


def _local_midnight(day: date) -> datetime:
    return _utc(datetime.combine(day, time.min))


def _stamp(moment: datetime) -> str:
    """One fixed-width form, so that text order is time order in SQL."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _moment(text: str) -> datetime:
    return datetime.fromisoformat(text)


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
