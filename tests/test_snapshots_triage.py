"""Triage, its prompt and summary, the bulk actions and the inbox, at 80x24 and 160x48.

The demo board with the clock frozen; the person at the keyboard is "Sam Tester" (the
OS user name differs between machines), with two cards of their own and one overdue.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from tests.conftest import NOW
from tests.support.snapshots import SIZES, after
from tui.core import paths
from tui.core.models import CardChanges
from tui.core.provider import Connection
from tui.providers import local as local_module
from tui.providers.local import LocalProvider
from tui.ui.app import build_app

pytestmark = pytest.mark.usefixtures("frozen_clock")


@pytest.fixture(autouse=True)
def someone_at_the_keyboard(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(local_module, "_os_user_name", lambda: "Sam Tester")


@pytest.fixture(params=SIZES.values(), ids=SIZES.keys())
def size(request) -> tuple[int, int]:
    return request.param


async def _some_cards_for_me() -> None:
    local = LocalProvider(Connection(account="local", data_dir=paths.data_dir()))
    me = await local.whoami()
    board = (await local.list_boards())[0]
    content = await local.load_board(board.id)
    free = [card for card in content.cards if card.assignee is None and card.due is None]
    for card in free[:2]:
        await local.update_card(board.id, card.id, CardChanges(assignee_id=me.id))
    overdue = NOW.date() - timedelta(days=2)
    await local.update_card(board.id, free[2].id, CardChanges(due=overdue))
    await local.aclose()


def shows(snap_compare, size, *keys: str) -> bool:
    return snap_compare(build_app(remember=False), terminal_size=size, run_before=after(*keys))


def test_triage(snap_compare, size):
    assert shows(snap_compare, size, "exclamation_mark")


def test_triage_assign_prompt_filters_as_you_type(snap_compare, size):
    assert shows(snap_compare, size, "exclamation_mark", "a", "d")


def test_triage_summary(snap_compare, size):
    # The demo's Backlog holds 8 cards: one decided, seven skipped.
    assert shows(snap_compare, size, "exclamation_mark", "m", "2", *["s"] * 7)


def test_bulk_actions_on_marked_cards(snap_compare, size):
    assert shows(snap_compare, size, "space", "space", "space", "x")


def test_inbox(snap_compare, size):
    asyncio.run(_some_cards_for_me())
    assert shows(snap_compare, size, "i")
