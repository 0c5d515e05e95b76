"""What the snapshot tests share: the two sizes, and a run_before that presses keys."""

from __future__ import annotations

from tests.support.pilot import press, settled

SIZES = {"80x24": (80, 24), "160x48": (160, 48)}


def after(*keys: str):
    """A run_before that waits for the board, presses `keys` and waits again."""

    async def run(pilot) -> None:
        await settled(pilot)
        await press(pilot, *keys)

    return run
