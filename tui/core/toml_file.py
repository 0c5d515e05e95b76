"""A TOML file read into typed values, every problem one line naming its place.

"path:line: field: what is wrong" (tui.core.errors.ConfigError): the config files and
the themes say where a problem is the same way, whether TOML itself refuses the file or
a class's from_table (tui.core.toml_fields) refuses what it says. The line is found
by `_line_of`, which knows enough of TOML for the files Cardboard reads.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, TypeVar

from tui.core.errors import ConfigError
from tui.core.toml_fields import InvalidTable, Location, Problem

Read = TypeVar("Read")


def validate_toml(text: str, source: str, read: Callable[[dict[str, Any]], Read]) -> Read:
    """Parse a TOML document and read it with `read` (a class's from_table).

    `source` names the document in messages (usually its path). Any problem is a
    ConfigError "source:line: field: what is wrong", for the first problem found.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(_toml_syntax_error(source, str(exc))) from None
    try:
        return read(data)
    except InvalidTable as invalid:
        # `from None`: nothing of the reading is chained for a traceback or a log to show.
        raise ConfigError(_first_problem(source, text, invalid.problems)) from None


def read_config_text(path: Path | Traversable) -> str:
    """A config or theme file's text.

    FileNotFoundError passes through (a missing file often means "the defaults");
    any other problem is a ConfigError naming the file.
    """
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read it: {exc.strerror}") from None


_TOML_POSITION = re.compile(r"(?P<what>.*) \(at line (?P<line>\d+), column \d+\)")


# tomllib's words for what users most often do, in theirs.
_TOML_PROBLEMS = {"Cannot overwrite a value": "a key given twice (each may appear once)"}


def _toml_syntax_error(source: str, message: str) -> str:
    if match := _TOML_POSITION.fullmatch(message):
        what = _TOML_PROBLEMS.get(match["what"], match["what"])
        return f"{source}:{match['line']}: {what}"
    return f"{source}: {message}"


def _first_problem(source: str, text: str, problems: tuple[Problem, ...]) -> str:
    first = problems[0]
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    return f"{place(source, text, first.location)}: {first.message}{more}"


def place(source: str, text: str, location: Location) -> str:
    """'source:line: field' of `location` in the TOML `text`, leaving out what is not known.

    ("keymap", "card.edit") -> '.../config.toml:7: keymap."card.edit"'; the line is the
    nearest enclosing table's when the key itself is not written in the file.
    """
    line = _line_of(text, location)
    where = f"{source}:{line}" if line is not None else source
    field = _field_label(location)
    return f"{where}: {field}" if field else where


def _field_label(location: Location) -> str:
    """("board", "card_width") -> 'board.card_width'; ("keymap", "a.b") -> 'keymap."a.b"'."""
    label = ""
    for part in location:
        if isinstance(part, int):
            label += f"[{part}]"
            continue
        key = part if _BARE_KEY.fullmatch(part) else f'"{part}"'
        label += f".{key}" if label else key
    return label


# Enough of TOML to find where a key is written: `[table]` headers and `key =` lines
# (our files have no arrays of tables). Keys may be dotted and quoted:
# "board.move_right" is one key.
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_KEY_PART = r"""(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')"""
_DOTTED_KEY = rf"{_KEY_PART}(?:\s*\.\s*{_KEY_PART})*"
_HEADER = re.compile(rf"\s*\[\s*(?P<key>{_DOTTED_KEY})\s*\]\s*(?:#.*)?")
_ASSIGNMENT = re.compile(rf"\s*(?P<key>{_DOTTED_KEY})\s*=")


def _key_parts(dotted: str) -> tuple[str, ...]:
    return tuple(part.strip("\"'") for part in re.findall(_KEY_PART, dotted))


def _line_of(text: str, location: Location) -> int | None:
    """The line that holds `location`, or the nearest enclosing table's, if found."""
    lines: dict[Location, int] = {}
    table: tuple[str, ...] = ()
    for number, line in enumerate(text.splitlines(), start=1):
        if header := _HEADER.fullmatch(line):
            table = _key_parts(header["key"])
            lines.setdefault(table, number)
        elif assignment := _ASSIGNMENT.match(line):
            lines.setdefault(table + _key_parts(assignment["key"]), number)
    for length in range(len(location), 0, -1):
        if (line_number := lines.get(location[:length])) is not None:
            return line_number
    return None
