"""The board of issue 13 as a person sees it, at 80x24 and at 200x50: columns that fill
the width, a WIP limit broken said in words, the toasts after an action, the help.

Accept a change with `pytest --snapshot-update` only after looking at the SVGs.
"""

from __future__ import annotations

import pytest

from tests.support.snapshots import after
from tui.ui.app import build_app

pytestmark = pytest.mark.usefixtures("frozen_clock")

SIZES = {"80x24": (80, 24), "200x50": (200, 50)}


@pytest.fixture(params=SIZES.values(), ids=SIZES.keys())
def size(request) -> tuple[int, int]:
    return request.param


def shows(snap_compare, size, *keys: str) -> bool:
    return snap_compare(build_app(remember=False), terminal_size=size, run_before=after(*keys))


def test_board_fills_the_width(snap_compare, size):
    assert shows(snap_compare, size)


def test_move_over_a_wip_limit(snap_compare, size):
    assert shows(snap_compare, size, "L")


def test_archived_card_toast(snap_compare, size):
    assert shows(snap_compare, size, "j", "a")


def test_help_over_the_board(snap_compare, size):
    assert shows(snap_compare, size, "question_mark")


def test_the_filter_field_lies_over_the_columns(snap_compare, size):
    assert shows(snap_compare, size, "slash", *"label:bug")
