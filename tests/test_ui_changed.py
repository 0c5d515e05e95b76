"""Cards changed on the service since the user last looked carry a ● until the cursor
rests on them, and the status bar counts them."""

from __future__ import annotations

import pytest
from textual.widgets import Static

from tests.conftest import ScriptedService, make_local
from tests.support.pilot import press, settled
from tui.core.models import CardChanges
from tui.core.store import Store
from tui.ui.app import CardboardApp
from tui.ui.screens.board import BoardScreen
from tui.ui.widgets.card_list import CardList
from tui.ui.widgets.status_bar import StatusBar

pytestmark = pytest.mark.usefixtures("frozen_clock")


def status(app: CardboardApp) -> str:
    return str(app.screen.query_one(StatusBar).query_one("#status-text", Static).render())


def tile_title(app: CardboardApp, card_id: str) -> str:
    card_list = next(
        cards for cards in app.screen.query(CardList) if cards.card_region(card_id) is not None
    )
    top = card_list.card_region(card_id).y
    return card_list.render_line(top - int(card_list.scroll_y)).text.lstrip("▌ ")


async def test_a_card_renamed_elsewhere_is_signed_until_the_cursor_rests_on_it(tmp_path):
    app = CardboardApp(Store(make_local(tmp_path / "board", ScriptedService)), remember=False)
    async with app.run_test(size=(160, 40)) as pilot:
        await settled(pilot)
        screen = app.screen
        assert isinstance(screen, BoardScreen)
        renamed = screen.views[1].cards[0]  # the next column's first card, not under the cursor
        elsewhere = make_local(tmp_path / "board")
        await elsewhere.update_card(renamed.board_id, renamed.id, CardChanges(title="Renamed"))
        await elsewhere.aclose()
        assert "changed" not in status(app)

        await press(pilot, "r")  # refresh: the service says what changed
        assert tile_title(app, renamed.id).startswith("● Renamed")
        assert "● 1 changed" in status(app)

        await press(pilot, "l")  # the cursor on it: seen
        assert screen.card_id == renamed.id
        assert tile_title(app, renamed.id).startswith("Renamed")
        assert "changed" not in status(app)
