"""Property: whatever the interleaving of actions, answers, refreshes and failures, the
service ends up with exactly what the user saw, and the screen agrees with the service.

The service is the local provider with scripted faults on its writes: down (certainly
not applied), a lost answer (applied, then the connection "drops"), a 429. Steps may
run two at a time, so answers land between other actions and refreshes.
"""

from __future__ import annotations

import asyncio
import random
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import make_local
from tests.support.clock import FakeClock
from tui.core.board_view import next_column_target
from tui.core.cache import Cache
from tui.core.errors import RateLimited, Unavailable
from tui.core.models import BoardContent, CardChanges, CardDraft
from tui.core.outbox import Outbox
from tui.core.store import Store
from tui.providers.local import LocalProvider

WRITES = ("create_card", "update_card", "move_card", "add_comment", "archive_card")


class Flaky(LocalProvider):
    """The local board, with the next writes' and reads' faults queued by the test."""

    write_faults: list[str]
    read_faults: int = 0

    def fault(self) -> str:
        return self.write_faults.pop(0) if self.write_faults else "ok"


def _flaky(name: str) -> Callable[..., Any]:
    original = getattr(LocalProvider, name)

    async def method(self: Flaky, *args: Any) -> Any:
        fault = self.fault()
        if fault == "down":
            raise Unavailable("the service is down", in_doubt=False)
        if fault == "rate":
            raise RateLimited("too many requests", retry_after=5)
        result = await original(self, *args)
        if fault == "lost":
            raise Unavailable("the connection dropped after sending", in_doubt=True)
        return result

    return method


async def _load_board(self: Flaky, board_id: str) -> BoardContent:
    if self.read_faults:
        self.read_faults -= 1
        raise Unavailable("the service is down", in_doubt=False)
    return await LocalProvider.load_board(self, board_id)


for _name in WRITES:
    setattr(Flaky, _name, _flaky(_name))
Flaky.load_board = _load_board  # type: ignore[method-assign]


# --- steps ----------------------------------------------------------------------------

card_index = st.integers(min_value=0, max_value=30)
single_step = st.one_of(
    st.tuples(st.just("move"), card_index, st.sampled_from([-1, 1])),
    st.tuples(st.just("edit"), card_index),
    st.tuples(st.just("create"), st.integers(min_value=0, max_value=3)),
    st.tuples(st.just("comment"), card_index),
    st.tuples(st.just("archive"), card_index),
    st.tuples(st.just("refresh")),
    st.tuples(st.just("read_down")),
    st.tuples(st.just("sync")),
    st.tuples(st.just("fault"), st.sampled_from(["down", "lost", "rate", "ok"])),
)
steps = st.lists(
    st.one_of(single_step, st.tuples(st.just("together"), single_step, single_step)),
    max_size=14,
)


class Run:
    def __init__(self, store: Store, provider: Flaky):
        self.store = store
        self.provider = provider
        self.made = 0

    async def step(self, step: tuple[Any, ...]) -> None:
        if step[0] == "together":
            await asyncio.gather(self.step(step[1]), self.step(step[2]))
            return
        store, board = self.store, self.store.state.board
        assert board is not None
        cards = sorted(board.cards, key=lambda c: c.id)
        pick = step[1] if len(step) > 1 and isinstance(step[1], int) else None
        card = cards[pick % len(cards)] if pick is not None and cards else None
        self.made += 1
        match step[0]:
            case "move" if card is not None:
                target = next_column_target(board, card, step[2])
                if target is not None:
                    await store.move_card(card.id, *target)
            case "edit" if card is not None:
                await store.update_card(card.id, CardChanges(title=f"Edited {self.made}"))
            case "create":
                column = board.columns[step[1] % len(board.columns)]
                draft = CardDraft(title=f"Made {self.made}", column_id=column.id)
                await store.create_card(draft)
            case "comment" if card is not None:
                await store.add_comment(card.id, f"Said {self.made}")
            case "archive" if card is not None:
                await store.archive_card(card.id)
            case "refresh":
                await store.refresh()
            case "read_down":
                self.provider.read_faults += 1
            case "sync":
                await store.sync()
            case "fault":
                self.provider.write_faults.append(step[1])


def picture(board: BoardContent) -> list[tuple[str, str, int]]:
    """What the user sees of each card: title, column, comment count (a duplicate shows)."""
    return sorted((card.title, card.column_id, card.comment_count) for card in board.cards)


async def scenario(data_dir: Path, script: list[tuple[Any, ...]]) -> None:
    provider = make_local(data_dir / "board", Flaky)
    assert isinstance(provider, Flaky)
    provider.write_faults = []
    clock = FakeClock()
    store = Store(
        provider,
        outbox=Outbox(data_dir / "outbox.db", "local"),
        cache=Cache(data_dir / "cache.db"),
        clock=clock,
        rng=random.Random(11),
    )
    try:
        board_id = (await store.load_boards())[0].id
        await store.open_board(board_id)
        run = Run(store, provider)
        for step in script:
            await run.step(step)
        seen = picture(store.state.board)
        provider.write_faults.clear()
        provider.read_faults = 0
        for _ in range(len(store.state.operations) + 1):
            clock.now += 600
            await store.sync()
        assert store.state.operations == (), store.state.operations
        truth = await LocalProvider.load_board(provider, board_id)
        assert picture(truth) == seen  # every change landed, each exactly once
        await store.refresh()
        assert picture(store.state.board) == picture(truth)
        assert {c.id for c in store.state.board.cards} == {c.id for c in truth.cards}
    finally:
        store.close()
        await provider.aclose()


@settings(max_examples=40)
@given(script=steps)
def test_any_interleaving_converges_to_what_the_user_saw(script):
    with tempfile.TemporaryDirectory() as folder:
        asyncio.run(scenario(Path(folder), script))
