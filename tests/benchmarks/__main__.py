"""Every speed target of issue 15, measured in one run and printed as one table.

    .venv/bin/python -m tests.benchmarks [--only paint|keys|rss|cli ...] [--runs N]

paint  first paint in a real terminal (tmux, 160x48) as a multiple of a bare Textual
       app timed in turns with it: the demo board, 5,000- and 50,000-card local
       boards, and a cached Kaiten board while the service answers 3 s late
       (paint.py).
keys   on the 50,000-card board, headless at 160x48: j, L, / (open the filter),
       enter (apply a filter), escape (clear it), enter (open a card, the first time
       apart), each from the key event to the first frame written that shows its
       effect; and the longest garbage-collector pause while keys are handled
       (headless.py, board_speed.py).
rss    peak RSS of a process that opens the 50,000-card board (headless.py).
cli    `cardboard --version`, `boards --json` and `cards --board 1 --json` as a
       multiple of `python -c pass` (cli_speed.py).

The app's bytecode is compiled first, as installing a package compiles it: a machine
with PYTHONDONTWRITEBYTECODE set (this one) would otherwise compile every module of
tui/ again at each start, about 40 ms no user pays after their first run.

Everything runs in fresh temporary folders (CARDBOARD_DATA_DIR, CARDBOARD_CONFIG_DIR),
removed at the end; boards are built once per run. A figure that misses its target,
or cannot be measured, says "not met": the run goes on. Progress goes to stderr, the
table to stdout.
"""

from __future__ import annotations

import argparse
import compileall
import os
import sys
import time
import traceback
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import tui
from tests.benchmarks import board_speed, cli_speed, paint
from tests.benchmarks.figures import Figure, failed, table
from tests.benchmarks.workspace import Workspace

Part = Callable[[Workspace, int], list[Figure]]
PARTS: dict[str, Part] = {
    # In this order whatever --only says: keys moves cards on the 50,000-card board,
    # so it comes after what paints or opens that board.
    "paint": paint.measure,
    "rss": board_speed.rss,
    "keys": board_speed.keys,
    "cli": cli_speed.measure,
}


def chosen_parts(only: list[str] | None) -> list[str]:
    """--only paint --only keys and --only paint,keys alike; all parts without it."""
    if not only:
        return list(PARTS)
    wanted = {name.strip() for value in only for name in value.split(",") if name.strip()}
    unknown = wanted - PARTS.keys()
    if unknown:
        raise SystemExit(f"--only: no part {', '.join(sorted(unknown))}; parts: {', '.join(PARTS)}")
    return [name for name in PARTS if name in wanted]


def run_part(name: str, workspace: Workspace, runs: int) -> list[Figure]:
    started = time.perf_counter()
    print(f"measuring {name}...", file=sys.stderr, flush=True)
    try:
        figures = PARTS[name](workspace, runs)
    except Exception as problem:  # a part that breaks must not lose the others' figures
        traceback.print_exc()
        figures = [failed(f"{name}: every figure", float("nan"), "", repr(problem))]
    print(f"  {name}: {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="python -m tests.benchmarks",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--only", action="append", metavar="PART", help="paint, keys, rss or cli; repeatable"
    )
    parser.add_argument(
        "--runs", type=int, default=10, help="runs per figure (tmux runs, key presses, commands)"
    )
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    parts = chosen_parts(args.only)
    compileall.compile_dir(Path(tui.__file__).parent, quiet=1)
    when = datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    load_before = os.getloadavg()[0]
    workspace = Workspace()
    try:
        figures = [figure for name in parts for figure in run_part(name, workspace, args.runs)]
    finally:
        workspace.close()
    load = f"load {load_before:.1f} at the start, {os.getloadavg()[0]:.1f} at the end"
    print(f"Issue 15 targets, measured {when}: {os.cpu_count()} cores, {load}")
    print(f"parts: {', '.join(parts)}; {args.runs} runs each\n")
    print(table(figures))


if __name__ == "__main__":
    main()
