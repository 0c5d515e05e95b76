"""Every screen, as a person sees it, at 80x24 and at 160x48.

The app is built by the same factory as `cardboard` itself, on the demo board, with
the clock frozen so due dates and "overdue" read the same on every run. Accept a
change with `pytest --snapshot-update` only after looking at the SVGs.
"""

from __future__ import annotations

import pytest

from tests.support.pilot import settled
from tests.support.snapshots import SIZES, after, steady_cursors
from tui.ui.app import build_app
from tui.ui.screens.dialogs import OverrideScreen

pytestmark = pytest.mark.usefixtures("frozen_clock")


@pytest.fixture(params=SIZES.values(), ids=SIZES.keys())
def size(request) -> tuple[int, int]:
    return request.param


def shows(snap_compare, size, *keys: str) -> bool:
    return snap_compare(build_app(remember=False), terminal_size=size, run_before=after(*keys))


def test_board(snap_compare, size):
    assert shows(snap_compare, size)


def test_board_cursor_moved_and_card_moved_right(snap_compare, size):
    assert shows(snap_compare, size, "l", "j", "L")


def test_board_filtered(snap_compare, size):
    assert shows(snap_compare, size, "slash", *"label:bug", "enter")


def test_card_detail(snap_compare, size):
    assert shows(snap_compare, size, "l", "enter")


def test_new_card_form(snap_compare, size):
    assert shows(snap_compare, size, "n")


def test_edit_card_form(snap_compare, size):
    assert shows(snap_compare, size, "e")


def test_help(snap_compare, size):
    assert shows(snap_compare, size, "question_mark")


def test_board_picker(snap_compare, size):
    assert shows(snap_compare, size, "b")


def test_delete_confirmation(snap_compare, size):
    assert shows(snap_compare, size, "d")


def test_wip_override_dialog(snap_compare, size):
    async def run(pilot) -> None:
        await settled(pilot)
        pilot.app.push_screen(OverrideScreen("KanbanTool: WIP limit of In progress (3) reached"))
        await settled(pilot)
        steady_cursors(pilot)

    assert snap_compare(build_app(remember=False), terminal_size=size, run_before=run)


def test_board_that_cannot_be_opened(snap_compare, size, private_dirs, monkeypatch):
    monkeypatch.chdir(private_dirs)  # a relative data dir keeps the path on screen the same
    monkeypatch.setenv("CARDBOARD_DATA_DIR", "data")
    database = private_dirs / "data" / "local.db"
    database.parent.mkdir(parents=True)
    database.write_bytes(b"this is not a database")
    assert shows(snap_compare, size)
