"""Every write under every fault lands on the service exactly once (issue 10).

The store talks to the Kaiten fake through the real provider and HTTP client, on
virtual time. A fault is injected for the write; then the service recovers, the
queue is synced, and the service is read by a second client: the change is there,
once, and the screen agrees with it. `kill -9` is simulated by abandoning a store at
a chosen step (before the send, after the service acted, after the answer) and
opening a fresh one on the same files.
"""

from __future__ import annotations

import random
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.fakes.kaiten import KaitenFake
from tests.support.clock import FakeClock
from tests.support.providers import against_fake
from tui.core.board_view import next_column_target
from tui.core.cache import Cache
from tui.core.errors import NotFound
from tui.core.models import Card, CardChanges, CardDraft
from tui.core.outbox import OpState, Outbox
from tui.core.store import Store
from tui.providers.kaiten import KaitenProvider


class Killed(BaseException):
    """The process dies here: nothing after this line runs, nothing is cleaned up."""


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def fake(clock: FakeClock) -> KaitenFake:
    fake = KaitenFake(clock=clock.monotonic)
    fake.wall_clock = clock.time
    return fake


@dataclass
class World:
    tmp_path: Path
    fake: KaitenFake
    clock: FakeClock
    stores: list[Store]

    def open(self, transport: httpx.AsyncBaseTransport | None = None) -> Store:
        """A store as a fresh process would make it, on the same outbox and cache files."""
        provider = against_fake(KaitenProvider, self.fake, self.clock, transport=transport)
        # A process number of its own, one no process has: the previous "process" is gone.
        pid = 2**22 + 1000 + len(self.stores)
        store = Store(
            provider,
            outbox=Outbox(self.tmp_path / "outbox.db", "work", pid=pid),
            cache=Cache(self.tmp_path / "cache.db"),
            clock=self.clock,
            rng=random.Random(7),
        )
        self.stores.append(store)
        return store

    def reader(self) -> KaitenProvider:
        return against_fake(KaitenProvider, self.fake, self.clock)


@pytest.fixture
async def world(tmp_path: Path, fake: KaitenFake, clock: FakeClock) -> AsyncIterator[World]:
    world = World(tmp_path, fake, clock, [])
    yield world
    for store in world.stores:
        await store.provider.aclose()
        store.close()


async def opened(store: Store) -> Store:
    boards = await store.load_boards()
    await store.open_board(boards[0].id)
    return store


# --- one write of each kind, and how to tell it landed once ---------------------------

Check = Callable[[KaitenProvider, str], Awaitable[None]]


@dataclass(frozen=True)
class Write:
    name: str
    act: Callable[[Store, Card], Awaitable[object]]
    check: Callable[[KaitenProvider, str, Card], Awaitable[None]]


def movable(store: Store) -> Card:
    board = store.state.board
    return next(card for card in board.cards if next_column_target(board, card, 1) is not None)


async def create(store: Store, card: Card) -> object:
    draft = CardDraft(title="Landed once", column_id=card.column_id, lane_id=card.lane_id)
    return await store.create_card(draft)


async def created_once(reader: KaitenProvider, board_id: str, card: Card) -> None:
    cards = (await reader.load_board(board_id)).cards
    assert [c.title for c in cards].count("Landed once") == 1


async def edit(store: Store, card: Card) -> object:
    return await store.update_card(card.id, CardChanges(title="Renamed once"))


async def edited(reader: KaitenProvider, board_id: str, card: Card) -> None:
    assert (await reader.get_card(board_id, card.id)).title == "Renamed once"


async def move(store: Store, card: Card) -> object:
    column_id, lane_id, index = next_column_target(store.state.board, card, 1)
    return await store.move_card(card.id, column_id, lane_id, index)


async def moved(reader: KaitenProvider, board_id: str, card: Card) -> None:
    board = await reader.load_board(board_id)
    column_id, _, _ = next_column_target(board, card, 1)
    assert (await reader.get_card(board_id, card.id)).column_id == column_id


async def comment(store: Store, card: Card) -> object:
    return await store.add_comment(card.id, "Said once")


async def commented(reader: KaitenProvider, board_id: str, card: Card) -> None:
    texts = [c.text for c in await reader.list_comments(board_id, card.id)]
    assert texts.count("Said once") == 1


async def add_item(store: Store, card: Card) -> object:
    return await store.add_checklist_item(card.id, "Step once")


async def item_added(reader: KaitenProvider, board_id: str, card: Card) -> None:
    texts = [i.text for i in (await reader.get_card(board_id, card.id)).checklist]
    assert texts.count("Step once") == 1


async def toggle(store: Store, card: Card) -> object:
    if store.state.detail is None:  # the tests open it before the fault, or here
        await store.open_card(card.id)
    item = store.state.detail.card.checklist[0]
    return await store.toggle_checklist_item(card.id, item.id)


async def toggled(reader: KaitenProvider, board_id: str, card: Card) -> None:
    assert (await reader.get_card(board_id, card.id)).checklist[0].done is True


async def archive(store: Store, card: Card) -> object:
    return await store.archive_card(card.id)


async def archived(reader: KaitenProvider, board_id: str, card: Card) -> None:
    assert card.id not in {c.id for c in (await reader.load_board(board_id)).cards}


async def delete(store: Store, card: Card) -> object:
    return await store.delete_card(card.id)


async def deleted(reader: KaitenProvider, board_id: str, card: Card) -> None:
    with pytest.raises(NotFound):
        await reader.get_card(board_id, card.id)


WRITES = [
    Write("create", create, created_once),
    Write("edit", edit, edited),
    Write("move", move, moved),
    Write("comment", comment, commented),
    Write("checklist_add", add_item, item_added),
    Write("checklist_toggle", toggle, toggled),
    Write("archive", archive, archived),
    Write("delete", delete, deleted),
]


async def with_unticked_item(world: World, store: Store) -> Card:
    """The card every write is made on; it has an unticked checklist item to toggle."""
    card = movable(store)
    reader = world.reader()
    try:
        await reader.add_checklist_item(card.board_id, card.id, "Tick me")
    finally:
        await reader.aclose()
    await store.refresh()
    return store.state.card(card.id)


async def assert_landed_once(world: World, store: Store, write: Write, card: Card) -> None:
    for _ in range(6):  # virtual time: each pass may wait out a rate limit
        if store.state.pending == 0:
            break
        world.clock.now += 120
        await store.sync()
    assert store.state.pending == 0 and store.state.conflicts == 0, store.state.operations
    reader = world.reader()
    try:
        await write.check(reader, card.board_id, card)
        await store.refresh()
        truth = await reader.load_board(card.board_id)
    finally:
        await reader.aclose()
    shown = {c.id: (c.title, c.column_id) for c in store.state.board.cards}
    assert shown == {c.id: (c.title, c.column_id) for c in truth.cards}


# --- faults ---------------------------------------------------------------------------


def service_down(fake: KaitenFake) -> None:
    fake.faults.drop_before = 10_000


def server_error(fake: KaitenFake) -> None:
    fake.faults.statuses = [502]


def rate_limit_storm(fake: KaitenFake) -> None:
    fake.faults.statuses = [429] * 40


def garbled_answer(fake: KaitenFake) -> None:
    fake.faults.malformed = 1


def dropped_after_acting(fake: KaitenFake) -> None:
    fake.faults.drop_after = 1


FAULTS = [service_down, server_error, rate_limit_storm, garbled_answer, dropped_after_acting]


@pytest.mark.parametrize("fault", FAULTS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("write", WRITES, ids=lambda w: w.name)
async def test_a_write_under_a_fault_lands_exactly_once(world: World, write: Write, fault):
    store = await opened(world.open())
    card = await with_unticked_item(world, store)
    if write.name == "checklist_toggle":
        await store.open_card(card.id)  # its read must not eat the fault
    fault(world.fake)
    await write.act(store, card)
    if fault is service_down:
        assert not store.state.online and store.state.pending == 1
        assert store.state.error is None  # offline is a state, not an error
    world.fake.faults.drop_before = 0
    world.fake.faults.statuses.clear()
    await assert_landed_once(world, store, write, card)


# --- kill -9 between the steps --------------------------------------------------------


class DiesAfterTheServiceActs(httpx.AsyncBaseTransport):
    """The process is killed once a write has reached the service, before its answer."""

    def __init__(self, inner: httpx.AsyncBaseTransport):
        self.inner = inner

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        if request.method != "GET":
            raise Killed
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()


@pytest.mark.parametrize("write", WRITES, ids=lambda w: w.name)
async def test_killed_before_the_send_the_next_start_sends_it(world: World, write: Write):
    store = await opened(world.open())
    card = await with_unticked_item(world, store)
    if write.name == "checklist_toggle":
        await store.open_card(card.id)
    service_down(world.fake)
    await write.act(store, card)  # committed, shown, not sent: then the process dies
    world.fake.faults.drop_before = 0
    again = await opened(world.open())
    assert again.state.pending == 1
    await again.sync()
    await assert_landed_once(world, again, write, card)


@pytest.mark.parametrize("write", WRITES, ids=lambda w: w.name)
async def test_killed_after_the_service_acted_the_next_start_does_not_repeat_it(
    world: World, write: Write
):
    store = await opened(world.open(DiesAfterTheServiceActs(world.fake.transport())))
    card = await with_unticked_item(world, store)
    if write.name == "checklist_toggle":
        await store.open_card(card.id)
    with pytest.raises(Killed):
        await write.act(store, card)
    again = world.open()
    (op,) = again.outbox.operations()
    assert op.state is OpState.IN_DOUBT  # it was `sending` when the process died
    await opened(again)
    await again.sync()
    await assert_landed_once(world, again, write, card)


@pytest.mark.parametrize("write", WRITES, ids=lambda w: w.name)
async def test_killed_after_the_answer_the_next_start_does_not_repeat_it(
    world: World, write: Write, monkeypatch: pytest.MonkeyPatch
):
    store = await opened(world.open())
    card = await with_unticked_item(world, store)
    if write.name == "checklist_toggle":
        await store.open_card(card.id)

    def dies(*args: object, **kwargs: object) -> None:
        raise Killed

    monkeypatch.setattr(store.outbox, "complete", dies)
    with pytest.raises(Killed):
        await write.act(store, card)
    again = await opened(world.open())
    await again.sync()
    await assert_landed_once(world, again, write, card)
