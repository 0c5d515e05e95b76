"""Moments and days as the journal keeps them: UTC on disk, local dates for people.

Times are stored in UTC; days (report rows, `since`/`until`, "the day's last entry")
are the machine's local dates.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from tui.core.models import TimeEntry

WORKDAY_STARTS = time(9, 0)
"""Where time logged as a bare length starts on a day that has no entry yet."""


def utc_now() -> datetime:
    return datetime.now(UTC)


def utc(moment: datetime) -> datetime:
    """UTC; a naive datetime is taken as local time."""
    return moment.astimezone(UTC)


def whole_second(moment: datetime) -> datetime:
    """Timers start and stop on whole seconds: an entry's end is then exact."""
    return moment.replace(microsecond=0)


def local_day(moment: datetime) -> date:
    return moment.astimezone().date()


def local_midnight(day: date) -> datetime:
    return utc(datetime.combine(day, time.min))


def end_of(entry: TimeEntry) -> datetime:
    return entry.started_at + timedelta(seconds=entry.seconds)


def stamp(moment: datetime) -> str:
    """One fixed-width form, so that text order is time order in SQL."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def moment(text: str) -> datetime:
    return datetime.fromisoformat(text)


def clock(moment: datetime) -> str:
    """How a moment reads in a message: local, to the minute."""
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")
