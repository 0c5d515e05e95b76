"""What the app remembers between runs: the theme picked, the last board per account.

It is only remembered state, so it is never worth stopping for: a missing, corrupt or
unwritable file gives the defaults (or keeps the old file) and a warning to show.
Unknown keys are ignored, so an older version can read a newer version's file.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from tui.core import paths
from tui.core.account_status import AccountStatus
from tui.core.config import write_atomically


class UiState(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    theme: str | None = None
    """The theme last picked in the app (config.toml's `theme` is never written)."""

    last_account: str | None = None
    """The account open when the app last closed."""

    last_board: dict[str, str] = Field(default_factory=dict)
    """Account name -> id of the board last open in it."""

    account_status: dict[str, AccountStatus] = Field(default_factory=dict)
    """Account name -> its health when last checked, and when it last synced."""

    def with_board(self, account: str, board_id: str) -> UiState:
        """This state after opening `board_id` in `account`."""
        return self.model_copy(
            update={
                "last_account": account,
                "last_board": {**self.last_board, account: board_id},
            }
        )


def load_ui_state(path: Path | None = None) -> tuple[UiState, str | None]:
    """The remembered state and a warning when the file could not be used."""
    path = path or paths.ui_state_file()
    try:
        return UiState.model_validate_json(path.read_bytes()), None
    except FileNotFoundError:
        return UiState(), None
    except OSError as exc:
        return UiState(), f"{path}: cannot read it ({exc.strerror}); starting afresh"
    except ValidationError:
        return UiState(), f"{path}: not remembered state this version can read; starting afresh"


def save_ui_state(state: UiState, path: Path | None = None) -> str | None:
    """Write the state atomically; a warning instead of an error when it cannot be."""
    path = path or paths.ui_state_file()
    try:
        write_atomically(path, state.model_dump_json(indent=2).encode())
    except OSError as exc:
        return f"{path}: cannot save what to remember ({exc.strerror})"
    return None
