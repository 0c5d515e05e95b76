"""What the app remembers between runs: the theme picked, the last board per account.

It is only remembered state, so it is never worth stopping for: a missing, corrupt or
unwritable file gives the defaults (or keeps the old file) and a warning to show.
Unknown keys are ignored, so an older version can read a newer version's file.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from tui.core import paths
from tui.core.account_status import AccountStatus, Health
from tui.core.config import write_atomically


@dataclass(frozen=True, slots=True, kw_only=True)
class UiState:
    theme: str | None = None
    """The theme last picked in the app (config.toml's `theme` is never written)."""

    last_account: str | None = None
    """The account open when the app last closed."""

    last_board: dict[str, str] = field(default_factory=dict)
    """Account name -> id of the board last open in it."""

    account_status: dict[str, AccountStatus] = field(default_factory=dict)
    """Account name -> its health when last checked, and when it last synced."""

    def with_board(self, account: str, board_id: str) -> UiState:
        """This state after opening `board_id` in `account`."""
        return replace(
            self, last_account=account, last_board={**self.last_board, account: board_id}
        )


class _Unreadable(ValueError):
    """The file is JSON, but not in the shape this version writes."""


def load_ui_state(path: Path | None = None) -> tuple[UiState, str | None]:
    """The remembered state and a warning when the file could not be used."""
    path = path or paths.ui_state_file()
    try:
        return _state_from_json(json.loads(path.read_bytes())), None
    except FileNotFoundError:
        return UiState(), None
    except OSError as exc:
        return UiState(), f"{path}: cannot read it ({exc.strerror}); starting afresh"
    except ValueError:  # not JSON, or _Unreadable
        return UiState(), f"{path}: not remembered state this version can read; starting afresh"


# Read by hand rather than through a validation library: this runs before the first
# frame of every start. Unknown keys are ignored, so an older version reads a newer
# version's file; a known key of the wrong type makes the whole file unreadable.


def _state_from_json(data: Any) -> UiState:
    table = _table(data)
    statuses = _table(table.get("account_status", {}))
    return UiState(
        theme=_text_or_none(table.get("theme")),
        last_account=_text_or_none(table.get("last_account")),
        last_board={
            key: _text(value) for key, value in _table(table.get("last_board", {})).items()
        },
        account_status={name: _status_from_json(status) for name, status in statuses.items()},
    )


def _status_from_json(data: Any) -> AccountStatus:
    table = _table(data)
    return AccountStatus(
        health=Health(table.get("health", Health.NOT_CHECKED)),
        detail=_text_or_none(table.get("detail")),
        user=_text_or_none(table.get("user")),
        checked_at=_moment_or_none(table.get("checked_at")),
        synced_at=_moment_or_none(table.get("synced_at")),
    )


def _table(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _Unreadable(f"expected a table, found {type(value).__name__}")
    return value


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise _Unreadable(f"expected text, found {type(value).__name__}")
    return value


def _text_or_none(value: Any) -> str | None:
    return None if value is None else _text(value)


def _moment_or_none(value: Any) -> datetime | None:
    return None if value is None else datetime.fromisoformat(_text(value))


def _state_to_json(state: UiState) -> dict[str, Any]:
    data = asdict(state)
    for status in data["account_status"].values():
        for name in ("checked_at", "synced_at"):
            if status[name] is not None:
                status[name] = status[name].isoformat()
    return data


def save_ui_state(state: UiState, path: Path | None = None) -> str | None:
    """Write the state atomically; a warning instead of an error when it cannot be."""
    path = path or paths.ui_state_file()
    try:
        write_atomically(path, json.dumps(_state_to_json(state), indent=2).encode())
    except OSError as exc:
        return f"{path}: cannot save what to remember ({exc.strerror})"
    return None
