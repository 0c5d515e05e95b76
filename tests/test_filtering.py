"""The filter language of `/` and `cards --filter`."""

from __future__ import annotations

from datetime import date

import pytest

from tui.core.filtering import CardFilter
from tui.core.models import Card, Label, User

TODAY = date(2026, 11, 20)  # a Friday


def card(**fields) -> Card:
    return Card(id="1", board_id="b", title="Fix the login page", column_id="c", **fields)


@pytest.mark.parametrize(
    ("query", "kept"),
    [
        ("login", True),
        ("LOGIN page", True),
        ("logout", False),
        ("label:bug", True),
        ("#bug", True),
        ("label:ux", False),
        ("@ada", True),
        ("@bru", False),
        ("@none", False),
        ('"the login"', True),
    ],
)
def test_words_labels_and_people(query, kept):
    subject = card(labels=(Label(id="l", name="Bug"),), assignee=User(id="u", name="Ada Okafor"))
    assert CardFilter.parse(query).matches(subject, TODAY) is kept


@pytest.mark.parametrize(
    ("query", "due", "kept"),
    [
        ("due:overdue", date(2026, 11, 19), True),
        ("due:overdue", TODAY, False),
        ("due:today", TODAY, True),
        ("due:week", date(2026, 11, 16), True),  # Monday
        ("due:week", date(2026, 11, 22), True),  # Sunday
        ("due:week", date(2026, 11, 23), False),
        ("due:none", None, True),
        ("due:none", TODAY, False),
        ("due:2026-11-25", date(2026, 11, 25), True),
        ("due:2026-11-25", date(2026, 11, 26), False),
        ("due:today", None, False),
    ],
)
def test_due_dates(query, due, kept):
    assert CardFilter.parse(query).matches(card(due=due), TODAY) is kept


def test_an_unreadable_due_says_what_it_expects():
    with pytest.raises(ValueError, match="overdue, today, week, none or a date"):
        CardFilter.parse("due:someday")


def test_an_empty_query_keeps_everything():
    assert not CardFilter.parse("   ")
    assert CardFilter.parse("").matches(card(), TODAY)
