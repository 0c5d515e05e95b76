"""The garbage collector around a big load, and around start-up.

Building a 50,000-card board makes no garbage cycles, yet each allocation burst sets
the cyclic collector walking every object made so far, over and over: up to a third
of a big load. So a load runs with the collector paused.

Start-up is the same: importing the modules and building the app make objects that live
as long as the process, and the collector would walk them some 90 times, ~25 ms of the
TUI's first paint and ~10 ms of a command (`tui.cli`). So start-up runs with it paused,
and what it made is frozen: out of the collector's sight for good.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic collector while the block builds objects; reference counting
    still frees what dies. Nested or already paused: left as it was."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@contextmanager
def start_up() -> Iterator[None]:
    """The collector paused while the block loads modules and builds what lives as long
    as the process, then that frozen: else the first collection after would walk it all."""
    with collector_paused():
        yield
        gc.freeze()
