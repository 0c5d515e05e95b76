"""KanbanTool moves: into the cell, then step by step to the place asked, resumably.

The API cannot put a task at a position: a move puts it at the bottom of its new cell
(workflow stage x swimlane), then each "up" or "down" swaps it with a neighbour. So one
move is several requests, and any of them may fail halfway or leave its outcome unclear.

Every round therefore starts from where the task really is: it reads the task and its
cell again, and works out the steps from the task's index in the cell's real order,
never from `position` numbers (they may have gaps). A round cut off by an unclear step
(the service may have swapped) or a refused one (the cell changed meanwhile) is followed
by another, up to `MOVE_ROUNDS`; and calling `move_task` again, e.g. from the outbox
after a crash, finishes a move wherever it stopped.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from tui.core.errors import Conflict, Unavailable, ValidationError
from tui.core.models import Placement

log = logging.getLogger(__name__)

MOVE_ROUNDS = 4
"""Reads of where the task really is, and tries from there, before a move gives up."""

Task = dict[str, Any]


@dataclass(frozen=True)
class TaskMoves:
    """How a move reaches the service, for one task of one board."""

    read_task: Callable[[], Awaitable[Task]]
    read_tasks: Callable[[], Awaitable[list[Task]]]
    """Every active task of the board, with its stage, swimlane and position."""
    put_move: Callable[[dict[str, Any], bool], Awaitable[Task]]
    """PUT .../move.json with this body; the bool says whether resending it is harmless."""


class _Interrupted(Exception):
    """A step failed: read where the task is and go on from there."""

    def __init__(self, cause: Unavailable | ValidationError):
        super().__init__(str(cause))
        self.cause = cause


async def move_task(moves: TaskMoves, card_id: str, placement: Placement) -> Task:
    """Put the task where `placement` says; the task as the service last answered it.

    Raises `Conflict(overridable=True)` for a WIP limit, and the last unclear failure
    (`Unavailable(in_doubt=True)`) if the service kept failing: calling this again
    resumes. When only the order in the cell could not be reached because the cell kept
    changing (steps refused), the task is left where it really is and returned.
    """
    cause: Unavailable | ValidationError | None = None
    for _ in range(MOVE_ROUNDS):
        try:
            return await _one_round(moves, card_id, placement)
        except _Interrupted as interrupted:
            cause = interrupted.cause
            log.info("KanbanTool: moving task %s was interrupted (%s)", card_id, cause)
    if isinstance(cause, Unavailable):
        raise cause
    return await moves.read_task()


async def _one_round(moves: TaskMoves, card_id: str, placement: Placement) -> Task:
    stage = _number(placement.column_id)
    lane = _number(placement.lane_id) if placement.lane_id is not None else None
    task = await moves.read_task()
    lane = task["swimlane_id"] if lane is None else lane
    if (task["workflow_stage_id"], task["swimlane_id"]) != (stage, lane):
        task = await _into_cell(moves, stage, lane, placement.override_reason)
    cell = [
        str(other["id"])
        for other in sorted(await moves.read_tasks(), key=_cell_order)
        if (other["workflow_stage_id"], other["swimlane_id"]) == (stage, lane)
    ]
    if card_id not in cell:  # the list lags behind the move: nothing to order yet
        return task
    steps = _target_index(cell, card_id, placement) - cell.index(card_id)
    step = {"direction": "down" if steps > 0 else "up"}
    for _ in range(abs(steps)):  # each step swaps again: never resent blindly
        try:
            task = await moves.put_move(step, False)
        except (Unavailable, ValidationError) as failed:
            if isinstance(failed, Unavailable) and not failed.in_doubt:
                raise  # never reached the service: nothing to find out by reading
            raise _Interrupted(failed) from failed
    return task


async def _into_cell(moves: TaskMoves, stage: int, lane: int, override: str | None) -> Task:
    """The task at the bottom of its new cell: a PUT that may safely be sent again."""
    body: dict[str, Any] = {"workflow_stage_id": stage, "swimlane_id": lane}
    if override:
        body["override"] = override
    try:
        return await moves.put_move(body, True)
    except Conflict as refusal:  # the docs' 409: a WIP limit, which `override` lifts
        raise Conflict(
            refusal.message, overridable=True, detail=refusal.detail, status=refusal.status
        ) from None
    except Unavailable as unclear:
        if not unclear.in_doubt:
            raise
        raise _Interrupted(unclear) from unclear


def _target_index(cell: Sequence[str], card_id: str, placement: Placement) -> int:
    """Where the task belongs in the cell: after the card `placement` puts before it, or
    before the one it puts after it, as they stand now; else at the index asked."""
    others = [other for other in cell if other != card_id]
    if placement.after_id in others:
        return others.index(placement.after_id) + 1
    if placement.before_id in others:
        return others.index(placement.before_id)
    return min(max(placement.index, 0), len(others))


def _number(value: str) -> int:
    """A KanbanTool id as the API takes it, refused before anything is sent."""
    try:
        return int(value)
    except ValueError:
        raise ValidationError(f"not a KanbanTool id: {value!r}") from None


def _cell_order(task: Task) -> tuple[float, int]:
    return (float(task.get("position") or 0), int(task["id"]))
