"""First paint in a real terminal (tmux, 160x48), as a multiple of a bare Textual app.

../shared/tools/tmux_first_paint.py starts a command in a detached tmux pane and
times it until a marker text shows on the screen (its first run is a warm-up). The
floor is ../shared/tools/floor_app.py, the smallest Textual app, timed the same way
in turns with each board (floor, board, floor, board, half the runs each): the
machine's speed drifts, a ratio of neighbours much less. Boards: the demo (`cardboard --demo`), 5,000- and 50,000-card local boards
(big_board.py), and a Kaiten board seen before (so cached) while the service, the
fake of tests/fakes served over HTTP, answers every request 3 s late. For reference, no
target: board_floor_app.py, a bare Textual app that draws a screen like the board's.
"""

from __future__ import annotations

import math
import re
import shlex
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path

from tests.benchmarks.board_floor_app import MARKER as BOARD_FLOOR_MARKER
from tests.benchmarks.figures import Figure, failed, ratio
from tests.benchmarks.workspace import CARDBOARD, PYTHON, ROOT, TOOLS, Home, Workspace

COLS, ROWS = 160, 48
TIMEOUT = 60.0
"""Seconds the tool waits for a marker: a 50,000-card board on a busy machine is slow."""
DEMO_MARKER = "Password reset email"
"""The first card of Ready (expedite lane): on the first screen, and short enough not to
be cut at 160 columns."""
BIG_MARKER = "bench card 00000"
"""big_board.py's first card, the top of the first column."""
KAITEN_MARKER = "Design login screen"
"""The first card of the Kaiten fake's seeded board."""
KAITEN_LATENCY = 3.0


@dataclass(frozen=True)
class Paint:
    times: tuple[float, ...]
    """Seconds, of the runs that showed the marker."""
    runs: int
    problem: str = ""
    """Why no run showed it: the tool's last words."""

    @property
    def median(self) -> float | None:
        return statistics.median(self.times) if self.times else None

    @property
    def shown(self) -> str:
        return f"{len(self.times)}/{self.runs}"

    def __add__(self, other: Paint) -> Paint:
        return Paint(self.times + other.times, self.runs + other.runs, other.problem)


def first_paint(marker: str, command: list[str], runs: int) -> Paint:
    """The tool's runs (after its warm-up run)."""
    tool = [sys.executable, str(TOOLS / "tmux_first_paint.py"), "--marker", marker]
    tool += ["--cols", str(COLS), "--rows", str(ROWS), "--runs", str(runs)]
    tool += ["--timeout", str(TIMEOUT), "--"]
    # The tool joins the command with spaces for `bash -c`: quote each word.
    run = subprocess.run(
        tool + [shlex.quote(word) for word in command], capture_output=True, text=True
    )
    times = tuple(float(t) for t in re.findall(r"^run \d+: ([\d.]+) s$", run.stdout, re.M))
    if times:
        return Paint(times, runs)
    said = (run.stderr.strip() or run.stdout.strip()).splitlines()
    return Paint((), runs, said[-1] if said else f"exit status {run.returncode}")


def floor(runs: int) -> Paint:
    return first_paint("FLOOR-READY", [str(PYTHON), str(TOOLS / "floor_app.py")], runs)


def versus_floor(
    name: str, marker: str, command: list[str], runs: int, target: float
) -> tuple[Figure, Paint]:
    """The board's first paint over the floor's, in two rounds of floor then board: the
    machine's speed drifts, and a floor measured only before the board drifted with it
    (floors of 180 and 250 ms were read minutes apart)."""
    bare = board = Paint((), 0)
    for share in (runs // 2 or 1, runs - runs // 2 or 1):
        bare += floor(share)
        board += first_paint(marker, command, share)
    if board.median is None:
        return failed(name, target, "x", f"{marker!r}: {board.problem}"), board
    if bare.median is None:
        return failed(name, target, "x", f"the floor: {bare.problem}"), board
    figure = ratio(name, board.median, bare.median, target)
    if board.shown != bare.shown:  # some runs never showed the marker: say so
        figure = Figure(name, figure.value, target, "x", f"{figure.detail}; {board.shown} shown")
    return figure, board


def board_floor(name: str, target: float, workspace: Workspace, runs: int) -> Figure:
    """Textual's own price for a screen like the board's (board_floor_app.py)."""
    command = [str(PYTHON), str(Path(__file__).with_name("board_floor_app.py"))]
    return versus_floor(name, BOARD_FLOOR_MARKER, command, runs, target)[0]


def demo(name: str, target: float, workspace: Workspace, runs: int) -> Figure:
    from tui.providers.local_demo import demo_document

    titles = [card.title for card in demo_document(date.today()).cards]
    if not any(title.startswith(DEMO_MARKER) for title in titles):
        return failed(name, target, "x", f"no demo card starts {DEMO_MARKER!r} any more")
    # --demo makes a throwaway data folder of its own; the home keeps the config apart.
    command = workspace.home("demo-paint").env_command(str(CARDBOARD), "--demo")
    return versus_floor(name, DEMO_MARKER, command, runs, target)[0]


def big(name: str, target: float, workspace: Workspace, runs: int, cards: int) -> Figure:
    home, board_id = workspace.big_board(cards)
    command = home.env_command(str(CARDBOARD), "--board", board_id)
    return versus_floor(name, BIG_MARKER, command, runs, target)[0]


# --- a Kaiten board from the cache -----------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def kaiten_fake(workspace: Workspace, latency: float) -> Iterator[tuple[str, str]]:
    """`python -m tests.fakes kaiten` on a free port; yields its account URL and token,
    and stops it however the measurement ends."""
    port = free_port()
    log = workspace.root / "kaiten-fake.log"
    command = [str(PYTHON), "-m", "tests.fakes", "kaiten", "--port", str(port)]
    command += ["--latency", str(latency)]
    with log.open("w") as output:
        process = subprocess.Popen(command, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT)
    try:
        # It prints "kaiten fake on URL  token: TOKEN", then serves.
        deadline = time.monotonic() + 20
        while not (said := re.search(r" on (\S+)\s+token: (\S+)", log.read_text())):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the Kaiten fake did not start: {log.read_text()[-200:]}")
            time.sleep(0.05)
        while True:  # until it accepts connections (a request would wait `latency`)
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the Kaiten fake does not accept connections") from None
                time.sleep(0.05)
        yield said.group(1), said.group(2)
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def kaiten_home(workspace: Workspace, url: str, token: str) -> Home:
    """A home whose default account is the fake, the token stored in accounts.toml."""
    home = workspace.home("kaiten")
    accounts = home.config / "accounts.toml"
    accounts.write_text(
        f'[accounts.work]\nprovider = "kaiten"\nurl = "{url}"\n'
        f'allow_insecure = true\ntoken = "{token}"\n'
    )
    accounts.chmod(0o600)  # a stored token wants the file private
    (home.config / "config.toml").write_text('default_account = "work"\n')
    return home


def cached_kaiten(name: str, target: float, workspace: Workspace, runs: int) -> Figure:
    with kaiten_fake(workspace, KAITEN_LATENCY) as (url, token):
        home = kaiten_home(workspace, url, token)
        command = home.env_command(str(CARDBOARD))
        # A first session waits for the service, caches the board and remembers it.
        if first_paint(KAITEN_MARKER, command, 1).median is None:
            return failed(name, target, "x", "the board never showed in the first session")
        if not (home.data / "sync" / "work" / "cache.db").exists():
            return failed(name, target, "x", "nothing cached after the first session")
        figure, board = versus_floor(name, KAITEN_MARKER, command, runs, target)
    if board.median is not None and board.median >= KAITEN_LATENCY:
        # it waited for the service's answer: the cache did not help
        figure = Figure(name, figure.value, target, "x", f"{figure.detail}; not from the cache")
    return figure


def measure(workspace: Workspace, runs: int) -> list[Figure]:
    late = f"{KAITEN_LATENCY:g} s"
    steps = [
        ("for reference: a bare Textual app drawing a board", math.nan, board_floor),
        ("first paint, demo board (`--demo`)", 1.5, demo),
        ("first paint, 5,000-card local board", 1.8, partial(big, cards=5_000)),
        ("first paint, 50,000-card local board", 2.5, partial(big, cards=50_000)),
        (f"first paint, cached Kaiten board, service {late} late", 1.6, cached_kaiten),
    ]
    figures = []
    for name, target, step in steps:
        try:
            figures.append(step(name, target, workspace, runs))
        except Exception as problem:  # one board failing must not lose the others
            figures.append(failed(name, target, "x", f"{type(problem).__name__}: {problem}"))
    return figures
