"""Fresh temporary homes for one benchmark run, and the boards in them, built once.

Every process the benchmark starts gets CARDBOARD_DATA_DIR and CARDBOARD_CONFIG_DIR
pointing into a temporary folder, so the user's own ~/.config and ~/.local are never
read or written.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
"""The repository."""
PYTHON = ROOT / ".venv" / "bin" / "python"
CARDBOARD = ROOT / ".venv" / "bin" / "cardboard"
TOOLS = ROOT.parent / "shared" / "tools"
"""tmux_first_paint.py and floor_app.py (see its README.md)."""


@dataclass(frozen=True)
class Home:
    """A data folder and a config folder of the app's own."""

    data: Path
    config: Path

    @property
    def variables(self) -> dict[str, str]:
        return {"CARDBOARD_DATA_DIR": str(self.data), "CARDBOARD_CONFIG_DIR": str(self.config)}

    @property
    def env(self) -> dict[str, str]:
        """This process's environment with the app pointed here, for subprocess.run."""
        return os.environ | self.variables

    def env_command(self, *command: str) -> list[str]:
        """`env VAR=... command`: a tmux pane inherits the tmux server's environment,
        not ours, so the variables go on the command line."""
        return ["env", *(f"{name}={value}" for name, value in self.variables.items()), *command]


class Workspace:
    """Temporary folders for one run; removed by close()."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="cardboard-bench-"))
        self._boards: dict[int, tuple[Home, str]] = {}
        self._demo: Home | None = None
        # This process too: building a board must not touch the user's folders.
        os.environ.update(self.home("scratch").variables)

    def home(self, name: str) -> Home:
        home = Home(self.root / name / "data", self.root / name / "config")
        home.data.mkdir(parents=True, exist_ok=True)
        home.config.mkdir(parents=True, exist_ok=True)
        return home

    def big_board(self, cards: int) -> tuple[Home, str]:
        """A home holding a local board of `cards` cards (big_board.py); its board id."""
        if cards not in self._boards:
            from tests.benchmarks.big_board import make_big_board

            home = self.home(f"board-{cards}")
            board_id = asyncio.run(make_big_board(home.data, cards))
            self._boards[cards] = home, board_id
        return self._boards[cards]

    def demo_home(self) -> Home:
        """A home whose local database holds the demo board (id 1), made by a first start."""
        if self._demo is None:
            home = self.home("demo")
            subprocess.run(
                [str(CARDBOARD), "boards"], env=home.env, check=True, capture_output=True
            )
            self._demo = home
        return self._demo

    def close(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)
