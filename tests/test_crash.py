"""A crash leaves its report in the log file, which `cardboard` names on exit."""

from __future__ import annotations

import pytest

from tui.core import logs
from tui.ui.app import build_app
from tui.ui.screens.board import BoardScreen


class Boom(Exception):
    pass


async def test_an_unhandled_error_is_reported_in_the_log(monkeypatch):
    log_file = logs.setup_logging()

    def explode(self, dx: int, dy: int) -> None:
        raise Boom("the cursor fell off the board")

    monkeypatch.setattr(BoardScreen, "action_cursor", explode)
    app = build_app(remember=False)
    with pytest.raises(Boom):
        async with app.run_test() as pilot:
            await app.workers.wait_for_complete()
            await pilot.press("j")
    assert app.crashed and app.return_code == 1
    report = log_file.read_text()
    assert "Cardboard crashed" in report
    assert "the cursor fell off the board" in report and "Traceback" in report
