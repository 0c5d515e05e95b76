"""The card form with every field it edits, and the board picker's board keys, as a person
sees them at 80x24 and at 160x48 (issue 13). See tests/test_snapshots.py for the how."""

from __future__ import annotations

import pytest

from tests.support.pilot import press
from tests.support.snapshots import SIZES, after
from tui.ui.app import build_app

pytestmark = pytest.mark.usefixtures("frozen_clock")


@pytest.fixture(params=SIZES.values(), ids=SIZES.keys())
def size(request) -> tuple[int, int]:
    return request.param


def shows(snap_compare, size, *keys: str) -> bool:
    return snap_compare(build_app(remember=False), terminal_size=size, run_before=after(*keys))


def test_edit_form_labels_marked_and_blocked_ticked(snap_compare, size):
    async def run(pilot) -> None:
        await after("e")(pilot)
        form = pilot.app.screen
        form.query_one("#labels").focus()
        await press(pilot, "space")  # "bug" picked, next to the card's own two
        form.query_one("#blocked").focus()
        await press(pilot, "space")

    assert snap_compare(build_app(remember=False), terminal_size=size, run_before=run)


def test_board_picker_list_with_its_board_keys(snap_compare, size):
    assert shows(snap_compare, size, "b", "tab")


def test_new_board_prompt(snap_compare, size):
    assert shows(snap_compare, size, "b", "tab", "n", *"Home")
