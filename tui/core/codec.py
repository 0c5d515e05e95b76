"""JSON, and validation at the edges, for the domain's dataclasses (tui.core.models).

What comes in goes through pydantic, which checks and converts it (ISO dates, nested
models, numbers that must be text) and builds the dataclasses, so their one sanitising
step runs on that way in too. A value that does not fit raises pydantic's
ValidationError, a ValueError. Adapters are made on first use, and pydantic itself is
imported with the first: a start-up that reads nothing through here (a local board, no
pending change) does not pay the 90 ms pydantic's import and first schema take.

What goes out is our own data and needs no checking: the standard library's JSON
encoder writes it, asking `_plain` only for what JSON has no word for (a dataclass, a
date, a set). A local board's moves and names are written without pydantic at all.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from pydantic import TypeAdapter

T = TypeVar("T")


_ADAPTERS: dict[Any, TypeAdapter[Any]] = {}


def _adapter(kind: Any) -> TypeAdapter[Any]:
    adapter = _ADAPTERS.get(kind)
    if adapter is None:
        from pydantic import TypeAdapter

        adapter = _ADAPTERS[kind] = TypeAdapter(kind)
    return adapter


def prepare(*kinds: object) -> None:
    """Make the adapters for `kinds` now (importing pydantic with the first), so that
    the first value read later does not wait for them: for a thread to run while the
    user looks at the screen."""
    for kind in kinds:
        _adapter(kind)


def validated(model: type[T], /, **fields: Any) -> T:
    """A model from a service's answer: every field checked and converted as declared."""
    result: T = _adapter(model).validate_python(fields)
    return result


def load(kind: object, data: Any) -> Any:
    """`kind` (a model, or e.g. `tuple[Board, ...]`) from JSON-ready Python data."""
    return _adapter(kind).validate_python(data)


def load_json(kind: object, text: str | bytes) -> Any:
    return _adapter(kind).validate_json(text)


def dump(value: Any) -> Any:
    """`value` as JSON-ready Python: dicts, lists, strings, numbers."""
    loaded: Any = json.loads(dump_json(value))
    return loaded


def dump_json(value: Any) -> str:
    return json.dumps(value, default=_plain, ensure_ascii=False, separators=(",", ":"))


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
