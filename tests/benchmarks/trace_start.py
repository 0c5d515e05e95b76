"""Where a first paint's time goes: a timeline of `cardboard` starting in tmux (160x48).

    python -m tests.benchmarks.trace_start [--runs N] [--cards N]

Each run starts the app (`--demo`, or a local board of N cards) in a tmux pane through
start_timeline.py, which marks, in ms from its own start (the interpreter's ~20 ms
before it are not counted):

- `textual imported`: textual.app has loaded (Cardboard's imports go on after it);
- `app built`: `App.run` is called, so Cardboard's modules are in and the app is built;
- `start-up batch over`: Textual ends the batch it composes and mounts in; the frames
  it renders inside it are dropped, not written;
- `first frame written`, and `frame with cards written`: the first written frame for
  which a card list had drawn lines (what `python -m tests.benchmarks` times);
- the garbage collector's time and collections up to that frame (`gc.callbacks`).

Medians of the runs after a first, warming one; a mark a run never reached is left out.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import time
import uuid
from pathlib import Path

from tests.benchmarks.start_timeline import MARKS
from tests.benchmarks.workspace import PYTHON, ROOT, Home, Workspace

COLS, ROWS = 160, 48
TIMEOUT = 30.0


def _run_once(home: Home, arguments: list[str], out: Path) -> dict[str, float] | None:
    pane = "trace" + uuid.uuid4().hex[:8]
    command = home.env_command(
        str(PYTHON), "-m", "tests.benchmarks.start_timeline", str(out), "--", *arguments
    )
    for _ in range(5):  # the tmux server may be exiting after the last session was killed
        started = subprocess.run(
            ["tmux", "new-session", "-d", "-s", pane, "-x", str(COLS), "-y", str(ROWS),
             "-c", str(ROOT), *command],
            capture_output=True,
        )  # fmt: skip
        if started.returncode == 0:
            break
        time.sleep(0.3)
    else:
        raise SystemExit(f"tmux new-session failed: {started.stderr.decode().strip()}")
    try:
        deadline = time.monotonic() + TIMEOUT
        while not out.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        return json.loads(out.read_text()) if out.exists() else None
    finally:
        subprocess.run(["tmux", "kill-session", "-t", pane], capture_output=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--cards", type=int, help="a local board of N cards (default: --demo)")
    args = parser.parse_args()

    subprocess.run([str(PYTHON), "-m", "compileall", "-q", str(ROOT / "tui")], check=True)
    workspace = Workspace()
    try:
        if args.cards:
            home, board_id = workspace.big_board(args.cards)
            arguments = ["--board", board_id]
        else:
            home, arguments = workspace.home("demo"), ["--demo"]
        runs = [
            _run_once(home, arguments, workspace.root / f"run-{n}.json")
            for n in range(args.runs + 1)
        ]
    finally:
        workspace.close()
    timelines = [run for run in runs[1:] if run]  # the first run warms the disk cache
    print(f"{len(timelines)} of {args.runs} runs traced; medians, ms from the module's start")
    for name in (*MARKS, "gc ms", "gc collections"):
        values = [timeline[name] for timeline in timelines if name in timeline]
        if values:
            print(f"{statistics.median(values):8.1f}  {name}")
    return 0 if timelines else 1


if __name__ == "__main__":
    raise SystemExit(main())
