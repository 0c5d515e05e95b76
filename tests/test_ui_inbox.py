"""The inbox across two accounts (the local board and Kaiten's fake), as a person uses it."""

from __future__ import annotations

import functools
from datetime import date, timedelta

import pytest

from tests.conftest import NOW
from tests.fakes.kaiten import KaitenFake
from tests.support.clock import FakeClock
from tests.support.pilot import press, settled, until
from tests.support.providers import against_fake
from tui.core import paths
from tui.core.connect import connect
from tui.core.models import CardChanges
from tui.core.provider import Connection
from tui.providers import http
from tui.providers.kaiten import KaitenProvider
from tui.providers.local import LocalProvider
from tui.ui.app import CardboardApp, build_app
from tui.ui.screens.card import CardScreen
from tui.ui.screens.inbox import InboxScreen

pytestmark = pytest.mark.usefixtures("frozen_clock")


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> KaitenFake:
    monkeypatch.setattr(http, "SystemClock", FakeClock)
    fake = KaitenFake(rate_limit=None)
    paths.accounts_file().parent.mkdir(parents=True, exist_ok=True)
    paths.accounts_file().write_text(
        f'[accounts.work]\nprovider = "kaiten"\nurl = "{fake.base_url}"\n'
        f'allow_insecure = true\ntoken = "{fake.token}"\n'
    )
    return fake


async def mine_on_kaiten(fake: KaitenFake) -> str:
    kaiten = against_fake(KaitenProvider, fake, FakeClock())
    me = await kaiten.whoami()
    board = (await kaiten.list_boards())[0]
    card = (await kaiten.load_board(board.id)).cards[0]
    await kaiten.update_card(board.id, card.id, CardChanges(assignee_id=me.id))
    await kaiten.aclose()
    return card.title


async def mine_and_overdue_locally() -> tuple[str, str]:
    local = LocalProvider(Connection(account="local", data_dir=paths.data_dir()))
    me = await local.whoami()
    board = (await local.list_boards())[0]
    content = await local.load_board(board.id)
    open_cards = [card for card in content.cards if card.assignee is None and card.due is None]
    mine, late = open_cards[0], open_cards[1]
    await local.update_card(board.id, mine.id, CardChanges(assignee_id=me.id))
    yesterday = NOW.date() - timedelta(days=1)
    await local.update_card(board.id, late.id, CardChanges(due=yesterday))
    await local.aclose()
    return mine.title, late.title


def make_app(fake: KaitenFake) -> CardboardApp:
    app = build_app(remember=False)
    app.connect_account = functools.partial(connect, transport=fake.transport())
    return app


def inbox_text(screen: InboxScreen) -> list[str]:
    options = screen.query_one("OptionList")
    return [str(options.get_option_at_index(n).prompt) for n in range(options.option_count)]


async def test_the_inbox_lists_my_cards_on_both_services_and_opens_one(fake: KaitenFake):
    kaiten_title = await mine_on_kaiten(fake)
    local_mine, local_late = await mine_and_overdue_locally()
    app = make_app(fake)
    async with app.run_test(size=(100, 30)) as pilot:
        await settled(pilot)
        await press(pilot, "i")
        screen = app.screen
        assert isinstance(screen, InboxScreen)
        await until(pilot, lambda: None not in screen.inboxes.values(), "every account read")
        local_inbox, work_inbox = screen.inboxes["local"], screen.inboxes["work"]
        assert work_inbox.error is None and local_inbox.error is None
        assert kaiten_title in [e.card.title for e in work_inbox.entries]
        assert all(e.reasons and e.account == "work" for e in work_inbox.entries)
        local_titles = [e.card.title for e in local_inbox.entries]
        assert local_late in local_titles and local_mine in local_titles
        assert local_titles.index(local_late) < local_titles.index(local_mine)  # late first
        rows = " | ".join(inbox_text(screen))
        assert "overdue by 1 day" in rows and "mine" in rows

        # enter on the Kaiten card: the app switches to that account and opens it.
        entry_key = next(key for key, e in screen.listed.items() if e.account == "work")
        option_list = screen.query_one("OptionList")
        option_list.highlighted = option_list.get_option_index(entry_key)
        await press(pilot, "enter")
        await until(pilot, lambda: isinstance(app.screen, CardScreen), "the card opened")
        assert app.store.state.account == "work"
        await until(pilot, lambda: app.state.detail is not None, "the card's detail")
        assert app.state.detail.card.title == kaiten_title


async def test_an_account_that_cannot_be_reached_says_so_and_the_others_still_show(
    fake: KaitenFake,
):
    fake.token = "rotated"  # the account's token is now refused
    local_mine, _ = await mine_and_overdue_locally()
    app = make_app(fake)
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        await press(pilot, "i")
        screen = app.screen
        await until(pilot, lambda: None not in screen.inboxes.values(), "every account read")
        assert screen.inboxes["work"].error and not screen.inboxes["work"].entries
        assert local_mine in [e.card.title for e in screen.inboxes["local"].entries]
        assert fake.token not in " ".join(inbox_text(screen))


def test_due_soon_reads_in_words(fake):
    from tui.core.inbox import InboxEntry, Reason
    from tui.core.models import Board, Card
    from tui.ui.screens.inbox import entry_line

    today = date(2026, 11, 20)
    card = Card(id="1", board_id="b", title="Ship it", column_id="c", due=today)
    entry = InboxEntry("local", Board(id="b", name="B"), None, card, frozenset({Reason.DUE_SOON}))
    assert entry_line(entry, today).plain == "Ship it  · c · due today"


async def test_a_second_inbox_paints_from_the_cache_and_keeps_it_when_the_service_fails(
    fake: KaitenFake,
):
    kaiten_title = await mine_on_kaiten(fake)
    app = make_app(fake)
    async with app.run_test(size=(100, 30)) as pilot:
        await settled(pilot)
        await press(pilot, "i")
        screen = app.screen
        await until(pilot, lambda: None not in screen.inboxes.values(), "every account read")
        await press(pilot, "escape")
    fake.token = "rotated"  # the next read of the service is refused
    app = make_app(fake)
    async with app.run_test(size=(100, 30)) as pilot:
        await settled(pilot)
        await press(pilot, "i")
        screen = app.screen
        await until(pilot, lambda: not screen.refreshing, "the service asked again")
        work = screen.inboxes["work"]
        assert kaiten_title in [e.card.title for e in work.entries]  # what the cache knew
        assert work.error  # and why it is not fresher
        assert any("work" in row and work.error[:20] in row for row in inbox_text(screen))
