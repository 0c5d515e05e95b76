"""Short due-date input for triage: what each form means, seen from a fixed day."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.core.due_input import parse_due

FRIDAY = date(2026, 11, 20)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("today", FRIDAY),
        (" Today ", FRIDAY),
        ("tod", FRIDAY),
        ("tomorrow", date(2026, 11, 21)),
        ("tom", date(2026, 11, 21)),
        ("mon", date(2026, 11, 23)),
        ("monday", date(2026, 11, 23)),
        ("thurs", date(2026, 11, 26)),
        ("fri", date(2026, 11, 27)),  # on a Friday, "fri" is next week's
        ("sat", date(2026, 11, 21)),
        ("+3d", date(2026, 11, 23)),
        ("+3", date(2026, 11, 23)),
        ("+2w", date(2026, 12, 4)),
        ("+1m", date(2026, 12, 20)),
        ("+2m", date(2027, 1, 20)),
        ("2026-12-24", date(2026, 12, 24)),
        ("12-24", date(2026, 12, 24)),
        ("11-20", FRIDAY),
        ("11-19", date(2027, 11, 19)),
        ("none", None),
        ("-", None),
        ("", None),
    ],
)
def test_each_short_form_means_one_day(text: str, expected: date | None):
    assert parse_due(text, FRIDAY) == expected


def test_a_month_later_than_the_31st_is_the_months_last_day():
    assert parse_due("+1m", date(2027, 1, 31)) == date(2027, 2, 28)


@pytest.mark.parametrize("text", ["someday", "t", "+3x", "2026-13-01", "13-40", "fr1", "s"])
def test_what_is_not_a_date_says_what_works(text: str):
    with pytest.raises(ValueError, match=r"try today, tomorrow, fri|is not a date") as caught:
        parse_due(text, FRIDAY)
    assert "\n" not in str(caught.value)


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)), st.integers(0, 6))
def test_a_weekday_is_always_within_the_next_seven_days_and_that_weekday(today, weekday):
    name = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"][weekday]
    due = parse_due(name, today)
    assert due is not None and due.weekday() == weekday
    assert today < due <= today + timedelta(days=7)
