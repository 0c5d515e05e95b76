"""TableReader: each kind of field read, every problem located, defaults left alone."""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field
from typing import Literal

import pytest

from tui.core.secret import Secret
from tui.core.toml_fields import InvalidTable, Problem, TableReader, not_empty


def _upper_only(text: str) -> str:
    if text != text.upper():
        raise ValueError("must be upper case")
    return text


@dataclass(frozen=True, slots=True, kw_only=True)
class Sample:
    """One field of each kind the reader knows."""

    title: str = "untitled"
    token: Secret | None = None
    count: int = 1
    ratio: float = 0.5
    enabled: bool = False
    side: Literal["left", "right"] = "left"
    words: list[str] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)
    inner: Sample | None = None
    named: dict[str, Sample] = field(default_factory=dict)

    @classmethod
    def from_table(cls, table: object) -> Sample:
        reader = TableReader(table)
        return reader.build(
            cls,
            title=reader.text("title", check=not_empty),
            token=reader.secret("token"),
            count=reader.integer("count", ge=1, le=9),
            ratio=reader.number("ratio", gt=0, le=1),
            enabled=reader.flag("enabled"),
            side=reader.choice("side", ("left", "right")),
            words=reader.text_list("words", from_text=shlex.split, check=_words),
            labels=reader.text_table("labels", check=_upper_only),
            inner=reader.table("inner", Sample.from_table),
            named=reader.tables("named", lambda _name, table: Sample.from_table(table)),
        )


def _words(words: list[str]) -> list[str]:
    if len(words) > 3:
        raise ValueError("at most 3 words")
    return words


def problems_of(table: object) -> tuple[Problem, ...]:
    with pytest.raises(InvalidTable) as caught:
        Sample.from_table(table)
    return caught.value.problems


def test_keys_not_given_keep_the_defaults() -> None:
    assert Sample.from_table({}) == Sample()


def test_every_kind_of_field_is_read() -> None:
    sample = Sample.from_table(
        {
            "title": "t",
            "token": "s3cret",
            "count": 9,
            "ratio": 1,
            "enabled": True,
            "side": "right",
            "words": "a 'b c'",
            "labels": {"x": "UP"},
            "inner": {"count": 2},
            "named": {"one": {"side": "right"}},
        }
    )

    assert sample == Sample(
        title="t",
        token=Secret("s3cret"),
        count=9,
        ratio=1.0,
        enabled=True,
        side="right",
        words=["a", "b c"],
        labels={"x": "UP"},
        inner=Sample(count=2),
        named={"one": Sample(side="right")},
    )
    assert isinstance(sample.ratio, float)


def test_a_secret_given_as_one_is_kept() -> None:
    assert Sample.from_table({"token": Secret("s3cret")}).token == Secret("s3cret")


@pytest.mark.parametrize(
    ("key", "value", "problem"),
    [
        ("title", 1, Problem(("title",), "Input should be a valid string")),
        ("title", "", Problem(("title",), "String should have at least 1 character")),
        ("token", 1, Problem(("token",), "Input should be a valid string")),
        ("count", "2", Problem(("count",), "Input should be a valid integer")),
        ("count", 2.0, Problem(("count",), "Input should be a valid integer")),
        ("count", True, Problem(("count",), "Input should be a valid integer")),
        ("count", 0, Problem(("count",), "Input should be greater than or equal to 1")),
        ("count", 10, Problem(("count",), "Input should be less than or equal to 9")),
        ("ratio", "1", Problem(("ratio",), "Input should be a valid number")),
        ("ratio", False, Problem(("ratio",), "Input should be a valid number")),
        ("ratio", 0, Problem(("ratio",), "Input should be greater than 0")),
        ("ratio", float("nan"), Problem(("ratio",), "Input should be greater than 0")),
        ("ratio", 1.5, Problem(("ratio",), "Input should be less than or equal to 1")),
        ("enabled", "yes", Problem(("enabled",), "Input should be a valid boolean")),
        ("side", "up", Problem(("side",), "Input should be 'left' or 'right'")),
        ("words", 3, Problem(("words",), "Input should be a valid list")),
        ("words", ["a", 2], Problem(("words", 1), "Input should be a valid string")),
        ("words", "a 'b", Problem(("words",), "No closing quotation")),
        ("words", "a b c d", Problem(("words",), "at most 3 words")),
        ("labels", ["x"], Problem(("labels",), "Input should be a valid dictionary")),
        ("labels", {"x": 1}, Problem(("labels", "x"), "Input should be a valid string")),
        ("labels", {"x": "low"}, Problem(("labels", "x"), "must be upper case")),
        ("inner", 1, Problem(("inner",), "Input should be a valid dictionary")),
        ("inner", {"count": 0},
         Problem(("inner", "count"), "Input should be greater than or equal to 1")),
        ("named", [], Problem(("named",), "Input should be a valid dictionary")),
        ("named", {"a": {"oops": 1}}, Problem(("named", "a", "oops"), "unknown key")),
        ("colour", "red", Problem(("colour",), "unknown key")),
    ],
)  # fmt: skip
def test_a_bad_value_of_each_kind_is_a_located_problem(
    key: str, value: object, problem: Problem
) -> None:
    assert problems_of({key: value}) == (problem,)


def test_a_required_key_not_given_is_a_problem() -> None:
    reader = TableReader({})
    reader.text("name", required=True)

    with pytest.raises(InvalidTable) as caught:
        reader.build(dict)

    assert caught.value.problems == (Problem(("name",), "Field required"),)


def test_every_problem_is_kept_in_field_order_with_unknown_keys_last() -> None:
    problems = problems_of({"zz": 0, "side": "up", "labels": {"a": 1, "b": 2}, "title": 1, "aa": 0})

    assert [problem.location for problem in problems] == [
        ("title",),
        ("side",),
        ("labels", "a"),
        ("labels", "b"),
        ("zz",),
        ("aa",),
    ]


def test_only_the_bad_tables_of_a_table_of_tables_are_problems() -> None:
    problems = problems_of({"named": {"good": {}, "bad": {"count": "x"}, "worse": 3}})

    assert problems == (
        Problem(("named", "bad", "count"), "Input should be a valid integer"),
        Problem(("named", "worse"), "Input should be a valid dictionary"),
    )


def test_a_table_that_is_not_one_is_refused_as_a_whole() -> None:
    assert problems_of(["title"]) == (Problem((), "Input should be a valid dictionary"),)


def test_a_problem_of_the_table_as_a_whole_has_no_location() -> None:
    assert InvalidTable.as_a_whole("a and b do not go together").problems == (
        Problem((), "a and b do not go together"),
    )


def test_the_readers_own_messages_never_quote_the_value() -> None:
    problems = problems_of({"token": 12345, "count": 12345, "side": 12345, "words": 12345})

    assert len(problems) == 4
    assert not any("12345" in problem.message for problem in problems)
