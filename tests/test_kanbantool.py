"""The KanbanTool provider end to end against the KanbanTool fake."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, date, datetime

import httpx
import pytest

from tests.fakes.kanbantool import KanbanToolFake
from tests.support.clock import FakeClock
from tests.support.providers import against_fake
from tui.core.errors import (
    AuthError,
    Conflict,
    NotFound,
    Unsupported,
    ValidationError,
)
from tui.core.models import CardChanges, CardDraft, Placement, Priority, TimeLog
from tui.core.provider import Connection
from tui.core.secret import Secret
from tui.providers.kanbantool import (
    KANBANTOOL_API,
    PER_PAGE,
    KanbanToolProvider,
    _unwrap,
)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def fake() -> KanbanToolFake:
    return KanbanToolFake()


def connect(
    fake: KanbanToolFake, clock: FakeClock, *, token: str | None = None
) -> KanbanToolProvider:
    return against_fake(KanbanToolProvider, fake, clock, token=token)


@pytest.fixture
async def kt(fake: KanbanToolFake, clock: FakeClock) -> AsyncIterator[KanbanToolProvider]:
    provider = connect(fake, clock)
    yield provider
    await provider.aclose()


def board_id(fake: KanbanToolFake) -> str:
    return str(next(iter(fake.boards)))


def task_id(fake: KanbanToolFake, name: str) -> str:
    return str(next(t["id"] for t in fake.tasks.values() if t["name"] == name))


def stage_id(fake: KanbanToolFake, name: str) -> str:
    return str(next(s["id"] for s in fake.workflow_stages.values() if s["name"] == name))


def lane_id(fake: KanbanToolFake, name: str) -> str:
    return str(next(s["id"] for s in fake.swimlanes.values() if s["name"] == name))


def user_id(fake: KanbanToolFake, name: str) -> str:
    return str(next(u["id"] for u in fake.users.values() if u["name"] == name))


def cell(fake: KanbanToolFake, stage: str, lane: str) -> list[str]:
    tasks = [
        t
        for t in fake.tasks.values()
        if t["workflow_stage_id"] == int(stage_id(fake, stage))
        and t["swimlane_id"] == int(lane_id(fake, lane))
        and t["archived_at"] is None
    ]
    return [t["name"] for t in sorted(tasks, key=lambda t: t["position"])]


def test_error_messages_are_read_wrapped_or_bare():
    read = KANBANTOOL_API.detail
    assert read({"message": "Name can't be blank", "status": 422}) == "Name can't be blank"
    assert (
        read({"error": {"message": "API token is invalid", "status": 401}})
        == "API token is invalid"
    )
    assert read(["not", "an", "error"]) is None


def test_unwrap_takes_both_shapes_the_docs_warn_about():
    assert _unwrap({"task": {"id": 1}}, "task") == {"id": 1}
    assert _unwrap({"id": 1, "name": "bare"}, "task") == {"id": 1, "name": "bare"}
    assert _unwrap([{"task": {"id": 1}}, {"id": 2}], "task") == [{"id": 1}, {"id": 2}]
    assert _unwrap([{"pagination": {"page": 1}}], "task") == [{"pagination": {"page": 1}}]


# --- reading ----------------------------------------------------------------------------


async def test_whoami_is_the_first_user_of_the_first_board(kt: KanbanToolProvider):
    assert (await kt.whoami()).name == "API Access - Alex Morgan"


async def test_boards_are_grouped_by_folder(kt: KanbanToolProvider, fake: KanbanToolFake):
    boards = await kt.list_boards()
    assert [(b.id, b.name, b.group) for b in boards] == [
        (board_id(fake), "Product development", "Projects")
    ]


async def test_leaf_stages_are_the_columns_grouped_under_their_parent(
    kt: KanbanToolProvider, fake: KanbanToolFake
):
    content = await kt.load_board(board_id(fake))
    assert [(c.name, c.group, c.wip_limit) for c in content.columns] == [
        ("Backlog", None, None),
        ("Doing", "In progress", 2),
        ("Review", "In progress", None),
        ("Done", None, None),
    ]
    assert [lane.name for lane in content.lanes] == ["Features", "Bugs"]
    # The board's labels are the tags its tasks carry; card types are not labels.
    assert [label.name for label in content.labels] == ["backend", "frontend", "urgent"]
    assert [user.name for user in content.users] == ["API Access - Alex Morgan", "Bernard Zent"]


async def test_load_board_has_every_active_task_once(kt: KanbanToolProvider, fake: KanbanToolFake):
    content = await kt.load_board(board_id(fake))
    active = {str(t["id"]) for t in fake.tasks.values() if t["archived_at"] is None}
    assert sorted(card.id for card in content.cards) == sorted(active)
    cards = {card.title: card for card in content.cards}
    crash = cards["Fix crash on empty board"]
    assert crash.column_id == stage_id(fake, "Doing") and crash.lane_id == lane_id(fake, "Bugs")
    assert [label.name for label in crash.labels] == ["backend", "urgent"]
    assert crash.card_type == "Bug" and crash.size == "1"
    assert cards["Dark theme"].card_type == "Feature"
    assert (
        cards["Write API client"].assignee
        and cards["Write API client"].assignee.name == "Bernard Zent"
    )
    assert cards["Review pagination"].comment_count == 2
    assert cards["Design login screen"].priority == Priority.NORMAL


async def test_tasks_are_paged_175_at_a_time_to_the_end(
    kt: KanbanToolProvider, fake: KanbanToolFake
):
    big = fake.seed_board(400, columns=4)
    fake.requests.clear()
    content = await kt.load_board(str(big))
    assert len(content.cards) == 400 == len({card.id for card in content.cards})
    pages = [r.query for r in fake.requests if r.path.endswith("/tasks.json")]
    assert len(pages) == 3 == -(-400 // PER_PAGE)
    assert all(f"per_page={PER_PAGE}" in query for query in pages)


async def test_card_detail_has_description_subtasks_and_assignee(
    kt: KanbanToolProvider, fake: KanbanToolFake
):
    card = await kt.get_card(board_id(fake), task_id(fake, "Write API client"))
    assert card.description == "Cover boards, tasks and timers."
    assert [(item.text, item.done) for item in card.checklist] == [
        ("Boards", True),
        ("Tasks", False),
        ("Timers", False),
    ]
    assert card.assignee and card.assignee.id == user_id(fake, "Bernard Zent")
    assert [label.name for label in card.labels] == ["backend"]
    assert card.card_type == "Feature"


async def test_a_fractional_size_estimate_is_kept(kt: KanbanToolProvider, fake: KanbanToolFake):
    fake.tasks[int(task_id(fake, "Dark theme"))]["size_estimate"] = "2.5"
    card = await kt.get_card(board_id(fake), task_id(fake, "Dark theme"))
    assert card.size == "2.5"


async def test_comments_come_with_their_authors(kt: KanbanToolProvider, fake: KanbanToolFake):
    comments = await kt.list_comments(board_id(fake), task_id(fake, "Review pagination"))
    assert [(c.text, c.author.name if c.author else None) for c in comments] == [
        ("Pages look right to me.", "Bernard Zent"),
        ("Merging after one more test.", "API Access - Alex Morgan"),
    ]


async def test_an_unknown_task_is_not_found(kt: KanbanToolProvider, fake: KanbanToolFake):
    with pytest.raises(NotFound, match="Task not found"):
        await kt.get_card(board_id(fake), "999999")


# --- writing ----------------------------------------------------------------------------


async def test_create_a_task_with_every_field(kt: KanbanToolProvider, fake: KanbanToolFake):
    draft = CardDraft(
        title="Export PDF",
        column_id=stage_id(fake, "Review"),
        lane_id=lane_id(fake, "Bugs"),
        description="Same as CSV",
        assignee_id=user_id(fake, "Bernard Zent"),
        due=date(2026, 3, 1),
        priority=Priority.HIGH,
    )
    card = await kt.create_card(board_id(fake), draft)
    stored = fake.tasks[int(card.id)]
    assert (stored["name"], stored["workflow_stage_id"], stored["swimlane_id"]) == (
        "Export PDF",
        int(draft.column_id),
        int(draft.lane_id),
    )
    assert (stored["assigned_user_id"], stored["due_date"], stored["priority"]) == (
        int(user_id(fake, "Bernard Zent")),
        "2026-03-01",
        1,
    )
    assert card.priority == Priority.HIGH and card.card_type == "Feature"  # the default
    assert card.due == date(2026, 3, 1)


async def test_update_sends_only_the_touched_fields(kt: KanbanToolProvider, fake: KanbanToolFake):
    target = task_id(fake, "Write API client")
    changes = CardChanges(
        title="Write the API client",
        priority=Priority.LOW,
        assignee_id=None,
    )
    card = await kt.update_card(board_id(fake), target, changes)
    stored = fake.tasks[int(target)]
    assert (stored["name"], stored["priority"], stored["assigned_user_id"]) == (
        "Write the API client",
        -1,
        None,
    )
    assert stored["description"] == "Cover boards, tasks and timers."  # untouched
    assert card.assignee is None and card.priority == Priority.LOW
    assert [label.name for label in card.labels] == ["backend"]


async def test_tags_cannot_be_changed_through_the_api(kt: KanbanToolProvider, fake: KanbanToolFake):
    with pytest.raises(Unsupported, match="cannot change them"):
        await kt.update_card(
            board_id(fake), task_id(fake, "Dark theme"), CardChanges(label_ids=("backend",))
        )
    assert fake.requests == []


async def test_archived_tasks_are_listed_and_restored(kt: KanbanToolProvider, fake: KanbanToolFake):
    archived = await kt.list_archived_cards(board_id(fake))
    stored = [t for t in fake.tasks.values() if t["archived_at"] is not None]
    assert [card.id for card in archived] == [str(t["id"]) for t in stored]
    assert archived and all(card.archived for card in archived)
    await kt.restore_card(board_id(fake), archived[0].id)
    assert fake.tasks[int(archived[0].id)]["archived_at"] is None
    content = await kt.load_board(board_id(fake))
    assert archived[0].id in {card.id for card in content.cards}


async def test_a_posted_comment_names_its_author(kt: KanbanToolProvider, fake: KanbanToolFake):
    comment = await kt.add_comment(board_id(fake), task_id(fake, "Dark theme"), "On it")
    assert comment.author is not None and comment.author.name == "API Access - Alex Morgan"


async def test_a_move_past_a_wip_limit_is_an_overridable_conflict(
    kt: KanbanToolProvider, fake: KanbanToolFake
):
    target = task_id(fake, "Dark theme")
    placement = Placement(
        column_id=stage_id(fake, "Doing"), lane_id=lane_id(fake, "Features"), index=1, position=2
    )
    with pytest.raises(Conflict) as refused:
        await kt.move_card(board_id(fake), target, placement)
    assert refused.value.overridable is True
    assert refused.value.detail == "WIP Limit exceeded for target column and override not specified"
    assert fake.tasks[int(target)]["workflow_stage_id"] == int(stage_id(fake, "Backlog"))

    forced = replace(placement, override_reason="release blocker")
    card = await kt.move_card(board_id(fake), target, forced)
    assert card.column_id == stage_id(fake, "Doing")
    moves = [r for r in fake.requests if r.path.endswith("/move.json")]
    assert moves[-1].json == {
        "workflow_stage_id": int(stage_id(fake, "Doing")),
        "swimlane_id": int(lane_id(fake, "Features")),
        "override": "release blocker",
    }
    assert cell(fake, "Doing", "Features") == ["Write API client", "Dark theme"]


async def test_a_move_lands_at_the_asked_index(kt: KanbanToolProvider, fake: KanbanToolFake):
    target = task_id(fake, "Dark theme")
    placement = Placement(
        column_id=stage_id(fake, "Review"), lane_id=lane_id(fake, "Features"), index=0, position=0
    )
    card = await kt.move_card(board_id(fake), target, placement)
    assert cell(fake, "Review", "Features") == [
        "Dark theme",
        "Review pagination",
        "Keyboard shortcuts help",
    ]
    assert card.position == 1


async def test_a_reorder_within_a_cell_steps_the_task_up(
    kt: KanbanToolProvider, fake: KanbanToolFake
):
    assert cell(fake, "Backlog", "Features") == [
        "Design login screen",
        "Dark theme",
        "Export time as CSV",
    ]
    placement = Placement(
        column_id=stage_id(fake, "Backlog"), lane_id=lane_id(fake, "Features"), index=0, position=0
    )
    await kt.move_card(board_id(fake), task_id(fake, "Export time as CSV"), placement)
    assert cell(fake, "Backlog", "Features") == [
        "Export time as CSV",
        "Design login screen",
        "Dark theme",
    ]


async def test_archive_takes_a_done_task_off_the_board(
    kt: KanbanToolProvider, fake: KanbanToolFake
):
    target = task_id(fake, "Set up CI")
    await kt.archive_card(board_id(fake), target)
    assert fake.tasks[int(target)]["archived_at"] is not None
    content = await kt.load_board(board_id(fake))
    assert target not in {card.id for card in content.cards}


async def test_archiving_an_unfinished_task_keeps_the_services_reason(
    kt: KanbanToolProvider, fake: KanbanToolFake
):
    with pytest.raises(ValidationError, match="Task is not ready to be archived"):
        await kt.archive_card(board_id(fake), task_id(fake, "Dark theme"))


async def test_delete_removes_the_task(kt: KanbanToolProvider, fake: KanbanToolFake):
    target = task_id(fake, "Typo in settings")
    await kt.delete_card(board_id(fake), target)
    assert int(target) not in fake.tasks


async def test_add_comment(kt: KanbanToolProvider, fake: KanbanToolFake):
    target = task_id(fake, "Dark theme")
    comment = await kt.add_comment(board_id(fake), target, "Ship it")
    assert comment.text == "Ship it"
    assert [c["content"] for c in fake.comments.values() if c["task_id"] == int(target)] == [
        "Ship it"
    ]


async def test_subtasks_are_added_and_toggled(kt: KanbanToolProvider, fake: KanbanToolFake):
    target = task_id(fake, "Dark theme")
    item = await kt.add_checklist_item(board_id(fake), target, "Pick colours")
    assert (item.text, item.done) == ("Pick colours", False)
    toggled = await kt.set_checklist_item(board_id(fake), target, item.id, True)
    assert toggled.done and fake.subtasks[int(item.id)]["is_completed"] is True
    card = await kt.get_card(board_id(fake), target)
    assert [(i.id, i.done) for i in card.checklist] == [(item.id, True)]


async def test_log_time_is_a_finished_tracker_on_that_day(
    kt: KanbanToolProvider, fake: KanbanToolFake
):
    target = task_id(fake, "Dark theme")
    remote_id = await kt.log_time(board_id(fake), target, 25, date(2026, 1, 7), "pairing")
    tracker = fake.time_trackers[int(remote_id)]
    assert (tracker["task_id"], tracker["board_id"]) == (int(target), int(board_id(fake)))
    assert (tracker["started_at"], tracker["ended_at"]) == (
        "2026-01-07T12:00:00+00:00",
        "2026-01-07T12:25:00+00:00",
    )


# --- failures and secrets ---------------------------------------------------------------


@pytest.mark.parametrize("status", [403, 401])
async def test_a_wrong_token_is_an_auth_error(fake: KanbanToolFake, clock: FakeClock, status: int):
    fake.auth_failure_status = status
    provider = connect(fake, clock, token="not-the-token")
    with pytest.raises(AuthError, match="token rejected for account 'work'") as caught:
        await provider.list_boards()
    assert caught.value.detail == "API token is invalid"


async def test_a_5xx_on_a_get_is_retried(kt: KanbanToolProvider, fake: KanbanToolFake):
    fake.faults.statuses = [500]
    assert len(await kt.list_boards()) == 1
    assert fake.count("GET", "/boards.json") == 2


class _StepsFail(httpx.AsyncBaseTransport):
    """The fake, except that every "up"/"down" step answers 503 after the server acted."""

    def __init__(self, inner: httpx.AsyncBaseTransport):
        self.inner = inner
        self.steps = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        if b'"direction"' not in request.content:
            return response
        self.steps += 1
        await response.aclose()
        return httpx.Response(503, json={"message": "gateway lost it"})


async def test_a_step_of_a_reorder_is_never_sent_twice(fake: KanbanToolFake, clock: FakeClock):
    """A step whose answer is lost may have swapped: the move reads where the task really
    is before the next step, so no step is sent again blindly and none is lost."""
    transport = _StepsFail(fake.transport())
    connection = Connection(
        account="work", url=fake.base_url, token=Secret(fake.token), transport=transport
    )
    provider = KanbanToolProvider(connection, clock=clock)
    placement = Placement(
        column_id=stage_id(fake, "Backlog"), lane_id=lane_id(fake, "Features"), index=0, position=0
    )
    await provider.move_card(board_id(fake), task_id(fake, "Export time as CSV"), placement)
    assert transport.steps == 2  # two places up: one step each, each after a fresh read
    assert cell(fake, "Backlog", "Features") == [
        "Export time as CSV",
        "Design login screen",
        "Dark theme",
    ]


async def test_no_token_in_any_url(kt: KanbanToolProvider, fake: KanbanToolFake):
    await kt.load_board(board_id(fake))
    await kt.add_comment(board_id(fake), task_id(fake, "Dark theme"), "hi")
    assert fake.requests
    for request in fake.requests:
        assert fake.token not in request.path + "?" + request.query
        assert "api_token" not in request.query
        assert request.headers["x-kanbantooltoken"] == fake.token


# --- time trackers ----------------------------------------------------------------------


async def test_a_timer_runs_on_kanbantool_from_start_to_stop(
    kt: KanbanToolProvider, fake: KanbanToolFake, clock: FakeClock
):
    target = task_id(fake, "Dark theme")
    started = clock.now
    tracker_id = await kt.start_timer(board_id(fake), target)
    tracker = fake.time_trackers[int(tracker_id)]
    assert (tracker["task_id"], tracker["ended_at"]) == (int(target), None)
    assert tracker["started_at"] == datetime.fromtimestamp(started, UTC).isoformat(
        timespec="seconds"
    )
    clock.now += 25 * 60
    logged = await kt.stop_timer(board_id(fake), target, tracker_id)
    assert logged == TimeLog(
        id=tracker_id, card_id=target, minutes=25, day=datetime.fromtimestamp(started, UTC).date()
    )
    assert tracker["ended_at"] == datetime.fromtimestamp(clock.now, UTC).isoformat(
        timespec="seconds"
    )


async def test_starting_a_timer_stops_the_one_running(
    kt: KanbanToolProvider, fake: KanbanToolFake, clock: FakeClock
):
    first = await kt.start_timer(board_id(fake), task_id(fake, "Dark theme"))
    clock.now += 60
    second = await kt.start_timer(board_id(fake), task_id(fake, "Export time as CSV"))
    assert fake.time_trackers[int(first)]["ended_at"] is not None
    assert fake.time_trackers[int(second)]["ended_at"] is None


async def test_time_logs_are_the_finished_trackers_of_the_task(
    kt: KanbanToolProvider, fake: KanbanToolFake
):
    target = task_id(fake, "Dark theme")
    logged = await kt.log_time(board_id(fake), target, 25, date(2026, 1, 7), "")
    await kt.start_timer(board_id(fake), target)  # running: no length yet
    await kt.log_time(board_id(fake), task_id(fake, "Export time as CSV"), 10, date(2026, 1, 7), "")
    logs = await kt.list_time_logs(board_id(fake), target)
    assert [(log.id, log.card_id, log.minutes, log.day, log.note) for log in logs] == [
        (logged, target, 25, date(2026, 1, 7), "")
    ]


async def test_updating_a_tracker_keeps_its_start_on_its_day(
    kt: KanbanToolProvider, fake: KanbanToolFake
):
    target = task_id(fake, "Dark theme")
    logged = await kt.log_time(board_id(fake), target, 25, date(2026, 1, 7), "")
    await kt.update_time_log(board_id(fake), target, logged, 40, date(2026, 1, 7), "ignored")
    tracker = fake.time_trackers[int(logged)]
    assert (tracker["started_at"], tracker["ended_at"]) == (
        "2026-01-07T12:00:00+00:00",
        "2026-01-07T12:40:00+00:00",
    )
    await kt.update_time_log(board_id(fake), target, logged, 15, date(2026, 1, 9), "")
    assert (tracker["started_at"], tracker["ended_at"]) == (
        "2026-01-09T12:00:00+00:00",
        "2026-01-09T12:15:00+00:00",
    )


async def test_a_running_tracker_updated_is_stopped(
    kt: KanbanToolProvider, fake: KanbanToolFake, clock: FakeClock
):
    target = task_id(fake, "Dark theme")
    tracker_id = await kt.start_timer(board_id(fake), target)
    day = datetime.fromtimestamp(clock.now, UTC).date()
    await kt.update_time_log(board_id(fake), target, tracker_id, 50, day, "")
    assert fake.time_trackers[int(tracker_id)]["ended_at"] == datetime.fromtimestamp(
        clock.now + 50 * 60, UTC
    ).isoformat(timespec="seconds")


async def test_trackers_are_deleted_and_a_missing_one_is_not_found(
    kt: KanbanToolProvider, fake: KanbanToolFake
):
    target = task_id(fake, "Dark theme")
    logged = await kt.log_time(board_id(fake), target, 25, date(2026, 1, 7), "")
    await kt.delete_time_log(board_id(fake), target, logged)
    assert int(logged) not in fake.time_trackers
    with pytest.raises(NotFound, match=f"time tracker {logged} not found"):
        await kt.update_time_log(board_id(fake), target, logged, 5, date(2026, 1, 7), "")
    with pytest.raises(NotFound, match="Time tracker not found"):
        await kt.delete_time_log(board_id(fake), target, logged)
