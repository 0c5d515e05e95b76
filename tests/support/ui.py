"""Driving the app on the local demo board in Pilot tests, and reading its widgets."""

from __future__ import annotations

import io
from collections.abc import Callable

from rich.console import Console

from tests.support.pilot import record_notifications, settled
from tui.core.models import Card
from tui.core.provider import Connection
from tui.core.store import Store
from tui.providers.local import LocalProvider
from tui.ui.app import CardboardApp
from tui.ui.screens.card import CardScreen


def make_app(tmp_path, provider_class: type[LocalProvider] = LocalProvider) -> CardboardApp:
    """The app on the local board in `tmp_path`, its notifications recorded."""
    provider = provider_class(Connection(account="local", data_dir=tmp_path))
    return record_notifications(CardboardApp(Store(provider), remember=False))


async def board_ready(app: CardboardApp, pilot) -> None:
    """Wait until the board screen has opened the demo board."""
    await settled(pilot)
    assert app.state.board is not None, app.state.error


def demo_card(app: CardboardApp, wanted: Callable[[Card], bool]) -> Card:
    return next(card for card in app.state.board.cards if wanted(card))


def text_of(renderable) -> str:
    """What a widget's content reads as, without colour."""
    console = Console(width=200, file=io.StringIO(), record=True, color_system=None)
    console.print(renderable)
    return console.export_text()


async def open_card(app: CardboardApp, pilot, card: Card) -> CardScreen:
    screen = CardScreen(card.id)
    await app.push_screen(screen)
    await settled(pilot)
    assert app.state.detail is not None and app.state.detail.card.id == card.id
    return screen
