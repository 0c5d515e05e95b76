"""`cardboard` imports only what the command runs: `--version` nothing heavy, `boards` no TUI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


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
        and m not in {"tui.cli", "tui.cli.parser", "tui.core", "tui.core.durations"}
    }


def test_boards_imports_neither_the_tui_nor_time_tracking(tmp_path: Path):
    modules = imported(tmp_path, "boards", "--json")
    assert "textual" not in roots(modules)
    assert not {m for m in modules if m.startswith(("tui.ui", "tui.core.time", "tui.cli.time"))}
    assert "tui.cli.common" in modules  # the command did run
