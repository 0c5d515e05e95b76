"""The KanbanTool fake behaves as the KanbanTool docs say: checked with plain httpx, in-process."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from tests.fakes.kanbantool import MAX_PER_PAGE, KanbanToolFake


@pytest.fixture
def fake() -> KanbanToolFake:
    return KanbanToolFake()


def connect(fake: KanbanToolFake, token: str | None = None) -> httpx.AsyncClient:
    headers = {"X-KanbanToolToken": token or fake.token}
    return httpx.AsyncClient(transport=fake.transport(), base_url=fake.base_url, headers=headers)


@pytest.fixture
async def api(fake: KanbanToolFake) -> AsyncIterator[httpx.AsyncClient]:
    async with connect(fake) as client:
        yield client


def board_id(fake: KanbanToolFake) -> int:
    return next(iter(fake.boards))


def stage(fake: KanbanToolFake, name: str) -> dict:
    return next(s for s in fake.workflow_stages.values() if s["name"] == name)


def task_named(fake: KanbanToolFake, name: str) -> dict:
    return next(t for t in fake.tasks.values() if t["name"] == name)


def task_path(fake: KanbanToolFake, task: dict, suffix: str = ".json") -> str:
    return f"/boards/{task['board_id']}/tasks/{task['id']}{suffix}"


def tasks_of(page: list[dict]) -> list[dict]:
    """The task objects of a list answer, without the pagination element."""
    return [entry["task"] for entry in page if "task" in entry]


# ---- auth ------------------------------------------------------------------------------


async def test_a_missing_or_wrong_token_is_answered_403_with_the_documented_message(
    fake: KanbanToolFake,
):
    async with httpx.AsyncClient(transport=fake.transport(), base_url=fake.base_url) as bare:
        missing = await bare.get("/boards.json")
    async with connect(fake, "wrong") as wrong:
        bad = await wrong.get("/boards.json")
    assert (missing.status_code, bad.status_code) == (403, 403)
    assert missing.json() == bad.json() == {"message": "API token is invalid", "status": 403}


async def test_the_documented_401_reading_can_be_chosen(fake: KanbanToolFake):
    fake.auth_failure_status = 401
    async with connect(fake, "wrong") as wrong:
        bad = await wrong.get("/boards.json")
    assert (bad.status_code, bad.json()["status"]) == (401, 401)


async def test_the_token_is_accepted_in_the_header_or_as_api_token(fake: KanbanToolFake):
    async with connect(fake) as by_header:
        header = await by_header.get("/boards.json")
    async with httpx.AsyncClient(transport=fake.transport(), base_url=fake.base_url) as bare:
        query = await bare.get("/boards.json", params={"api_token": fake.token})
    assert header.status_code == query.status_code == 200
    assert header.json() == query.json()


# ---- boards ------------------------------------------------------------------------------


async def test_boards_are_wrapped_in_a_board_key(fake: KanbanToolFake, api: httpx.AsyncClient):
    boards = (await api.get("/boards.json")).json()
    assert [b["board"]["name"] for b in boards] == ["Product development"]
    assert boards[0]["board"]["folder"]["name"] == "Projects"


async def test_the_board_structure_has_a_stage_tree_swimlanes_and_card_types(
    fake: KanbanToolFake, api: httpx.AsyncClient
):
    board = (await api.get(f"/boards/{board_id(fake)}.json")).json()["board"]
    stages = {s["name"]: s for s in board["workflow_stages"]}
    parent = stages["In progress"]
    assert parent["parent_id"] is None and parent["lane_width"] == 2
    assert stages["Doing"]["parent_id"] == stages["Review"]["parent_id"] == parent["id"]
    assert stages["Doing"]["limit"] == 2
    assert [s["name"] for s in board["swimlanes"]] == ["Features", "Bugs"]
    colours = {t["name"]: (t["color_ref"], t["is_default"]) for t in board["card_types"]}
    assert colours == {"Feature": ("yellow", True), "Bug": ("red", False), "Chore": ("blue", False)}


async def test_board_users_list_the_api_user_first_and_suspended_users_last(
    fake: KanbanToolFake, api: httpx.AsyncClient
):
    users = (await api.get(f"/boards/{board_id(fake)}/users.json")).json()
    people = [u["shared_item_user"]["user"] for u in users]
    assert people[0]["id"] == fake.current_user_id
    assert [p["is_suspended"] for p in people] == [False, False, True]


async def test_an_unknown_board_or_an_xml_path_is_a_404_with_a_message(api: httpx.AsyncClient):
    board = await api.get("/boards/999999.json")
    xml = await api.get("/boards.xml")
    assert (board.status_code, board.json()) == (404, {"message": "Board not found", "status": 404})
    assert xml.status_code == 404


# ---- task lists ------------------------------------------------------------------------------


async def test_a_plain_task_list_has_every_active_task_and_no_pagination(
    fake: KanbanToolFake, api: httpx.AsyncClient
):
    listed = (await api.get(f"/boards/{board_id(fake)}/tasks.json")).json()
    assert all(set(entry) == {"task"} for entry in listed)
    names = {t["name"] for t in tasks_of(listed)}
    assert len(names) == 10 and "Old prototype" not in names
    client = next(t for t in tasks_of(listed) if t["name"] == "Write API client")
    assert (client["subtasks_count"], client["subtasks_completed_count"]) == (3, 1)
    assert client["assigned_user"] == {"initials": "BZ", "name": "Bernard Zent"}
    assert client["size_estimate"] == "1.0"
    assert "board_id" not in client


async def test_pages_return_every_task_once_and_signal_the_end_with_a_null_next_page(
    fake: KanbanToolFake, api: httpx.AsyncClient
):
    board = fake.seed_board(400, columns=5)
    seen: list[int] = []
    pages = []
    page = 1
    while page is not None and len(pages) < 10:  # a fake that never ends fails, not hangs
        answer = (
            await api.get(
                f"/boards/{board}/tasks.json", params={"page": page, "per_page": MAX_PER_PAGE}
            )
        ).json()
        pagination = answer[-1]["pagination"]
        pages.append((pagination["page"], len(tasks_of(answer)), pagination["previous_page"]))
        seen += [t["id"] for t in tasks_of(answer)]
        page = pagination["next_page"]
    assert pages == [(1, 175, None), (2, 175, 1), (3, 50, 2)]
    assert pagination["total_pages"] == 3 and pagination["total_entries"] == 400
    assert sorted(seen) == sorted(t["id"] for t in fake.tasks.values() if t["board_id"] == board)
    assert len(set(seen)) == 400


async def test_per_page_is_capped_at_175_and_defaults_to_50(
    fake: KanbanToolFake, api: httpx.AsyncClient
):
    board = fake.seed_board(200, columns=2)
    capped = (await api.get(f"/boards/{board}/tasks.json", params={"per_page": 500})).json()
    default = (await api.get(f"/boards/{board}/tasks.json", params={"page": 1})).json()
    assert len(tasks_of(capped)) == MAX_PER_PAGE
    assert len(tasks_of(default)) == 50
    assert default[-1]["pagination"]["total_pages"] == 4


async def test_archived_tasks_are_listed_only_on_request(
    fake: KanbanToolFake, api: httpx.AsyncClient
):
    archived = (
        await api.get(f"/boards/{board_id(fake)}/tasks.json", params={"archived": 1})
    ).json()
    assert [t["name"] for t in tasks_of(archived)] == ["Old prototype"]
    assert tasks_of(archived)[0]["archived_at"] is not None
    assert archived[-1]["pagination"] == {
        "page": 1,
        "total_pages": 1,
        "total_entries": 1,
        "previous_page": None,
        "next_page": None,
    }


async def test_tasks_can_be_listed_by_swimlane_and_stage(
    fake: KanbanToolFake, api: httpx.AsyncClient
):
    bugs = next(s for s in fake.swimlanes.values() if s["name"] == "Bugs")
    doing = stage(fake, "Doing")
    params = {"swimlane_id": bugs["id"], "workflow_stage_id": doing["id"]}
    listed = (await api.get(f"/boards/{board_id(fake)}/tasks.json", params=params)).json()
    assert [t["name"] for t in tasks_of(listed)] == ["Fix crash on empty board"]


# ---- one task ------------------------------------------------------------------------------------


async def test_task_detail_is_wrapped_and_carries_comments_subtasks_and_changelog(
    fake: KanbanToolFake, api: httpx.AsyncClient
):
    task = task_named(fake, "Review pagination")
    detail = (await api.get(task_path(fake, task))).json()["task"]
    assert [c["content"] for c in detail["comments"]] == [
        "Pages look right to me.",
        "Merging after one more test.",
    ]
    assert detail["comments"][0]["user"] == {"initials": "BZ", "name": "Bernard Zent"}
    assert detail["comments_count"] == 2
    assert [log["what"] for log in detail["changelogs"]] == ["created"]
    client = (await api.get(task_path(fake, task_named(fake, "Write API client")))).json()["task"]
    assert [(s["name"], s["is_completed"]) for s in client["subtasks"]] == [
        ("Boards", True),
        ("Tasks", False),
        ("Timers", False),
    ]


async def test_a_created_task_lands_top_left_at_the_bottom_with_defaults(
    fake: KanbanToolFake, api: httpx.AsyncClient
):
    board = board_id(fake)
    created = await api.post(
        f"/boards/{board}/tasks.json", data={"task[name]": "New idea", "task[priority]": "1"}
    )
    assert created.status_code == 200
    task = created.json()["task"]
    read = (await api.get(f"/boards/{board}/tasks/{task['id']}.json")).json()["task"]
    backlog = stage(fake, "Backlog")
    features = next(s for s in fake.swimlanes.values() if s["name"] == "Features")
    assert (read["name"], read["priority"], read["size_estimate"]) == ("New idea", 1, "1.0")
    assert (read["workflow_stage_id"], read["swimlane_id"]) == (backlog["id"], features["id"])
    assert read["position"] == 4  # after the three Backlog features already there
    assert fake.card_types[read["card_type_id"]]["is_default"] is True


async def test_a_json_body_with_a_task_object_works_like_form_parameters(
    fake: KanbanToolFake, api: httpx.AsyncClient
):
    board = board_id(fake)
    created = await api.post(
        f"/boards/{board}/tasks.json", json={"task": {"name": "From JSON", "tags": "api"}}
    )
    assert created.status_code == 200
    assert fake.tasks[created.json()["task"]["id"]]["tags"] == "api"


async def test_a_multipart_body_works_like_a_urlencoded_one(
    fake: KanbanToolFake, api: httpx.AsyncClient
):
    task = task_named(fake, "Dark theme")
    created = await api.post(
        task_path(fake, task, "/comments.json"),
        data={"comment[content]": "With a file"},
        files={"attachment": ("notes.txt", b"ignored")},
    )
    assert created.status_code == 200
    assert fake.comments[created.json()["id"]]["content"] == "With a file"


async def test_an_invalid_task_is_a_400_naming_every_problem(
    fake: KanbanToolFake, api: httpx.AsyncClient
):
    before = len(fake.tasks)
    response = await api.post(
        f"/boards/{board_id(fake)}/tasks.json",
        data={"task[name]": " ", "task[size_estimate]": "big"},
    )
    assert response.status_code == 400
    assert response.json() == {
        "message": "Name cannot be blank, Size estimate must be numeric",
        "status": 400,
    }
    assert len(fake.tasks) == before


async def test_an_update_changes_fields_but_not_the_place(
    fake: KanbanToolFake, api: httpx.AsyncClient
):
    task = task_named(fake, "Dark theme")
    place = (task["workflow_stage_id"], task["swimlane_id"])
    params = {"task[name]": "Dark mode", "task[workflow_stage_id]": stage(fake, "Done")["id"]}
    updated = (await api.put(task_path(fake, task), data=params)).json()["task"]
    assert updated["name"] == "Dark mode"
    assert (
        fake.tasks[task["id"]]["workflow_stage_id"],
        fake.tasks[task["id"]]["swimlane_id"],
    ) == place


# ---- moves -----------------------------------------------------------------------------------------


async def test_moving_into_a_full_stage_is_409_until_override_is_given(
    fake: KanbanToolFake, api: httpx.AsyncClient
):
    task = task_named(fake, "Design login screen")
    doing = stage(fake, "Doing")
    refused = await api.put(
        task_path(fake, task, "/move.json"), data={"workflow_stage_id": doing["id"]}
    )
    assert refused.status_code == 409
    assert refused.json() == {
        "message": "WIP Limit exceeded for target column and override not specified",
        "status": 409,
    }
    assert fake.tasks[task["id"]]["workflow_stage_id"] == stage(fake, "Backlog")["id"]
    forced = await api.put(
        task_path(fake, task, "/move.json"),
        data={"workflow_stage_id": doing["id"], "override": "Hotfix"},
    )
    assert forced.status_code == 200
    moved = forced.json()["task"]
    assert moved["workflow_stage_id"] == doing["id"]
    assert "WIP limit overridden: Hotfix" in moved["changelogs"][-1]["description"]


async def test_a_move_changes_stage_and_swimlane_and_closes_the_gap(
    fake: KanbanToolFake, api: httpx.AsyncClient
):
    task = task_named(fake, "Design login screen")
    review = stage(fake, "Review")
    bugs = next(s for s in fake.swimlanes.values() if s["name"] == "Bugs")
    moved = (
        await api.put(
            task_path(fake, task, "/move.json"),
            data={"workflow_stage_id": review["id"], "swimlane_id": bugs["id"]},
        )
    ).json()["task"]
    assert (moved["workflow_stage_id"], moved["swimlane_id"], moved["position"]) == (
        review["id"],
        bugs["id"],
        1,
    )
    assert fake.tasks[task_named(fake, "Dark theme")["id"]]["position"] == 1


async def test_direction_moves_follow_the_leaf_stages_and_stop_at_the_edge(
    fake: KanbanToolFake, api: httpx.AsyncClient
):
    task = task_named(fake, "Keyboard shortcuts help")
    moved = (
        await api.put(task_path(fake, task, "/move.json"), data={"direction": "next_stage"})
    ).json()["task"]
    assert moved["workflow_stage_id"] == stage(fake, "Done")["id"]
    edge = await api.put(task_path(fake, task, "/move.json"), data={"direction": "next_stage"})
    assert edge.status_code == 422
    back = (
        await api.put(task_path(fake, task, "/move.json"), data={"direction": "prev_stage"})
    ).json()["task"]
    assert back["workflow_stage_id"] == stage(fake, "Review")["id"]


async def test_up_and_down_swap_neighbours_in_a_cell(fake: KanbanToolFake, api: httpx.AsyncClient):
    first, second = task_named(fake, "Design login screen"), task_named(fake, "Dark theme")
    moved = (await api.put(task_path(fake, second, "/move.json"), data={"direction": "up"})).json()[
        "task"
    ]
    assert moved["position"] == 1
    assert fake.tasks[first["id"]]["position"] == 2


async def test_a_parent_stage_is_not_a_place_for_tasks(
    fake: KanbanToolFake, api: httpx.AsyncClient
):
    task = task_named(fake, "Dark theme")
    refused = await api.put(
        task_path(fake, task, "/move.json"),
        data={"workflow_stage_id": stage(fake, "In progress")["id"]},
    )
    assert refused.status_code == 422


# ---- archive, delete ---------------------------------------------------------------------------------


async def test_only_a_task_in_the_last_stage_can_be_archived_and_then_unarchived(
    fake: KanbanToolFake, api: httpx.AsyncClient
):
    early = task_named(fake, "Dark theme")
    refused = await api.put(task_path(fake, early, "/archive.json"))
    assert (refused.status_code, refused.json()["message"]) == (
        422,
        "Task is not ready to be archived",
    )
    done = task_named(fake, "Set up CI")
    archived = (await api.put(task_path(fake, done, "/archive.json"))).json()["task"]
    assert archived["archived_at"] is not None
    listed = (
        await api.get(f"/boards/{done['board_id']}/tasks.json", params={"archived": 1})
    ).json()
    assert [t["name"] for t in tasks_of(listed)] == ["Set up CI", "Old prototype"]  # latest first
    restored = (await api.put(task_path(fake, done, "/unarchive.json"))).json()["task"]
    assert restored["archived_at"] is None
    again = await api.put(task_path(fake, done, "/unarchive.json"))
    assert (again.status_code, again.json()["message"]) == (422, "Task is not archived")


async def test_a_deleted_task_is_answered_then_gone_but_archived_ones_refuse(
    fake: KanbanToolFake, api: httpx.AsyncClient
):
    old = task_named(fake, "Old prototype")
    refused = await api.delete(task_path(fake, old))
    assert (refused.status_code, refused.json()["message"]) == (
        400,
        "Task is archived, please unarchive it first",
    )
    task = task_named(fake, "Review pagination")
    deleted = await api.delete(task_path(fake, task))
    assert deleted.json()["task"]["id"] == task["id"]
    assert task["id"] not in fake.tasks
    assert not [c for c in fake.comments.values() if c["task_id"] == task["id"]]
    assert (await api.get(task_path(fake, task))).status_code == 404


# ---- subtasks and comments -------------------------------------------------------------------------------


async def test_subtasks_round_trip_bare(fake: KanbanToolFake, api: httpx.AsyncClient):
    task = task_named(fake, "Dark theme")
    base = task_path(fake, task, "/subtasks")
    created = (await api.post(f"{base}.json", data={"subtask[name]": "Pick colours"})).json()
    assert (created["name"], created["is_completed"], created["position"]) == (
        "Pick colours",
        False,
        1,
    )
    second = (
        await api.post(
            f"{base}.json", json={"subtask": {"name": "Test contrast", "is_completed": True}}
        )
    ).json()
    assert second["is_completed"] is True
    done = (
        await api.put(f"{base}/{created['id']}.json", data={"subtask[is_completed]": "1"})
    ).json()
    assert done["is_completed"] is True
    assert (await api.get(f"{base}/{created['id']}.json")).json()["name"] == "Pick colours"
    reordered = (
        await api.put(f"{base}/reorder.json", data={"order": f"{second['id']},{created['id']}"})
    ).json()
    assert [s["id"] for s in reordered] == [second["id"], created["id"]]
    partial = await api.put(f"{base}/reorder.json", data={"order": str(second["id"])})
    assert (partial.status_code, partial.json()["message"]) == (
        422,
        "Not all subtasks have been included in the list.",
    )
    assert (await api.delete(f"{base}/{created['id']}.json")).json()["id"] == created["id"]
    assert [s["id"] for s in (await api.get(f"{base}.json")).json()] == [second["id"]]
    blank = await api.post(f"{base}.json", data={"subtask[name]": ""})
    assert (blank.status_code, blank.json()["message"]) == (422, "Name can't be blank")


async def test_comments_round_trip_and_only_the_last_own_one_can_be_deleted(
    fake: KanbanToolFake, api: httpx.AsyncClient
):
    task = task_named(fake, "Review pagination")
    base = task_path(fake, task, "/comments")
    created = (await api.post(f"{base}.json", data={"comment[content]": "Shipped"})).json()
    assert (created["content"], created["user_id"]) == ("Shipped", fake.current_user_id)
    assert (await api.get(f"{base}/{created['id']}.json")).json() == created
    assert [c["content"] for c in (await api.get(f"{base}.json")).json()][-1] == "Shipped"
    older = next(c for c in fake.comments.values() if c["task_id"] == task["id"])
    refused = await api.delete(f"{base}/{older['id']}.json")
    assert refused.status_code == 422
    assert (await api.delete(f"{base}/{created['id']}.json")).json()["id"] == created["id"]
    assert created["id"] not in fake.comments
    blank = await api.post(f"{base}.json", data={"comment[content]": " "})
    assert (blank.status_code, blank.json()["message"]) == (422, "Content can't be blank")
    whats = [
        log["what"] for log in (await api.get(task_path(fake, task))).json()["task"]["changelogs"]
    ]
    assert whats == ["created", "comment_added", "comment_deleted"]


# ---- time tracking -------------------------------------------------------------------------------------


async def test_a_timer_starts_running_and_stops(fake: KanbanToolFake, api: httpx.AsyncClient):
    task = task_named(fake, "Dark theme")
    started = await api.post(
        "/time_trackers.json",
        data={
            "time_tracker[board_id]": task["board_id"],
            "time_tracker[task_id]": task["id"],
            "time_tracker[started_at]": "2026-02-02T10:00:00+00:00",
        },
    )
    assert started.status_code == 200
    tracker = started.json()
    assert (tracker["ended_at"], tracker["task_id"], tracker["user_id"]) == (
        None,
        task["id"],
        fake.current_user_id,
    )
    running = (await api.get("/time_trackers.json", params={"active": 1})).json()
    assert [t["id"] for t in running] == [tracker["id"]]
    stopped = (
        await api.put(
            f"/time_trackers/{tracker['id']}.json",
            data={"time_tracker[ended_at]": "2026-02-02T10:25:00Z"},
        )
    ).json()
    assert stopped["ended_at"] == "2026-02-02T10:25:00+00:00"
    assert fake.time_trackers[tracker["id"]]["ended_at"] == "2026-02-02T10:25:00+00:00"
    assert (await api.get("/time_trackers.json", params={"active": 1})).json() == []


async def test_starting_a_timer_stops_the_running_one(fake: KanbanToolFake, api: httpx.AsyncClient):
    first, second = task_named(fake, "Dark theme"), task_named(fake, "Typo in settings")

    async def start(task: dict, at: str) -> dict:
        params = {"board_id": task["board_id"], "task_id": task["id"], "started_at": at}
        return (await api.post("/time_trackers.json", json={"time_tracker": params})).json()

    one = await start(first, "2026-02-02T10:00:00Z")
    two = await start(second, "2026-02-02T11:00:00Z")
    assert fake.time_trackers[one["id"]]["ended_at"] == "2026-02-02T11:00:00+00:00"
    assert fake.time_trackers[two["id"]]["ended_at"] is None


async def test_a_resumed_timer_counts_earlier_seconds_and_deleting_answers_the_previous(
    fake: KanbanToolFake, api: httpx.AsyncClient
):
    task = task_named(fake, "Write API client")
    seeded = next(iter(fake.time_trackers.values()))
    params = {
        "time_tracker[board_id]": task["board_id"],
        "time_tracker[task_id]": task["id"],
        "time_tracker[started_at]": "2026-02-03T09:00:00Z",
        "time_tracker[ended_at]": "2026-02-03T09:30:00Z",
    }
    resumed = (await api.post("/time_trackers.json", data=params)).json()
    assert resumed["seconds_from_resumed_sprint"] == 90 * 60
    expanded = (
        await api.get("/time_trackers.json", params={"task_id": task["id"], "expand": 1})
    ).json()
    assert expanded[0]["task"] == {"id": task["id"], "name": "Write API client"}
    assert expanded[0]["workflow_stage"]["name"] == "Doing"
    previous = (await api.delete(f"/time_trackers/{resumed['id']}.json")).json()
    assert previous["id"] == seeded["id"]
    assert resumed["id"] not in fake.time_trackers
    assert (await api.delete(f"/time_trackers/{seeded['id']}.json")).json() is None


async def test_a_timer_cannot_end_before_it_starts(fake: KanbanToolFake, api: httpx.AsyncClient):
    tracker = next(iter(fake.time_trackers.values()))
    refused = await api.put(
        f"/time_trackers/{tracker['id']}.json",
        data={"time_tracker[ended_at]": "2020-01-01T00:00:00Z"},
    )
    assert (refused.status_code, refused.json()["message"]) == (
        422,
        "Ended at must be after started at",
    )


async def test_the_time_report_sums_finished_trackers_by_group(
    fake: KanbanToolFake, api: httpx.AsyncClient
):
    task = task_named(fake, "Dark theme")
    await api.post(
        "/time_trackers.json",
        data={
            "time_tracker[board_id]": task["board_id"],
            "time_tracker[task_id]": task["id"],
            "time_tracker[started_at]": "2026-01-05T13:00:00Z",
            "time_tracker[ended_at]": "2026-01-05T13:15:00Z",
        },
    )
    params = {
        "report_type": "summary",
        "from": "2026-01-05",
        "to": "2026-01-05",
        "group_by": "task_id",
    }
    report = (await api.get("/time_report.json", params=params)).json()
    client = task_named(fake, "Write API client")
    assert report["total_seconds"] == 105 * 60
    assert report["data"] == {str(client["id"]): 90 * 60, str(task["id"]): 15 * 60}
    expanded = (
        await api.get("/time_report.json", params=params | {"expand": 1, "group_by": "user_id"})
    ).json()
    assert list(expanded["data"]) == [
        f'{{"id": {fake.current_user_id}, "name": "API Access - Alex Morgan"}}'
    ]
    detailed = (
        await api.get(
            "/time_report.json",
            params=params | {"report_type": "detailed", "task_id": str(task["id"])},
        )
    ).json()
    assert [t["task_id"] for t in detailed["data"][str(task["id"])]] == [task["id"]]
    later = (await api.get("/time_report.json", params={"from": "2026-01-06"})).json()
    assert later["total_seconds"] == 0


# ---- benchmark board ---------------------------------------------------------------------------------------


async def test_seed_board_builds_a_flat_board_of_the_asked_size():
    fake = KanbanToolFake(seed=False)
    board = fake.seed_board(300, columns=6)
    async with connect(fake) as api:
        structure = (await api.get(f"/boards/{board}.json")).json()["board"]
        listed = (await api.get(f"/boards/{board}/tasks.json")).json()
    assert len(structure["workflow_stages"]) == 6
    assert all(s["parent_id"] is None and s["limit"] is None for s in structure["workflow_stages"])
    assert len(tasks_of(listed)) == 300
