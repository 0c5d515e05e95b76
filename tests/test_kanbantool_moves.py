"""KanbanTool moves are several requests: each failing halfway, against the fake.

A move puts the task at the bottom of its new cell, then steps it up or down. These
tests break it between and inside those requests (refused, acted on and dropped, never
sent) and check that the task ends exactly where it was asked, with no step sent twice
without reading first, and that positions with gaps do not matter.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.fakes.kanbantool import KanbanToolFake
from tests.support.clock import FakeClock
from tests.support.providers import against_fake
from tui.core.errors import Unavailable, ValidationError
from tui.core.models import Placement
from tui.providers.kanbantool import KanbanToolProvider


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def fake() -> KanbanToolFake:
    return KanbanToolFake()


@pytest.fixture
async def kt(fake: KanbanToolFake, clock: FakeClock) -> AsyncIterator[KanbanToolProvider]:
    provider = against_fake(KanbanToolProvider, fake, clock)
    yield provider
    await provider.aclose()


def board(fake: KanbanToolFake) -> str:
    return str(next(iter(fake.boards)))


def task(fake: KanbanToolFake, name: str) -> str:
    return str(next(t["id"] for t in fake.tasks.values() if t["name"] == name))


def stage(fake: KanbanToolFake, name: str) -> str:
    return str(next(s["id"] for s in fake.workflow_stages.values() if s["name"] == name))


def lane(fake: KanbanToolFake, name: str) -> str:
    return str(next(s["id"] for s in fake.swimlanes.values() if s["name"] == name))


def cell(fake: KanbanToolFake, stage_name: str, lane_name: str) -> list[str]:
    tasks = [
        t
        for t in fake.tasks.values()
        if t["workflow_stage_id"] == int(stage(fake, stage_name))
        and t["swimlane_id"] == int(lane(fake, lane_name))
        and t["archived_at"] is None
    ]
    return [t["name"] for t in sorted(tasks, key=lambda t: t["position"])]


def to(
    fake: KanbanToolFake,
    stage_name: str,
    index: int,
    *,
    after: str | None = None,
    before: str | None = None,
) -> Placement:
    """Where the store would put a task: index and neighbours in the Features lane."""
    return Placement(
        column_id=stage(fake, stage_name),
        lane_id=lane(fake, "Features"),
        index=index,
        position=0,
        after_id=task(fake, after) if after else None,
        before_id=task(fake, before) if before else None,
    )


def steps_sent(fake: KanbanToolFake) -> list[str]:
    return [
        str(request.json["direction"])  # type: ignore[index]
        for request in fake.requests
        if request.path.endswith("/move.json") and b"direction" in request.body
    ]


def cell_moves_sent(fake: KanbanToolFake) -> int:
    return sum(
        1
        for request in fake.requests
        if request.path.endswith("/move.json") and b"workflow_stage_id" in request.body
    )


def spread_out(fake: KanbanToolFake, stage_name: str, lane_name: str, gap: int = 10) -> None:
    """Positions 10, 20, 30...: the same order, with gaps, as a real board may have."""
    for n, name in enumerate(cell(fake, stage_name, lane_name), start=1):
        fake.tasks[int(task(fake, name))]["position"] = n * gap


# --- positions with gaps --------------------------------------------------------------


@pytest.mark.parametrize(
    ("index", "after", "before", "expected"),
    [
        (0, None, "Review pagination", ["Dark theme", "Review pagination", "Keyboard shortcuts help"]),
        (1, "Review pagination", "Keyboard shortcuts help", ["Review pagination", "Dark theme", "Keyboard shortcuts help"]),
        (2, "Keyboard shortcuts help", None, ["Review pagination", "Keyboard shortcuts help", "Dark theme"]),
    ],
)  # fmt: skip
async def test_a_move_into_a_cell_with_gapped_positions_lands_where_asked(
    kt: KanbanToolProvider, fake: KanbanToolFake, index, after, before, expected
):
    spread_out(fake, "Review", "Features")  # 10, 20: the moved task arrives as 3, on top
    placement = to(fake, "Review", index, after=after, before=before)
    card = await kt.move_card(board(fake), task(fake, "Dark theme"), placement)
    assert cell(fake, "Review", "Features") == expected
    assert card.column_id == stage(fake, "Review")
    assert len(steps_sent(fake)) == abs(expected.index("Dark theme") - 0)


async def test_a_reorder_goes_next_to_the_named_neighbour_even_if_the_index_is_stale(
    kt: KanbanToolProvider, fake: KanbanToolFake
):
    # The store asked for index 2, counted on a board that has since lost a task above.
    placement = to(fake, "Backlog", 2, after="Dark theme")
    del fake.tasks[int(task(fake, "Design login screen"))]
    await kt.move_card(board(fake), task(fake, "Export time as CSV"), placement)
    assert cell(fake, "Backlog", "Features") == ["Dark theme", "Export time as CSV"]
    assert steps_sent(fake) == []


# --- failures halfway -----------------------------------------------------------------


async def test_a_step_acted_on_and_dropped_is_followed_from_the_real_position(
    kt: KanbanToolProvider, fake: KanbanToolFake
):
    # Into Backlog's bottom (4th), then three steps up; the second is acted on and lost.
    fake.faults.only, fake.faults.after, fake.faults.drop_after = "/move.json", 2, 1
    placement = to(fake, "Backlog", 0, before="Design login screen")
    await kt.move_card(board(fake), task(fake, "Review pagination"), placement)
    assert cell(fake, "Backlog", "Features") == [
        "Review pagination",
        "Design login screen",
        "Dark theme",
        "Export time as CSV",
    ]
    assert steps_sent(fake) == ["up", "up", "up"]  # none twice, none lost
    assert cell_moves_sent(fake) == 1


async def test_a_step_refused_because_the_cell_changed_is_worked_out_again(
    kt: KanbanToolProvider, fake: KanbanToolFake
):
    fake.faults.only, fake.faults.after, fake.faults.statuses = "/move.json", 1, [422]
    placement = to(fake, "Backlog", 0, before="Design login screen")
    await kt.move_card(board(fake), task(fake, "Review pagination"), placement)
    assert cell(fake, "Backlog", "Features")[0] == "Review pagination"
    assert steps_sent(fake) == ["up", "up", "up", "up"]  # the refused one, then three


async def test_a_move_cut_off_halfway_is_finished_by_sending_it_again(
    kt: KanbanToolProvider, fake: KanbanToolFake
):
    # The cell move lands; then the service cannot be reached for the steps.
    fake.faults.only, fake.faults.after, fake.faults.drop_before = "/move.json", 1, 99
    placement = to(fake, "Backlog", 0, before="Design login screen")
    with pytest.raises(Unavailable, match="could not connect") as failed:
        await kt.move_card(board(fake), task(fake, "Review pagination"), placement)
    assert failed.value.in_doubt is False  # nothing was sent: the outbox simply retries
    assert cell(fake, "Backlog", "Features")[-1] == "Review pagination"

    fake.faults.drop_before = 0
    await kt.move_card(board(fake), task(fake, "Review pagination"), placement)
    assert cell(fake, "Backlog", "Features")[0] == "Review pagination"
    assert cell_moves_sent(fake) == 1  # resumed in the cell, not moved into it again
    assert steps_sent(fake) == ["up", "up", "up"]


async def test_a_move_interrupted_after_some_steps_resumes_with_the_rest(
    kt: KanbanToolProvider, fake: KanbanToolFake
):
    # What a crash after the cell move and one step leaves: second from the bottom.
    spread_out(fake, "Backlog", "Features")  # 10, 20, 30 around the task's 25
    moved = fake.tasks[int(task(fake, "Review pagination"))]
    moved.update(workflow_stage_id=int(stage(fake, "Backlog")), position=25)
    placement = to(fake, "Backlog", 0, before="Design login screen")
    await kt.move_card(board(fake), task(fake, "Review pagination"), placement)
    assert cell(fake, "Backlog", "Features")[0] == "Review pagination"
    assert steps_sent(fake) == ["up", "up"]
    assert cell_moves_sent(fake) == 0


async def test_steps_that_keep_being_refused_leave_the_task_in_its_new_cell(
    kt: KanbanToolProvider, fake: KanbanToolFake
):
    fake.faults.only, fake.faults.after, fake.faults.statuses = "/move.json", 1, [422] * 10
    placement = to(fake, "Backlog", 0, before="Design login screen")
    card = await kt.move_card(board(fake), task(fake, "Review pagination"), placement)
    assert card.column_id == stage(fake, "Backlog")  # not rolled back, not raised
    assert cell(fake, "Backlog", "Features")[-1] == "Review pagination"


async def test_a_bad_stage_id_is_refused_before_anything_is_sent(
    kt: KanbanToolProvider, fake: KanbanToolFake
):
    placement = Placement(column_id="doing", index=0, position=0)
    with pytest.raises(ValidationError, match="not a KanbanTool id"):
        await kt.move_card(board(fake), task(fake, "Dark theme"), placement)
    assert fake.requests == []
