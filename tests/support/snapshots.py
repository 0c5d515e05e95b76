"""What the snapshot tests share: the two sizes, and waiting for the app to settle."""

from __future__ import annotations

SIZES = {"80x24": (80, 24), "160x48": (160, 48)}


async def settled(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def after(*keys: str):
    """A run_before that waits for the board, presses `keys` and waits again."""

    async def run(pilot) -> None:
        await settled(pilot)
        for key in keys:
            await pilot.press(key)
            await settled(pilot)

    return run
