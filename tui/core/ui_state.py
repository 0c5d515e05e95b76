"""What the app remembers between runs: the theme picked, the last board per account.

It is only remembered state, so it is never worth stopping for: a missing, corrupt or
unwritable file gives the defaults (or keeps the old file) and a warning to show.
Unknown keys are ignored, so an older version can read a newer version's file.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from tui.core import codec, paths
from tui.core.account_status import AccountStatus
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


def load_ui_state(path: Path | None = None) -> tuple[UiState, str | None]:
    """The remembered state and a warning when the file could not be used."""
    path = path or paths.ui_state_file()
    try:
        state: UiState = codec.load_json(UiState, path.read_bytes())
    except FileNotFoundError:
        return UiState(), None
    except OSError as exc:
        return UiState(), f"{path}: cannot read it ({exc.strerror}); starting afresh"
    except ValueError:  # not JSON, or not in the shape this version writes
        return UiState(), f"{path}: not remembered state this version can read; starting afresh"
    return state, None


def save_ui_state(state: UiState, path: Path | None = None) -> str | None:
    """Write the state atomically; a warning instead of an error when it cannot be."""
    path = path or paths.ui_state_file()
    try:
        write_atomically(path, codec.dump_json(state).encode())
    except OSError as exc:
        return f"{path}: cannot save what to remember ({exc.strerror})"
    return None
