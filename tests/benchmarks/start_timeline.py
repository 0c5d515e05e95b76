"""Run inside a tmux pane by trace_start.py: `cardboard ARGS`, with marks on its start.

    python -m tests.benchmarks.start_timeline OUT -- ARGS...

Writes the marks (ms from this module's start) and the garbage collector's share as
JSON to OUT once a frame with cards is written. Imports nothing but the standard
library's few, and Textual's App is hooked as it loads, so the app starts in its own
order. The hooks wrap Textual's private `App._display` and `App._end_batch`, as a
diagnostic may.
"""

from __future__ import annotations

import gc
import importlib.abc
import importlib.machinery
import json
import sys
import time
from pathlib import Path
from types import ModuleType
from typing import Any

MARKS = (
    "textual imported",
    "app built",
    "start-up batch over",
    "first frame written",
    "frame with cards written",
)


class _Timeline:
    def __init__(self, out: Path) -> None:
        self.out = out
        self.start = time.perf_counter()
        self.marks: dict[str, float] = {}
        self.collections = 0
        self.collecting = 0.0
        self._since = 0.0
        gc.callbacks.append(self._gc)

    def mark(self, name: str) -> None:
        self.marks.setdefault(name, 1000 * (time.perf_counter() - self.start))

    def _gc(self, phase: str, info: dict[str, Any]) -> None:
        if "frame with cards written" in self.marks:
            return
        if phase == "start":
            self._since = time.perf_counter()
        else:
            self.collections += 1
            self.collecting += 1000 * (time.perf_counter() - self._since)

    def write(self) -> None:
        record = {**self.marks, "gc ms": self.collecting, "gc collections": self.collections}
        self.out.write_text(json.dumps(record))


class _HookTextual(importlib.abc.MetaPathFinder):
    """Wraps textual.app's App as it loads, so that nothing is imported sooner than the
    app itself imports it."""

    def __init__(self, timeline: _Timeline) -> None:
        self.timeline = timeline

    def find_spec(self, name: str, path: Any, target: Any = None) -> Any:
        if name != "textual.app":
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is None or spec.loader is None:
            return spec
        load = spec.loader.exec_module

        def exec_module(module: ModuleType) -> None:
            load(module)
            _hook_app(module.App, self.timeline)

        spec.loader.exec_module = exec_module  # type: ignore[method-assign]
        return spec


def _hook_app(app: Any, timeline: _Timeline) -> None:
    timeline.mark("textual imported")
    run, end_batch, display = app.run, app._end_batch, app._display

    def marked_run(self: Any, *args: Any, **kwargs: Any) -> Any:
        timeline.mark("app built")
        return run(self, *args, **kwargs)

    def marked_end_batch(self: Any) -> None:
        end_batch(self)
        if not self._batch_count:
            timeline.mark("start-up batch over")

    def marked_display(self: Any, screen: Any, renderable: Any) -> None:
        display(self, screen, renderable)
        if renderable is None or self._batch_count:
            return  # not written
        timeline.mark("first frame written")
        if "frame with cards written" in timeline.marks:
            return
        if any(getattr(cards, "drawn", False) for cards in screen.query("CardList")):
            timeline.mark("frame with cards written")
            timeline.write()

    app.run, app._end_batch, app._display = marked_run, marked_end_batch, marked_display


def _inside(out: Path, arguments: list[str]) -> int:
    """`cardboard ARGUMENTS`, marked."""
    timeline = _Timeline(out)
    sys.meta_path.insert(0, _HookTextual(timeline))
    sys.argv = ["cardboard", *arguments]
    from tui.cli import main

    return main()


if __name__ == "__main__":
    out, _, *arguments = sys.argv[1:]
    raise SystemExit(_inside(Path(out), arguments))
