"""Fixtures every test shares: private file locations, a frozen clock, a demo board."""

from __future__ import annotations

import asyncio
import functools
import logging
import random
import time
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from tests.support.cli import Run, run_cardboard
from tests.support.clock import NOW as NOW  # many tests import the moment from here
from tests.support.clock import FakeClock
from tests.support.served import Served, serve_switchboard
from tui.core.cache import Cache
from tui.core.errors import ProviderError
from tui.core.outbox import Outbox
from tui.core.provider import Connection
from tui.core.store import Store
from tui.providers.local import LocalProvider

# The same examples on every run and machine: a property test must not pass or fail by luck.
settings.register_profile("cardboard", derandomize=True, deadline=None)
settings.load_profile("cardboard")


@pytest.fixture(autouse=True)
def private_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No test reads or writes the user's real config, data or log files."""
    monkeypatch.setenv("CARDBOARD_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("CARDBOARD_DATA_DIR", str(tmp_path / "data"))
    return tmp_path


@pytest.fixture(autouse=True)
def own_loggers():
    """`main()` points the app's loggers at a file; put them back for the next test."""
    saved = {
        name: (logger.handlers[:], logger.level, logger.propagate)
        for name in ("tui", "httpx")
        for logger in [logging.getLogger(name)]
    }
    yield
    for name, (handlers, level, propagate) in saved.items():
        logger = logging.getLogger(name)
        for handler in logger.handlers:
            if handler not in handlers:
                handler.close()
        logger.handlers[:], logger.level, logger.propagate = handlers, level, propagate


@pytest.fixture(autouse=True, scope="session")
def utc():
    """Times on screen are local times: make local UTC everywhere, whatever the machine."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TZ", "UTC")
        time.tzset()
        yield
    time.tzset()


class ScriptedLocal(LocalProvider):
    """The local provider, with failures and pauses a test can script per method.

    `fail["move_card"] = Unavailable(...)` makes the next move_card raise it;
    `hold["move_card"] = asyncio.Event()` makes move_card wait for the event, so a test
    can look at the store while the provider has not answered yet.
    """

    def __init__(self, connection: Connection):
        super().__init__(connection)
        self.fail: dict[str, ProviderError] = {}
        self.hold: dict[str, asyncio.Event] = {}
        self.calls: list[str] = []

    async def _script(self, name: str) -> None:
        self.calls.append(name)
        if name in self.hold:
            await self.hold[name].wait()
        if name in self.fail:
            raise self.fail.pop(name)


for _name in (
    "load_board", "get_card", "list_comments", "create_card", "update_card", "move_card",
    "archive_card", "delete_card", "add_comment", "add_checklist_item", "set_checklist_item",
):  # fmt: skip

    def _scripted(name: str):
        original = getattr(LocalProvider, name)

        async def method(self, *args, **kwargs):
            await self._script(name)
            return await original(self, *args, **kwargs)

        method.__name__ = name
        return method

    setattr(ScriptedLocal, _name, _scripted(_name))


class ScriptedService(ScriptedLocal):
    """The scripted local provider standing in for a service: its boards are not on this
    machine, so a store caches them and marks the cards that change elsewhere."""

    on_this_machine = False


def make_local(
    data_dir: Path, cls: type[LocalProvider] = ScriptedLocal, clock: FakeClock | None = None
) -> LocalProvider:
    """The local provider on `data_dir`, dated by `clock` (a fresh one at NOW by default)."""
    provider = cls(Connection(account="local", data_dir=data_dir))
    provider.clock = clock or FakeClock()
    return provider


@pytest.fixture
def clock() -> FakeClock:
    """The test's clock, at NOW: it moves only when the test moves it."""
    return FakeClock()


@pytest.fixture
def frozen_clock(clock: FakeClock) -> Iterator[FakeClock]:
    """The test's clock, and the machine's pinned to it (for code that reads datetime.now)."""
    with clock.frozen():
        yield clock


@pytest.fixture
async def local(tmp_path: Path):
    """The local provider on a fresh demo board, dated NOW, with scriptable failures."""
    provider = make_local(tmp_path / "data")
    yield provider
    await provider.aclose()


@pytest.fixture
def cardboard(capsys: pytest.CaptureFixture[str]) -> Callable[..., Run]:
    """`cardboard(*argv)` runs the CLI in-process and returns its exit code and output."""
    return functools.partial(run_cardboard, capsys)


@pytest.fixture(scope="module")
def served() -> Iterator[Served]:
    """A fake service over real HTTP on 127.0.0.1, one server per test module."""
    with serve_switchboard() as serving:
        yield serving


@pytest.fixture
async def synced_store(local, tmp_path: Path) -> AsyncIterator[Store]:
    """A store over the demo board with its own outbox and cache files, the board open."""
    store = Store(
        local,
        outbox=Outbox(tmp_path / "outbox.db", "local"),
        cache=Cache(tmp_path / "cache.db"),
        clock=FakeClock(),
        rng=random.Random(3),
    )
    boards = await store.load_boards()
    await store.open_board(boards[0].id)
    yield store
    store.close()
