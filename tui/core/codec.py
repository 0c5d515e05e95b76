"""JSON for the domain's dataclasses (tui.core.models): what services send, checked; what
this app wrote, read back.

- `validated`: a model from a service's answer, or from an export file being imported.
  Through pydantic, which checks and converts every field (ISO dates, nested models,
  numbers that must be text) and builds the dataclass, so its one sanitising step runs
  on that way in too. A value that does not fit raises pydantic's ValidationError, a
  ValueError. Adapters are made on first use, and pydantic itself is imported with the
  first.
- `dump` / `dump_json`: our data out, by the standard library's encoder, which asks
  `_plain` only for what JSON has no word for (a dataclass, a date, a set).
- `load` / `load_json`: what `dump` wrote (the cache, the outbox) back into its types,
  by a reader made once per type from its annotations. It checks the shape (a table
  where a model was, text where text was) and raises ValueError when it differs, as
  a file another version wrote may; keys it does not know are left out, keys missing
  take their defaults. No pydantic: a board painted from the cache, or a first change
  read back from the outbox, does not wait ~70 ms for its import and schemas.
"""

from __future__ import annotations

import dataclasses
import json
import types
from collections.abc import Callable
from datetime import date, datetime
from enum import Enum
from typing import TYPE_CHECKING, Any, TypeVar, Union, get_args, get_origin, get_type_hints

if TYPE_CHECKING:
    from pydantic import TypeAdapter

T = TypeVar("T")

Reader = Callable[[Any], Any]


# --- a service's answers --------------------------------------------------------------

_ADAPTERS: dict[Any, TypeAdapter[Any]] = {}


def validated(model: type[T], /, **fields: Any) -> T:
    """A model from a service's answer: every field checked and converted as declared."""
    adapter = _ADAPTERS.get(model)
    if adapter is None:
        from pydantic import TypeAdapter

        adapter = _ADAPTERS[model] = TypeAdapter(model)
    result: T = adapter.validate_python(fields)
    return result


# --- our own data, out ----------------------------------------------------------------


def dump(value: Any) -> Any:
    """`value` as JSON-ready Python: dicts, lists, strings, numbers."""
    return json.loads(dump_json(value))


def dump_json(value: Any, *, indent: int | None = None) -> str:
    """Compact, or with `indent` for a file a person may read."""
    separators = (",", ":") if indent is None else (",", ": ")
    return json.dumps(
        value, default=_plain, ensure_ascii=False, indent=indent, separators=separators
    )


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _plain(value: Any) -> Any:
    """What JSON cannot say itself, one level down (the encoder goes on from there)."""
    kind = type(value)
    names = _FIELD_NAMES.get(kind)
    if names is None:
        if isinstance(value, date):  # a datetime is one too
            return _iso(value)
        if isinstance(value, frozenset | set):
            return sorted(value)
        if not dataclasses.is_dataclass(value):
            # A Secret lands here too: a token is never written as JSON.
            raise TypeError(f"{kind.__name__} is not written as JSON")
        names = _FIELD_NAMES[kind] = tuple(field.name for field in dataclasses.fields(value))
    return {name: getattr(value, name) for name in names}


def _iso(moment: date) -> str:
    """ISO 8601, with UTC as "Z": the scripting interface's moments (DESIGN.md) say so."""
    text = moment.isoformat()
    if isinstance(moment, datetime) and text.endswith("+00:00"):
        return text[: -len("+00:00")] + "Z"
    return text


# --- our own data, back in ------------------------------------------------------------


def load(kind: Any, data: Any) -> Any:
    """`kind` (a model, or e.g. `tuple[Board, ...]`) from what `dump` made of one."""
    return _reader(kind)(data)


def load_json(kind: Any, text: str | bytes) -> Any:
    return load(kind, json.loads(text))


_READERS: dict[Any, Reader] = {}


def _reader(kind: Any) -> Reader:
    reader = _READERS.get(kind)
    if reader is None:
        reader = _READERS[kind] = _make_reader(kind)
    return reader


def _make_reader(kind: Any) -> Reader:
    origin, arguments = get_origin(kind), get_args(kind)
    if origin in (Union, types.UnionType):
        (inner, *more) = [argument for argument in arguments if argument is not type(None)]
        if more:
            raise TypeError(f"codec reads no union of two types: {kind}")
        read = _reader(inner)

        def read_optional(value: Any) -> Any:
            return None if value is None else read(value)

        return read_optional
    if origin in (tuple, list, frozenset):
        if origin is tuple and arguments[1:] != (Ellipsis,):
            raise TypeError(f"codec reads tuples of one type: {kind}")
        item = _reader(arguments[0])
        return lambda value: origin(map(item, _of(list, value)))
    if origin is dict:
        key, item = _reader(arguments[0]), _reader(arguments[1])
        return lambda value: {key(k): item(v) for k, v in _of(dict, value).items()}
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        return _model_reader(kind)
    if isinstance(kind, type) and issubclass(kind, Enum):
        return kind  # its constructor refuses a value it has not (ValueError)
    if kind is datetime or kind is date:
        return lambda value: kind.fromisoformat(_of(str, value))
    if kind is float:
        return _number
    if kind in (str, int, bool):
        return _exactly(kind)
    raise TypeError(f"codec cannot read {kind!r}")


def _model_reader(model: type) -> Reader:
    hints = get_type_hints(model)
    fields = {f.name: _reader(hints[f.name]) for f in dataclasses.fields(model) if f.init}

    def read(value: Any) -> Any:
        given = {}
        for name, item in _of(dict, value).items():
            if (read_field := fields.get(name)) is not None:
                try:
                    given[name] = read_field(item)
                except ValueError as problem:
                    raise ValueError(f"{model.__name__}.{name}: {problem}") from None
        try:
            return model(**given)
        except TypeError as missing:  # a field without a default was not written
            raise ValueError(f"{model.__name__}: {missing}") from None

    return read


def _exactly(kind: type) -> Reader:
    # `type() is`: the quickest test there is, and True is no int to it (bool is an int
    # to Python, never to JSON's writer).
    def read(value: Any) -> Any:
        if type(value) is kind:
            return value
        raise ValueError(f"expected {kind.__name__}, found {type(value).__name__}")

    return read


def _number(value: Any) -> float:
    if type(value) is float:
        return value
    return float(_of(int, value))  # a float field may hold an int (`position: float = 0`)


def _of(kind: type, value: Any) -> Any:
    """`value`, if it is a `kind`. True is no int here, as it is to Python: JSON's writer
    tells them apart."""
    if isinstance(value, kind) and not (kind is int and isinstance(value, bool)):
        return value
    raise ValueError(f"expected {kind.__name__}, found {type(value).__name__}")
