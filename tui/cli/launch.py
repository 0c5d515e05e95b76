"""`cardboard` without a command: the TUI (Textual is imported only here)."""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from tui.core import paths
from tui.core.connect import LOCAL
from tui.core.errors import ConfigError
from tui.core.heap import start_up


def run_tui(args: argparse.Namespace, log_file: Path) -> int:
    if not args.demo:
        return _run(args.account, args.board, log_file, remember=True, demo=False)
    if args.account:
        raise ConfigError("--demo runs on the local demo board; it takes no --account")
    # A fresh data dir holds a fresh demo board; the user's boards and journal are
    # never opened, and the dir is gone when the app ends.
    with (
        tempfile.TemporaryDirectory(prefix="cardboard-demo-", ignore_cleanup_errors=True) as demo,
        paths.data_dir_at(Path(demo)),
    ):
        return _run(LOCAL, args.board, log_file, remember=False, demo=True)


def _run(
    account: str | None, board: str | None, log_file: Path, *, remember: bool, demo: bool
) -> int:
    with start_up():  # start-up (tui.core.heap)
        from tui.ui.app import build_app

        app = build_app(account, board, remember=remember, demo=demo)
    app.run()
    if app.crashed:  # Textual has restored the terminal and printed the traceback
        print(f"cardboard: crashed; the report is in {log_file}", file=sys.stderr)
    return app.return_code or 0
