"""Running `cardboard` in-process and reading what it did."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from typing import Any

import pytest

from tui.cli import main
from tui.core import paths
from tui.core.models import BoardContent
from tui.core.provider import Connection
from tui.providers.local import LocalProvider

DEMO = "1"


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str

    @property
    def json(self) -> Any:
        return json.loads(self.out)


def run_cardboard(capsys: pytest.CaptureFixture[str], *argv: str) -> Run:
    """Run `cardboard ARGS...` in-process: exit code, stdout, stderr."""
    try:
        code = main(list(argv))
    except SystemExit as exit_:  # argparse's own usage errors
        code = exit_.code
    captured = capsys.readouterr()
    return Run(code, captured.out, captured.err)


def local_board(board_id: str = DEMO) -> BoardContent:
    """The board as the local provider holds it now, read behind the CLI's back."""

    async def load() -> BoardContent:
        provider = LocalProvider(Connection(account="local", data_dir=paths.data_dir()))
        try:
            return await provider.load_board(board_id)
        finally:
            await provider.aclose()

    return asyncio.run(load())


def assert_usage_error(run: Run, *fragments: str) -> None:
    """Exit 2, nothing on stdout, and one line on stderr naming the problem."""
    assert run.code == 2, run
    assert run.out == ""
    assert run.err.startswith("cardboard: ") and run.err.count("\n") == 1, run.err
    assert "Traceback" not in run.err
    for fragment in fragments:
        assert fragment in run.err
