"""CardChanges: which fields an edit sets, kept apart from the ones it leaves alone."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from tui.core import codec
from tui.core.models import CardChanges, Priority


def test_the_keywords_given_are_the_fields_set_even_as_none():
    changes = CardChanges(title="New", due=None)
    assert changes.fields_set == {"title", "due"}
    assert changes.priority is None and "priority" not in changes.fields_set
    assert CardChanges(due=None) != CardChanges()  # "clear the due date" is not "no change"
    assert CardChanges().fields_set == frozenset()


def test_the_outbox_shape_loads_back_as_the_same_changes():
    changes = CardChanges(due=None, label_ids=("1", "2"), priority=Priority.HIGH)
    stored = {"due": None, "label_ids": ["1", "2"], "priority": "high"}  # what the outbox keeps
    assert codec.load(CardChanges, stored) == changes


def test_a_full_dump_loads_back_as_the_same_changes():
    changes = CardChanges(title="New", blocked=None)
    assert codec.load(CardChanges, codec.dump(changes)) == changes


def test_loading_checks_and_converts_each_field():
    loaded = codec.load(CardChanges, {"due": "2026-12-24", "label_ids": ["1"]})
    assert loaded.due == date(2026, 12, 24) and loaded.label_ids == ("1",)
    with pytest.raises(ValueError, match="due"):
        codec.load(CardChanges, {"due": "next week"})


def test_replace_keeps_the_fields_set_and_adds_the_ones_given_a_value():
    changes = CardChanges(due=None)
    renamed = replace(changes, title="New")
    assert renamed.fields_set == {"due", "title"} and renamed.due is None
    # A None outside fields_set cannot be told from "left alone": it stays left alone.
    assert replace(changes, priority=None).fields_set == {"due"}
    assert replace(changes, fields_set=frozenset({"due", "priority"})).fields_set == {
        "due",
        "priority",
    }


def test_a_field_set_that_does_not_exist_is_refused():
    with pytest.raises(ValueError, match="no field titel"):
        CardChanges(fields_set=frozenset({"titel"}))
    with pytest.raises(ValueError, match="no field titel"):
        codec.load(CardChanges, {"fields_set": ["titel"]})
