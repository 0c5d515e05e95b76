"""tui.core.codec: our JSON written by the standard library, read back through pydantic."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from tui.core import codec
from tui.core.models import (
    Board,
    BoardContent,
    Card,
    CardChanges,
    Column,
    Label,
    Priority,
    User,
)
from tui.core.secret import Secret

MOMENT = datetime(2026, 11, 30, 9, 15, 2, 500, tzinfo=UTC)


def content() -> BoardContent:
    bug = Label(id="l1", name="bug", color="red")
    ada = User(id="u1", name="Ada")
    card = Card(
        id="7",
        board_id="1",
        title="Crash on ✓ save",
        column_id="c1",
        labels=(bug,),
        assignee=ada,
        due=date(2026, 12, 24),
        priority=Priority.HIGH,
        updated_at=MOMENT,
    )
    return BoardContent(
        board=Board(id="1", name="Team"),
        columns=(Column(id="c1", name="Doing"),),
        lanes=(),
        cards=(card,),
        users=(ada,),
        labels=(bug,),
    )


def test_a_board_written_is_read_back_equal() -> None:
    written = codec.dump_json(content())

    assert codec.load_json(BoardContent, written) == content()


def test_moments_in_utc_end_in_z_and_others_keep_their_offset() -> None:
    later = MOMENT.astimezone(timezone(timedelta(hours=3)))

    assert codec.dump({"utc": MOMENT, "moscow": later, "day": date(2026, 1, 2)}) == {
        "utc": "2026-11-30T09:15:02.000500Z",
        "moscow": "2026-11-30T12:15:02.000500+03:00",
        "day": "2026-01-02",
    }


def test_enums_are_their_values_and_text_is_not_escaped() -> None:
    shown = codec.dump_json(content().cards[0])

    assert '"priority":"high"' in shown and "✓" in shown


def test_a_changes_set_fields_are_written_as_a_sorted_list() -> None:
    written = codec.dump(CardChanges(title="New", due=None))

    assert written["fields_set"] == ["due", "title"]
    assert codec.load(CardChanges, written).fields_set == {"due", "title"}


def test_a_token_is_never_written() -> None:
    with pytest.raises(TypeError, match="Secret is not written as JSON"):
        codec.dump_json({"token": Secret("s3cret")})


def test_a_card_another_version_wrote_is_read_by_the_fields_this_one_knows() -> None:
    written = codec.dump(content().cards[0])
    del written["due"]  # a field that version did not have: its default
    written["colour"] = "teal"  # one it had and this one has not: left out
    written["position"] = 3  # an integer where a float is: the same number

    card: Card = codec.load(Card, written)

    assert card.due is None and card.position == 3.0 and isinstance(card.position, float)
    assert card.labels == content().cards[0].labels


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"title": 7}, "Card.title: expected str, found int"),
        ({"archived": 1}, "Card.archived: expected bool, found int"),
        ({"comment_count": True}, "Card.comment_count: expected int, found bool"),
        ({"labels": "bug"}, "Card.labels: expected list, found str"),
        ({"assignee": {"id": "u1"}}, "Card.assignee: User: .*name"),
        ({"due": "next week"}, "Card.due: Invalid isoformat string"),
        ({"priority": "urgent-ish"}, "Card.priority: 'urgent-ish' is not a valid Priority"),
    ],
)
def test_a_field_of_another_shape_is_a_value_error_naming_it(
    change: dict[str, object], problem: str
) -> None:
    written = {**codec.dump(content().cards[0]), **change}

    with pytest.raises(ValueError, match=problem):
        codec.load(Card, written)


def test_a_model_missing_a_required_field_is_a_value_error() -> None:
    with pytest.raises(ValueError, match=r"Board: .*name"):
        codec.load_json(tuple[Board, ...], '[{"id": "1"}]')


def test_writing_and_reading_back_need_no_pydantic() -> None:
    probe = (
        "import sys; from tui.core import codec; from tui.core.models import BoardContent; "
        "from tests.test_codec import content; "
        "codec.load_json(BoardContent, codec.dump_json(content())); "
        "print('pydantic' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)

    assert result.stdout.strip() == "False", result.stderr
    assert json.loads(codec.dump_json([Board(id="1", name="b")]))[0]["name"] == "b"
