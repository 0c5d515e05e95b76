"""A create and a comment whose answer never arrives land exactly once, on every service.

The two writes issue 10 saw duplicated on all five services: the answer is garbled,
or the connection drops after the service acted. The outbox reads the service before
it sends again (the external id where the service keeps one, else what was written).
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from tests.fakes.service import FakeService
from tests.providers_under_test import ACCOUNT, REMOTES, build
from tests.support.clock import FakeClock
from tui.core.board_view import default_lane
from tui.core.cache import Cache
from tui.core.models import CardDraft
from tui.core.outbox import Outbox
from tui.core.provider import Capability
from tui.core.store import Store


def garbled(fake: FakeService) -> None:
    fake.faults.malformed = 1


def dropped_after_acting(fake: FakeService) -> None:
    fake.faults.drop_after = 1


async def settle(store: Store, clock: FakeClock) -> None:
    for _ in range(4):
        clock.now += 120
        await store.sync()
    assert store.state.operations == (), store.state.operations


@pytest.mark.parametrize("fault", [garbled, dropped_after_acting], ids=lambda f: f.__name__)
@pytest.mark.parametrize("name", sorted(REMOTES))
async def test_a_create_and_a_comment_land_once(name: str, fault, tmp_path: Path):
    clock = FakeClock()
    subject = build(name, tmp_path, clock)
    provider, fake = subject.provider, subject.fake
    assert fake is not None
    store = Store(
        provider,
        outbox=Outbox(tmp_path / "outbox.db", ACCOUNT),
        cache=Cache(tmp_path / "cache.db"),
        clock=clock,
        rng=random.Random(4),
    )
    try:
        board = (await store.load_boards())[0]
        content = await store.open_board(board.id)
        draft = CardDraft(
            title="Landed once",
            description="Made while the network misbehaved",  # Kitchen.co needs one
            column_id=content.columns[0].id,
            lane_id=default_lane(content, None),
        )
        fault(fake)
        await store.create_card(draft)
        await settle(store, clock)
        cards = (await provider.load_board(board.id)).cards
        assert [c.title for c in cards].count("Landed once") == 1
        if not provider.supports(Capability.COMMENTS):
            return
        card = next(c for c in store.state.board.cards if c.title == "Landed once")
        await store.open_card(card.id)  # as on the card screen: its comments are known
        fault(fake)
        await store.add_comment(card.id, "Said once")
        await settle(store, clock)
        texts = [c.text for c in await provider.list_comments(board.id, card.id)]
        assert texts.count("Said once") == 1
    finally:
        store.close()
        await provider.aclose()
