"""`cardboard` imports only what the command runs: `--version` nothing heavy, `boards` no TUI."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

from tui import cli


def imported(tmp_path: Path, *argv: str) -> set[str]:
    """The modules `python -m tui ARGV...` imports, from -X importtime."""
    environment = {
        **os.environ,
        "CARDBOARD_CONFIG_DIR": str(tmp_path / "config"),
        "CARDBOARD_DATA_DIR": str(tmp_path / "data"),
    }
    run = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "tui", *argv],
        capture_output=True,
        text=True,
        env=environment,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    lines = [line.split("|")[-1] for line in run.stderr.splitlines() if "|" in line]
    return {line.strip() for line in lines}


def roots(modules: set[str]) -> set[str]:
    return {module.split(".")[0] for module in modules}


def test_version_imports_no_command_no_pydantic_textual_or_asyncio(tmp_path: Path):
    modules = imported(tmp_path, "--version")
    assert not roots(modules) & {"pydantic", "textual", "asyncio", "httpx", "sqlite3"}
    assert not {
        m
        for m in modules
        if m.startswith("tui.")
        and m not in {"tui.cli", "tui.cli.parser", "tui.core", "tui.core.heap"}
    }


def test_boards_imports_neither_the_tui_nor_time_tracking(tmp_path: Path):
    modules = imported(tmp_path, "boards", "--json")
    assert "textual" not in roots(modules)
    assert not {m for m in modules if m.startswith(("tui.ui", "tui.core.time", "tui.cli.time"))}
    assert "tui.cli.common" in modules  # the command did run


def test_reading_the_local_board_imports_no_registry_scan_config_or_sending(tmp_path: Path):
    # The local board alone has no accounts.toml to read (tui.core.config, its TOML
    # reader), needs no look at every installed plugin (importlib.metadata) and sends
    # nothing (tui.core.replay; uuid names new operations): ~25 ms of such a command.
    unused = {"importlib.metadata", "tui.core.config", "tomllib", "tui.core.replay", "uuid"}
    for argv in (["boards", "--json"], ["cards", "--board", "1", "--json"]):
        modules = imported(tmp_path, *argv)
        assert "tui.cli.common" in modules, argv  # the command did run
        assert not modules & unused, argv


def test_the_collector_waits_out_start_up_and_runs_for_the_command(monkeypatch):
    # Start-up's objects live as long as the process: collecting during the imports is
    # time spent for nothing (tui.core.heap). The command's own work is collected.
    seen: list[tuple[str, bool]] = []

    async def command(args: object) -> int:
        seen.append(("command runs", gc.isenabled()))
        return 0

    def resolve(handler: str) -> Callable[[object], Coroutine[Any, Any, int]]:
        seen.append(("its modules load", gc.isenabled()))
        return command

    monkeypatch.setattr(cli, "resolve", resolve)
    assert cli.main(["boards", "--json"]) == 0
    assert seen == [("its modules load", False), ("command runs", True)]
    assert gc.isenabled()
