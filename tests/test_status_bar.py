"""The status bar says `--demo` in words, and shows a hint whole or not at all."""

from __future__ import annotations

from textual.widgets import Static

from tests.support.pilot import settled
from tests.support.ui import make_app
from tui.ui.app import build_app
from tui.ui.widgets.status_bar import StatusBar


def status(app) -> str:
    return str(app.screen.query_one(StatusBar).query_one("#status-text", Static).render())


async def test_the_demo_says_so_first():
    app = build_app(remember=False, demo=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        assert status(app).startswith(" DEMO  local (Local board)")


async def test_a_real_run_does_not_say_demo(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        assert "DEMO" not in status(app)


async def test_the_first_run_hint_shows_whole_or_not_at_all(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 24)) as pilot:
        await settled(pilot)
        assert status(app).endswith("A: add an account")
        await pilot.resize_terminal(60, 24)
        await settled(pilot)
        text = status(app)
        assert "add an account" not in text and not text.rstrip().endswith("A:…")
        await pilot.resize_terminal(100, 24)
        await settled(pilot)
        assert status(app).endswith("A: add an account")
