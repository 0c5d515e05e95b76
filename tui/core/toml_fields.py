"""Reading a TOML table into typed values, with every problem found located.

The config files (tui.core.config) and the themes (tui.ui.themes) are checked here by
hand rather than by pydantic, whose import alone is a fifth of the time to the first
screen. A class reads itself in a `from_table` classmethod: it asks a TableReader for
each of its fields in turn (of the right type, in bounds, passing its own check), then
has the reader build it:

    reader = TableReader(table)
    board = reader.build(
        BoardSettings,
        min_column_width=reader.integer("min_column_width", ge=16, le=200),
        card_width=reader.integer("card_width", ge=16, le=80),
    )

A key that is not given is left to the class's default. A problem is where (the keys
from this table down to the value, list indexes as ints) and what, in pydantic's words
where it had some ("Input should be a valid string"), so that the messages users know
stay. Problems are collected rather than raised one at a time, so that the caller can
say how many there are; a table with any is not built: `build` raises InvalidTable, and
a table reading it puts those problems under its key. The reader's own messages never
quote the value (it may be a token); a check's message is its author's to keep safe.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Final, TypeVar

from tui.core.secret import Secret

Location = tuple[str | int, ...]

Value = TypeVar("Value")
Result = TypeVar("Result")
Number = TypeVar("Number", bound=float)
Choice = TypeVar("Choice", bound=str)


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong in a table: where and what."""

    location: Location
    """The keys from the table read down to the bad value; () for the table as a whole."""
    message: str

    def under(self, *keys: str) -> Problem:
        return Problem((*keys, *self.location), self.message)


class InvalidTable(Exception):
    """A table that could not be read, with its problems in the order they were found."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(problem.message for problem in problems))
        self.problems = tuple(problems)

    @classmethod
    def as_a_whole(cls, message: str) -> InvalidTable:
        """A problem of the table itself: fields that are fine alone but not together."""
        return cls([Problem((), message)])


class Absent(Enum):
    """The type of ABSENT: an enum of one, so that `is ABSENT` narrows a reader's result."""

    ABSENT = "absent"


ABSENT: Final = Absent.ABSENT
"""A key not given, or given wrong: `build` leaves the field to its default."""


def not_empty(text: str) -> str:
    """A check for text that must have something in it (pydantic's min_length=1)."""
    if not text:
        raise ValueError("String should have at least 1 character")
    return text


class TableReader:
    """One table of a TOML document, read field by field; see the module's docstring.

    A check passed to a reader's method returns the value (perhaps normalised) or
    raises ValueError saying what is wrong, like a pydantic validator.
    """

    def __init__(self, table: object) -> None:
        if not isinstance(table, dict):
            raise InvalidTable.as_a_whole("Input should be a valid dictionary")
        self._table: dict[str, object] = table
        self._read: set[str] = set()
        self._problems: list[Problem] = []

    def given(self, key: str) -> bool:
        return key in self._table

    def build(self, factory: Callable[..., Result], **fields: object) -> Result:
        """`factory(**fields)`, leaving out the fields that are ABSENT.

        Raises InvalidTable with every problem found in the table (unknown keys last,
        in the file's order) instead, if there is any.
        """
        for key in self._table:
            if key not in self._read:
                self._problem((key,), "unknown key")
        if self._problems:
            raise InvalidTable(self._problems)
        return factory(**{name: value for name, value in fields.items() if value is not ABSENT})

    # --- one field each ---------------------------------------------------------------

    def text(
        self, key: str, *, required: bool = False, check: Callable[[str], str] | None = None
    ) -> str | Absent:
        value = self._take(key, required=required)
        if value is ABSENT:
            return ABSENT
        if not isinstance(value, str):
            return self._problem((key,), "Input should be a valid string")
        return self._applied((key,), check, value) if check else value

    def secret(self, key: str) -> Secret | Absent:
        """A token: text from a file, or a Secret already (from a form)."""
        value = self._take(key)
        if isinstance(value, str):
            return Secret(value)
        if value is ABSENT or isinstance(value, Secret):
            return value
        return self._problem((key,), "Input should be a valid string")

    def integer(self, key: str, *, ge: int | None = None, le: int | None = None) -> int | Absent:
        value = self._take(key)
        if value is ABSENT:
            return ABSENT
        # True is an int to Python, but never a number in a TOML file.
        if not isinstance(value, int) or isinstance(value, bool):
            return self._problem((key,), "Input should be a valid integer")
        return self._bounded(key, value, ge=ge, le=le)

    def number(
        self, key: str, *, gt: float | None = None, le: float | None = None
    ) -> float | Absent:
        """A float; an integer is taken too (`hours = 8`)."""
        value = self._take(key)
        if value is ABSENT:
            return ABSENT
        if not isinstance(value, int | float) or isinstance(value, bool):
            return self._problem((key,), "Input should be a valid number")
        return self._bounded(key, float(value), gt=gt, le=le)

    def flag(self, key: str) -> bool | Absent:
        value = self._take(key)
        if value is ABSENT or isinstance(value, bool):
            return value
        return self._problem((key,), "Input should be a valid boolean")

    def choice(self, key: str, choices: tuple[Choice, ...]) -> Choice | Absent:
        value = self._take(key)
        if value is ABSENT:
            return ABSENT
        for choice in choices:
            if value == choice:
                return choice
        return self._problem((key,), f"Input should be {_one_of(choices)}")

    def text_list(
        self,
        key: str,
        *,
        from_text: Callable[[str], list[str]] | None = None,
        check: Callable[[list[str]], list[str]] | None = None,
    ) -> list[str] | Absent:
        """A list of text; `from_text` also takes a string, turned into the list."""
        given = self._take(key)
        value = (
            self._applied((key,), from_text, given)
            if from_text and isinstance(given, str)
            else given
        )
        if value is ABSENT:
            return ABSENT
        if not isinstance(value, list):
            return self._problem((key,), "Input should be a valid list")
        texts = [item for item in value if isinstance(item, str)]
        for index, item in enumerate(value):
            if not isinstance(item, str):
                self._problem((key, index), "Input should be a valid string")
        if len(texts) < len(value):
            return ABSENT
        return self._applied((key,), check, texts) if check else texts

    def text_table(
        self, key: str, *, check: Callable[[str], str] | None = None
    ) -> dict[str, str] | Absent:
        """A table of text values, each passing `check`."""
        value = self._take(key)
        if value is ABSENT:
            return ABSENT
        if not isinstance(value, dict):
            return self._problem((key,), "Input should be a valid dictionary")
        texts: dict[str, str] = {}
        for name, item in value.items():
            if not isinstance(item, str):
                self._problem((key, name), "Input should be a valid string")
                continue
            checked = self._applied((key, name), check, item) if check else item
            if checked is not ABSENT:
                texts[name] = checked
        return texts if len(texts) == len(value) else ABSENT

    def table(self, key: str, read: Callable[[object], Result]) -> Result | Absent:
        """A table read by `read` (a class's from_table); its problems come under `key`."""
        value = self._take(key)
        if value is ABSENT:
            return ABSENT
        try:
            return read(value)
        except InvalidTable as invalid:
            self._problems.extend(problem.under(key) for problem in invalid.problems)
            return ABSENT

    def tables(self, key: str, read: Callable[[str, object], Result]) -> dict[str, Result] | Absent:
        """A table of tables, each read by `read(its key, itself)`."""
        value = self._take(key)
        if value is ABSENT:
            return ABSENT
        if not isinstance(value, dict):
            return self._problem((key,), "Input should be a valid dictionary")
        results: dict[str, Result] = {}
        for name, table in value.items():
            try:
                results[name] = read(name, table)
            except InvalidTable as invalid:
                self._problems.extend(problem.under(key, name) for problem in invalid.problems)
        return results

    # --- the steps they share ---------------------------------------------------------

    def _take(self, key: str, *, required: bool = False) -> object:
        """The key's value, or ABSENT when it is not given (a problem if it must be)."""
        self._read.add(key)
        if key in self._table:
            return self._table[key]
        if required:
            self._problem((key,), "Field required")
        return ABSENT

    def _problem(self, location: Location, message: str) -> Absent:
        self._problems.append(Problem(location, message))
        return ABSENT

    def _applied(
        self, location: Location, check: Callable[[Value], Result], value: Value
    ) -> Result | Absent:
        try:
            return check(value)
        except ValueError as wrong:
            return self._problem(location, str(wrong))

    def _bounded(
        self,
        key: str,
        value: Number,
        *,
        gt: float | None = None,
        ge: float | None = None,
        le: float | None = None,
    ) -> Number | Absent:
        if gt is not None and not value > gt:
            return self._problem((key,), f"Input should be greater than {gt}")
        if ge is not None and not value >= ge:
            return self._problem((key,), f"Input should be greater than or equal to {ge}")
        if le is not None and not value <= le:
            return self._problem((key,), f"Input should be less than or equal to {le}")
        return value


def _one_of(choices: tuple[str, ...]) -> str:
    """('a', 'b', 'c') -> "'a', 'b' or 'c'"."""
    *others, last = [repr(choice) for choice in choices]
    return f"{', '.join(others)} or {last}" if others else last
