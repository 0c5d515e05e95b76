"""Due dates as people type them in a hurry (`today`, `fri`, `+3d`), and read them.

Triage asks for a due date in one short line, so the forms people use in chat work:
- `today`, `tomorrow` (or `tod`, `tom`);
- a weekday (`mon` ... `sun`, or the full name): the next such day AFTER today, so
  typing `fri` on a Friday means a week from now (`today` is there for today);
- `+N` with a unit `d`, `w` or `m` (days, weeks, months: `+3d`, `+2w`, `+1m`);
  a bare `+N` is days;
- an ISO date `2026-12-24`, or `12-24` for the next 24 December from today on;
- `none`, `-` or an empty line: no due date.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

_WEEKDAYS = {name.lower(): index for index, name in enumerate(calendar.day_name)}
_OFFSET = re.compile(r"\+(\d{1,4})([dwm]?)")
_MONTH_DAY = re.compile(r"(\d{1,2})-(\d{1,2})")
_CLEAR = {"", "-", "none", "no", "clear"}

EXAMPLES = "today, tomorrow, fri, +3d, +2w, 2026-12-24, 12-24 or none"


def parse_due(text: str, today: date) -> date | None:
    """The date `text` means, seen from `today`; None clears the due date.

    Raises ValueError with a one-line message naming what was typed and what works.
    """
    word = text.strip().lower()
    if word in _CLEAR:
        return None
    if word in ("today", "tod"):
        return today
    if word in ("tomorrow", "tom"):
        return today + timedelta(days=1)
    weekday = _weekday(word)
    if weekday is not None:
        return today + timedelta(days=(weekday - today.weekday() - 1) % 7 + 1)
    if offset := _OFFSET.fullmatch(word):
        return _add(today, int(offset.group(1)), offset.group(2) or "d")
    if month_day := _MONTH_DAY.fullmatch(word):
        return _next_month_day(today, int(month_day.group(1)), int(month_day.group(2)), text)
    try:
        return date.fromisoformat(word)
    except ValueError:
        raise ValueError(f"{text.strip()!r} is not a due date: try {EXAMPLES}") from None


def _weekday(word: str) -> int | None:
    """Monday is 0; a prefix of three letters or more names a day (`wed`, `thurs`)."""
    if len(word) < 3:
        return None
    found = [index for name, index in _WEEKDAYS.items() if name.startswith(word)]
    return found[0] if len(found) == 1 else None


def _add(today: date, count: int, unit: str) -> date:
    if unit == "d":
        return today + timedelta(days=count)
    if unit == "w":
        return today + timedelta(weeks=count)
    months = today.month - 1 + count
    year, month = today.year + months // 12, months % 12 + 1
    # The 31st plus a month lands on the month's last day, as calendars do.
    return date(year, month, min(today.day, calendar.monthrange(year, month)[1]))


def _next_month_day(today: date, month: int, day: int, text: str) -> date:
    for year in (today.year, today.year + 1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            raise ValueError(f"{text.strip()!r} is not a date: month-day, e.g. 12-24") from None
        if candidate >= today:
            return candidate
    raise AssertionError("unreachable: next year's date is always after today")


def due_words(due: date, today: date) -> str:
    """How far away a due date is, in words, so "overdue" never rests on colour alone."""
    days = (due - today).days
    if days < 0:
        return f"overdue by {_days(-days)}"
    if days == 0:
        return "due today"
    return f"due in {_days(days)}"


def _days(count: int) -> str:
    return "1 day" if count == 1 else f"{count} days"
