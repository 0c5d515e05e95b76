"""Cards that changed on the service since the user last looked at them are marked."""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path

from tests.conftest import ScriptedService, make_local
from tests.support.clock import FakeClock
from tui.core.cache import Cache
from tui.core.models import Card, CardChanges, CardDraft, Label
from tui.core.outbox import Outbox
from tui.core.seen import changed_cards, fingerprint, fingerprints
from tui.core.store import Store


def card(**changes) -> Card:
    return replace(Card(id="1", board_id="b", title="Fix login", column_id="todo"), **changes)


def test_a_fingerprint_follows_what_the_board_shows_not_what_only_the_card_page_has():
    assert fingerprint(card()) == fingerprint(card())
    for shown in (
        {"title": "Fix logout"},
        {"column_id": "doing"},
        {"labels": (Label(id="bug", name="bug"),)},
        {"comment_count": 1},
        {"blocked": True},
    ):
        assert fingerprint(card(**shown)) != fingerprint(card()), shown
    assert fingerprint(card(description="all of it", position=9)) == fingerprint(card())


def test_nothing_is_changed_on_a_board_never_seen_and_new_cards_are_on_one_seen():
    seen = fingerprints([card()])
    other = card(id="2")
    assert changed_cards([card(), other], {}) == frozenset()
    assert changed_cards([card(title="Fix logout"), other], seen) == {"1", "2"}
    assert changed_cards([card()], seen) == frozenset()


def open_store(tmp_path: Path) -> Store:
    provider = make_local(tmp_path / "data", ScriptedService)
    return Store(
        provider,
        outbox=Outbox(tmp_path / "outbox.db", "work"),
        cache=Cache(tmp_path / "cache.db"),
        clock=FakeClock(),
        rng=random.Random(3),
    )


async def elsewhere(tmp_path: Path, board_id: str, card_id: str, title: str) -> None:
    """Someone else renames a card on the service."""
    other = make_local(tmp_path / "data")
    await other.update_card(board_id, card_id, CardChanges(title=title))
    await other.aclose()


async def test_a_card_changed_elsewhere_is_marked_until_the_cursor_rests_on_it(tmp_path: Path):
    store = open_store(tmp_path)
    board = (await store.load_boards())[0]
    await store.open_board(board.id)
    assert store.state.changed == frozenset()  # a first look: everything is as seen
    target = store.state.board.cards[0]
    await elsewhere(tmp_path, board.id, target.id, "Renamed elsewhere")
    await store.refresh()
    assert store.state.changed == {target.id}
    store.saw(store.state.board.cards[1].id)  # another card: the mark stays
    assert store.state.changed == {target.id}
    store.saw(target.id)
    assert store.state.changed == frozenset()
    await store.provider.aclose()
    store.close()

    again = open_store(tmp_path)  # seen is remembered: the next session marks nothing
    await again.open_board(board.id)
    assert again.state.changed == frozenset()
    await again.provider.aclose()
    again.close()


async def test_the_users_own_changes_and_opened_cards_are_not_marked(tmp_path: Path):
    store = open_store(tmp_path)
    board = (await store.load_boards())[0]
    await store.open_board(board.id)
    first, second = store.state.board.cards[:2]
    await store.update_card(first.id, CardChanges(title="Mine now"))
    column = store.state.board.columns[0].id
    created = await store.create_card(CardDraft(title="My new card", column_id=column))
    await store.queue.idle()
    await elsewhere(tmp_path, board.id, second.id, "Changed, then opened")
    await store.open_card(second.id)  # looked at in full: seen
    await store.refresh()
    assert store.state.changed == frozenset(), [
        c.title for c in store.state.board.cards if c.id in store.state.changed
    ]
    assert any(c.title == created.title for c in store.state.board.cards)
    await store.provider.aclose()
    store.close()
