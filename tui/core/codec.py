"""JSON, and validation at the edges, for the domain's dataclasses (tui.core.models).

Through pydantic, which checks and converts what comes in (ISO dates, nested models,
numbers that must be text) and builds the dataclasses, so their one sanitising step
runs on that way in too. A value that does not fit raises pydantic's ValidationError,
a ValueError. Adapters are made on first use, and pydantic itself is imported with
the first: a start-up that reads nothing through here (a local board, no pending
change) does not pay the 40 ms pydantic's import takes.
"""

from __future__ import annotations

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


def validated(model: type[T], /, **fields: Any) -> T:
    """A model from a service's answer: every field checked and converted as declared."""
    result: T = _adapter(model).validate_python(fields)
    return result


def load(kind: object, data: Any) -> Any:
    """`kind` (a model, or e.g. `tuple[Board, ...]`) from JSON-ready Python data."""
    return _adapter(kind).validate_python(data)


def load_json(kind: object, text: str | bytes) -> Any:
    return _adapter(kind).validate_json(text)


def dump(value: Any, kind: object = None) -> Any:
    """`value` as JSON-ready Python: dicts, lists, strings, numbers."""
    return _adapter(type(value) if kind is None else kind).dump_python(value, mode="json")


def dump_json(value: Any, kind: object = None) -> str:
    data: bytes = _adapter(type(value) if kind is None else kind).dump_json(value)
    return data.decode()
