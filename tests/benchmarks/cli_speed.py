"""How long `cardboard` takes as a command in a script, as a multiple of a bare Python.

Each command runs `runs` times, interleaved with the others and with `python -c pass`
(the same interpreter), so a busy moment of the machine hits all of them alike; the
median of each is divided by the bare Python's. One round before them warms the
caches (.pyc files, the OS's page cache) and is not counted. Output goes to a pipe,
as in `$(cardboard ...)`, and the --json ones are checked to be JSON.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import time

from tests.benchmarks.figures import Figure, failed, ratio
from tests.benchmarks.workspace import CARDBOARD, PYTHON, Workspace

BARE = "python -c pass"
COMMANDS: dict[str, tuple[list[str], float]] = {
    # name: (arguments to cardboard, target as a multiple of the bare Python)
    "cardboard --version": (["--version"], 3.0),
    "cardboard boards --json": (["boards", "--json"], 5.0),
    "cardboard cards --board 1 --json": (["cards", "--board", "1", "--json"], 5.0),
}


def run_once(command: list[str], env: dict[str, str]) -> float:
    """Seconds the command took; raises RuntimeError if it failed or printed no JSON."""
    started = time.perf_counter()
    try:
        run = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
    except subprocess.TimeoutExpired:
        raise RuntimeError("no answer within 60 s") from None
    took = time.perf_counter() - started
    if run.returncode != 0:
        lines = run.stderr.strip().splitlines() or [f"exit status {run.returncode}"]
        raise RuntimeError(lines[-1])
    if "--json" in command:
        json.loads(run.stdout)
    return took


def measure(workspace: Workspace, runs: int) -> list[Figure]:
    home = workspace.demo_home()  # the demo board is board 1
    commands = {BARE: [str(PYTHON), "-c", "pass"]}
    commands |= {name: [str(CARDBOARD), *args] for name, (args, _) in COMMANDS.items()}
    times: dict[str, list[float]] = {name: [] for name in commands}
    errors: dict[str, str] = {}
    for round_ in range(runs + 1):
        for name, command in commands.items():
            if name in errors:
                continue
            try:
                took = run_once(command, home.env)
            except (RuntimeError, ValueError) as problem:
                errors[name] = str(problem)
                continue
            if round_ > 0:
                times[name].append(took)

    def median(name: str) -> float | None:
        return statistics.median(times[name]) if name not in errors else None

    figures = []
    for name, (_, target) in COMMANDS.items():
        label = f"`{name}` / `{BARE}`"
        if name in errors or BARE in errors:
            why = errors.get(name) or f"{BARE}: {errors[BARE]}"
            figures.append(failed(label, target, "x", why))
        else:
            figures.append(ratio(label, median(name), median(BARE), target))
    return figures
