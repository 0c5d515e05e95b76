"""The board's columns share the terminal's width, and a WIP limit broken is said in words."""

from __future__ import annotations

from datetime import date

import pytest
from rich.style import Style
from textual.containers import HorizontalScroll

from tests.conftest import make_local
from tests.support.pilot import notifications, press, record_notifications, settled
from tui.core.config import BoardSettings, Settings, load_settings
from tui.core.errors import ConfigError
from tui.core.models import Card
from tui.core.store import Store
from tui.ui.app import CardboardApp
from tui.ui.widgets.card_tile import TileStyles, tile_lines
from tui.ui.widgets.column import COLUMN_GAP, BoardColumn, ColumnHeader

pytestmark = pytest.mark.usefixtures("frozen_clock")


def make_app(tmp_path, board: BoardSettings | None = None) -> CardboardApp:
    settings = Settings(board=board or BoardSettings())
    app = CardboardApp(Store(make_local(tmp_path / "board")), settings=settings, remember=False)
    return record_notifications(app)


def widths(app: CardboardApp) -> list[int]:
    return [column.outer_size.width for column in app.screen.query(BoardColumn)]


def header_text(app: CardboardApp, name: str) -> str:
    headers = [column.header.render().plain.rstrip() for column in app.screen.query(BoardColumn)]
    return next(header for header in headers if header.startswith(name))


# --- config.toml [board] ----------------------------------------------------------


def test_the_bounds_are_read_from_config_toml(private_dirs):
    config = private_dirs / "config" / "config.toml"
    config.parent.mkdir()
    config.write_text("[board]\nmin_column_width = 30\nmax_column_width = 40\n")
    assert load_settings().board.column_widths == (30, 40)


def test_the_old_card_width_still_fixes_every_column():
    assert BoardSettings(card_width=30).column_widths == (30, 30)
    assert BoardSettings().column_widths == (22, 60)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("min_column_width = 50\nmax_column_width = 40\n", "is more than max_column_width"),
        ("card_width = 30\nmin_column_width = 20\n", "card_width (a fixed width) cannot go"),
        ("min_column_width = 3\n", "board.min_column_width: Input should be greater"),
    ],
)
def test_bounds_that_cannot_be_met_are_a_config_error(private_dirs, text, problem):
    config = private_dirs / "config" / "config.toml"
    config.parent.mkdir()
    config.write_text(f"[board]\n{text}")
    with pytest.raises(ConfigError, match=r"config\.toml") as raised:
        load_settings()
    assert problem in str(raised.value)


# --- the width ----------------------------------------------------------------------


async def test_at_200_columns_the_five_columns_fill_the_width(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(200, 50)) as pilot:
        await settled(pilot)
        shown = widths(app)
        assert len(shown) == 5 and all(22 <= width <= 60 for width in shown)
        assert sum(shown) + COLUMN_GAP * len(shown) >= 200 - 2 - len(shown)  # nothing left over
        assert app.screen.query_one("#columns", HorizontalScroll).max_scroll_x == 0


async def test_at_80_columns_they_keep_the_minimum_and_scroll_to_the_cursor(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        assert widths(app) == [22] * 5
        scroller = app.screen.query_one("#columns", HorizontalScroll)
        assert scroller.max_scroll_x > 0 and scroller.scroll_x == 0
        await press(pilot, *"llll")
        last = list(app.screen.query(BoardColumn))[-1]
        assert scroller.scroll_x > 0 and last.region.right <= 80


async def test_widening_the_terminal_shares_the_new_width(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        await pilot.resize_terminal(160, 40)
        await settled(pilot)
        assert all(width > 22 for width in widths(app))
        assert app.screen.query_one("#columns", HorizontalScroll).max_scroll_x == 0


async def test_a_column_is_never_wider_than_the_maximum(tmp_path):
    app = make_app(tmp_path, BoardSettings(min_column_width=20, max_column_width=25))
    async with app.run_test(size=(200, 50)) as pilot:
        await settled(pilot)
        assert widths(app) == [25] * 5


async def test_card_width_keeps_the_old_fixed_columns(tmp_path):
    app = make_app(tmp_path, BoardSettings(card_width=30))
    async with app.run_test(size=(200, 50)) as pilot:
        await settled(pilot)
        assert widths(app) == [30] * 5


# --- WIP limits in words ------------------------------------------------------------


async def test_a_column_over_its_limit_says_over_and_one_within_does_not(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(200, 50)) as pilot:
        await settled(pilot)
        assert header_text(app, "In progress").endswith("4/3 over")
        assert header_text(app, "Ready").endswith("5/5")
        assert header_text(app, "Backlog").endswith("8")


async def test_a_narrow_column_cuts_the_name_not_the_count(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        header = header_text(app, "In prog")
        assert header.startswith("In prog…") and header.endswith("4/3 over")


async def test_the_move_that_breaks_a_limit_says_so_and_one_within_does_not(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(200, 50)) as pilot:
        await settled(pilot)
        await press(pilot, "L")  # Backlog -> Ready, which is at its limit (5/5)
        assert header_text(app, "Ready").endswith("6/5 over")
        assert notifications(app)[-1] == "Ready is now over its WIP limit: 6 cards, 5 allowed"
        told = len(notifications(app))
        await press(pilot, "J")  # within Ready: no new word about the limit
        assert not any("WIP" in message for message in notifications(app)[told:])
        await press(pilot, "H")  # back to Backlog, which has no limit
        assert header_text(app, "Ready").endswith("5/5")
        assert not any("WIP" in message for message in notifications(app)[told:])


async def test_over_limit_is_drawn_reversed_so_it_shows_without_colour(tmp_path, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(tmp_path)
    async with app.run_test(size=(200, 50)) as pilot:
        await settled(pilot)
        assert app.no_color
        headers = {h.render().plain.split()[0]: h.render() for h in app.screen.query(ColumnHeader)}
        over = headers["In"]  # In progress, 4/3
        [chip] = [span for span in over.spans if "4/3 over" in over.plain[span.start : span.end]]
        assert chip.style.reverse and chip.style.bold
        assert not any(span.style.reverse for span in headers["Ready"].spans)


def test_a_tile_says_overdue_in_words_not_only_in_red():
    plain = Style()
    styles = TileStyles(title=plain, muted=plain, overdue=plain, blocked=plain, urgent=plain)

    def facts(due: date) -> str:
        card = Card(id="1", board_id="1", title="Pay the rent", column_id="c", due=due)
        return tile_lines(card, date(2026, 11, 20), styles)[-1].plain

    assert facts(date(2026, 11, 19)) == "overdue Nov 19"
    assert facts(date(2026, 11, 20)) == "due Nov 20"
