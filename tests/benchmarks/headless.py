"""Keys, garbage-collector pauses and peak memory on a local board, headless at 160x48.

    .venv/bin/python -m tests.benchmarks.headless keys BOARD_ID [--runs N]
    .venv/bin/python -m tests.benchmarks.headless rss BOARD_ID

Run by `python -m tests.benchmarks` in a process of its own, with CARDBOARD_DATA_DIR
and CARDBOARD_CONFIG_DIR set to the home holding the board: a fresh process is what a
user starts, and its peak RSS is the app's alone. Prints one line of JSON.

A key's time runs from posting its event (as the terminal driver does) to the first
frame written that shows its effect. Frames are seen by wrapping `app._display`, and
"shows its effect" is a condition on the app's widgets (the cursor's card on screen,
the moved card in its new column, ...). The frame must be written after the
condition first held: a frame drawn between the key and its effect does not count.
The condition is checked by a poll and also as each composed frame is handed over
to be written: composing and writing run with no await in between, so a frame handed
over while the condition holds shows the effect. That makes the time exact to the
frame, whatever the poll's interval. Conditions run that often, so they look at the
widgets without DOM queries (one costs 0.15 ms, which would slow the app measured).
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import gc
import json
import resource
import sys
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from textual import events
from textual.app import App

TIMEOUT = 10.0
"""Seconds to wait for a key's effect before calling it never shown."""
START_TIMEOUT = 60.0
"""Seconds to wait for the board to show at all (a busy machine, a slow app)."""
FILTER = "#bug"
"""A label filter (tui/core/filtering.py): a quarter of big_board.py's cards match."""

Condition = Callable[[], bool]


class Frames:
    """Records when frames are written, and the first one written once a condition holds."""

    def __init__(self, app: App) -> None:
        self.times: list[float] = []
        self.condition: Condition | None = None
        self.held_at: float | None = None
        """When `condition` was first seen to hold."""
        display = app._display  # private: the one place every frame goes through

        def recording(screen, renderable) -> None:
            # Only what reaches the terminal is a frame (headless, nothing does, but the
            # same calls are made): no renderable or a batch means nothing is written.
            writes = renderable is not None and not app._batch_count
            if writes:
                self._check()
            display(screen, renderable)
            if writes:
                self.times.append(time.perf_counter())

        app._display = recording  # type: ignore[method-assign]

    def _check(self) -> None:
        if self.held_at is not None or self.condition is None:
            return
        try:
            held = self.condition()
        except Exception:  # a half-mounted screen, say: not shown yet
            held = False
        if held:
            self.held_at = time.perf_counter()

    def watch(self, condition: Condition) -> None:
        self.condition, self.held_at = condition, None

    async def shown(self, timeout: float = TIMEOUT) -> float | None:
        """When the first frame after `condition` held was written; None on timeout."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            self._check()
            if self.held_at is not None:
                after = bisect.bisect_right(self.times, self.held_at)
                if after < len(self.times):
                    self.condition = None
                    return self.times[after]
            # Only to notice the frame: its time is taken when it is written.
            await asyncio.sleep(0.001)
        self.condition = None
        return None


class GcPauses:
    """Every collection made while it is entered: (generation, seconds it took)."""

    def __init__(self) -> None:
        self.pauses: list[tuple[int, float]] = []
        self._started: float | None = None

    def __call__(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        elif self._started is not None:
            self.pauses.append((info["generation"], time.perf_counter() - self._started))
            self._started = None

    def __enter__(self) -> GcPauses:
        gc.callbacks.append(self)
        return self

    def __exit__(self, *exc: object) -> None:
        gc.callbacks.remove(self)

    def summary(self) -> dict[str, float]:
        generation, longest = max(self.pauses, key=lambda pause: pause[1], default=(None, 0.0))
        return {
            "max_pause_ms": longest * 1000,
            "max_pause_generation": generation,
            "collections": len(self.pauses),
            "gen2": sum(1 for generation, _ in self.pauses if generation == 2),
        }


# --- what the screen shows ------------------------------------------------------------


class Sight:
    """Cheap looks at the board screen's widgets, for conditions checked every
    millisecond: no DOM query."""

    def __init__(self, app: App) -> None:
        from tui.ui.widgets.column import BoardColumn

        self.app = app
        self.board = app.screen
        self._columns = self.board.query_one("#columns")
        self._column_type = BoardColumn

    def lists(self) -> dict[str, Any]:
        """The card lists by column id (columns are mounted anew when the board's change)."""
        kind = self._column_type
        return {c.column_id: c.cards for c in self._columns.children if isinstance(c, kind)}

    def column_showing(self, card_id: str) -> str | None:
        """The id of the column whose list holds the card, if any does."""
        for column_id, cards in self.lists().items():
            if cards.card_region(card_id) is not None:
                return column_id
        return None

    def showing(self, card_ids: list[str]) -> set[str]:
        """Those of the cards that some list holds."""
        lists = self.lists().values()
        return {c for c in card_ids if any(cards.card_region(c) for cards in lists)}

    def cursor_shown(self) -> bool:
        """The cursor's card is laid out in its column and scrolled into view."""
        board = self.board
        if self.app.screen is not board or not board.views or board.card_id is None:
            return False
        column_id = board.views[board.column_index].column.id
        cards = self.lists().get(column_id)
        region = cards.card_region(board.card_id) if cards is not None else None
        if region is None:
            return False
        top, height = cards.scroll_offset.y, cards.size.height
        return region.y < top + height and region.bottom > top


# --- measuring ------------------------------------------------------------------------

KEY_CHARACTERS = {"slash": "/", "enter": "\r", "escape": "\x1b", "number_sign": "#"}


@dataclass
class Session:
    """The running app with what the measurements need of it."""

    app: App
    pilot: Any
    frames: Frames
    sight: Sight

    @property
    def board(self) -> Any:
        return self.sight.board

    def press(self, key: str) -> float:
        """Post the key as the terminal driver does; returns when it was posted."""
        started = time.perf_counter()
        self.app.post_message(events.Key(key, KEY_CHARACTERS.get(key, key)))
        return started

    async def timed(self, key: str, effect: Condition) -> float | None:
        """Milliseconds from the key to the first frame showing `effect`; None if never."""
        self.frames.watch(effect)
        started = self.press(key)
        shown = await self.frames.shown()
        await self.settle()
        return None if shown is None else (shown - started) * 1000

    async def untimed(self, key: str) -> None:
        await self.pilot.press(key)
        await self.settle()

    async def until(self, condition: Condition, what: str) -> None:
        """Wait, untimed, for what an untimed key does."""
        deadline = time.perf_counter() + TIMEOUT
        while not condition():
            if time.perf_counter() > deadline:
                raise RuntimeError(f"{what}: not within {TIMEOUT:g} s")
            await asyncio.sleep(0.001)
        await self.settle()

    async def settle(self) -> None:
        """Let the last key's work finish (a store write, a redraw) before the next key."""
        await self.app.workers.wait_for_complete()
        await self.pilot.pause()


async def time_j(session: Session, runs: int) -> list[float | None]:
    """j moves the cursor down its column; the frame must show the new card in view."""
    board, sight = session.board, session.sight
    times = []
    for _ in range(runs):
        before = board.card_id
        effect = lambda before=before: board.card_id != before and sight.cursor_shown()  # noqa: E731
        times.append(await session.timed("j", effect))
    return times


async def time_move(session: Session, runs: int) -> list[float | None]:
    """L moves the cursor's card a column right; h (untimed) goes back for the next one."""
    board, sight = session.board, session.sight
    times = []
    for _ in range(runs):
        card = board.selected_card

        def effect(card_id: str = card.id, source: str = card.column_id) -> bool:
            # in another column's list, with the cursor on it in view
            return sight.column_showing(card_id) not in (None, source) and (
                board.card_id == card_id and sight.cursor_shown()
            )

        times.append(await session.timed("L", effect))
        await session.untimed("h")
    return times


async def time_filter(session: Session, runs: int) -> dict[str, list[float | None]]:
    """/ opens the field; typing is untimed; enter applies the filter; escape clears it."""
    from textual.widgets import Input

    app, board, sight = session.app, session.board, session.sight
    field = board.query_one("#filter", Input)
    # In every column, the first card without the label must go and the first with it
    # must stay (which a list that is not laid out yet would fail: it holds no card).
    going, staying = [], []
    for view in board.views:
        cards = view.cards[:20]
        is_bug = [any(label.name == "bug" for label in card.labels) for card in cards]
        going += [card.id for card, bug in zip(cards, is_bug, strict=True) if not bug][:1]
        staying += [card.id for card, bug in zip(cards, is_bug, strict=True) if bug][:1]

    def opened() -> bool:
        return field.has_class("-visible") and app.focused is field

    def applied() -> bool:
        return (
            app.state.filter.query == FILTER
            and not field.has_class("-visible")
            and sight.showing(staying + going) == set(staying)
        )

    def cleared() -> bool:
        return not app.state.filter and sight.showing(going) == set(going)

    times: dict[str, list[float | None]] = {"open": [], "apply": [], "clear": []}
    for _ in range(runs):
        times["open"].append(await session.timed("slash", opened))
        for character in FILTER:
            session.press({"#": "number_sign"}.get(character, character))
        await session.until(lambda: field.value == FILTER, f"typing {FILTER} in the filter")
        times["apply"].append(await session.timed("enter", applied))
        times["clear"].append(await session.timed("escape", cleared))
    return times


async def time_open_card(session: Session, runs: int) -> list[float | None]:
    """enter until the card's detail is on screen, loaded; escape and j (untimed) after,
    so each time another card opens."""
    app, board = session.app, session.board
    times = []
    for _ in range(runs):

        def effect(wanted: str | None = board.card_id) -> bool:
            screen = app.screen
            detail = getattr(screen, "detail", None)  # CardScreen's: its card, once loaded
            return (
                screen is not board
                and screen.is_mounted
                and getattr(screen, "card_id", None) == wanted
                and detail is not None
                and not detail.loading
            )

        times.append(await session.timed("enter", effect))
        await session.untimed("escape")
        await session.until(lambda: app.screen is board, "escape closing the card")
        await session.untimed("j")
    return times


@asynccontextmanager
async def board_session(board_id: str) -> AsyncIterator[tuple[Session, float]]:
    """The app as `cardboard --board ID` builds it, at 160x48, once the board is painted;
    with the seconds from building the app to that first frame."""
    from tui.ui.app import build_app

    started = time.perf_counter()
    app = build_app(board_id=board_id, remember=False)
    frames = Frames(app)
    async with app.run_test(size=(160, 48)) as pilot:
        painted = None
        while painted is None and time.perf_counter() - started < START_TIMEOUT:
            if app.screen.query("#columns"):  # the board screen is up: watch its cursor
                sight = Sight(app)
                frames.watch(sight.cursor_shown)
                painted = await frames.shown(START_TIMEOUT - (time.perf_counter() - started))
            else:
                await asyncio.sleep(0.005)
        if painted is None:
            raise SystemExit(f"the board never showed within {START_TIMEOUT:g} s")
        session = Session(app, pilot, frames, sight)
        await session.settle()
        yield session, painted - started
        app.exit()


async def measure_keys(board_id: str, runs: int) -> dict[str, Any]:
    async with board_session(board_id) as (session, painted):
        results: dict[str, Any] = {"first_paint_ms": painted * 1000}
        with GcPauses() as pauses:
            results["j"] = await time_j(session, runs)
            results["L"] = await time_move(session, runs)
            filtering = await time_filter(session, runs)
            results |= {f"filter_{what}": times for what, times in filtering.items()}
            opens = await time_open_card(session, runs + 1)
            results["open_card_first"], results["open_card"] = opens[0], opens[1:]
        results["gc"] = pauses.summary()
        results["cards"] = len(session.app.state.board.cards)
    return results


async def measure_rss(board_id: str) -> dict[str, Any]:
    async with board_session(board_id) as (session, _):
        cards = len(session.app.state.board.cards)
    return {"peak_rss_mb": peak_rss_mb(), "cards": cards}


def peak_rss_mb() -> float:
    """This process's peak resident memory. Not getrusage's ru_maxrss: Linux carries it
    over an exec, so a child of the benchmark (which built the 50,000-card board, 160 MB)
    would report the parent's peak. /proc's VmHWM belongs to this program alone."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024  # kB
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # not Linux


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("what", choices=("keys", "rss"))
    parser.add_argument("board_id")
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    if args.what == "keys":
        result = asyncio.run(measure_keys(args.board_id, args.runs))
    else:
        result = asyncio.run(measure_rss(args.board_id))
    json.dump(result, sys.stdout)
    print()


if __name__ == "__main__":
    main()
