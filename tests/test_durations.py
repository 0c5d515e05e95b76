"""Durations and spans as people type them, and durations as the app shows them."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.support.time import local_timezone
from tui.core.durations import (
    format_duration,
    parse_duration,
    parse_duration_or_span,
    parse_span,
)

DAY = date(2026, 11, 20)
BERLIN = "CET-1CEST,M3.5.0,M10.5.0/3"
"""Central European time as a POSIX TZ rule: DST without the tz database."""


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("1h30m", 5400),
        ("1h 30m", 5400),
        (" 2H ", 7200),
        ("90m", 5400),
        ("1.5h", 5400),
        ("1,5h", 5400),
        ("1:30", 5400),
        ("0:05", 300),
        ("90", 5400),
        ("45s", 45),
        ("1h2m3s", 3723),
    ],
)
def test_durations_people_type(text: str, seconds: int):
    assert parse_duration(text) == seconds


@pytest.mark.parametrize(
    "text", ["", "abc", "1h1h", "1h30", "1:75", "h", "1.5", "1x", "-5m", "1h -30m"]
)
def test_what_is_not_a_duration_says_what_was_expected(text: str):
    with pytest.raises(
        ValueError, match=r"is not a duration: expected e\.g\. 1h30m, 90m"
    ) as caught:
        parse_duration(text)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize("text", ["0m", "0", "0:00", "0h0m"])
def test_no_time_at_all_is_refused(text: str):
    with pytest.raises(ValueError, match="must be longer than zero"):
        parse_duration(text)


def test_a_span_gives_its_start_and_length():
    started, seconds = parse_span("13:00-14:30", DAY, UTC)
    assert (started, seconds) == (datetime(2026, 11, 20, 13, 0, tzinfo=UTC), 5400)


def test_a_span_is_read_in_the_given_timezone():
    tokyo = timezone(timedelta(hours=9))
    started, seconds = parse_span("9 – 17:15", DAY, tokyo)
    assert started == datetime(2026, 11, 20, 0, 0, tzinfo=UTC)
    assert seconds == 8 * 3600 + 15 * 60


def test_a_span_across_a_dst_change_has_its_real_length():
    """On 29 March 2026 Berlin's clocks jump from 02:00 to 03:00: 01:00-04:00 is 2 hours."""
    with local_timezone(BERLIN):
        started, seconds = parse_span("01:00-04:00", date(2026, 3, 29), None)
        assert started.utcoffset() == timedelta(hours=1)
        assert seconds == 2 * 3600
        summer, _ = parse_span("09:00-10:00", date(2026, 7, 1), None)
        assert summer.utcoffset() == timedelta(hours=2)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("14:30-13:00", "ends before it starts"),
        ("13:00-13:00", "ends before it starts"),
        ("22:00-01:00", "ends before it starts"),
        ("25:00-26:00", "has no such time of day"),
        ("13:00-", "is not a time span"),
        ("lunch", "is not a time span"),
    ],
)
def test_a_bad_span_says_what_was_expected(text: str, problem: str):
    with pytest.raises(ValueError, match=f"{problem}: expected e.g. 13:00-14:30"):
        parse_span(text, DAY, UTC)


def test_a_time_spent_field_takes_either_form():
    assert parse_duration_or_span("45m", DAY, UTC) == (None, 2700)
    assert parse_duration_or_span("10:00-10:45", DAY, UTC) == (
        datetime(2026, 11, 20, 10, 0, tzinfo=UTC),
        2700,
    )


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [
        (0, "0s"),
        (40, "40s"),
        (60, "1m"),
        (119, "1m"),
        (2700, "45m"),
        (5400, "1h 30m"),
        (7200, "2h"),
        (90000, "25h"),
    ],
)
def test_durations_are_shown_in_hours_and_minutes(seconds: int, shown: str):
    assert format_duration(seconds) == shown


def test_a_negative_duration_cannot_be_shown():
    with pytest.raises(ValueError, match="cannot be negative"):
        format_duration(-1)


@settings(max_examples=60)
@given(st.integers(min_value=60, max_value=100 * 3600))
def test_what_is_shown_reads_back_to_the_whole_minutes(seconds: int):
    assert parse_duration(format_duration(seconds)) == seconds - seconds % 60
