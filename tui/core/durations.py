"""Lengths of time as people type and read them: "1h30m", "90m", "1.5h", "1:30", "13:00-14:30".

Every parser raises ValueError with one line saying what it expected, which the CLI
prints as a usage error and a form shows under its field.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, tzinfo

DURATION_EXAMPLES = "e.g. 1h30m, 90m, 1.5h or 1:30"
SPAN_EXAMPLE = "e.g. 13:00-14:30"
LONGEST = 366 * 24 * 3600
"""No duration is longer than a year: beyond it a date could not even hold its end."""

_UNIT_SECONDS = {"h": 3600, "m": 60, "s": 1}
_UNITS = re.compile(r"\s*(\d+(?:[.,]\d+)?)\s*([hms])\s*")
_CLOCK_LENGTH = re.compile(r"(\d+):([0-5]\d)")
_MINUTES = re.compile(r"\d+")
_SPAN = re.compile(r"\s*(\d{1,2})(?::(\d\d))?\s*[-–]\s*(\d{1,2})(?::(\d\d))?\s*")


def parse_duration(text: str) -> int:
    """Seconds from "1h30m", "1h 30m", "90m", "1.5h", "45s", "1:30" (h:mm) or "90" (minutes)."""
    cleaned = text.strip().lower()
    if clock := _CLOCK_LENGTH.fullmatch(cleaned):
        seconds = int(clock[1]) * 3600 + int(clock[2]) * 60
    elif _MINUTES.fullmatch(cleaned):
        seconds = int(cleaned) * 60
    else:
        seconds = _unit_seconds(cleaned, text)
    if seconds <= 0:
        raise ValueError(f"{text.strip()!r} is no time at all: a duration must be longer than zero")
    if seconds > LONGEST:
        raise ValueError(f"{text.strip()!r} is longer than a year: no entry lasts that long")
    return seconds


def _unit_seconds(cleaned: str, text: str) -> int:
    """ "1h30m" and the like: numbers with units, each unit at most once."""
    parts = _UNITS.findall(cleaned)
    units = [unit for _, unit in parts]
    if not parts or _UNITS.sub("", cleaned) or len(set(units)) != len(units):
        raise ValueError(f"{text.strip()!r} is not a duration: expected {DURATION_EXAMPLES}")
    total = sum(float(number.replace(",", ".")) * _UNIT_SECONDS[unit] for number, unit in parts)
    if total > LONGEST:  # also what no float holds (inf), which round() cannot take
        raise ValueError(f"{text.strip()!r} is longer than a year: no entry lasts that long")
    return round(total)


def parse_span(text: str, day: date, tz: tzinfo | None) -> tuple[datetime, int]:
    """The start (aware, in `tz`) and length in seconds of "13:00-14:30" on `day`.

    `tz` None is the machine's local time, with the offset it has on `day`. A span
    ends after it starts on the same day: "22:00-01:00" is refused rather than
    guessed to cross midnight.
    """
    match = _SPAN.fullmatch(text)
    if match is None:
        raise ValueError(f"{text.strip()!r} is not a time span: expected {SPAN_EXAMPLE}")
    started = _on(day, _clock_time(match[1], match[2], text), tz)
    ended = _on(day, _clock_time(match[3], match[4], text), tz)
    # Subtract in UTC: aware datetimes sharing a tzinfo subtract as wall clocks, and
    # a span across a DST change is an hour longer or shorter than its wall clock says.
    seconds = round((ended.astimezone(UTC) - started.astimezone(UTC)).total_seconds())
    if seconds <= 0:
        raise ValueError(f"{text.strip()!r} ends before it starts: expected {SPAN_EXAMPLE}")
    return started, seconds


def _clock_time(hours: str, minutes: str | None, text: str) -> time:
    try:
        return time(int(hours), int(minutes or 0))
    except ValueError:
        problem = f"{text.strip()!r} has no such time of day"
        raise ValueError(f"{problem}: expected {SPAN_EXAMPLE}") from None


def _on(day: date, clock: time, tz: tzinfo | None) -> datetime:
    if tz is None:  # a naive time becomes local with the offset of its own date (DST)
        return datetime.combine(day, clock).astimezone()
    return datetime.combine(day, clock, tzinfo=tz)


def parse_duration_or_span(text: str, day: date, tz: tzinfo | None) -> tuple[datetime | None, int]:
    """What a "time spent" field takes: a span gives its start, a bare duration none."""
    if "-" in text or "–" in text:
        return parse_span(text, day, tz)
    return None, parse_duration(text)


def format_duration(seconds: int) -> str:
    """ "1h 30m", "2h", "45m"; under a minute "40s". Minutes are whole: the rest is dropped."""
    if seconds < 0:
        raise ValueError(f"a duration cannot be negative ({seconds} s)")
    if seconds < 60:
        return f"{seconds}s"
    hours, minutes = divmod(seconds // 60, 60)
    if not hours:
        return f"{minutes}m"
    return f"{hours}h {minutes}m" if minutes else f"{hours}h"
