"""Full garbage collections wait for a pause in the user's input."""

from __future__ import annotations

import gc

from tests.support.pilot import settled
from tests.support.ui import make_app
from tui.ui.collector import IDLE_BEFORE_COLLECTING, NEVER, IdleCollector


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_no_full_collection_of_its_own_while_started_and_the_old_rule_after():
    before = gc.get_threshold()
    collector = IdleCollector(Clock())
    collector.start()
    try:
        assert gc.get_threshold() == (before[0], before[1], NEVER)
    finally:
        collector.stop()
    assert gc.get_threshold() == before


def test_a_full_collection_only_after_a_pause_in_input(monkeypatch):
    collections: list[int] = []
    monkeypatch.setattr(gc, "collect", lambda *args: collections.append(1) or 0)
    clock = Clock()
    collector = IdleCollector(clock)
    clock.now += IDLE_BEFORE_COLLECTING / 2
    collector.input_seen()
    clock.now += IDLE_BEFORE_COLLECTING / 2
    assert not collector.collect_if_idle() and collections == []
    clock.now += IDLE_BEFORE_COLLECTING
    assert collector.collect_if_idle() and collections == [1]


async def test_the_app_holds_full_collections_while_it_runs_and_a_key_counts_as_input(tmp_path):
    before = gc.get_threshold()
    app = make_app(tmp_path)
    clock = Clock()
    app.collector.clock = clock
    async with app.run_test() as pilot:
        await settled(pilot)
        assert gc.get_threshold()[2] == NEVER
        clock.now += IDLE_BEFORE_COLLECTING * 2
        await pilot.press("j")
        assert not app.collector.collect_if_idle()  # the key was just now
    assert gc.get_threshold() == before
