"""Keys, garbage-collector pauses and peak memory on the 50,000-card local board.

Each runs headless.py in a process of its own (a fresh process is what a user starts,
and its peak RSS is then the app's alone) and turns the JSON it prints into figures.
A key's figure is its median against the target; the max is shown beside it.
"""

from __future__ import annotations

import json
import statistics
import subprocess
from typing import Any

from tests.benchmarks.figures import Figure, failed
from tests.benchmarks.workspace import PYTHON, ROOT, Workspace

CARDS = 50_000
AT = f"at {CARDS:,} cards"

KEYS: list[tuple[str, str, float]] = [
    # (the key in headless.py's JSON, figure name, target in ms for the median)
    ("j", f"`j` (card below) {AT}", 10),
    ("L", f"`L` (move the card right) {AT}", 30),
    ("filter_open", f"`/` (open the filter) {AT}", 20),
    ("filter_apply", f"enter in the filter (apply `#bug`) {AT}", 60),
    # Clearing is applying the empty filter: the same target.
    ("filter_clear", f"escape (clear the filter) {AT}", 60),
    ("open_card", f"enter (open a card), later times, {AT}", 60),
]
FIRST_OPEN = ("open_card_first", f"enter (open a card), first time, {AT}", 60)
GC_NAME = "longest GC pause while keys are handled"
GC_TARGET = 30.0
RSS_TARGET = 150.0


def run_headless(workspace: Workspace, *args: str) -> dict[str, Any]:
    """headless.py's answer; raises RuntimeError with its last error line if it failed."""
    home, board_id = workspace.big_board(CARDS)
    command = [str(PYTHON), "-m", "tests.benchmarks.headless", args[0], board_id, *args[1:]]
    run = subprocess.run(command, cwd=ROOT, env=home.env, capture_output=True, text=True)
    if run.returncode != 0:
        lines = run.stderr.strip().splitlines() or [f"exit status {run.returncode}"]
        raise RuntimeError(lines[-1])
    return json.loads(run.stdout.strip().splitlines()[-1])


def key_figure(name: str, target: float, times: list[float | None]) -> Figure:
    missing = sum(1 for t in times if t is None)
    if not times or missing:
        return failed(name, target, "ms", f"its effect never showed ({missing} of {len(times)})")
    detail = f"median of {len(times)}; max {max(times):.1f} ms" if len(times) > 1 else ""
    return Figure(name, statistics.median(times), target, "ms", detail)


def gc_figure(gc: dict[str, Any]) -> Figure:
    detail = f"generation {gc['max_pause_generation']}; {gc['collections']} collections,"
    detail += f" {gc['gen2']} of generation 2"
    return Figure(GC_NAME, gc["max_pause_ms"], GC_TARGET, "ms", detail)


def keys(workspace: Workspace, runs: int) -> list[Figure]:
    try:
        result = run_headless(workspace, "keys", "--runs", str(runs))
    except Exception as problem:  # the app broken, no board: every figure says why
        targets = [(name, target, "ms") for _, name, target in [*KEYS, FIRST_OPEN]]
        targets.append((GC_NAME, GC_TARGET, "ms"))
        return [failed(name, target, unit, str(problem)) for name, target, unit in targets]
    figures = [key_figure(name, target, result[key]) for key, name, target in KEYS]
    key, name, target = FIRST_OPEN
    figures.append(key_figure(name, target, [result[key]]))
    figures.append(gc_figure(result["gc"]))
    return figures


def rss(workspace: Workspace, runs: int) -> list[Figure]:
    """One process, one figure: `runs` is not used."""
    name = f"peak RSS, {CARDS:,}-card board open"
    try:
        result = run_headless(workspace, "rss")
    except Exception as problem:  # the app broken, no board: every figure says why
        return [failed(name, RSS_TARGET, "MB", str(problem))]
    return [Figure(name, result["peak_rss_mb"], RSS_TARGET, "MB", "headless, 160x48")]
