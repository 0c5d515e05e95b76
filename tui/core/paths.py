"""The one place that knows where Cardboard's files live.

XDG locations through platformdirs; CARDBOARD_CONFIG_DIR and CARDBOARD_DATA_DIR move
them (tests use that). Logs follow the data dir when it is moved, so a test never
writes into the user's real state dir. `data_dir_at(path)` moves every data file for
a block, in this process only: `--demo` runs on a throwaway dir that way.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from platformdirs import user_config_path, user_data_path, user_state_path

APP = "cardboard"


def config_dir() -> Path:
    override = os.environ.get("CARDBOARD_CONFIG_DIR")
    return Path(override) if override else user_config_path(APP)


_data_dir_given: Path | None = None
"""Set by `data_dir_at` for its block; wins over the environment."""


def data_dir() -> Path:
    if _data_dir_given is not None:
        return _data_dir_given
    override = os.environ.get("CARDBOARD_DATA_DIR")
    return Path(override) if override else user_data_path(APP)


@contextmanager
def data_dir_at(path: Path) -> Iterator[Path]:
    """Every data file (boards, journal, outbox, cache, what the app remembers) under `path`
    for the block; the config and the log stay where they are. Not inherited by child
    processes (a token_cmd), unlike an environment variable."""
    global _data_dir_given
    saved, _data_dir_given = _data_dir_given, path
    try:
        yield path
    finally:
        _data_dir_given = saved


def state_dir() -> Path:
    override = os.environ.get("CARDBOARD_DATA_DIR")
    return Path(override) / "state" if override else user_state_path(APP)


def config_file() -> Path:
    return config_dir() / "config.toml"


def accounts_file() -> Path:
    return config_dir() / "accounts.toml"


def user_themes_dir() -> Path:
    return config_dir() / "themes"


def local_database() -> Path:
    return data_dir() / "local.db"


def journal_database() -> Path:
    """The running timer and the time journal."""
    return data_dir() / "journal.db"


def snooze_database() -> Path:
    """Cards hidden from triage until a date, for every account (kept locally)."""
    return data_dir() / "snoozed.db"


def sync_dir(account: str) -> Path:
    """An account's outbox and cache; the name is quoted so any account name is one folder."""
    return data_dir() / "sync" / quote(account, safe="-_")


def ui_state_file() -> Path:
    """What the app remembers between runs (theme, last board): written by the app."""
    return data_dir() / "ui-state.json"


def log_file() -> Path:
    return state_dir() / "cardboard.log"
