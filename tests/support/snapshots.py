"""What the snapshot tests share: the two sizes, and a run_before that presses keys."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from tests.support.pilot import press, settled

SIZES = {"80x24": (80, 24), "160x48": (160, 48)}


def after(*keys: str):
    """A run_before that waits for the board, presses `keys`, waits again and steadies
    the text cursors."""

    async def run(pilot: Pilot[Any]) -> None:
        await settled(pilot)
        await press(pilot, *keys)
        steady_cursors(pilot)

    return run


def steady_cursors(pilot: Pilot[Any]) -> None:
    """Stop the text cursors on screen blinking, each shown where it is.

    A cursor blinks on a real-time timer, so whether a snapshot caught it lit depended
    on how long the run took: a loaded machine failed snapshots that a quiet one passed.
    """
    for field in pilot.app.screen.query("Input, TextArea"):
        field.cursor_blink = False  # type: ignore[attr-defined]
